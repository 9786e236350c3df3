// The Interweave admin console's plumbing, shared by its pages: one page, no build step, no third-party code. Everything it shows comes from the
// sidecar's documented /api routes, called with the key the admin signed in with (kept in session storage only).
// Paths are relative ("api/..."), so the console works under a reverse proxy's path prefix. Text from the systems
// (record names, error messages) is hostile input: it is only ever set as text, never as HTML.

export const KEY_STORAGE = "interweave.apiKey";
// expire(message) is set by console.js: the frame signs out when the sidecar stops accepting the key.
export const session = { key: sessionStorage.getItem(KEY_STORAGE), role: null, status: null, expire: () => {} };
export const page = { timers: [], token: 0 };

// ---------- plumbing ----------

export class ApiError extends Error {
  constructor(status, body) {
    super(problemText(body) || `The sidecar answered ${status}.`);
    this.status = status;
    this.body = body;
  }
}

export async function api(method, path, body) {
  const headers = { "X-Api-Key": session.key ?? "", Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const type = response.headers.get("content-type") ?? "";
  const data = type.includes("json") ? await response.json() : await response.text();
  if (response.status === 401 && path !== "api/status") {
    session.expire("Your key is no longer accepted; sign in again.");
    throw new ApiError(401, data);
  }
  if (!response.ok) throw new ApiError(response.status, data);
  return { data, status: response.status, location: response.headers.get("location") };
}

export const get = async (path) => (await api("GET", path)).data;

/** A problem+json body in words: its detail, or its title, and each field's problem. */
export function problemText(body) {
  if (!body || typeof body !== "object") return typeof body === "string" ? body.slice(0, 300) : "";
  const parts = [body.detail || body.title].filter(Boolean);
  if (body.errors) for (const [field, messages] of Object.entries(body.errors)) parts.push(`${field}: ${[].concat(messages).join(" ")}`);
  return parts.join(" ");
}

/** Builds an element: h("button", { class: "ghost", onclick }, "text", child...). Strings become text nodes. */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "onclick" || name === "onsubmit") element.addEventListener(name.slice(2), busyWhileWorking(value));
    else if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else if (name === "class") element.className = value;
    else if (name === "value") element.value = value;
    else if (name === "checked") element.checked = value;
    // Through the CSSOM: the content security policy refuses inline style attributes.
    else if (name === "style") for (const rule of value.split(";").filter(Boolean)) { const [k, v] = rule.split(":"); element.style.setProperty(k.trim(), v.trim()); }
    else element.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

/**
 * A click or submit handler whose work is asynchronous keeps its button disabled and aria-busy until the work ends,
 * so a double click starts it once and a screen reader hears that it works. A handler that disables its button
 * itself (Run now, until its run ends) keeps that in its own hands.
 */
function busyWhileWorking(handler) {
  return (event) => {
    const button = event.type === "submit" ? event.submitter : event.currentTarget;
    const result = handler(event);
    if (!result?.then || button?.tagName !== "BUTTON" || button.disabled) return result;
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
    const done = () => { button.disabled = false; button.removeAttribute("aria-busy"); };
    result.then(done, done);
    return result;
  };
}

let fieldCounter = 0;
/** A labelled input; the label is tied to it by id, as screen readers need. */
export function field(labelText, input, hint) {
  const id = input.id || `f${++fieldCounter}`;
  input.id = id;
  return h("div", { class: "field" }, h("label", { for: id }, labelText), input, hint ? h("span", { class: "muted small" }, hint) : null);
}

export function toast(text) {
  const box = document.getElementById("toast");
  box.textContent = text;
  setTimeout(() => { if (box.textContent === text) box.textContent = ""; }, 4000);
}

const EXACT = { year: "numeric", month: "short", day: "numeric", hour: "numeric", minute: "2-digit", second: "2-digit", timeZoneName: "short" };

/** A moment with its zone, to the second: in the browser's zone, or in timeZone ("UTC", 24-hour). */
export function whenExact(value, timeZone) {
  return new Date(value).toLocaleString(undefined, timeZone ? { ...EXACT, timeZone, hourCycle: "h23" } : EXACT);
}

const UNITS = [["year", 365 * 86400], ["month", 30 * 86400], ["week", 7 * 86400], ["day", 86400], ["hour", 3600], ["minute", 60], ["second", 1]];

/** "5 minutes ago", "in 2 hours", "now". */
export function relative(value, now = Date.now()) {
  const seconds = Math.round((new Date(value).getTime() - now) / 1000);
  if (Math.abs(seconds) < 30) return "just now";
  const [unit, size] = UNITS.find(([, size]) => Math.abs(seconds) >= size);
  return new Intl.RelativeTimeFormat(undefined, { numeric: "auto" }).format(Math.round(seconds / size), unit);
}

