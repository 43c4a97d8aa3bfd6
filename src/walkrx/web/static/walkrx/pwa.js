/* walkrx installable app: register the service worker; forget the saved page on sign-out. */
(function () {
  "use strict";
  if (!("serviceWorker" in navigator)) return;
  var root = document.documentElement;
  var url = root.getAttribute("data-sw");
  if (url) navigator.serviceWorker.register(url, { scope: "/" }).catch(function () {});
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (form && form.getAttribute && form.getAttribute("data-signout") !== null) {
      if (window.caches) window.caches.open("walkrx-v1").then(function (c) { return c.delete("/today/"); });
      if (navigator.serviceWorker.controller) navigator.serviceWorker.controller.postMessage("forget");
    }
  });
})();
