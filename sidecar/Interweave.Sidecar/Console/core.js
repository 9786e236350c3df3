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
    if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
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

export function when(value) {
  if (!value) return "—";
  const date = new Date(value);
  return date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
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

export function operates() { return session.role === "admin" || session.role === "operator"; }
