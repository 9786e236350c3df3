// The console's audit page.
import { api, get, h, field, toast, when } from "../core.js";

export async function auditPage(root) {
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
