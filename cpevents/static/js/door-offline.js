/* The door list without signal. Hand-written, no build step (the app has no JavaScript bundler).
 *
 * With JavaScript and a service worker, the door list page (and only it) is saved on the phone
 * once opened on the day; with no signal a tap on a check-in, undo or late-guest button is kept on
 * the phone (IndexedDB, see door-taps.js), the row says "waiting to send", and the taps are sent
 * when the signal comes back (the `online` event, each page load, and Background Sync where the
 * browser has it). With signal, the buttons are ordinary forms, as without JavaScript.
 */
/* global DoorTaps */

const root = document.getElementById("door-offline");
const status = document.getElementById("door-offline-status");

const ACTION = /^\/door\/(invitations|guests|registrations)\/([0-9a-f-]{36})\/(check-in|check-out)$/;
const KINDS = {
  "invitations check-in": "check_in",
  "invitations check-out": "check_out",
  "guests check-in": "check_in_guest",
  "guests check-out": "check_out_guest",
  "registrations check-in": "check_in_registration",
  "registrations check-out": "check_out_registration",
};

function el(tag, attrs, text) {
  const node = document.createElement(tag);
  Object.entries(attrs || {}).forEach(([key, value]) => node.setAttribute(key, value));
  if (text) { node.textContent = text; }
  return node;
}

function hhmm(ms) {
  const d = new Date(ms);
  return String(d.getHours()).padStart(2, "0") + ":" + String(d.getMinutes()).padStart(2, "0");
}

function say(lines) {
  status.replaceChildren();
  lines.filter(Boolean).forEach((line) => {
    if (typeof line === "string") { status.append(el("p", { class: "govuk-body govuk-!-margin-bottom-2" }, line)); } else { status.append(line); }
  });
  status.hidden = !status.childElementCount;
}

function offline() { return navigator.onLine === false; }

/* --- what a tap looks like on the page ----------------------------------------------------- */

function card(tap) {
  if (tap.kind.endsWith("_registration")) { return document.getElementById("r-" + tap.target); }
  return document.getElementById("p-" + (tap.invitation || tap.target));
}

function tag(text, colour, id) {
  const node = el("strong", { class: "govuk-tag govuk-tag--" + colour + " app-door-waiting govuk-!-margin-left-1 govuk-!-margin-bottom-2" }, text);
  node.dataset.tap = id;
  return node;
}

function formsFor(tap) {
  if (tap.kind === "late_guest") { return []; }
  const forms = [...document.querySelectorAll("form[action='" + tap.action + "']")];
  if (tap.kind === "check_in" || tap.kind === "check_in_young_person") { return forms; } // both check-in buttons of the row
  return forms.filter((form) => (form.querySelector("input[name=who]") || {}).value === tap.who);
}

function words(tap) {
  const verb = tap.kind === "late_guest" ? "Added " + tap.name : tap.kind.startsWith("check_out") ? "Undone" : "Checked in";
  return verb + " " + hhmm(tap.at) + ", waiting to send";
}

/* A tap on its row: waiting (its buttons hidden, so it is not tapped twice) or refused (in red,
 * the buttons back). One tag per tap: next to the first of its buttons, or in the row's title. */
function show(tap) {
  const refused = tap.status === "refused";
  const text = refused ? "Not recorded: " + tap.message : words(tap);
  document.querySelectorAll(".app-door-waiting[data-tap='" + tap.id + "']").forEach((node) => node.remove());
  const forms = formsFor(tap);
  forms.forEach((form) => { form.hidden = !refused; });
  if (forms.length) {
    forms[0].before(tag(text, refused ? "red" : "yellow", tap.id));
  } else {
    const row = card(tap);
    const where = row && row.querySelector(".govuk-summary-card__title-wrapper");
    if (where) { where.append(tag(text, refused ? "red" : "yellow", tap.id)); }
  }
}

/* --- keeping and sending ------------------------------------------------------------------- */

async function keep(tap) {
  await DoorTaps.put(tap);
  show(tap);
  await report();
  try {
    const registration = await navigator.serviceWorker.ready;
    if (registration.sync) { await registration.sync.register("door-taps"); }
  } catch (error) { /* no Background Sync here: the `online` event and the next page load send them */ }
}

