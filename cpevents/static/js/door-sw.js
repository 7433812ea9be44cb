/* The door list's service worker: hand-written, no build step (the app has no JavaScript bundler).
 * Served by Flask at /door/sw.js, so its scope is /door/ and it never sees any other page.
 *
 * What it keeps (Cache Storage), and nothing else:
 * - "door-static-v1": the stylesheet, the scripts and the icons the door list uses;
 * - "door-page-YYYY-MM-DD": each door list page (/door/events/<id>, no search) as last loaded
 *   online on the event's day, in a cache named by that day (the X-Door-Event-Date header).
 * Any other address is left to the network, untouched: no other page is ever stored.
 *
 * Door list pages: network first; with no signal, the saved copy. Static files: the saved copy
 * first (they are small and change only with a release; a new release changes STATIC). The day
 * after the event every cache is deleted (checked whenever the worker wakes). Sign-out deletes them
 * too (Clear-Site-Data on the sign-out response, and the page's script).
 */
/* global DoorTaps */
"use strict";

importScripts("/static/js/door-taps.js");

var STATIC = "door-static-v1";
var PAGE_PREFIX = "door-page-";
var ASSETS = [
  "/static/css/cpevents.css",
  "/static/js/init.js",
  "/static/js/app.js",
  "/static/js/govuk-frontend.min.js",
  "/static/js/door-offline.js",
  "/static/js/door-taps.js",
  "/static/images/favicon.svg",
  "/static/images/favicon.ico"
];
var LIST = /^\/door\/events\/[0-9a-f-]{36}$/;

function today() { return DoorTaps.today(); }

/* Delete the caches of past days (and the static cache with the last of them), and past taps. */
function purgeOld() {
  var now = today();
  return caches.keys().then(function (keys) {
    var pages = keys.filter(function (k) { return k.indexOf(PAGE_PREFIX) === 0; });
    var old = pages.filter(function (k) { return k.slice(PAGE_PREFIX.length) < now; });
    var deletions = old.map(function (k) { return caches.delete(k); });
    if (old.length && pages.length === old.length) { deletions.push(caches.delete(STATIC)); }
    return Promise.all(deletions).then(function () { return DoorTaps.purgeOld(); });
  });
}

function clearAll() {
  return caches.keys().then(function (keys) {
    return Promise.all(keys.map(function (k) { return caches.delete(k); }));
  }).then(function () { return DoorTaps.clear(); });
}

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(STATIC).then(function (cache) {
    return Promise.all(ASSETS.map(function (url) { return cache.add(url).catch(function () { return null; }); }));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(purgeOld().then(function () { return self.clients.claim(); }));
});

/* A door list page from the network, saved for later that day: only on the event's day (an organiser
 * reading the list days before, to prepare, keeps nothing on the phone). */
function savePage(request, response) {
  var date = response.headers.get("X-Door-Event-Date");
  if (!date || date !== today() || !response.ok || response.redirected || response.type !== "basic") { return Promise.resolve(); }
  var url = new URL(request.url);
  return caches.open(PAGE_PREFIX + date).then(function (cache) { return cache.put(url.pathname, response); });
}

function savedPage(pathname) {
  var now = today();
  return caches.keys().then(function (keys) {
    var pages = keys.filter(function (k) { return k.indexOf(PAGE_PREFIX) === 0 && k.slice(PAGE_PREFIX.length) === now; }).sort().reverse();
    return pages.reduce(function (found, key) {
      return found.then(function (hit) {
        if (hit) { return hit; }
        return caches.open(key).then(function (cache) {
          if (pathname) { return cache.match(pathname); }
          return cache.keys().then(function (requests) { return requests.length ? cache.match(requests[requests.length - 1]) : undefined; });
        });
      });
    }, Promise.resolve(undefined));
  });
}

function notSaved() {
  var html = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>No signal – door list</title>" +
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><link rel=\"stylesheet\" href=\"/static/css/cpevents.css\"></head>" +
    "<body class=\"govuk-template__body\"><div class=\"govuk-width-container\"><main class=\"govuk-main-wrapper\" id=\"main-content\">" +
    "<h1 class=\"govuk-heading-l\">No signal</h1><p class=\"govuk-body\">This door list is not saved on this phone. " +
    "Open it once while you have signal on the day of the event, then it works without signal.</p></main></div></body></html>";
  return new Response(html, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" } });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.mode === "navigate" && (LIST.test(url.pathname) || url.pathname === "/door/")) {
    event.respondWith(purgeOld().then(function () {
      return fetch(request).then(function (response) {
        if (LIST.test(url.pathname) && !url.search) {
          return savePage(request, response.clone()).then(function () { return response; });
        }
        return response;
      }, function () {
        return savedPage(url.pathname === "/door/" ? null : url.pathname).then(function (hit) { return hit || notSaved(); });
      });
    }));
    return;
  }
  if (ASSETS.indexOf(url.pathname) >= 0) {
    event.respondWith(caches.open(STATIC).then(function (cache) {
      return cache.match(url.pathname).then(function (hit) {
        return hit || fetch(request).then(function (response) {
          if (response.ok) { cache.put(url.pathname, response.clone()); }
          return response;
        });
      });
    }));
  }
});

self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type === "clear") {
    event.waitUntil(clearAll());
  } else if (data.type === "save-page" && data.url && LIST.test(new URL(data.url, self.location.origin).pathname)) {
    event.waitUntil(fetch(data.url, { credentials: "same-origin", cache: "no-store" }).then(function (response) {
      return savePage(new Request(data.url), response);
    }).then(function () {
      if (event.source) { event.source.postMessage({ type: "saved", url: data.url }); }
    }, function () { return null; }));
  }
});

/* Background Sync, where the browser has it: send waiting taps even if the door list is closed. */
self.addEventListener("sync", function (event) {
  if (event.tag !== "door-taps") { return; }
  event.waitUntil(DoorTaps.events().then(function (events) {
    return Promise.all(events.map(function (e) { return DoorTaps.send(e); }));
  }).then(function (answers) {
    var count = answers.reduce(function (n, a) { return n + a.sent; }, 0);
    return self.clients.matchAll().then(function (clients) {
      clients.forEach(function (client) { client.postMessage({ type: "sent", sent: count }); });
    });
  }));
});
