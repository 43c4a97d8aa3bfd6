/* walkrx walk timer: progressive enhancement. Without JavaScript the form works as is. */
(function () {
  "use strict";
  var box = document.getElementById("timer");
  var form = document.getElementById("walk-form");
  if (!box || !form) return;
  var startBtn = document.getElementById("timer-start");
  var finishBtn = document.getElementById("timer-finish");
  var display = document.getElementById("timer-display");
  // one timer per account: another person signed in on this browser never sees it
  var KEY = box.getAttribute("data-key");
  if (!KEY) return;
  var tick = null;
  box.hidden = false;

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function show(ms) {
    var s = Math.floor(ms / 1000);
    display.textContent = Math.floor(s / 60) + ":" + pad(s % 60);
  }
  function running(start) {
    startBtn.hidden = true;
    finishBtn.hidden = false;
    tick = window.setInterval(function () { show(Date.now() - start); }, 1000);
    show(Date.now() - start);
  }
  var saved = Number(window.localStorage.getItem(KEY) || 0);
  if (saved) running(saved);

  startBtn.addEventListener("click", function () {
    var now = Date.now();
    window.localStorage.setItem(KEY, String(now));
    var d = new Date(now);
    var t = form.querySelector("[name=start_time]");
    if (t) t.value = pad(d.getHours()) + ":" + pad(d.getMinutes());
    running(now);
  });
  finishBtn.addEventListener("click", function () {
    var start = Number(window.localStorage.getItem(KEY) || Date.now());
    window.clearInterval(tick);
    window.localStorage.removeItem(KEY);
    var minutes = Math.max(0.5, Math.round((Date.now() - start) / 30000) / 2);
    var m = form.querySelector("[name=minutes]");
    if (m) m.value = String(minutes);
    var t = form.querySelector("[name=start_time]");
    var d = new Date(start);
    if (t && !t.value) t.value = pad(d.getHours()) + ":" + pad(d.getMinutes());
    finishBtn.hidden = true;
    startBtn.hidden = false;
    display.textContent = minutes + " min";
    var pain = form.querySelector("[name=pain_max]");
    if (pain) pain.focus();
  });
})();
