// The console's search: one box in the top bar finds a record by either system's id, its document number or its name
// (GET /api/search), and every record the console shows links to its page in Creatio and names its Intacct object and key.
import { get, h, when, pill, operates } from "../core.js";

/** A record's two places: a link to its page in Creatio (Creatio's own navigation address) and its Intacct object and key, as table cells. */
export function placesCells(places) {
  const creatio = places?.creatioId
    ? places.creatioUrl
      ? h("a", { href: places.creatioUrl, target: "_blank", rel: "noopener", title: `Open the ${places.creatioEntity} in Creatio` }, `${places.creatioEntity} ↗`)
      : h("span", { title: places.creatioId }, places.creatioEntity)
    : "—";
  const intacct = places?.intacctKey ? [h("span", { class: "muted small" }, `${places.intacctObject} `), h("code", {}, places.intacctKey)] : "—";
  return [h("td", {}, creatio), h("td", {}, intacct)];
}

/** The link to a record's history: its key, scoped to its object (a RECORDNO is unique only within its Intacct object). */
export function historyHref(key, object) {
  return `#/history?${new URLSearchParams(object ? { key, object } : { key })}`;
}

/** The search box in the top bar, shown to admins and operators; Enter opens #/search?q=… */
export function mountSearchBox() {
  const form = document.getElementById("search-form");
  const box = document.getElementById("search-box");
  form.hidden = !operates();
  if (form.dataset.ready) return;
  form.dataset.ready = "1";
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = box.value.trim();
    if (text) location.hash = `#/search?${new URLSearchParams({ q: text })}`;
  });
}

const table = (headers, rows, empty) => rows.length === 0 ? h("p", { class: "muted" }, empty)
  : h("div", { class: "table-wrap", tabindex: "0" }, h("table", {}, h("thead", {}, h("tr", {}, headers.map((t) => h("th", { scope: "col" }, t)))), h("tbody", {}, rows)));

export async function searchPage(root, query) {
  const q = new URLSearchParams(query ?? "").get("q") ?? "";
  document.getElementById("search-box").value = q;
  root.append(h("h1", {}, `Search: ${q}`));
  if (!q.trim()) return root.append(h("p", { class: "muted" }, "Type an id, a document number or a name in the search box."));
  const found = await get(`api/search?${new URLSearchParams({ q, limit: "20" })}`);
  root.append(h("p", { class: "muted small" }, "Ids match exactly (a Creatio Id, CUSTOMERID, a document number, RECORDNO, a Case number); names and numbers from their start."),
    h("section", { class: "card", "aria-label": "Records found" }, h("h2", {}, `Records (${found.records.length})`),
      table(["Name", "Flow", "Last outcome", "When", "Run", "Creatio", "Intacct", ""], found.records.map((r) => h("tr", {},
        h("td", {}, r.label ?? r.sourceKey), h("td", {}, h("a", { href: `#/flows/${r.flowId}` }, r.flowId)), h("td", {}, pill(r.action)), h("td", {}, when(r.at)),
        h("td", {}, h("a", { href: `#/runs/${r.runId}` }, `Run #${r.runId}`)), ...placesCells(r.places),
        h("td", {}, h("a", { href: historyHref(r.sourceKey, r.sourceObject), "aria-label": `History of ${r.label ?? r.sourceKey}` }, "History")))),
      "No run has logged a record by that id, number or name.")),
    h("section", { class: "card", "aria-label": "Bindings found" }, h("h2", {}, `Bindings (${found.bindings.length})`),
      table(["Kind", "Creatio", "Intacct", "Paired", ""], found.bindings.map((b) => h("tr", {}, h("td", {}, b.kind), ...placesCells(b.places), h("td", {}, when(b.createdAt)),
        h("td", {}, h("a", { href: historyHref(b.creatioId, b.places?.creatioEntity), "aria-label": `History of ${b.intacctId ?? b.creatioId}` }, "History")))),
      "No binding pairs that record.")),
    h("section", { class: "card", "aria-label": "Errors found" }, h("h2", {}, `Errors (${found.errors.length})`),
      table(["Error", "Record", "Flow", "State", "Message", "Creatio", "Intacct"], found.errors.map((e) => h("tr", {},
        h("td", {}, h("a", { href: `#/errors/${e.id}` }, `Error ${e.id}`)), h("td", {}, e.recordLabel ?? e.recordKey), h("td", {}, e.flowId), h("td", {}, pill(e.status)),
        h("td", {}, e.message), ...placesCells(e.places))),
      "No error concerns that record.")));
}

/** A record's history (#/history?key=…&object=…): what each run did with it, with its places and the fields it changed. */
export async function historyPage(root, query) {
  const params = new URLSearchParams(query ?? "");
  const key = params.get("key") ?? "";
  const entries = await get(`api/runs/records?${new URLSearchParams({ ...Object.fromEntries(params), limit: "100" })}`);
  const name = entries.find((e) => e.label)?.label ?? key;
  root.append(h("h1", {}, `History of ${name}`), h("p", { class: "muted small" }, `${params.get("object") ?? "Any object"} · ${key}`),
    h("section", { class: "card" }, table(["When", "Flow", "Run", "Outcome", "Creatio", "Intacct", "Error"], entries.map((e) => h("tr", {},
      h("td", {}, when(e.at)), h("td", {}, e.flowId), h("td", {}, h("a", { href: `#/runs/${e.runId}` }, `#${e.runId}`)), h("td", {}, pill(e.action)),
      ...placesCells(e.places), h("td", {}, e.error ?? ""))), "No run has touched this record yet.")));
}

