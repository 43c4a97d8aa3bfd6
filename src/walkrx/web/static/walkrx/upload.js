/* walkrx upload progress: polls the job status while it runs. */
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box) return;
  var url = box.getAttribute("data-status-url");
  var bar = document.getElementById("job-progress");
  var msg = document.getElementById("job-message");
  function poll() {
    fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (job) {
      bar.value = job.percent || 0;
      bar.textContent = (job.percent || 0) + " %";
      msg.textContent = job.message || "";
      box.setAttribute("data-state", job.state);
      var cancel = document.getElementById("job-cancel");
      if (cancel && !job.cancellable) cancel.hidden = true;
      if (job.state === "queued" || job.state === "running") window.setTimeout(poll, 1000);
    }).catch(function () { window.setTimeout(poll, 3000); });
  }
  var state = box.getAttribute("data-state");
  if (state === "queued" || state === "running") window.setTimeout(poll, 500);
})();
