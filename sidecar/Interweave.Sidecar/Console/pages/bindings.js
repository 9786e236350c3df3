// The console's bindings page.
import { session, api, get, h, field, toast, when, pill, errorBanner, confirmDialog } from "../core.js";
import { changesCell } from "./flows.js";
import { placesCells } from "./search.js";

export async function bindingsPage(root) {
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
          h("thead", {}, h("tr", {}, ["When", "Flow", "Run", "Outcome", "Name", "Source", "Target", "Changes", "Error", "Creatio", "Intacct"].map((t) => h("th", { scope: "col" }, t)))),
          h("tbody", {}, entries.map((e) => h("tr", {}, h("td", {}, when(e.at)), h("td", {}, e.flowId), h("td", {}, h("a", { href: `#/runs/${e.runId}` }, `#${e.runId}`)),
            h("td", {}, pill(e.action)), h("td", {}, e.label ?? ""), h("td", {}, e.sourceKey), h("td", {}, e.targetKey ?? "—"), changesCell(e.changes),
            h("td", {}, e.error ?? ""), ...placesCells(e.places)))))));
  };
  const draw = () => {
    const text = search.value.trim().toLowerCase();
    body.replaceChildren(...bindings.filter((b) => !text || [b.creatioId, b.intacctId, b.intacctRecordNo].some((v) => (v ?? "").toLowerCase().includes(text)))
      .slice(0, 500).map((b) => h("tr", {}, h("td", {}, b.creatioId), h("td", {}, b.intacctId ?? "(being sent)"), h("td", {}, b.intacctRecordNo ?? "—"),
        h("td", {}, when(b.createdAt)), h("td", {}, when(b.updatedAt)), ...placesCells(b.places),
        h("td", {}, h("button", { type: "button", class: "ghost", "aria-label": `History of ${b.intacctId ?? b.creatioId}`, onclick: () => showHistory(b).catch((e) => toast(e.message)) }, "History")))));
  };
  const load = async () => { bindings = await get(`api/bindings?kind=${kind.value}`); draw(); };
  kind.addEventListener("change", load);
  search.addEventListener("input", draw);
  await load();
  root.append(h("section", { class: "card" }, h("h2", {}, "Find a record's partner"),
    h("div", { class: "grid", style: "display:grid" }, field("Kind", kind), field("Search", search)),
    h("div", { class: "table-wrap", tabindex: "0" }, h("table", {}, h("thead", {}, h("tr", {}, ["Creatio record", "Intacct id", "Intacct record number", "Paired", "Last changed", "Creatio", "Intacct", ""].map((t) => h("th", { scope: "col" }, t)))), body)),
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

export async function bindingReportPage(root, reportId) {
  const report = await get(`api/binding-runs/${reportId}`);
  root.append(h("p", {}, h("a", { href: "#/bindings" }, "← Bindings")), h("h1", {}, `Binding run #${report.id}: ${report.kind}`),
    h("p", { class: "muted" }, "Run ", when(report.createdAt), ` · ${report.counts.matched} matched, ${report.counts.ambiguous} ambiguous, ${report.counts.unmatchedCreatio} unmatched in Creatio, ${report.counts.unmatchedIntacct} unmatched in Intacct, ${report.counts.disagreements} disagreements, ${report.counts.alreadyLinked} already linked.`),
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
  // Through h(), which leaves out a section that is not there; Element.append printed it as "null" (console review B14).
  root.append(h("div", {},
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
        if (!await confirmCommit(report.kind, accept.length, reject.length)) return;
        try {
          const result = (await api("POST", `api/binding-runs/${report.id}/commit`, { accept, reject })).data;
          feedback.replaceChildren(h("div", { class: "banner ok", role: "status" }, `Committed: ${result.linked} linked, ${result.skipped} skipped, ${result.failed} failed.`));
        } catch (error) {
          feedback.replaceChildren(errorBanner(error));
        }
      },
    }, committed ? ["Committed ", when(report.committedAt)] : "Commit the accepted pairs")),
    feedback));
}

/** The commit writes into both systems and cannot be undone here: it asks first, naming what each system gets. */
export function confirmCommit(kind, linked, rejected) {
  const [creatio, intacct, key] = kind === "product-item" ? ["products", "items", "PRODUCTID"] : ["accounts", "customers", "ACCOUNTID"];
  const n = (count, noun) => `${count} ${count === 1 ? noun.replace(/s$/, "") : noun}`;
  return confirmDialog(linked === 1 ? "Link 1 pair?" : `Link ${linked} pairs?`,
    [h("p", {}, linked === 0 ? "Nothing is linked: no pair is accepted." : `Writes the Creatio Id into ${key} of ${n(linked, intacct)} in Intacct, and the Intacct id into ${n(linked, creatio)} in Creatio.`),
      rejected ? h("p", {}, `${n(rejected, "pairs")} you unticked ${rejected === 1 ? "stays" : "stay"} unlinked.`) : null,
      h("p", { class: "muted" }, "The console cannot undo a commit; each link can be removed one by one (DELETE /api/bindings/{kind}/{creatioId}).")],
    linked === 1 ? "Link 1 pair" : `Link ${linked} pairs`);
}

export async function downloadCsv(reportId) {
  const response = await fetch(`api/binding-runs/${reportId}/report.csv`, { headers: { "X-Api-Key": session.key } });
  const link = h("a", { href: URL.createObjectURL(await response.blob()), download: `binding-run-${reportId}.csv` });
  link.click();
  URL.revokeObjectURL(link.href);
}
