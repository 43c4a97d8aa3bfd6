/* walkrx upload progress: polls the job while it runs, then shows the whole result in place. */
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box) return;
  var url = box.getAttribute("data-status-url");
  var bar = document.getElementById("job-progress");
  var msg = document.getElementById("job-message");
  function showResult() {
    // the finished page, rendered by the server, replaces this one's main content
    fetch(window.location.href, { credentials: "same-origin" }).then(function (r) { return r.text(); }).then(function (html) {
      var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("main");
      var main = document.getElementById("main");
      if (!fresh || !main) { window.location.reload(); return; }
      main.innerHTML = fresh.innerHTML;
      var h1 = main.querySelector("h1");
      if (h1) { h1.setAttribute("tabindex", "-1"); h1.focus(); }
    }).catch(function () { window.location.reload(); });
  }
  function poll() {
    fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (job) {
      if (bar) {
        bar.value = job.percent || 0;
        bar.textContent = (job.percent || 0) + " %";
      }
      if (msg && job.message) msg.textContent = job.message;
      box.setAttribute("data-state", job.state);
      var cancel = document.getElementById("job-cancel");
      if (cancel && !job.cancellable) cancel.hidden = true;
      if (job.state === "queued" || job.state === "running") window.setTimeout(poll, 1000);
      else showResult();
    }).catch(function () { window.setTimeout(poll, 3000); });
  }
  var state = box.getAttribute("data-state");
  if (state === "queued" || state === "running") window.setTimeout(poll, 500);
})();
