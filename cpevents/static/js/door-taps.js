/* The door list's taps kept on the phone (IndexedDB) and sent to the server.
 *
 * A classic script with no DOM, shared by the page (door-offline.js) and the service worker
 * (door-sw.js, through importScripts), so both send taps the same way. Hand-written: the app has
 * no JavaScript build step. Each tap: {id (a UUID made here), kind, target (a public id), at
 * (milliseconds, this phone's clock), name and age_group (a late guest), event, date (the event's
 * day, YYYY-MM-DD), list (the door list's path), status ("waiting" or "refused"), message}.
 */
(function (scope) {
  "use strict";

  var DB_NAME = "cpevents-door";
  var STORE = "taps";

  function open() {
    return new Promise(function (resolve, reject) {
      var request = scope.indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        var store = request.result.createObjectStore(STORE, { keyPath: "id" });
        store.createIndex("event", "event");
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function run(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var result = work(tx.objectStore(STORE));
        tx.oncomplete = function () { db.close(); resolve(result && "result" in result ? result.result : result); };
        tx.onerror = function () { db.close(); reject(tx.error); };
        tx.onabort = function () { db.close(); reject(tx.error); };
      });
    });
  }

  function all() {
    return run("readonly", function (store) { return store.getAll(); }).then(function (taps) {
      return (taps || []).sort(function (a, b) { return a.at - b.at; });
    });
  }

  function forEvent(event) {
    return all().then(function (taps) { return taps.filter(function (t) { return t.event === event; }); });
  }

  function put(tap) { return run("readwrite", function (store) { store.put(tap); }); }

  function remove(id) { return run("readwrite", function (store) { store.delete(id); }); }

  function today() {
    var d = new Date();
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  }

  /* The day after the event nothing is kept: taps of past events are deleted (the server would
   * refuse them anyway: check-in is only on the day). */
  function purgeOld() {
    var now = today();
    return all().then(function (taps) {
      var old = taps.filter(function (t) { return !t.date || t.date < now; });
      return Promise.all(old.map(function (t) { return remove(t.id); }));
    });
  }

  /* Sign-out: every tap and the database itself. */
  function clear() {
    return new Promise(function (resolve) {
      var request = scope.indexedDB.deleteDatabase(DB_NAME);
      request.onsuccess = request.onerror = request.onblocked = function () { resolve(); };
    });
  }

  /* A fresh CSRF token: the door list page as the server sends it now (the token in a page saved
   * hours ago may have expired). Null when the phone is signed out or has no signal. */
  function freshPage(list) {
    return fetch(list, { credentials: "same-origin", cache: "no-store", redirect: "follow" }).then(function (response) {
      if (!response.ok || response.redirected) { return null; }
      return response.text().then(function (html) {
        var match = /name="csrf_token" value="([^"]+)"/.exec(html);
        return match ? { token: match[1], html: html, response: response } : null;
      });
    }, function () { return null; });
  }

  /* Send this event's waiting taps. Resolves to {sent, refused, results, error, counts}. */
  function send(event) {
    return forEvent(event).then(function (taps) {
      var waiting = taps.filter(function (t) { return t.status === "waiting"; });
      if (!waiting.length) { return { sent: 0, refused: 0, results: [] }; }
      var list = waiting[0].list;
      return freshPage(list).then(function (page) {
        if (!page) { return { sent: 0, refused: 0, results: [], error: "signin" }; }
        var body = JSON.stringify({ taps: waiting.map(function (t) {
          return { id: t.id, kind: t.kind, target: t.target, at: t.at, name: t.name || "", age_group: t.age_group || "" };
        }) });
        return fetch(list + "/taps", {
          method: "POST", credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRFToken": page.token },
          body: body
        }).then(function (response) {
          return response.json().then(function (data) { return { response: response, data: data }; }, function () { return { response: response, data: {} }; });
        }).then(function (answer) {
          if (!answer.response.ok) {
            return { sent: 0, refused: 0, results: [], error: (answer.data && answer.data.error) || "The taps could not be sent. Try again." };
          }
          var byId = {};
          waiting.forEach(function (t) { byId[t.id] = t; });
          var sent = 0, refused = 0;
          var work = (answer.data.results || []).map(function (result) {
            var tap = byId[result.id];
            if (!tap) { return Promise.resolve(); }
            if (result.status === "refused") {
              refused += 1;
              tap.status = "refused";
              tap.message = result.message;
              return put(tap);
            }
            sent += 1;
            return remove(tap.id);
          });
          return Promise.all(work).then(function () {
            return { sent: sent, refused: refused, results: answer.data.results || [], counts: answer.data.counts, page: page };
          });
        }, function () { return { sent: 0, refused: 0, results: [], error: "offline" }; });
      });
    });
  }

  function events() {
    return all().then(function (taps) {
      var seen = {};
      taps.forEach(function (t) { if (t.status === "waiting") { seen[t.event] = true; } });
      return Object.keys(seen);
    });
  }

  scope.DoorTaps = { all: all, forEvent: forEvent, put: put, remove: remove, purgeOld: purgeOld, clear: clear, send: send,
                     events: events, today: today, freshPage: freshPage };
})(self);
