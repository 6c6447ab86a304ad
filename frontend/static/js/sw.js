// Service worker: procedure pages the citizen opened open again without a connection.
// Network first; the copy is refreshed on every visit that reaches the server, and a page
// served from the copy says when it was saved (offline.js reads data-saved-at).
"use strict";
var CACHE = "procedure-pages-v1";
var SAVED_AT = "X-Saved-At";
var BY_URL = { ignoreVary: true, ignoreSearch: false };

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) { return name !== CACHE; })
      .map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

function store(cache, url, response) {
  if (!response.ok || response.type !== "basic") return Promise.resolve();
  return response.text().then(function (body) {
    var headers = new Headers(response.headers);
    headers.set(SAVED_AT, new Date().toISOString());
    // Kept under its URL alone: the page varies by cookie and language header, the copy not.
    headers.delete("Vary");
    return cache.put(url, new Response(body, { status: 200, headers: headers }));
  });
}

function fromCopy(copy) {
  var savedAt = copy.headers.get(SAVED_AT) || "";
  return copy.text().then(function (body) {
    body = body.replace('data-saved-at=""', 'data-saved-at="' + savedAt + '"');
    return new Response(body, { headers: { "Content-Type": "text/html; charset=utf-8" } });
  });
}

// offline.js asks to keep the procedure page it runs on.
self.addEventListener("message", function (event) {
  var url = event.data && event.data.save;
  if (!url || new URL(url).origin !== self.location.origin) return;
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return cache.match(url, BY_URL).then(function (copy) {
      return copy || fetch(url, { credentials: "same-origin" }).then(function (response) {
        return store(cache, url, response);
      });
    });
  }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || request.mode !== "navigate") return;
  var url = request.url.split("#")[0];
  event.respondWith(caches.open(CACHE).then(function (cache) {
    return fetch(request).then(function (response) {
      // Only pages already kept are refreshed: the rest of the site is not stored.
      return cache.match(url, BY_URL).then(function (copy) {
        if (copy) event.waitUntil(store(cache, url, response.clone()));
        return response;
      });
    }, function (error) {
      return cache.match(url, BY_URL).then(function (copy) {
        if (copy) return fromCopy(copy);
        throw error;
      });
    });
  }));
});
