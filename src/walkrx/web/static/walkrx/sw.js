/* walkrx service worker: pages come from the network; offline, today's plan as last loaded.
   Only the signed-in walker's today page is kept, and sign-out forgets it (pwa.js). */
"use strict";
var CACHE = "walkrx-v1";
var OFFLINE = "/offline/";
var TODAY = "/today/";

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE).then(function (cache) { return cache.addAll([OFFLINE]); }).then(function () {
      return self.skipWaiting();
    })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (k) { return k !== CACHE; }).map(function (k) { return caches.delete(k); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function stamp(text, when) {
  var note = '<p class="msg warning" role="status" id="offline-note">You are offline. This is ' +
    "today's plan as it was last loaded" + (when ? " (" + when + ")" : "") +
    ". Walks you log will need a connection.</p>";
  return text.replace('<main id="main">', '<main id="main">' + note);
}

function fromCache() {
  return caches.open(CACHE).then(function (cache) {
    return cache.match(TODAY).then(function (saved) {
      if (!saved) {
        return cache.match(OFFLINE).then(function (page) {
          return page || new Response("<h1>You are offline</h1>", { headers: { "Content-Type": "text/html; charset=utf-8" } });
        });
      }
      var when = saved.headers.get("X-Walkrx-Saved") || "";
      return saved.text().then(function (text) {
        return new Response(stamp(text, when), { headers: { "Content-Type": "text/html; charset=utf-8" } });
      });
    });
  });
}

self.addEventListener("fetch", function (event) {
  var req = event.request;
  if (req.method !== "GET" || req.mode !== "navigate") return;
  var url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  event.respondWith(
    fetch(req).then(function (response) {
      if (url.pathname === TODAY && response.ok && !response.redirected) {
        var copy = response.clone();
        copy.text().then(function (text) {
          var headers = { "Content-Type": "text/html; charset=utf-8", "X-Walkrx-Saved": new Date().toLocaleString() };
          return caches.open(CACHE).then(function (cache) { return cache.put(TODAY, new Response(text, { headers: headers })); });
        });
      }
      return response;
    }).catch(fromCache)
  );
});

self.addEventListener("message", function (event) {
  if (event.data === "forget") {
    event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.delete(TODAY); }));
  }
});