async function report(extra) {
  const taps = await DoorTaps.forEvent(root.dataset.event);
  const waiting = taps.filter((t) => t.status === "waiting");
  const refused = taps.filter((t) => t.status === "refused");
  const lines = [];
  if (offline()) {
    lines.push("No signal: taps are kept on this phone and sent when the signal comes back. The counts are from when the list was last loaded.");
  }
  if (waiting.length) { lines.push(waiting.length + (waiting.length === 1 ? " tap is" : " taps are") + " waiting to send."); }
  if (extra) { lines.push(extra); }
  if (refused.length) {
    const list = el("ul", { class: "govuk-list govuk-list--bullet" });
    refused.forEach((t) => list.append(el("li", {}, (t.label || "A tap") + ": " + t.message)));
    lines.push("Not recorded (speak to an organiser if this is wrong):", list);
    const dismiss = el("button", { type: "button", class: "govuk-button govuk-button--secondary govuk-!-margin-bottom-0" }, "Clear these messages");
    dismiss.addEventListener("click", async () => {
      await Promise.all(refused.map((t) => DoorTaps.remove(t.id)));
      document.querySelectorAll(".app-door-waiting.govuk-tag--red").forEach((node) => node.remove());
      await report();
    });
    lines.push(dismiss);
  }
  say(lines);
  root.dataset.waiting = String(waiting.length);
}

let sending = false;

/* Taps have gone (sent by this page, or by the service worker's Background Sync): the rows lose
 * "waiting to send", refusals stay on their rows, and the status says how many went. */
async function sent(count) {
  const kept = await DoorTaps.forEvent(root.dataset.event);
  const left = new Set(kept.map((t) => t.id));
  document.querySelectorAll(".app-door-waiting.govuk-tag--yellow").forEach((node) => {
    if (left.has(node.dataset.tap)) { return; }
    node.textContent = node.textContent.replace(", waiting to send", ", sent");
    node.classList.replace("govuk-tag--yellow", "govuk-tag--green");
  });
  kept.filter((t) => t.status === "refused").forEach(show);
  const link = el("a", { class: "govuk-link", href: root.dataset.list }, "Refresh the list and counts");
  const line = el("p", { class: "govuk-body govuk-!-margin-bottom-2" }, count + (count === 1 ? " tap" : " taps") + " sent. ");
  line.append(link);
  await report(line);
}

async function send() {
  if (sending || offline()) { return; }
  sending = true;
  try {
    const before = (await DoorTaps.forEvent(root.dataset.event)).filter((t) => t.status === "waiting");
    if (!before.length) { return; }
    const answer = await DoorTaps.send(root.dataset.event);
    if (answer.error === "signin") {
      await report("Sign in again to send the taps waiting on this phone.");
    } else if (answer.error === "offline") {
      await report();
    } else if (answer.error) {
      await report(answer.error);
    } else {
      await sent(answer.sent);
    }
  } finally {
    sending = false;
  }
}

/* --- the buttons, with no signal ------------------------------------------------------------ */

function base(kind, target) {
  return { id: crypto.randomUUID(), kind, target, at: Date.now(), event: root.dataset.event, date: root.dataset.date,
           list: root.dataset.list, status: "waiting" };
}

document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!offline() || root.dataset.canCheckIn !== "yes") { return; }
  const match = ACTION.exec(new URL(form.action, location.href).pathname);
  if (!match) { return; }
  event.preventDefault();
  const who = (form.querySelector("input[name=who]") || {}).value;
  let kind = KINDS[match[1] + " " + match[3]];
  if (kind === "check_in" && who === "young_person") { kind = "check_in_young_person"; }
  const row = form.closest(".govuk-summary-card");
  const button = event.submitter || form.querySelector("button");
  const tap = Object.assign(base(kind, match[2]), {
    action: new URL(form.action, location.href).pathname, who,
    invitation: row && row.id.startsWith("p-") ? row.id.slice(2) : undefined,
    label: button ? button.textContent.replace(/\s+/g, " ").trim() : "",
  });
  keep(tap);
}, true);

