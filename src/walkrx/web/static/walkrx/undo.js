/* walkrx: the undo button counts down and goes away when the 10 seconds are over. */
(function () {
  "use strict";
  var form = document.getElementById("undo-form");
  if (!form) return;
  var left = Number(form.getAttribute("data-seconds") || 0);
  var note = document.getElementById("undo-left");
  var timer = window.setInterval(function () {
    left -= 1;
    if (left <= 0) {
      window.clearInterval(timer);
      form.hidden = true;
      return;
    }
    if (left % 5 === 0 && note) note.textContent = "You can undo this for " + left + " more seconds.";
  }, 1000);
})();
