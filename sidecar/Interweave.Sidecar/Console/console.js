// The Interweave admin console: one page, no build step, no third-party code. Everything it shows comes from the
// sidecar's documented /api routes, called with the key the admin signed in with (kept in session storage only).
// Paths are relative ("api/..."), so the console works under a reverse proxy's path prefix. Text from the systems
// (record names, error messages) is hostile input: it is only ever set as text, never as HTML.

const KEY_STORAGE = "interweave.apiKey";
const session = { key: sessionStorage.getItem(KEY_STORAGE), role: null, status: null };
let page = { timers: [], token: 0 };

// ---------- plumbing ----------

class ApiError extends Error {
  constructor(status, body) {
    super(problemText(body) || `The sidecar answered ${status}.`);
    this.status = status;
    this.body = body;
  }
}

async function api(method, path, body) {
  const headers = { "X-Api-Key": session.key ?? "", Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const type = response.headers.get("content-type") ?? "";
  const data = type.includes("json") ? await response.json() : await response.text();
  if (response.status === 401 && path !== "api/status") {
    signOut("Your key is no longer accepted; sign in again.");
    throw new ApiError(401, data);
  }
  if (!response.ok) throw new ApiError(response.status, data);
  return { data, status: response.status, location: response.headers.get("location") };
}

const get = async (path) => (await api("GET", path)).data;

/** A problem+json body in words: its detail, or its title, and each field's problem. */
function problemText(body) {
  if (!body || typeof body !== "object") return typeof body === "string" ? body.slice(0, 300) : "";
  const parts = [body.detail || body.title].filter(Boolean);
  if (body.errors) for (const [field, messages] of Object.entries(body.errors)) parts.push(`${field}: ${[].concat(messages).join(" ")}`);
  return parts.join(" ");
}

/** Builds an element: h("button", { class: "ghost", onclick }, "text", child...). Strings become text nodes. */
function h(tag, attributes = {}, ...children) {
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
function field(labelText, input, hint) {
  const id = input.id || `f${++fieldCounter}`;
  input.id = id;
  return h("div", { class: "field" }, h("label", { for: id }, labelText), input, hint ? h("span", { class: "muted small" }, hint) : null);
}

function toast(text) {
  const box = document.getElementById("toast");
  box.textContent = text;
  setTimeout(() => { if (box.textContent === text) box.textContent = ""; }, 4000);
}

function when(value) {
  if (!value) return "—";
  const date = new Date(value);
  return date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

function pill(text, kind = text) { return h("span", { class: `pill ${kind}` }, text); }

/** A run's state in words (completedWithErrors reads "completed with errors"), coloured by the state. */
function statePill(state) { return pill(stateWords(state), state); }
function stateWords(state) { return state === "completedWithErrors" ? "completed with errors" : state; }

/** Repeats fn every ms while the current page is shown. */
function every(ms, fn) {
  const token = page.token;
  const timer = setInterval(() => { if (page.token === token) fn(); else clearInterval(timer); }, ms);
  page.timers.push(timer);
}

function errorBanner(error, hint) {
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

// ---------- sign-in and the frame ----------

function signOut(message) {
  sessionStorage.removeItem(KEY_STORAGE);
  session.key = null;
  session.role = null;
  render(message);
}

async function signIn(key) {
  session.key = key;
  try {
    session.status = await get("api/status");
  } catch (error) {
    session.key = null;
    throw error;
  }
  session.role = session.status.role;
  sessionStorage.setItem(KEY_STORAGE, key);
}

function signInPage(message) {
  const key = h("input", { type: "password", autocomplete: "off", required: true, spellcheck: "false" });
  const feedback = h("div", { "aria-live": "polite" }, message ? h("div", { class: "banner warn" }, message) : null);
  const form = h("form", {
    class: "card signin",
    onsubmit: async (event) => {
      event.preventDefault();
      feedback.replaceChildren();
      try {
        await signIn(key.value.trim());
        location.hash = "#/";
        render();
      } catch (error) {
        feedback.replaceChildren(h("div", { class: "banner bad", role: "alert" },
          error.status === 401 ? "That key was not accepted." : error.message));
      }
    },
  },
  h("h1", {}, "Sign in to Interweave"),
  h("p", { class: "muted" }, "Use an API key. An admin key opens the whole console; a creatio key shows the status page only."),
  field("API key", key),
  h("div", { class: "actions", style: "margin-top:14px" }, h("button", { type: "submit" }, "Sign in")),
  feedback);
  return form;
}

const routes = [
  [/^\/?$/, dashboardPage],
  [/^\/connections$/, connectionsPage, true],
  [/^\/flows$/, flowsPage, true],
  [/^\/flows\/([\w-]+)$/, flowPage, true],
  [/^\/runs$/, runsPage, "ops"],
  [/^\/runs\/(\d+)$/, runPage, "ops"],
  [/^\/errors$/, errorsPage, "ops"],
  [/^\/errors\/(\d+)$/, errorPage, "ops"],
  [/^\/audit$/, auditPage, true],
  [/^\/bindings$/, bindingsPage, true],
  [/^\/bindings\/reports\/(\d+)$/, bindingReportPage, true],
  [/^\/keys$/, keysPage, true],
];

async function render(message) {
  page.timers.forEach(clearInterval);
  page = { timers: [], token: page.token + 1 };
  const main = document.getElementById("main");
  const nav = document.getElementById("nav");
  const signOutButton = document.getElementById("sign-out");
  if (session.key && !session.role) {
    try {
      await signIn(session.key);
    } catch {
      return signOut("Your key is no longer accepted; sign in again.");
    }
  }
  if (!session.key) {
    nav.hidden = true;
    signOutButton.hidden = true;
    document.getElementById("who").textContent = "";
    main.replaceChildren(signInPage(message));
    return;
  }
  nav.hidden = false;
  signOutButton.hidden = false;
  document.getElementById("who").textContent = session.role === "admin" ? "Signed in as admin"
    : session.role === "operator" ? "Signed in as operator (read-only; may retry)" : "Signed in with the creatio key (status only)";
  for (const link of nav.querySelectorAll("[data-admin]")) link.hidden = session.role !== "admin";
  for (const link of nav.querySelectorAll("[data-ops]")) link.hidden = !operates();

  const path = location.hash.replace(/^#/, "") || "/";
  const [, build, adminOnly] = routes.find(([pattern]) => pattern.test(path)) ?? routes[0];
  const match = path.match(routes.find(([pattern]) => pattern.test(path))?.[0] ?? /$/) ?? [];
  for (const link of nav.querySelectorAll("a")) {
    const target = link.getAttribute("href").slice(1);
    link.toggleAttribute("aria-current", false);
    if (target === "/" ? path === "/" : path.startsWith(target)) link.setAttribute("aria-current", "page");
  }
  const content = h("div", {});
  main.replaceChildren(content);
  if (adminOnly === "ops" ? !operates() : adminOnly && session.role !== "admin") {
    content.append(h("h1", {}, "Not available"), h("p", {}, "This page needs an admin key."));
    return;
  }
  try {
    await build(content, ...match.slice(1));
  } catch (error) {
    content.append(errorBanner(error));
  }
  main.focus();
}

// ---------- dashboard ----------

/** A connection's health: failing from its first failure after its last success until a call on it succeeds again. */
function connectionCard(name, state) {
  const failing = state?.configured && !!state.failingSince;
  const ok = state?.configured && !failing && !!state.lastSucceededAt;
  return h("section", { class: "card", "aria-label": `${name} connection` },
    h("h2", {}, name),
    !state?.configured ? pill("not configured") : failing ? pill("failing", "bad") : ok ? pill("connected", "ok") : pill("not tested yet"),
    failing ? h("p", { class: "small" }, h("strong", {}, `Failing since ${when(state.failingSince)}`)) : null,
    h("p", { class: "muted small" }, `Last success: ${when(state?.lastSucceededAt)}`),
    state?.lastFailedAt ? h("p", { class: "muted small" }, `Last failure: ${when(state.lastFailedAt)}`) : null,
    state?.lastError ? h("p", { class: "small" }, state.lastError) : null);
}

/** Bars per time bucket (a blue part and a red part on top), as SVG; the caller gives readers the summary in text. */
function bars(buckets, label, summary) {
  const width = 720, height = 160, left = 34, bottom = 22;
  const max = Math.max(1, ...buckets.map((b) => b.written + b.failed));
  const step = (width - left) / buckets.length;
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("class", "chart");
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", summary);
  const add = (name, attributes, text) => {
    const node = document.createElementNS("http://www.w3.org/2000/svg", name);
    for (const [k, v] of Object.entries(attributes)) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = text;
    svg.append(node);
  };
  add("text", { x: 0, y: 12 }, String(max));
  add("text", { x: 0, y: height - bottom }, "0");
  buckets.forEach((b, i) => {
    const scale = (height - bottom - 10) / max;
    const x = left + i * step + 1;
    const written = b.written * scale, fail = b.failed * scale;
    add("rect", { class: "bar", x, y: height - bottom - written, width: Math.max(1, step - 2), height: written });
    add("rect", { class: "bar fail", x, y: height - bottom - written - fail, width: Math.max(1, step - 2), height: fail });
    if (i % Math.ceil(buckets.length / 8) === 0) add("text", { x, y: height - 6 }, label(b.start));
  });
  return svg;
}

/** Counts per time bucket: done in blue, failed in red. */
function barChart(title, buckets, label, noun = "records written") {
  const total = buckets.reduce((s, b) => s + b.written, 0);
  const failed = buckets.reduce((s, b) => s + b.failed, 0);
  const summary = `${total} ${noun}, ${failed} failed`;
  return h("section", { class: "card" }, h("h2", {}, title), bars(buckets, label, `${title}: ${summary}`), h("p", { class: "muted small" }, `${summary}.`));
}

/** One bar per bucket of the metrics' range for a system: value(point) gives its blue and red parts (a missing bucket is zero). */
function metricBars(metrics, count, sizeMs, system, value) {
  return Array.from({ length: count }, (_, i) => {
    const start = new Date(new Date(metrics.from).getTime() + i * sizeMs);
    const point = metrics.calls.find((c) => c.system === system && new Date(c.start).getTime() === start.getTime());
    return { start, ...(point ? value(point) : { written: 0, failed: 0 }) };
  });
}

/** A system's p95 latency per bucket (in ms), with the range's p50 and p95 in words. */
function latencyChart(title, metrics, count, sizeMs, system, label) {
  const points = metricBars(metrics, count, sizeMs, system, (p) => ({ written: p.p95Ms ?? 0, failed: 0 }));
  const whole = metrics.latency.find((l) => l.system === system);
  const summary = whole?.p50Ms == null ? "no requests" : `p50 ${whole.p50Ms} ms, p95 ${whole.p95Ms} ms over ${whole.requests} requests`;
  return h("section", { class: "card" }, h("h2", {}, title), bars(points, label, `${title}: ${summary}`), h("p", { class: "muted small" }, `p95 per bucket, in ms; ${summary}.`));
}

function buckets(runs, count, sizeMs, now) {
  const start = now - count * sizeMs;
  const list = Array.from({ length: count }, (_, i) => ({ start: new Date(start + i * sizeMs), written: 0, failed: 0 }));
  for (const run of runs) {
    const at = new Date(run.startedAt).getTime();
    if (at < start || at > now) continue;
    const bucket = list[Math.min(count - 1, Math.floor((at - start) / sizeMs))];
    bucket.written += run.createdCount + run.updatedCount;
    bucket.failed += run.failedCount;
  }
  return list;
}

async function dashboardPage(root) {
  const status = await get("api/status");
  session.status = status;
  root.append(h("h1", {}, "Dashboard"),
    h("div", { class: "cards" }, connectionCard("Intacct", status.intacct), connectionCard("Creatio", status.creatio),
      h("section", { class: "card" }, h("h2", {}, "Sidecar"), h("p", {}, `Version ${status.version}`), h("p", { class: "muted small" }, `Store: ${status.store}`))));
  if (!operates()) return;

  const [errors, runs, flows, day, month] = await Promise.all([get("api/errors?status=open"), get("api/runs?limit=500"), get("api/flows"),
    get("api/metrics?range=24h"), get("api/metrics?range=30d")]);
  const now = Date.now();
  const dayAgo = now - 24 * 3600e3;
  const recent = runs.filter((r) => new Date(r.startedAt).getTime() >= dayAgo);
  root.append(h("div", { class: "cards" },
    h("section", { class: "card" }, h("h2", {}, "Open errors"), h("div", { class: "metric" }, String(errors.length)), h("a", { href: "#/errors" }, "Open the error queue")),
    h("section", { class: "card" }, h("h2", {}, "Runs, last 24 hours"), h("div", { class: "metric" }, String(recent.length)),
      h("p", { class: "muted small" }, `${recent.filter((r) => r.state === "failed").length} failed, ${recent.filter((r) => r.state === "completedWithErrors").length} completed with errors, ${recent.filter((r) => r.state === "running").length} running`)),
    h("section", { class: "card" }, h("h2", {}, "Flows"), h("div", { class: "metric" }, String(flows.filter((f) => f.enabled).length)),
      h("p", { class: "muted small" }, `enabled of ${flows.length}`))));
  const ms = (value) => value == null ? "—" : value >= 1000 ? `${(value / 1000).toFixed(1)} s` : `${value} ms`;
  const latency = (metrics, system) => metrics.latency.find((l) => l.system === system);
  const budget = day.intacctMonthlyBudget;
  const used = day.intacctFunctionsThisMonth;
  root.append(h("div", { class: "cards" },
    h("section", { class: "card", "aria-label": "Intacct API calls this month" }, h("h2", {}, "Intacct API calls this month"),
      h("div", { class: "metric" }, used.toLocaleString()),
      h("p", { class: "muted small" }, "Functions sent since the 1st (UTC); many travel in one request."),
      budget ? [
        h("div", { class: "progress", role: "progressbar", "aria-label": "Share of the monthly budget used", "aria-valuemin": "0", "aria-valuemax": "100",
          "aria-valuenow": String(Math.min(100, Math.round((100 * used) / budget))) }, h("div", { style: `width:${Math.min(100, (100 * used) / budget)}%` })),
        h("p", { class: "muted small" }, `of a monthly budget of ${budget.toLocaleString()} (${((100 * used) / budget).toFixed(1)} %)`)]
        : h("p", { class: "muted small" }, "No monthly budget set (Interweave:Intacct:MonthlyCallBudget).")),
    ...["intacct", "creatio"].map((system) => h("section", { class: "card", "aria-label": `${system} latency` },
      h("h2", {}, `${system === "intacct" ? "Intacct" : "Creatio"} latency`),
      h("p", {}, `24 hours: p50 ${ms(latency(day, system)?.p50Ms)}, p95 ${ms(latency(day, system)?.p95Ms)}`),
      h("p", {}, `30 days: p50 ${ms(latency(month, system)?.p50Ms)}, p95 ${ms(latency(month, system)?.p95Ms)}`),
      h("p", { class: "muted small" }, `${latency(day, system)?.requests ?? 0} requests in 24 hours, ${latency(day, system)?.failures ?? 0} failed`)))));
  const requests = metricBars(day, 24, 3600e3, "intacct", (p) => ({ written: p.requests - p.failures, failed: p.failures }));
  root.append(barChart("Intacct requests per hour, last 24 hours", requests, (d) => `${String(d.getHours()).padStart(2, "0")}h`, "requests"));
  for (const system of ["intacct", "creatio"]) {
    const name = system === "intacct" ? "Intacct" : "Creatio";
    root.append(latencyChart(`${name} latency per hour, last 24 hours`, day, 24, 3600e3, system, (d) => `${String(d.getHours()).padStart(2, "0")}h`));
    root.append(latencyChart(`${name} latency per day, last 30 days`, month, 30, 24 * 3600e3, system, (d) => `${d.getDate()}/${d.getMonth() + 1}`));
  }
  root.append(barChart("Records synced per hour, last 24 hours", buckets(runs, 24, 3600e3, now), (d) => `${String(d.getHours()).padStart(2, "0")}h`));
  root.append(barChart("Records synced per day, last 30 days", buckets(runs, 30, 24 * 3600e3, now), (d) => `${d.getDate()}/${d.getMonth() + 1}`));
  const perFlow = new Map();
  for (const run of recent) perFlow.set(run.flowId, (perFlow.get(run.flowId) ?? 0) + run.createdCount + run.updatedCount);
  root.append(h("section", { class: "card" }, h("h2", {}, "Records synced per flow, last 24 hours"),
    h("div", { class: "table-wrap", tabindex: "0" }, h("table", {},
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Flow"), h("th", { scope: "col", class: "num" }, "Records"))),
      h("tbody", {}, flows.map((f) => h("tr", {}, h("td", {}, f.name), h("td", { class: "num" }, String(perFlow.get(f.id) ?? 0)))))))));
}

// ---------- connections ----------

const SECRET_MASK = "********";

function secretInput(stored) {
  return h("input", { type: "password", autocomplete: "new-password", placeholder: stored ? "unchanged" : "" });
}

async function loadOrNull(path) {
  try {
    return await get(path);
  } catch (error) {
    if (error.status === 404) return null;
    throw error;
  }
}

function testResultBanner(result) {
  return h("div", { class: "banner ok", role: "status" }, h("strong", {}, `Connected to ${result.target}`),
    h("p", {}, `${result.message} User: ${result.user}${result.entityId ? `, entity ${result.entityId}` : ""}.`));
}

async function connectionsPage(root) {
  root.append(h("h1", {}, "Connections"));
  const [intacct, creatio] = await Promise.all([loadOrNull("api/connections/intacct"), loadOrNull("api/connections/creatio")]);
  root.append(intacctForm(intacct), creatioForm(creatio));
}

function intacctForm(stored) {
  const inputs = {
    companyId: h("input", { value: stored?.companyId ?? "", autocomplete: "off" }),
    senderId: h("input", { value: stored?.senderId ?? "", autocomplete: "off" }),
    senderPassword: secretInput(stored?.senderPassword === SECRET_MASK),
    userId: h("input", { value: stored?.userId ?? "", autocomplete: "off" }),
    userPassword: secretInput(stored?.userPassword === SECRET_MASK),
    entityId: h("input", { value: stored?.entityId ?? "", autocomplete: "off" }),
    endpointUrl: h("input", { value: stored?.endpointUrl ?? "https://api.intacct.com/ia/xml/xmlgw.phtml", type: "url" }),
  };
  const result = h("div", { "aria-live": "polite" });
  const hint = "In Intacct: Company > Setup > Company > Security for the Web Services authorizations (sender ids), and the web services user under Company > Admin > Web Services users.";
  const request = () => ({
    companyId: inputs.companyId.value, senderId: inputs.senderId.value, senderPassword: inputs.senderPassword.value || null,
    userId: inputs.userId.value, userPassword: inputs.userPassword.value || null, entityId: inputs.entityId.value || null,
    endpointUrl: inputs.endpointUrl.value || null,
  });
  const form = h("form", {
    class: "grid",
    "aria-label": "Intacct connection",
    onsubmit: async (event) => {
      event.preventDefault();
      result.replaceChildren(h("p", { class: "muted" }, "Signing in to Intacct…"));
      try {
        await api("PUT", "api/connections/intacct", request());
        const test = (await api("POST", "api/connections/intacct/test")).data;
        result.replaceChildren(testResultBanner(test));
        for (const secret of [inputs.senderPassword, inputs.userPassword]) { secret.value = ""; secret.placeholder = "unchanged"; }
      } catch (error) {
        result.replaceChildren(errorBanner(error, hint));
      }
    },
  },
  field("Company ID", inputs.companyId), field("Sender ID", inputs.senderId), field("Sender password", inputs.senderPassword),
  field("User ID", inputs.userId), field("User password", inputs.userPassword),
  field("Entity or location ID", inputs.entityId, "Leave empty to work at the top level."),
  field("Endpoint URL", inputs.endpointUrl),
  h("div", { class: "form-actions actions" }, h("button", { type: "submit" }, "Save and test"),
    stored ? h("button", { type: "button", class: "ghost", onclick: () => testStored("intacct", result, hint) }, "Test") : null));
  return h("section", { class: "card" }, h("h2", {}, "Sage Intacct"), form, result);
}

async function testStored(system, result, hint) {
  result.replaceChildren(h("p", { class: "muted" }, "Testing…"));
  try {
    result.replaceChildren(testResultBanner((await api("POST", `api/connections/${system}/test`)).data));
  } catch (error) {
    result.replaceChildren(errorBanner(error, hint));
  }
}

function creatioForm(stored) {
  const inputs = {
    baseUrl: h("input", { value: stored?.baseUrl ?? "", type: "url", placeholder: "https://yoursite.creatio.com" }),
    authMode: h("select", {}, h("option", { value: "forms" }, "User name and password"), h("option", { value: "oauth" }, "OAuth 2.0 client credentials")),
    userName: h("input", { value: stored?.userName ?? "", autocomplete: "off" }),
    password: secretInput(stored?.password === SECRET_MASK),
    clientId: h("input", { value: stored?.clientId ?? "", autocomplete: "off" }),
    clientSecret: secretInput(stored?.clientSecret === SECRET_MASK),
    identityUrl: h("input", { value: stored?.identityUrl ?? "", type: "url" }),
  };
  inputs.authMode.value = stored?.authMode ?? "forms";
  const formsFields = [field("User name", inputs.userName), field("Password", inputs.password)];
  const oauthFields = [field("Client ID", inputs.clientId), field("Client secret", inputs.clientSecret),
    field("Identity service URL", inputs.identityUrl, "Creatio's identity service, such as https://yoursite-is.creatio.com.")];
  const showMode = () => {
    for (const f of formsFields) f.hidden = inputs.authMode.value !== "forms";
    for (const f of oauthFields) f.hidden = inputs.authMode.value !== "oauth";
  };
  inputs.authMode.addEventListener("change", showMode);
  showMode();
  const result = h("div", { "aria-live": "polite" });
  const hint = "In Creatio: System Designer > Users and roles for the integration user, or OAuth integrated applications for a client.";
  const form = h("form", {
    class: "grid",
    "aria-label": "Creatio connection",
    onsubmit: async (event) => {
      event.preventDefault();
      result.replaceChildren(h("p", { class: "muted" }, "Signing in to Creatio…"));
      const forms = inputs.authMode.value === "forms";
      try {
        await api("PUT", "api/connections/creatio", {
          baseUrl: inputs.baseUrl.value, authMode: inputs.authMode.value,
          userName: forms ? inputs.userName.value : null, password: forms ? inputs.password.value || null : null,
          clientId: forms ? null : inputs.clientId.value, clientSecret: forms ? null : inputs.clientSecret.value || null,
          identityUrl: forms ? null : inputs.identityUrl.value || null,
        });
        result.replaceChildren(testResultBanner((await api("POST", "api/connections/creatio/test")).data));
        for (const secret of [inputs.password, inputs.clientSecret]) { secret.value = ""; secret.placeholder = "unchanged"; }
      } catch (error) {
        result.replaceChildren(errorBanner(error, hint));
      }
    },
  },
  field("Site URL", inputs.baseUrl), field("Sign-in", inputs.authMode), formsFields, oauthFields,
  h("div", { class: "form-actions actions" }, h("button", { type: "submit" }, "Save and test"),
    stored ? h("button", { type: "button", class: "ghost", onclick: () => testStored("creatio", result, hint) }, "Test") : null));
  return h("section", { class: "card" }, h("h2", {}, "Creatio"), form, result);
}

// ---------- flows and runs ----------

/** A cron expression (Quartz, seconds first, UTC) in words where it has a common shape. */
function describeSchedule(cron) {
  if (!cron) return "manual runs only";
  const parts = cron.trim().split(/\s+/);
  if (parts.length < 6) return "not a valid schedule";
  const [sec, min, hour, dom, month, dow] = parts;
  const daily = dom === "*" || dom === "?" ? (dow === "*" || dow === "?") : false;
  let m;
  if (sec === "0" && (m = min.match(/^(\d+)\/(\d+)$/)) && hour === "*" && daily && month === "*")
    return `every ${m[2]} minutes${m[1] !== "0" ? `, from minute ${m[1]}` : ""} (UTC)`;
  if (sec === "0" && min === "0" && (m = hour.match(/^(\d+)\/(\d+)$/)) && daily && month === "*")
    return `every ${m[2]} hours${m[1] !== "0" ? `, from ${m[1]}:00` : ""} (UTC)`;
  if (sec === "0" && /^\d+$/.test(min) && /^\d+$/.test(hour) && daily && month === "*")
    return `every day at ${hour.padStart(2, "0")}:${min.padStart(2, "0")} UTC`;
  if (sec === "0" && /^\d+$/.test(min) && hour === "*" && daily && month === "*") return `every hour at minute ${min} (UTC)`;
  return `cron ${cron} (UTC)`;
}

function runProgress(run) {
  const done = run.state !== "running";
  const total = run.totalCount;
  const percent = done ? 100 : total ? Math.min(99, Math.floor((100 * run.readCount) / Math.max(1, total))) : 0;
  const written = run.createdCount + run.updatedCount;
  const seconds = Math.max(1, ((run.finishedAt ? new Date(run.finishedAt) : new Date()) - new Date(run.startedAt)) / 1000);
  const rate = run.readCount / seconds;
  const left = !done && total && rate > 0 ? Math.ceil((total - run.readCount) / rate) : null;
  const counted = total != null ? `${run.readCount} of ${total} read` : `${run.readCount} read`;
  return h("div", { class: "run-progress" },
    h("div", { class: "progress", role: "progressbar", "aria-label": `Run ${run.id}`, "aria-valuemin": "0", "aria-valuemax": "100", "aria-valuenow": String(percent),
      "aria-valuetext": done ? `${stateWords(run.state)}, 100%` : `${percent}%, ${counted}` },
      h("div", { style: `width:${done ? 100 : total ? percent : Math.min(95, 5 + run.readCount / 10)}%` })),
    h("p", { class: "small", "data-state": run.state }, statePill(run.state),
      ` ${done ? "100%" : `${percent}%`} · ${counted} · ${written} written · ${run.unchangedCount} unchanged · ${run.failedCount} failed · ${rate.toFixed(1)} records/s`,
      left != null ? ` · about ${left} s left` : "",
      run.error ? h("span", { class: "muted" }, ` — ${run.error}`) : null));
}

/** Follows a run once a second until it ends, redrawing its progress in place; then calls ended(). */
function followRun(location, slot, ended = () => {}) {
  const path = location.replace(/^\//, "");
  const draw = async () => {
    const run = await get(path);
    slot.replaceChildren(runProgress(run));
    return run.state !== "running";
  };
  draw().then((done) => {
    if (done) return ended();
    const token = page.token;
    const timer = setInterval(async () => {
      if (page.token !== token) return clearInterval(timer);
      if (await draw()) { clearInterval(timer); ended(); }
    }, 1000);
    page.timers.push(timer);
  }, ended);
}

async function flowsPage(root) {
  const [flows, runs] = await Promise.all([get("api/flows"), get("api/runs?limit=500")]);
  const lastRun = new Map();
  for (const run of runs) if (!lastRun.has(run.flowId)) lastRun.set(run.flowId, run);
  root.append(h("h1", {}, "Flows"));
  const rows = flows.map((flow) => {
    const progress = h("div", { "aria-live": "polite" });
    const last = lastRun.get(flow.id);
    let busy = false; // from a Run now click until its run ends
    const idle = () => { busy = false; buttonCell.replaceChildren(button()); };
    const enabled = h("input", {
      type: "checkbox", checked: flow.enabled, "aria-label": `${flow.name} enabled`,
      onchange: async () => {
        try {
          await api("PUT", `api/flows/${flow.id}`, { enabled: enabled.checked });
          flow.enabled = enabled.checked;
          toast(enabled.checked ? `${flow.name} turned on.`
            : `${flow.name} turned off: ${flow.kind === "action" ? "its button is refused" : "no schedule, run or retry of it happens"} until it is turned on again.`);
          buttonCell.replaceChildren(button());
        } catch (error) {
          enabled.checked = !enabled.checked;
          toast(error.message);
        }
      },
    });
    const buttonCell = h("td", {});
    // Disabled from the click until the run ends: a double click starts one run (the sidecar also refuses a second
    // start while one runs, naming the run under way, which is followed instead).
    const button = () => flow.kind === "action" ? h("span", { class: "muted small" }, flow.enabled ? "runs from the button" : "turned off: the button is refused")
      : h("button", {
        type: "button", class: "ghost", "aria-label": `Run now: ${flow.name}`, disabled: busy, "aria-busy": busy ? "true" : null,
        onclick: async (event) => {
          busy = true;
          event.currentTarget.disabled = true;
          event.currentTarget.setAttribute("aria-busy", "true");
          try {
            const started = await api("POST", `api/flows/${flow.id}/runs`);
            followRun(started.location, progress, idle);
          } catch (error) {
            if (error.status === 409 && error.body?.runId) followRun(`api/runs/${error.body.runId}`, progress, idle);
            else { progress.replaceChildren(errorBanner(error)); idle(); }
          }
        },
      }, "Run now");
    if (last?.state === "running") { busy = true; followRun(`api/runs/${last.id}`, progress, idle); }
    buttonCell.append(button());
    return h("tr", { "data-flow": flow.id },
      h("td", {}, h("a", { href: `#/flows/${flow.id}` }, flow.name), h("div", { class: "muted small" }, flow.id), progress),
      h("td", {}, enabled),
      h("td", {}, describeSchedule(flow.schedule)),
      h("td", {}, last ? [statePill(last.state), h("div", { class: "muted small" }, when(last.startedAt))] : "never"),
      h("td", {}, flow.nextRunAt ? when(flow.nextRunAt)
        : h("span", { class: "muted" }, !flow.enabled ? "turned off" : !flow.schedule ? "—" : "schedules are off (Interweave:Flows:SchedulerEnabled)")),
      buttonCell);
  });
  root.append(h("section", { class: "card" }, h("div", { class: "table-wrap", tabindex: "0" }, h("table", {},
    h("thead", {}, h("tr", {}, ["Flow", "Enabled", "Schedule", "Last run", "Next run", ""].map((t) => h("th", { scope: "col" }, t)))),
    h("tbody", {}, rows)))));
  root.append(await bulkLoadCard());
}

async function bulkLoadCard() {
  const card = h("section", { class: "card", "aria-label": "Bulk history load" }, h("h2", {}, "Bulk history load"));
  const slot = h("div", { "aria-live": "polite" });
  const from = h("input", { type: "date" });
  const to = h("input", { type: "date" });
  let shown = null;
  const draw = (load) => {
    shown = load;
    if (!load) return slot.replaceChildren(h("p", { class: "muted" }, "No load yet."));
    const percent = load.total ? Math.round((100 * load.done) / load.total) : 0;
    const act = (verb) => h("button", {
      type: "button", class: "ghost",
      onclick: async () => { try { draw((await api("POST", `api/bulk-loads/${load.id}/${verb}`)).data); } catch (error) { toast(error.message); } },
    }, verb[0].toUpperCase() + verb.slice(1));
    slot.replaceChildren(
      h("p", {}, pill(load.state), ` ${load.from} to ${load.to} · step ${load.currentStep ?? "—"}`),
      h("div", { class: "progress", role: "progressbar", "aria-label": "Bulk load", "aria-valuemin": "0", "aria-valuemax": "100", "aria-valuenow": String(percent) },
        h("div", { style: `width:${percent}%` })),
      h("p", { class: "small" }, `${load.done} of ${load.total} (${percent}%) · ${load.recordsPerSecond?.toFixed?.(1) ?? 0} records/s · ${load.secondsLeft != null ? `about ${Math.ceil(load.secondsLeft)} s left` : ""} · ${load.failed} failed`),
      h("div", { class: "actions" }, load.state === "running" ? act("pause") : null, load.state === "paused" ? act("resume") : null,
        ["running", "paused"].includes(load.state) ? act("cancel") : null));
  };
  const loads = await get("api/bulk-loads?limit=1");
  draw(loads[0]);
  // Followed once a second while one is under way (or paused); an idle page asks nothing.
  every(1000, async () => {
    if (!shown || !["running", "paused"].includes(shown.state)) return;
    draw((await get(`api/bulk-loads/${shown.id}`)) ?? shown);
  });
  card.append(h("p", { class: "muted" }, "Loads the customers and items, then the invoices, credit memos and payments of a period, in that order."),
    h("form", {
      class: "grid",
      onsubmit: async (event) => {
        event.preventDefault();
        try {
          draw((await api("POST", "api/bulk-loads", { from: from.value || null, to: to.value || null })).data);
        } catch (error) {
          slot.replaceChildren(errorBanner(error));
        }
      },
    }, field("From", from, "Empty: 1 January of the prior year."), field("To", to, "Empty: today."),
    h("div", { class: "form-actions" }, h("button", { type: "submit" }, "Start a load"))), slot);
  return card;
}

const FIELD_TYPES = ["text", "decimal", "int", "date", "datetime", "guid", "bool"];

async function flowPage(root, flowId) {
  const flow = await get(`api/flows/${flowId}`);
  root.append(h("p", {}, h("a", { href: "#/flows" }, "← Flows")), h("h1", {}, flow.name), h("p", { class: "muted" }, flow.description));
  const feedback = h("div", { "aria-live": "polite" });
  const schedule = h("input", { value: flow.schedule ?? "", "aria-describedby": "schedule-preview" });
  const preview = h("span", { id: "schedule-preview", class: "muted small" }, describeSchedule(flow.schedule));
  schedule.addEventListener("input", () => { preview.textContent = describeSchedule(schedule.value); });

  const mappingBody = h("tbody", {});
  const addMappingRow = (m = {}) => {
    const cells = {
      target: h("input", { value: m.target ?? "", "aria-label": "Target field", list: "target-fields" }),
      source: h("input", { value: m.source ?? "", "aria-label": "Source field", list: "source-fields" }),
      constant: h("input", { value: m.constant ?? "", "aria-label": "Constant" }),
      type: h("select", { "aria-label": "Type" }, FIELD_TYPES.map((t) => h("option", { value: t }, t))),
      systemOfRecord: h("select", { "aria-label": "System of record" }, h("option", { value: "" }, "either"), h("option", { value: "intacct" }, "Intacct"), h("option", { value: "creatio" }, "Creatio")),
      required: h("input", { type: "checkbox", checked: !!m.required, "aria-label": "Required" }),
    };
    cells.type.value = m.type ?? "text";
    cells.systemOfRecord.value = m.systemOfRecord ?? "";
    const row = h("tr", {}, Object.values(cells).map((c) => h("td", {}, c)),
      h("td", {}, h("button", { type: "button", class: "ghost", "aria-label": `Remove mapping of ${m.target ?? "new field"}`, onclick: () => row.remove() }, "Remove")));
    // What the form cannot edit (several sources, value maps, lookups) travels with the row unchanged.
    row.mapping = () => ({
      ...m, target: cells.target.value, source: cells.source.value || null, constant: cells.constant.value || null, type: cells.type.value,
      systemOfRecord: cells.systemOfRecord.value || null, required: cells.required.checked,
    });
    mappingBody.append(row);
  };
  flow.mapping.forEach(addMappingRow);

  const filterBody = h("tbody", {});
  const addFilterRow = (f = {}) => {
    const cells = {
      field: h("input", { value: f.field ?? "", "aria-label": "Filter field" }),
      op: h("select", { "aria-label": "Operator" }, h("option", { value: "equals" }, "equals"), h("option", { value: "notEquals" }, "does not equal")),
      value: h("input", { value: f.value ?? "", "aria-label": "Filter value" }),
    };
    cells.op.value = f.op ?? "equals";
    const row = h("tr", {}, Object.values(cells).map((c) => h("td", {}, c)), h("td", {}, h("button", { type: "button", class: "ghost", onclick: () => row.remove() }, "Remove")));
    row.filter = () => ({ field: cells.field.value, op: cells.op.value, value: cells.value.value });
    filterBody.append(row);
  };
  flow.filter.forEach(addFilterRow);

  const settings = Object.entries(flow.settings).map(([key, value]) => [key, h("input", { value })]);
  const known = (side) => [...new Set(flow.mapping.map((m) => side === "target" ? m.target : m.source).filter(Boolean))];
  const targetList = h("datalist", { id: "target-fields" }, known("target").map((v) => h("option", { value: v })));
  const sourceList = h("datalist", { id: "source-fields" }, known("source").map((v) => h("option", { value: v })));
  const fieldsNote = h("p", { class: "muted small", "aria-live": "polite" }, `Reading the fields of ${flow.source.object} and ${flow.target.object}…`);
  // The systems' own field lists (Intacct's lookup, Creatio's $metadata), custom fields included, as suggestions.
  api("GET", `api/flows/${flow.id}/fields`).then(({ data }) => {
    const options = (fields) => fields.map((f) => h("option", { value: f.name, label: `${f.name} · ${f.type}${f.custom ? " · custom" : ""}${f.readOnly ? " · read-only" : ""}` }));
    sourceList.replaceChildren(...options(data.source));
    targetList.replaceChildren(...options(data.target));
    fieldsNote.textContent = `${data.source.length} ${flow.source.system} fields of ${flow.source.object} (${data.source.filter((f) => f.custom).length} custom) and ${data.target.length} ${flow.target.system} fields of ${flow.target.object} are offered as you type.`;
  }, (error) => { fieldsNote.textContent = `The field lists could not be read: ${error.message}`; });
  root.append(targetList, sourceList,
    h("form", {
      onsubmit: async (event) => {
        event.preventDefault();
        feedback.replaceChildren();
        for (const note of root.querySelectorAll(".row-error")) note.remove();
        for (const row of root.querySelectorAll("tr.invalid")) row.classList.remove("invalid");
        for (const input of root.querySelectorAll("tr [aria-invalid]")) input.removeAttribute("aria-invalid");
        const mappingRows = [...mappingBody.children].filter((r) => r.mapping);
        const filterRows = [...filterBody.children].filter((r) => r.filter);
        try {
          await api("PUT", `api/flows/${flow.id}`, {
            schedule: schedule.value,
            settings: Object.fromEntries(settings.map(([k, input]) => [k, input.value])),
            mapping: mappingRows.map((r) => r.mapping()),
            filter: filterRows.map((r) => r.filter()),
          });
          feedback.replaceChildren(h("div", { class: "banner ok", role: "status" }, "Saved."));
        } catch (error) {
          feedback.replaceChildren(errorBanner(error));
          // Each refusal also under the row it is about (mapping[2].type, filter[0].value), where the admin fixes it.
          for (const [key, messages] of Object.entries(error.body?.errors ?? {})) {
            const match = key.match(/^(mapping|filter)\[(\d+)\]/);
            const row = match && (match[1] === "mapping" ? mappingRows : filterRows)[Number(match[2])];
            if (!row) continue;
            row.classList.add("invalid");
            for (const input of row.querySelectorAll("input, select")) input.setAttribute("aria-invalid", "true");
            row.after(h("tr", { class: "row-error" }, h("td", { colspan: "8", class: "error" }, `${key}: ${[].concat(messages).join(" ")}`)));
          }
        }
      },
    },
    h("section", { class: "card" }, h("h2", {}, "Schedule"), field("Quartz cron expression (UTC, seconds first)", schedule), preview,
      h("p", { class: "muted small" }, `Source: ${flow.source.system} ${flow.source.object} · Target: ${flow.target.system} ${flow.target.object}`)),
    h("section", { class: "card" }, h("h2", {}, "Mapping"), fieldsNote,
      h("div", { class: "table-wrap", tabindex: "0" }, h("table", {}, h("thead", {}, h("tr", {}, ["Target", "Source", "Constant", "Type", "System of record", "Required", ""].map((t) => h("th", { scope: "col" }, t)))), mappingBody)),
      h("div", { class: "actions", style: "margin-top:10px" }, h("button", { type: "button", class: "ghost", onclick: () => addMappingRow() }, "Add a field"))),
    h("section", { class: "card" }, h("h2", {}, "Filter"),
      h("div", { class: "banner warn" }, "A filter is not retroactive: it decides which records the next runs read. Records synced before stay as they are, and a record that stops matching is no longer updated."),
      h("div", { class: "table-wrap", tabindex: "0" }, h("table", {}, h("thead", {}, h("tr", {}, ["Field", "Operator", "Value", ""].map((t) => h("th", { scope: "col" }, t)))), filterBody)),
      h("div", { class: "actions", style: "margin-top:10px" }, h("button", { type: "button", class: "ghost", onclick: () => addFilterRow() }, "Add a condition"))),
    settings.length ? h("section", { class: "card" }, h("h2", {}, "Settings"), h("div", { class: "grid" }, settings.map(([k, input]) => field(k, input)))) : null,
    h("div", { class: "actions" }, h("button", { type: "submit" }, "Save the flow")),
    feedback));
}

async function runsPage(root) {
  const flows = await get("api/flows");
  const flowSelect = h("select", {}, h("option", { value: "" }, "All flows"), flows.map((f) => h("option", { value: f.id }, f.name)));
  const body = h("tbody", {});
  const load = async () => {
    const runs = await get(`api/runs?limit=200${flowSelect.value ? `&flowId=${encodeURIComponent(flowSelect.value)}` : ""}`);
    body.replaceChildren(...runs.map((r) => h("tr", {},
      h("td", {}, h("a", { href: `#/runs/${r.id}` }, `#${r.id}`)), h("td", {}, r.flowId), h("td", {}, statePill(r.state)), h("td", {}, r.trigger),
      h("td", {}, when(r.startedAt)), h("td", { class: "num" }, String(r.readCount)), h("td", { class: "num" }, String(r.createdCount)),
      h("td", { class: "num" }, String(r.updatedCount)), h("td", { class: "num" }, String(r.failedCount)))));
  };
  flowSelect.addEventListener("change", load);
  await load();
  every(3000, load);
  root.append(h("h1", {}, "Runs"), h("div", { class: "card" }, field("Flow", flowSelect)),
    h("section", { class: "card" }, h("div", { class: "table-wrap", tabindex: "0" }, h("table", {},
      h("thead", {}, h("tr", {}, ["Run", "Flow", "State", "Trigger", "Started", "Read", "Created", "Updated", "Failed"].map((t, i) => h("th", { scope: "col", class: i >= 5 ? "num" : "" }, t)))),
      body))));
}

/** The fields a run wrote, one line each: "Phone: +1 555 0100 → +1 555 0202" (old values of a created record are left out). */
function changesCell(changes) {
  if (!changes?.length) return h("td", {}, "");
  return h("td", {}, h("ul", { class: "changes" }, changes.map((c) => h("li", {}, h("span", { class: "field" }, `${c.field}: `),
    c.old == null ? "" : h("del", {}, c.old === "" ? "(empty)" : c.old), c.old == null ? "" : " → ", h("ins", {}, c.new == null || c.new === "" ? "(empty)" : c.new)))));
}

async function runPage(root, runId) {
  const [run, records] = await Promise.all([get(`api/runs/${runId}`), get(`api/runs/${runId}/records`)]);
  const outcome = h("select", {}, h("option", { value: "" }, "All outcomes"), ["created", "updated", "unchanged", "failed"].map((a) => h("option", { value: a }, a)));
  const search = h("input", { type: "search", placeholder: "Record id, name or text" });
  const body = h("tbody", {});
  const draw = () => {
    const text = search.value.trim().toLowerCase();
    const shown = records.filter((r) => (!outcome.value || r.action === outcome.value)
      && (!text || [r.sourceKey, r.targetKey, r.label, r.error, ...(r.changes ?? []).flatMap((c) => [c.field, c.old, c.new])]
        .some((v) => (v ?? "").toLowerCase().includes(text))));
    body.replaceChildren(...shown.map((r) => h("tr", {}, h("td", {}, r.label ?? ""), h("td", {}, r.sourceKey), h("td", {}, r.targetKey ?? "—"), h("td", {}, pill(r.action)),
      changesCell(r.changes), h("td", {}, r.error ?? ""), h("td", {}, when(r.at)))));
  };
  outcome.addEventListener("change", draw);
  search.addEventListener("input", draw);
  draw();
  const progress = h("div", { "aria-live": "polite" }, runProgress(run));
  if (run.state === "running") followRun(`api/runs/${run.id}`, progress);
  root.append(h("p", {}, h("a", { href: "#/runs" }, "← Runs")), h("h1", {}, `Run #${run.id} of ${run.flowId}`), progress,
    h("div", { class: "card grid", style: "display:grid" }, field("Outcome", outcome), field("Search", search)),
    h("section", { class: "card" }, h("div", { class: "table-wrap", tabindex: "0" }, h("table", {},
      h("thead", {}, h("tr", {}, ["Name", "Source record", "Target record", "Outcome", "Changes", "Error", "At"].map((t) => h("th", { scope: "col" }, t)))), body))));
}

// ---------- error queue ----------

/** Errors with the same cause: the flow, the system, Intacct's error number (or the kind of failure) and the hint. */
function rootCause(error) { return [error.flowId, error.system, error.errorNo || error.errorKind, error.hint ?? ""].join("|"); }

/** Conflicts on the same field between the same flows: "Phone changed in both systems". */
function conflictCause(conflict) { return [conflict.pullFlowId, conflict.pushFlowId, conflict.creatioField].join("|"); }

/** Fields Creatio and Intacct both changed, grouped by field; each resolved by keeping one side's value. */
async function conflictsSection(list) {
  const keep = async (conflict, side) => {
    try {
      await api("POST", `api/conflicts/${conflict.id}/resolve`, { keep: side });
      toast(`Kept ${side === "creatio" ? "Creatio's" : "Intacct's"} ${conflict.creatioField} for ${conflict.recordLabel ?? conflict.creatioId}.`);
    } catch (e) { toast(e.message); }
    await draw();
  };
  const value = (v) => (v == null || v === "" ? h("span", { class: "muted" }, "(empty)") : v);
  const draw = async () => {
    const conflicts = await get("api/conflicts?status=open");
    const groups = new Map();
    for (const c of conflicts) groups.set(conflictCause(c), [...(groups.get(conflictCause(c)) ?? []), c]);
    list.replaceChildren(...[...groups.values()].map((group) => {
      const first = group[0];
      const title = `${first.creatioField} changed in both systems`;
      return h("section", { class: "group", "aria-label": title },
        h("div", { class: "group-head" },
          h("div", {}, h("h2", {}, title, " ", pill(String(group.length), "open")),
            h("p", {}, `Creatio's ${first.creatioField} and Intacct's ${first.intacctField} were both changed since they were last synced (${first.pullFlowId} ⇄ ${first.pushFlowId}). Neither is written until you keep one; the other system then gets it.`))),
        h("div", { class: "table-wrap", tabindex: "0" }, h("table", {},
          h("thead", {}, h("tr", {}, ["Record", "Creatio", "Intacct", "Last synced", "Last seen", ""].map((t) => h("th", { scope: "col" }, t)))),
          h("tbody", {}, group.map((c) => h("tr", {},
            h("td", {}, c.recordLabel ?? c.creatioId, h("div", { class: "muted small" }, `${c.creatioId} · ${c.intacctId}`)),
            h("td", {}, value(c.creatioValue)), h("td", {}, value(c.intacctValue)), h("td", {}, value(c.syncedValue)), h("td", {}, when(c.lastSeenAt)),
            h("td", {}, h("div", { class: "actions" },
              h("button", { type: "button", "aria-label": `Keep Creatio's ${c.creatioField} for ${c.recordLabel ?? c.creatioId}`, onclick: () => keep(c, "creatio") }, "Keep Creatio's"),
              h("button", { type: "button", "aria-label": `Keep Intacct's ${c.creatioField} for ${c.recordLabel ?? c.creatioId}`, onclick: () => keep(c, "intacct") }, "Keep Intacct's")))))))));
    }));
  };
  await draw();
}

async function errorsPage(root) {
  root.append(h("h1", {}, "Error queue"));
  const conflicts = h("div", {});
  const list = h("div", {});
  root.append(conflicts, list);
  await conflictsSection(conflicts);
  // A retry says how it came out (fixed or failing still), never only that it ran; buttons wait while it works.
  const act = async (errors, verb, button) => {
    const buttons = [...list.querySelectorAll("button")];
    for (const b of buttons) b.disabled = true;
    if (button) button.setAttribute("aria-busy", "true");
    try {
      if (verb === "retry") {
        const report = (await api("POST", "api/errors/retry", { ids: errors.map((e) => e.id) })).data;
        toast(`Retried ${report.retried}: ${report.resolved} fixed, ${report.stillFailing} still failing${report.notRetried.length ? `, ${report.notRetried.length} already closed` : ""}.`);
      } else {
        let failed = 0;
        for (const error of errors) {
          try { await api("POST", `api/errors/${error.id}/dismiss`); } catch { failed++; }
        }
        toast(`Dismissed ${errors.length - failed} of ${errors.length}.`);
      }
    } catch (error) {
      toast(error.message);
    }
    await draw();
  };
  const draw = async () => {
    const errors = await get("api/errors?status=open");
    if (errors.length === 0) return list.replaceChildren(h("div", { class: "banner ok" }, "No open errors."));
    const groups = new Map();
    for (const error of errors) groups.set(rootCause(error), [...(groups.get(rootCause(error)) ?? []), error]);
    list.replaceChildren(...[...groups.values()].map((group) => {
      const first = group[0];
      const title = first.scope === "run" ? `The run of ${first.flowId} stopped: ${first.system}`
        : `${first.errorNo ? `Intacct ${first.errorNo}` : first.errorKind} in ${first.flowId}`;
      return h("section", { class: "group", "aria-label": title },
        h("div", { class: "group-head" },
          h("div", {}, h("h2", {}, title, " ", pill(String(group.length), "open")), h("p", {}, first.message), first.hint ? h("p", { class: "muted" }, `Correction: ${first.hint}`) : null),
          h("div", { class: "actions" },
            h("button", { type: "button", onclick: (event) => act(group, "retry", event.currentTarget) }, `Retry all ${group.length}`),
            h("button", { type: "button", class: "ghost", onclick: (event) => act(group, "dismiss", event.currentTarget) }, `Dismiss all ${group.length}`))),
        h("div", { class: "table-wrap", tabindex: "0" }, h("table", {},
          h("thead", {}, h("tr", {}, ["Error", "Record", "Message", "Attempts", "First seen", "Last seen", "Case", ""].map((t) => h("th", { scope: "col" }, t)))),
          h("tbody", {}, group.map((e) => h("tr", {}, h("td", {}, h("a", { href: `#/errors/${e.id}`, "aria-label": `Error ${e.id}` }, `#${e.id}`)),
            h("td", {}, e.scope === "run" ? ["Whole run", h("div", { class: "small" }, e.runId ? h("a", { href: `#/runs/${e.runId}` }, e.recordLabel ?? `Run #${e.runId}`) : null)]
              : [e.recordLabel ?? e.recordKey, h("div", { class: "muted small" }, e.recordKey)]), h("td", {}, e.message),
            h("td", { class: "num" }, String(e.occurrences)), h("td", {}, when(e.firstSeenAt)), h("td", {}, when(e.lastSeenAt)), h("td", {}, caseLink(e)),
            h("td", {}, h("div", { class: "actions" },
              h("button", { type: "button", class: "ghost", "aria-label": `Retry ${e.recordLabel ?? e.recordKey}`, onclick: (event) => act([e], "retry", event.currentTarget) }, "Retry"),
              h("button", { type: "button", class: "ghost", "aria-label": `Dismiss ${e.recordLabel ?? e.recordKey}`, onclick: (event) => act([e], "dismiss", event.currentTarget) }, "Dismiss")))))))));
    }));
  };
  await draw();
}

/** A support Case by the number people know it by, linked to its page in Creatio. */
function caseLink(error) {
  if (!error.caseId) return "—";
  const text = error.caseNumber ?? "raised";
  return error.caseUrl ? h("a", { href: error.caseUrl, target: "_blank", rel: "noopener" }, text) : text;
}

/** One error on its own page (#/errors/{id}, the address its Case cites): what failed, where, and what to do. */
async function errorPage(root, errorId) {
  const error = await get(`api/errors/${errorId}`);
  const history = error.scope === "record" && error.recordKey
    ? (await get(`api/runs/records?key=${encodeURIComponent(error.recordKey)}&limit=20`)).filter((r) => r.flowId === error.flowId) : [];
  const feedback = h("div", { "aria-live": "polite" });
  const act = async (button, verb) => {
    button.disabled = true;
    try {
      if (verb === "retry") {
        const report = (await api("POST", "api/errors/retry", { ids: [error.id] })).data;
        feedback.replaceChildren(h("div", { class: `banner ${report.resolved ? "ok" : "bad"}`, role: "status" }, report.resolved ? "Retried: fixed." : "Retried: it still fails."));
      } else {
        await api("POST", `api/errors/${error.id}/dismiss`);
        feedback.replaceChildren(h("div", { class: "banner ok", role: "status" }, "Dismissed."));
      }
    } catch (failure) {
      feedback.replaceChildren(errorBanner(failure));
    }
    setTimeout(() => render(), 1500);
  };
  const row = (label, ...value) => [h("dt", {}, label), h("dd", {}, ...value)];
  root.append(h("p", {}, h("a", { href: "#/errors" }, "← Error queue")), h("h1", {}, `Error #${error.id}`),
    h("section", { class: "card" }, h("p", {}, pill(error.status), " ", error.message),
      error.hint ? h("p", { class: "muted" }, `Correction: ${error.hint}`) : null,
      h("dl", { class: "facts" },
        row("Flow", h("a", { href: `#/flows/${error.flowId}` }, error.flowId)),
        row("Record", error.scope === "run" ? "Whole run (it stopped before its end)" : [error.recordLabel ?? error.recordKey, " ", h("span", { class: "muted small" }, error.recordKey)]),
        row("Last seen in", error.runId ? h("a", { href: `#/runs/${error.runId}` }, `Run #${error.runId}`) : "—"),
        row("System", `${error.system}${error.errorNo ? ` (error ${error.errorNo})` : ""}`),
        row("Attempts", String(error.occurrences)),
        row("First seen", when(error.firstSeenAt)), row("Last seen", when(error.lastSeenAt)),
        error.closedAt ? row(error.status === "dismissed" ? "Dismissed" : "Resolved", when(error.closedAt)) : null,
        row("Support Case", caseLink(error))),
      error.status === "open" ? h("div", { class: "actions" },
        h("button", { type: "button", onclick: (event) => act(event.currentTarget, "retry") }, error.scope === "run" ? "Retry (run the flow again)" : "Retry"),
        h("button", { type: "button", class: "ghost", onclick: (event) => act(event.currentTarget, "dismiss") }, "Dismiss")) : null,
      feedback),
    history.length ? h("section", { class: "card" }, h("h2", {}, "This record in its flow's runs"),
      h("div", { class: "table-wrap", tabindex: "0" }, h("table", {},
        h("thead", {}, h("tr", {}, ["When", "Run", "Outcome", "Error"].map((t) => h("th", { scope: "col" }, t)))),
        h("tbody", {}, history.map((r) => h("tr", {}, h("td", {}, when(r.at)), h("td", {}, h("a", { href: `#/runs/${r.runId}` }, `#${r.runId}`)),
          h("td", {}, pill(r.action)), h("td", {}, r.error ?? ""))))))) : null);
}

// ---------- bindings ----------

async function bindingsPage(root) {
  root.append(h("h1", {}, "Bindings"));
  const kind = h("select", {}, ["account-customer", "product-item", "opportunity-document"].map((k) => h("option", { value: k }, k)));
  const search = h("input", { type: "search", placeholder: "Creatio Id or Intacct id" });
  const body = h("tbody", {});
  const history = h("div", { "aria-live": "polite" });
  let bindings = [];
  const showHistory = async (binding) => {
    // One request by the binding's kind: the server scopes each of its keys to its object (a RECORDNO is unique only per
    // Intacct object) and lists each entry once.
    const entries = await get(`api/runs/records?kind=${encodeURIComponent(binding.kind)}&key=${encodeURIComponent(binding.creatioId)}&limit=100`);
    history.replaceChildren(h("h2", {}, `History of ${binding.creatioId}`),
      entries.length === 0 ? h("p", { class: "muted" }, "No run has touched this record yet.")
        : h("div", { class: "table-wrap", tabindex: "0" }, h("table", {},
          h("thead", {}, h("tr", {}, ["When", "Flow", "Run", "Outcome", "Name", "Source", "Target", "Changes", "Error"].map((t) => h("th", { scope: "col" }, t)))),
          h("tbody", {}, entries.map((e) => h("tr", {}, h("td", {}, when(e.at)), h("td", {}, e.flowId), h("td", {}, h("a", { href: `#/runs/${e.runId}` }, `#${e.runId}`)),
            h("td", {}, pill(e.action)), h("td", {}, e.label ?? ""), h("td", {}, e.sourceKey), h("td", {}, e.targetKey ?? "—"), changesCell(e.changes),
            h("td", {}, e.error ?? "")))))));
  };
  const draw = () => {
    const text = search.value.trim().toLowerCase();
    body.replaceChildren(...bindings.filter((b) => !text || [b.creatioId, b.intacctId, b.intacctRecordNo].some((v) => (v ?? "").toLowerCase().includes(text)))
      .slice(0, 500).map((b) => h("tr", {}, h("td", {}, b.creatioId), h("td", {}, b.intacctId ?? "(being sent)"), h("td", {}, b.intacctRecordNo ?? "—"),
        h("td", {}, when(b.createdAt)), h("td", {}, when(b.updatedAt)),
        h("td", {}, h("button", { type: "button", class: "ghost", "aria-label": `History of ${b.intacctId ?? b.creatioId}`, onclick: () => showHistory(b).catch((e) => toast(e.message)) }, "History")))));
  };
  const load = async () => { bindings = await get(`api/bindings?kind=${kind.value}`); draw(); };
  kind.addEventListener("change", load);
  search.addEventListener("input", draw);
  await load();
  root.append(h("section", { class: "card" }, h("h2", {}, "Find a record's partner"),
    h("div", { class: "grid", style: "display:grid" }, field("Kind", kind), field("Search", search)),
    h("div", { class: "table-wrap", tabindex: "0" }, h("table", {}, h("thead", {}, h("tr", {}, ["Creatio record", "Intacct id", "Intacct record number", "Paired", "Last changed", ""].map((t) => h("th", { scope: "col" }, t)))), body)),
    history));

  const reports = await get("api/binding-runs?limit=20");
  const runKind = h("select", {}, h("option", { value: "account-customer" }, "Accounts with customers"), h("option", { value: "product-item" }, "Products with items"));
  const feedback = h("div", { "aria-live": "polite" });
  root.append(h("section", { class: "card" }, h("h2", {}, "Binding runs"),
    h("p", { class: "muted" }, "A dry run matches records by name and writes a report; nothing is linked until you review and commit it."),
    h("form", {
      class: "actions",
      onsubmit: async (event) => {
        event.preventDefault();
        try {
          const report = (await api("POST", "api/binding-runs", { kind: runKind.value })).data;
          location.hash = `#/bindings/reports/${report.id}`;
        } catch (error) {
          feedback.replaceChildren(errorBanner(error));
        }
      },
    }, field("Match", runKind), h("button", { type: "submit" }, "Start a dry run")), feedback,
    h("div", { class: "table-wrap", tabindex: "0" }, h("table", {}, h("thead", {}, h("tr", {}, ["Report", "Kind", "Run", "Matched", "Ambiguous", "Committed"].map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", {}, reports.map((r) => h("tr", {}, h("td", {}, h("a", { href: `#/bindings/reports/${r.id}` }, `#${r.id}`)), h("td", {}, r.kind), h("td", {}, when(r.createdAt)),
        h("td", { class: "num" }, String(r.counts.matched)), h("td", { class: "num" }, String(r.counts.ambiguous)), h("td", {}, r.committedAt ? when(r.committedAt) : "not yet"))))))));
}

async function bindingReportPage(root, reportId) {
  const report = await get(`api/binding-runs/${reportId}`);
  root.append(h("p", {}, h("a", { href: "#/bindings" }, "← Bindings")), h("h1", {}, `Binding run #${report.id}: ${report.kind}`),
    h("p", { class: "muted" }, `Run ${when(report.createdAt)} · ${report.counts.matched} matched, ${report.counts.ambiguous} ambiguous, ${report.counts.unmatchedCreatio} unmatched in Creatio, ${report.counts.unmatchedIntacct} unmatched in Intacct, ${report.counts.disagreements} disagreements, ${report.counts.alreadyLinked} already linked.`),
    h("a", { href: `api/binding-runs/${report.id}/report.csv`, download: `binding-run-${report.id}.csv`, onclick: (event) => { event.preventDefault(); downloadCsv(report.id); } }, "Download the report as CSV"));
  const pairs = report.matched.map((p) => ({ pair: p, accept: h("input", { type: "checkbox", checked: true, "aria-label": `Accept ${p.creatioName} with ${p.intacctName}` }) }));
  const choices = report.ambiguous.map((a, index) => {
    const name = `ambiguous-${index}`;
    const options = [];
    for (const c of a.creatio) for (const i of a.intacct) options.push({ creatioId: c.id, intacctId: i.id, text: `${c.name} ↔ ${i.name} (${i.id})` });
    const radios = options.map((o, n) => ({ option: o, input: h("input", { type: "radio", name, id: `${name}-${n}` }) }));
    const none = h("input", { type: "radio", name, id: `${name}-none`, checked: true });
    return { a, radios, none };
  });
  const feedback = h("div", { "aria-live": "polite" });
  const committed = !!report.committedAt;
  root.append(
    h("section", { class: "card" }, h("h2", {}, `Matched pairs (${pairs.length})`),
      h("div", { class: "table-wrap", tabindex: "0" }, h("table", {}, h("thead", {}, h("tr", {}, ["Accept", "Creatio", "Intacct", "Matched on"].map((t) => h("th", { scope: "col" }, t)))),
        h("tbody", {}, pairs.map(({ pair, accept }) => h("tr", {}, h("td", {}, accept), h("td", {}, pair.creatioName), h("td", {}, `${pair.intacctName} (${pair.intacctId})`), h("td", {}, pair.matchedOn))))))),
    choices.length ? h("section", { class: "card" }, h("h2", {}, `Ambiguous names (${choices.length})`),
      choices.map(({ a, radios, none }) => h("fieldset", {}, h("legend", {}, `“${a.matchedOn}”: pick the pair, or none`),
        radios.map(({ option, input }) => h("div", {}, input, h("label", { for: input.id }, ` ${option.text}`))),
        h("div", {}, none, h("label", { for: none.id }, " None of these"))))) : null,
    report.disagreements.length ? h("section", { class: "card" }, h("h2", {}, `Disagreements (${report.disagreements.length})`),
      h("p", { class: "muted" }, "Links that do not agree are never changed by a commit; fix them in the systems."),
      h("ul", {}, report.disagreements.map((d) => h("li", {}, `${d.creatioId ?? "?"} / ${d.intacctId ?? "?"}: ${d.problem}`)))) : null,
    h("div", { class: "actions" }, h("button", {
      type: "button", disabled: committed,
      onclick: async () => {
        const accept = pairs.filter((p) => p.accept.checked).map((p) => ({ creatioId: p.pair.creatioId, intacctId: p.pair.intacctId }));
        const reject = pairs.filter((p) => !p.accept.checked).map((p) => ({ creatioId: p.pair.creatioId, intacctId: p.pair.intacctId }));
        for (const { radios } of choices) for (const { option, input } of radios) if (input.checked) accept.push({ creatioId: option.creatioId, intacctId: option.intacctId });
        try {
          const result = (await api("POST", `api/binding-runs/${report.id}/commit`, { accept, reject })).data;
          feedback.replaceChildren(h("div", { class: "banner ok", role: "status" }, `Committed: ${result.linked} linked, ${result.skipped} skipped, ${result.failed} failed.`));
        } catch (error) {
          feedback.replaceChildren(errorBanner(error));
        }
      },
    }, committed ? `Committed ${when(report.committedAt)}` : "Commit the accepted pairs")),
    feedback);
}

async function downloadCsv(reportId) {
  const response = await fetch(`api/binding-runs/${reportId}/report.csv`, { headers: { "X-Api-Key": session.key } });
  const link = h("a", { href: URL.createObjectURL(await response.blob()), download: `binding-run-${reportId}.csv` });
  link.click();
  URL.revokeObjectURL(link.href);
}

// ---------- keys ----------

async function keysPage(root) {
  root.append(h("h1", {}, "API keys"));
  const created = h("div", { "aria-live": "polite" });
  const name = h("input", { required: true, autocomplete: "off" });
  const role = h("select", {}, h("option", { value: "creatio" }, "creatio (the package's buttons and status)"), h("option", { value: "operator" }, "operator (runs, errors and the dashboard; may retry)"),
    h("option", { value: "admin" }, "admin (everything)"));
  const body = h("tbody", {});
  const draw = async () => {
    const keys = await get("api/keys");
    body.replaceChildren(...keys.map((k) => h("tr", {}, h("td", {}, k.name), h("td", {}, k.role), h("td", {}, when(k.createdAt)), h("td", {}, when(k.lastUsedAt)),
      h("td", {}, k.revokedAt ? pill("revoked", "bad") : pill("active", "ok")),
      h("td", {}, k.revokedAt ? "" : h("button", {
        type: "button", class: "ghost", "aria-label": `Revoke ${k.name}`,
        onclick: async () => {
          if (!confirm(`Revoke the key “${k.name}”? Whatever uses it stops working at once.`)) return;
          try { await api("DELETE", `api/keys/${k.id}`); toast(`Revoked ${k.name}.`); } catch (error) { toast(error.message); }
          await draw();
        },
      }, "Revoke")))));
  };
  root.append(h("section", { class: "card" }, h("h2", {}, "Create a key"),
    h("form", {
      class: "grid",
      onsubmit: async (event) => {
        event.preventDefault();
        try {
          const key = (await api("POST", "api/keys", { name: name.value, role: role.value })).data;
          const secret = h("div", { class: "secret", id: "new-key" }, key.key);
          created.replaceChildren(h("div", { class: "banner ok", role: "status" }, h("strong", {}, `Key “${key.name}” created.`),
            h("p", {}, "Copy it now: it is shown this once and cannot be read again."), secret,
            h("div", { class: "actions", style: "margin-top:8px" }, h("button", {
              type: "button",
              onclick: async () => { try { await navigator.clipboard.writeText(key.key); toast("Copied."); } catch { toast("Select the key and copy it."); } },
            }, "Copy the key"))));
          name.value = "";
          await draw();
        } catch (error) {
          created.replaceChildren(errorBanner(error));
        }
      },
    }, field("Name", name), field("Role", role), h("div", { class: "form-actions" }, h("button", { type: "submit" }, "Create"))), created),
  h("section", { class: "card" }, h("div", { class: "table-wrap", tabindex: "0" }, h("table", {},
    h("thead", {}, h("tr", {}, ["Name", "Role", "Created", "Last used", "State", ""].map((t) => h("th", { scope: "col" }, t)))), body))));
  await draw();
}

// ---------- audit ----------

async function auditPage(root) {
  root.append(h("h1", {}, "Audit log"), h("p", { class: "muted" }, "Who changed what: connections, flows, keys, bindings and dismissed errors, newest first. Secrets show only as “(changed)”."));
  const entity = h("select", {}, ["", "connection", "flow", "key", "binding", "binding-run", "error"].map((e) => h("option", { value: e }, e || "everything")));
  const body = h("tbody", {});
  const more = h("button", { type: "button", class: "ghost", hidden: true }, "Older entries");
  let oldest = null;
  const change = (c) => h("li", {}, h("strong", {}, c.field), `: ${c.before ?? "—"} → ${c.after ?? "—"}`);
  const load = async (append) => {
    const entries = await get(`api/audit?limit=50${entity.value ? `&entity=${encodeURIComponent(entity.value)}` : ""}${append && oldest ? `&before=${oldest}` : ""}`);
    const rows = entries.map((e) => h("tr", {}, h("td", {}, when(e.at)), h("td", {}, e.keyName), h("td", {}, `${e.entity} ${e.entityId}`), h("td", {}, e.action),
      h("td", {}, e.changes.length ? h("ul", { class: "changes" }, e.changes.map(change)) : "—")));
    if (append) body.append(...rows); else body.replaceChildren(...rows);
    if (!append && entries.length === 0) body.replaceChildren(h("tr", {}, h("td", { colspan: "5", class: "muted" }, "No change recorded yet.")));
    oldest = entries.length ? entries[entries.length - 1].id : oldest;
    more.hidden = entries.length < 50;
  };
  entity.addEventListener("change", () => load(false).catch((e) => toast(e.message)));
  more.addEventListener("click", () => load(true).catch((e) => toast(e.message)));
  root.append(h("section", { class: "card" }, field("Show", entity),
    h("div", { class: "table-wrap", tabindex: "0" }, h("table", { "aria-label": "Audit log" },
      h("thead", {}, h("tr", {}, ["When", "Key", "What", "Action", "Changes"].map((t) => h("th", { scope: "col" }, t)))), body)), more));
  await load(false);
}

function operates() { return session.role === "admin" || session.role === "operator"; }

// ---------- start ----------

document.getElementById("sign-out").addEventListener("click", () => signOut("Signed out."));
window.addEventListener("hashchange", () => render());
render();