/**
 * A moment as people read it, relative ("5 minutes ago"), with the exact time in both the browser's zone and UTC in
 * its tooltip; a <time> element, so it can be machine-read too. "—" when there is none.
 */
export function when(value) {
  if (!value) return "—";
  const iso = new Date(value).toISOString();
  return h("time", { datetime: iso, title: `${whenExact(value)} · ${whenExact(value, "UTC")}` }, relative(value));
}

export function pill(text, kind = text) { return h("span", { class: `pill ${kind}` }, text); }

/** A run's state in words (completedWithErrors reads "completed with errors"), coloured by the state. */
export function statePill(state) { return pill(stateWords(state), state); }
export function stateWords(state) { return state === "completedWithErrors" ? "completed with errors" : state; }

/** Repeats fn every ms while the current page is shown. */
export function every(ms, fn) {
  const token = page.token;
  const timer = setInterval(() => { if (page.token === token) fn(); else clearInterval(timer); }, ms);
  page.timers.push(timer);
}

export function errorBanner(error, hint) {
  const body = error.body && typeof error.body === "object" ? error.body : {};
  const intacct = body.intacctErrors ?? [];
  return h("div", { class: "banner bad", role: "alert" },
    h("strong", {}, body.title || error.message),
    intacct.length
      ? intacct.map((e) => h("p", {}, `${e.errorNo ?? ""} ${[e.description, e.description2].filter(Boolean).join(" ")}`.trim(),
          e.correction ? h("span", {}, ` Correction: ${e.correction}`) : null))
      : body.detail && body.detail !== body.title ? h("p", {}, body.detail) : null,
    body.errors ? Object.entries(body.errors).map(([k, v]) => h("p", {}, `${k}: ${[].concat(v).join(" ")}`)) : null,
    body.hint || hint ? h("p", {}, `Where to look: ${body.hint || hint}`) : null);
}

/**
 * Runs work(): its button is disabled and aria-busy until the work ends (a double click starts it once), and the
 * button comes back as it was.
 */
export async function working(button, work) {
  if (!button || button.disabled) return button ? undefined : work();
  button.disabled = true;
  button.setAttribute("aria-busy", "true");
  try {
    return await work();
  } finally {
    button.disabled = false;
    button.removeAttribute("aria-busy");
  }
}

/**
 * Asks before an irreversible action, in a modal dialog that shows what will happen: resolves true for the confirm
 * button, false for Cancel or Escape. body is text or nodes (the preview).
 */
export function confirmDialog(title, body, confirmText, { danger = false } = {}) {
  return new Promise((resolve) => {
    const dialog = h("dialog", { class: "confirm", "aria-labelledby": "confirm-title" },
      h("h2", { id: "confirm-title" }, title), h("div", {}, body),
      h("div", { class: "actions" },
        h("button", { type: "button", class: danger ? "danger" : "", onclick: () => close(true) }, confirmText),
        h("button", { type: "button", class: "ghost", onclick: () => close(false) }, "Cancel")));
    let answered = false;
    const close = (answer) => { if (answered) return; answered = true; dialog.close(); dialog.remove(); resolve(answer); };
    dialog.addEventListener("cancel", () => close(false));
    document.body.append(dialog);
    dialog.showModal();
  });
}

/**
 * Brings a table body up to date in place: rows are kept by key and only cells whose text changed are redrawn, so
 * focus on a link in a row, the scroll position and a screen reader's place survive a refresh. Answers the keys of
 * rows that were not there before.
 */
export function syncRows(body, items, keyOf, buildRow) {
  const existing = new Map([...body.children].map((row) => [row.dataset.key, row]));
  const added = [];
  let previous = null;
  for (const item of items) {
    const key = String(keyOf(item));
    const fresh = buildRow(item);
    fresh.dataset.key = key;
    let row = existing.get(key);
    if (!row) { row = fresh; added.push(key); }
    else {
      existing.delete(key);
      [...fresh.children].forEach((cell, i) => {
        const old = row.children[i];
        if (!old) row.append(cell);
        else if (old.textContent !== cell.textContent || old.innerHTML !== cell.innerHTML && !old.contains(document.activeElement)) old.replaceWith(cell);
      });
    }
    if (previous ? previous.nextSibling !== row : body.firstChild !== row) previous ? previous.after(row) : body.prepend(row);
    previous = row;
  }
  for (const row of existing.values()) row.remove();
  return added;
}

export function operates() { return session.role === "admin" || session.role === "operator"; }
