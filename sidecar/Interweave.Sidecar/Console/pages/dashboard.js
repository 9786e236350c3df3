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
    failing ? h("p", { class: "small" }, h("strong", {}, "Failing since ", when(state.failingSince))) : null,
    h("p", { class: "muted small" }, "Last success: ", when(state?.lastSucceededAt)),
    state?.lastFailedAt ? h("p", { class: "muted small" }, "Last failure: ", when(state.lastFailedAt)) : null,
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

/** A count a finance reader asks about, as a link to the list behind it (#/runs?flow=..., #/errors). */
function stat(title, value, href, note) {
  return h("a", { class: "card stat", href }, h("h2", {}, title), h("div", { class: "metric" }, String(value)), note ? h("p", { class: "muted small" }, note) : null);
}

export async function dashboardPage(root) {
  const status = await get("api/status");
  session.status = status;
  root.append(h("h1", {}, "Dashboard"),
    h("div", { class: "cards" }, connectionCard("Intacct", status.intacct), connectionCard("Creatio", status.creatio),
      h("section", { class: "card" }, h("h2", {}, "Sidecar"), h("p", {}, `Version ${status.version}`), h("p", { class: "muted small" }, `Store: ${status.store}`))));
  if (!operates()) return;

  const [day, month] = await Promise.all([get("api/metrics?range=24h"), get("api/metrics?range=30d")]);
  const flow = (metrics, id) => metrics.business.flows.find((f) => f.flowId === id) ?? { created: 0, updated: 0, runs: 0 };
  const brought = (metrics, id) => flow(metrics, id).created + flow(metrics, id).updated;
  const off = day.business.flows.filter((f) => !f.enabled);
  const business = day.business;
  root.append(h("section", { "aria-label": "Business, last 24 hours" }, h("h2", { class: "section-title" }, "Last 24 hours"),
    h("div", { class: "cards" },
      stat("Documents sent to Intacct", business.documentsSent, "#/runs?flow=send-to-intacct", `${month.business.documentsSent} in 30 days`),
      stat("Invoices brought into Creatio", brought(day, "intacct-invoices"), "#/runs?flow=intacct-invoices", `${brought(month, "intacct-invoices")} in 30 days`),
      stat("Payments brought into Creatio", brought(day, "intacct-payments"), "#/runs?flow=intacct-payments", `${brought(month, "intacct-payments")} in 30 days`),
      stat("Records waiting on an error", business.recordsWaitingOnError, "#/errors",
        business.stoppedRuns ? `and ${business.stoppedRuns} stopped run${business.stoppedRuns === 1 ? "" : "s"}` : "now"),
      stat("Flows switched off", business.flowsOff, "#/flows?off=1", off.length ? off.map((f) => f.name).join(", ") : `all ${business.flows.length} on`))));

  const runs = business.flows.reduce((sum, f) => sum + f.runs, 0);
  const count = (key) => business.flows.reduce((sum, f) => sum + f[key], 0);
  root.append(h("div", { class: "cards" },
    h("section", { class: "card" }, h("h2", {}, "Runs, last 24 hours"), h("div", { class: "metric" }, String(runs)),
      h("p", { class: "muted small" }, `${count("runsFailed")} failed, ${count("runsCompletedWithErrors")} completed with errors, ${count("runsRunning")} running`),
      h("a", { href: "#/runs" }, "Open the runs")),
    // Bulk loads are an admin's: the card shows the latest one, succeeded or not.
    session.role === "admin" ? (await get("api/bulk-loads?limit=1")).map(bulkLoadSummary) : null));
  const ms = (value) => value == null ? "—" : value >= 1000 ? `${(value / 1000).toFixed(1)} s` : `${value} ms`;
  const latency = (metrics, system) => metrics.latency.find((l) => l.system === system);
  const budget = day.intacctMonthlyBudget;
  const used = day.intacctFunctionsThisMonth;
  root.append(h("section", { class: "card" }, h("h2", {}, "Records synced per flow, last 24 hours"),
    h("div", { class: "table-wrap", tabindex: "0" }, h("table", {},
      h("thead", {}, h("tr", {}, ["Flow", "Runs", "Created", "Updated", "Failed"].map((t, i) => h("th", { scope: "col", class: i ? "num" : "" }, t)))),
      h("tbody", {}, business.flows.map((f) => h("tr", {}, h("td", {}, h("a", { href: `#/runs?flow=${encodeURIComponent(f.flowId)}` }, f.name), f.enabled ? "" : h("span", { class: "muted small" }, " (off)")),
        h("td", { class: "num" }, String(f.runs)), h("td", { class: "num" }, String(f.created)), h("td", { class: "num" }, String(f.updated)), h("td", { class: "num" }, String(f.failed)))))))));

  // For the admin who tunes: calls, latency and volume charts, folded away from the finance reader's view.
  const performance = h("details", { class: "performance" }, h("summary", {}, h("h2", {}, "Performance")));
  root.append(performance);
  performance.append(h("div", { class: "cards" },
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
  const hourLabel = (d) => `${String(d.getHours()).padStart(2, "0")}h`;
  const dayLabel = (d) => d.toLocaleDateString(undefined, { month: "short", day: "numeric" });
  const requests = metricBars(day, 24, 3600e3, "intacct", (p) => ({ written: p.requests - p.failures, failed: p.failures }));
  performance.append(barChart("Intacct requests per hour, last 24 hours (your time)", requests, hourLabel, "requests"));
  for (const system of ["intacct", "creatio"]) {
    const name = system === "intacct" ? "Intacct" : "Creatio";
    performance.append(latencyChart(`${name} latency per hour, last 24 hours`, day, 24, 3600e3, system, hourLabel));
    performance.append(latencyChart(`${name} latency per day, last 30 days`, month, 30, 24 * 3600e3, system, dayLabel));
  }
  // The volume charts need the runs themselves; they are asked for only when the fold is opened.
  const volume = h("div", {});
  performance.append(volume);
  performance.addEventListener("toggle", async () => {
    if (!performance.open || volume.childElementCount) return;
    const recent = await get("api/runs?limit=500");
    const now = Date.now();
    volume.append(barChart("Records synced per hour, last 24 hours (latest 500 runs)", buckets(recent, 24, 3600e3, now), hourLabel),
      barChart("Records synced per day, last 30 days (latest 500 runs)", buckets(recent, 30, 24 * 3600e3, now), dayLabel));
  });
}
