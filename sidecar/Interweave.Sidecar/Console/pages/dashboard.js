// The console's dashboard page.
import { session, api, get, h, when, pill, operates } from "../core.js";
import { bulkLoadSummary } from "./flows.js";

/** A connection's health: failing from its first failure after its last success until a call on it succeeds again. */
export function connectionCard(name, state) {
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
export function bars(buckets, label, summary) {
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
export function barChart(title, buckets, label, noun = "records written") {
  const total = buckets.reduce((s, b) => s + b.written, 0);
  const failed = buckets.reduce((s, b) => s + b.failed, 0);
  const summary = `${total} ${noun}, ${failed} failed`;
  return h("section", { class: "card" }, h("h2", {}, title), bars(buckets, label, `${title}: ${summary}`), h("p", { class: "muted small" }, `${summary}.`));
}

/** One bar per bucket of the metrics' range for a system: value(point) gives its blue and red parts (a missing bucket is zero). */
export function metricBars(metrics, count, sizeMs, system, value) {
  return Array.from({ length: count }, (_, i) => {
    const start = new Date(new Date(metrics.from).getTime() + i * sizeMs);
    const point = metrics.calls.find((c) => c.system === system && new Date(c.start).getTime() === start.getTime());
    return { start, ...(point ? value(point) : { written: 0, failed: 0 }) };
  });
}

/** A system's p95 latency per bucket (in ms), with the range's p50 and p95 in words. */
export function latencyChart(title, metrics, count, sizeMs, system, label) {
  const points = metricBars(metrics, count, sizeMs, system, (p) => ({ written: p.p95Ms ?? 0, failed: 0 }));
  const whole = metrics.latency.find((l) => l.system === system);
  const summary = whole?.p50Ms == null ? "no requests" : `p50 ${whole.p50Ms} ms, p95 ${whole.p95Ms} ms over ${whole.requests} requests`;
  return h("section", { class: "card" }, h("h2", {}, title), bars(points, label, `${title}: ${summary}`), h("p", { class: "muted small" }, `p95 per bucket, in ms; ${summary}.`));
}

export function buckets(runs, count, sizeMs, now) {
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

export async function dashboardPage(root) {
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
      h("p", { class: "muted small" }, `enabled of ${flows.length}`)),
    // Bulk loads are an admin's: the card shows the latest one, succeeded or not.
    session.role === "admin" ? (await get("api/bulk-loads?limit=1")).map(bulkLoadSummary) : null));
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