function lateGuestForm(link) {
  const target = /\/door\/invitations\/([0-9a-f-]{36})\/late-guest/.exec(link.getAttribute("href"))[1];
  const n = document.querySelectorAll(".app-door-late").length + 1;
  const form = el("form", { class: "app-door-late govuk-!-margin-top-2", novalidate: "" });
  const group = el("div", { class: "govuk-form-group" });
  group.append(el("label", { class: "govuk-label", for: "late-name-" + n }, "Guest's name"),
               el("input", { class: "govuk-input", id: "late-name-" + n, type: "text", autocomplete: "off", spellcheck: "false" }));
  const fieldset = el("fieldset", { class: "govuk-fieldset" });
  fieldset.append(el("legend", { class: "govuk-fieldset__legend govuk-fieldset__legend--s" }, "Adult or child?"));
  const radios = el("div", { class: "govuk-radios govuk-radios--inline govuk-radios--small" });
  [["adult", "Adult"], ["child", "Child (under 18)"]].forEach(([value, text], i) => {
    const item = el("div", { class: "govuk-radios__item" });
    const input = el("input", { class: "govuk-radios__input", id: "late-age-" + n + "-" + value, name: "late-age-" + n, type: "radio", value });
    if (i === 0) { input.checked = true; }
    item.append(input, el("label", { class: "govuk-label govuk-radios__label", for: input.id }, text));
    radios.append(item);
  });
  fieldset.append(radios);
  const error = el("p", { class: "govuk-error-message", hidden: "" }, "Enter the guest's name");
  const button = el("button", { type: "submit", class: "govuk-button govuk-!-margin-top-2 govuk-!-margin-bottom-0" }, "Add the guest (sent when the signal comes back)");
  form.append(group, error, fieldset, button);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const name = form.querySelector("input[type=text]").value.replace(/\s+/g, " ").trim();
    if (!name) { error.hidden = false; form.querySelector("input[type=text]").focus(); return; }
    const age = form.querySelector("input[type=radio]:checked").value;
    const row = link.closest(".govuk-summary-card");
    const title = row ? row.querySelector(".govuk-summary-card__title").textContent.trim() : "";
    keep(Object.assign(base("late_guest", target), { name, age_group: age, label: "Late guest " + name + (title ? " for " + title : "") }));
    form.remove();
    link.hidden = false;
  });
  return form;
}

document.addEventListener("click", (event) => {
  const link = event.target.closest && event.target.closest("a[href*='/late-guest']");
  if (!link || !offline() || root.dataset.canCheckIn !== "yes") { return; }
  event.preventDefault();
  link.hidden = true;
  const form = lateGuestForm(link);
  link.after(form);
  form.querySelector("input[type=text]").focus();
});

/* Search by first name with no signal: the saved page holds everyone, so the rows are filtered
 * here, the way the server searches (first names starting with the words typed). */
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!offline() || form.getAttribute("role") !== "search") { return; }
  event.preventDefault();
  const q = (form.querySelector("input[name=q]").value || "").trim().toLowerCase();
  let found = 0;
  document.querySelectorAll("section .govuk-summary-card").forEach((row) => {
    const name = row.querySelector(".govuk-summary-card__title").textContent.trim().toLowerCase();
    const match = !q || name.startsWith(q);
    row.hidden = !match;
    found += match ? 1 : 0;
  });
  report(q ? found + (found === 1 ? " person" : " people") + " with a first name starting “" + q + "” (searched on this phone)." : "");
});

/* Signing out deletes what this phone keeps: say so first if taps are still waiting. */
let warned = false;
document.addEventListener("submit", async (event) => {
  const form = event.target;
  if (!form.classList.contains("app-sign-out") || warned) {
    if (form.classList.contains("app-sign-out") && navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage({ type: "clear" });
    }
    return;
  }
  const waiting = (root.dataset.waiting || "0") !== "0";
  if (!waiting) {
    if (navigator.serviceWorker.controller) { navigator.serviceWorker.controller.postMessage({ type: "clear" }); }
    return;
  }
  event.preventDefault();
  warned = true;
  await report("Signing out deletes the taps waiting on this phone. Go back to where there is signal first so they are sent, or press Sign out again to sign out anyway.");
  status.scrollIntoView();
});

/* --- start --------------------------------------------------------------------------------- */

async function start() {
  await DoorTaps.purgeOld();
  (await DoorTaps.forEvent(root.dataset.event)).forEach(show);
  await report();
  window.addEventListener("online", () => { report().then(send); });
  window.addEventListener("offline", () => { report(); });
  navigator.serviceWorker.addEventListener("message", (event) => {
    if (event.data && event.data.type === "saved") {
      document.documentElement.dataset.doorOffline = "ready";
    } else if (event.data && event.data.type === "sent") {
      if (event.data.sent) { sent(event.data.sent); } else { report(); }
    }
  });
  const registration = await navigator.serviceWorker.register(root.dataset.sw, { scope: root.dataset.scope });
  await navigator.serviceWorker.ready;
  if (!offline() && registration.active) {
    registration.active.postMessage({ type: "save-page", url: root.dataset.list });
  } else if (offline()) {
    document.documentElement.dataset.doorOffline = "ready";
  }
  await send();
}

if (root && status && "serviceWorker" in navigator && "indexedDB" in window && window.isSecureContext && window.DoorTaps) {
  start();
}
