// The console's error queue page.
import { session, page, api, get, h, field, toast, when, pill, errorBanner, working, confirmDialog } from "../core.js";
import { placesCells } from "./search.js";

/** Errors with the same cause: the flow, the system, Intacct's error number (or the kind of failure) and the hint. */
export function rootCause(error) { return [error.flowId, error.system, error.errorNo || error.errorKind, error.hint ?? ""].join("|"); }

/** Conflicts on the same field between the same flows: "Phone changed in both systems". */
export function conflictCause(conflict) { return [conflict.pullFlowId, conflict.pushFlowId, conflict.creatioField].join("|"); }

/** Fields Creatio and Intacct both changed, grouped by field; each resolved by keeping one side's value. */
export async function conflictsSection(list) {
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

/** The queue loads a page at a time, newest first; older pages are asked with before={the oldest id shown}. */
export const ERRORS_PAGE = 200;

const STATUSES = { open: "Open errors", dismissed: "Dismissed errors", resolved: "Resolved errors" };

/** Asks before dismissing, showing what a dismissal means for the records and that it can be undone. */
export function confirmDismiss(errors) {
  const names = errors.slice(0, 5).map((e) => e.scope === "run" ? `the run of ${e.flowId}` : e.recordLabel ?? e.recordKey);
  return confirmDialog(errors.length === 1 ? "Dismiss this error?" : `Dismiss ${errors.length} errors?`,
    [h("p", {}, `Records: ${names.join(", ")}${errors.length > names.length ? ` and ${errors.length - names.length} more` : ""}.`),
      h("p", {}, "A dismissed record is not sent again until it changes in its source system, so Creatio and Intacct may stay different. Its support Case is closed."),
      h("p", { class: "muted" }, "You can reopen a dismissed error later: Error queue, Show: Dismissed errors.")],
    errors.length === 1 ? "Dismiss" : `Dismiss ${errors.length}`, { danger: true });
}

export async function errorsPage(root) {
  const flowId = page.query.get("flow") || "";
  const status = h("select", {}, Object.entries(STATUSES).map(([value, text]) => h("option", { value }, text)));
  status.value = STATUSES[page.query.get("status")] ? page.query.get("status") : "open";
  const conflicts = h("div", {});
  const list = h("div", {});
  const shown = h("p", { class: "muted small" });
  const older = h("button", { type: "button", class: "ghost", onclick: (event) => working(event.currentTarget, loadOlder) }, "Show older errors");
  root.append(h("h1", {}, "Error queue"),
    flowId ? h("p", {}, `Only the errors of flow ${flowId}. `, h("a", { href: "#/errors" }, "Show every flow")) : "",
    h("div", { class: "card" }, field("Show", status)), conflicts, shown, list, h("div", { class: "actions" }, older));
  if (status.value === "open") await conflictsSection(conflicts);
  let errors = [];
  let more = false;
  const ask = (before) => get(`api/errors?status=${status.value}&limit=${ERRORS_PAGE}${flowId ? `&flowId=${encodeURIComponent(flowId)}` : ""}${before ? `&before=${before}` : ""}`);
  const load = async () => { errors = await ask(); more = errors.length === ERRORS_PAGE; draw(); };
  async function loadOlder() {
    const got = await ask(Math.min(...errors.map((e) => e.id)));
    more = got.length === ERRORS_PAGE;
    errors = errors.concat(got);
    draw();
  }
  // A retry says how it came out (fixed or failing still), never only that it ran; buttons wait while it works.
  const act = async (group, verb, button) => {
    if (verb === "dismiss" && !await confirmDismiss(group)) return;
    const buttons = [...list.querySelectorAll("button")];
    for (const b of buttons) b.disabled = true;
    if (button) button.setAttribute("aria-busy", "true");
    try {
      if (verb === "retry") {
        const report = (await api("POST", "api/errors/retry", { ids: group.map((e) => e.id) })).data;
        toast(`Retried ${report.retried}: ${report.resolved} fixed, ${report.stillFailing} still failing${report.notRetried.length ? `, ${report.notRetried.length} already closed` : ""}.`);
      } else {
        let failed = 0;
        for (const error of group) {
          try { await api("POST", `api/errors/${error.id}/${verb}`); } catch { failed++; }
        }
        toast(`${verb === "dismiss" ? "Dismissed" : "Reopened"} ${group.length - failed} of ${group.length}.`);
      }
    } catch (error) {
      toast(error.message);
    }
    if (button) button.removeAttribute("aria-busy");
    await load();
  };
  const admin = session.role === "admin";
  const buttonsFor = (group, one) => {
    const who = one ? ` ${one.recordLabel ?? one.recordKey}` : "";
    const button = (verb, text, ghost) => h("button", { type: "button", class: ghost ? "ghost" : "", "aria-label": one ? `${text}${who}` : null,
      onclick: (event) => act(group, verb, event.currentTarget) }, one ? text : `${text} all ${group.length}`);
    if (status.value === "open") return [button("retry", "Retry", !!one), admin ? button("dismiss", "Dismiss", true) : null];
    if (status.value === "dismissed") return [button("reopen", "Reopen", true)];
    return [];
  };
  const draw = () => {
    shown.textContent = errors.length === 0 ? "" : more ? `Showing the latest ${errors.length} ${STATUSES[status.value].toLowerCase()}.` : `Showing all ${errors.length} ${STATUSES[status.value].toLowerCase()}.`;
    older.hidden = !more;
    if (errors.length === 0) return list.replaceChildren(h("div", { class: `banner ${status.value === "open" ? "ok" : ""}` }, `No ${status.value} errors.`));
    const groups = new Map();
    for (const error of errors) groups.set(rootCause(error), [...(groups.get(rootCause(error)) ?? []), error]);
    list.replaceChildren(...[...groups.values()].map((group) => {
      const first = group[0];
      const title = first.scope === "run" ? `The run of ${first.flowId} stopped: ${first.system}`
        : `${first.errorNo ? `Intacct ${first.errorNo}` : first.errorKind} in ${first.flowId}`;
      return h("section", { class: "group", "aria-label": title },
        h("div", { class: "group-head" },
          h("div", {}, h("h2", {}, title, " ", pill(String(group.length), status.value)), h("p", {}, first.message), first.hint ? h("p", { class: "muted" }, `Correction: ${first.hint}`) : null),
          h("div", { class: "actions" }, buttonsFor(group))),
        h("div", { class: "table-wrap", tabindex: "0" }, h("table", {},
          h("thead", {}, h("tr", {}, ["Error", "Record", "Message", "Attempts", "First seen", "Last seen", "Case", ""].map((t) => h("th", { scope: "col" }, t)))),
          h("tbody", {}, group.map((e) => h("tr", {}, h("td", {}, h("a", { href: `#/errors/${e.id}`, "aria-label": `Error ${e.id}` }, `#${e.id}`)),
            h("td", {}, e.scope === "run" ? ["Whole run", h("div", { class: "small" }, e.runId ? h("a", { href: `#/runs/${e.runId}` }, e.recordLabel ?? `Run #${e.runId}`) : null)]
              : [e.recordLabel ?? e.recordKey, h("div", { class: "muted small" }, e.recordKey)]), h("td", {}, e.message),
            h("td", { class: "num" }, String(e.occurrences)), h("td", {}, when(e.firstSeenAt)), h("td", {}, when(e.lastSeenAt)), h("td", {}, caseLink(e)),
            h("td", {}, h("div", { class: "actions" }, buttonsFor([e], e)))))))));
    }));
  };
  status.addEventListener("change", () => {
    history.replaceState(null, "", `#/errors?${new URLSearchParams({ ...(flowId ? { flow: flowId } : {}), ...(status.value !== "open" ? { status: status.value } : {}) })}`);
    conflicts.replaceChildren();
    (status.value === "open" ? conflictsSection(conflicts) : Promise.resolve()).then(load).catch((error) => toast(error.message));
  });
  await load();
}

/** A support Case by the number people know it by, linked to its page in Creatio. */
export function caseLink(error) {
  if (!error.caseId) return "—";
  const text = error.caseNumber ?? "raised";
  return error.caseUrl ? h("a", { href: error.caseUrl, target: "_blank", rel: "noopener" }, text) : text;
}

/** One error on its own page (#/errors/{id}, the address its Case cites): what failed, where, and what to do. */
export async function errorPage(root, errorId) {
  const error = await get(`api/errors/${errorId}`);
  const history = error.scope === "record" && error.recordKey
    ? (await get(`api/runs/records?key=${encodeURIComponent(error.recordKey)}&limit=20`)).filter((r) => r.flowId === error.flowId) : [];
  const feedback = h("div", { "aria-live": "polite" });
  const act = async (button, verb) => {
    if (verb === "dismiss" && !await confirmDismiss([error])) return;
    await working(button, async () => {
      try {
        if (verb === "retry") {
          const report = (await api("POST", "api/errors/retry", { ids: [error.id] })).data;
          feedback.replaceChildren(h("div", { class: `banner ${report.resolved ? "ok" : "bad"}`, role: "status" }, report.resolved ? "Retried: fixed." : "Retried: it still fails."));
        } else {
          await api("POST", `api/errors/${error.id}/${verb}`);
          feedback.replaceChildren(h("div", { class: "banner ok", role: "status" }, verb === "dismiss" ? "Dismissed." : "Reopened."));
        }
      } catch (failure) {
        feedback.replaceChildren(errorBanner(failure));
      }
    });
    const token = page.token;
    setTimeout(() => { if (page.token === token) page.render(); }, 1500);
  };
  const row = (label, ...value) => [h("dt", {}, label), h("dd", {}, ...value)];
  root.append(h("p", {}, h("a", { href: "#/errors" }, "← Error queue")), h("h1", {}, `Error #${error.id}`),
    h("section", { class: "card" }, h("p", {}, pill(error.status), " ", error.message),
      error.hint ? h("p", { class: "muted" }, `Correction: ${error.hint}`) : null,
      h("dl", { class: "facts" },
        row("Flow", h("a", { href: `#/flows/${error.flowId}` }, error.flowId)),
        row("Record", error.scope === "run" ? "Whole run (it stopped before its end)" : [error.recordLabel ?? error.recordKey, " ", h("span", { class: "muted small" }, error.recordKey)]),
        error.places ? row("In Creatio", placesCells(error.places)[0].firstChild ?? "—") : null,
        error.places ? row("In Intacct", ...placesCells(error.places)[1].childNodes) : null,
        row("Last seen in", error.runId ? h("a", { href: `#/runs/${error.runId}` }, `Run #${error.runId}`) : "—"),
        row("System", `${error.system}${error.errorNo ? ` (error ${error.errorNo})` : ""}`),
        row("Attempts", String(error.occurrences)),
        row("First seen", when(error.firstSeenAt)), row("Last seen", when(error.lastSeenAt)),
        error.closedAt ? row(error.status === "dismissed" ? "Dismissed" : "Resolved", when(error.closedAt)) : null,
        row("Support Case", caseLink(error))),
      error.status === "open" ? h("div", { class: "actions" },
        h("button", { type: "button", onclick: (event) => act(event.currentTarget, "retry") }, error.scope === "run" ? "Retry (run the flow again)" : "Retry"),
        session.role === "admin" ? h("button", { type: "button", class: "ghost", onclick: (event) => act(event.currentTarget, "dismiss") }, "Dismiss") : null)
        : error.status === "dismissed" ? h("div", { class: "actions" }, h("button", { type: "button", class: "ghost", onclick: (event) => act(event.currentTarget, "reopen") }, "Reopen")) : null,
      feedback),
    history.length ? h("section", { class: "card" }, h("h2", {}, "This record in its flow's runs"),
      h("div", { class: "table-wrap", tabindex: "0" }, h("table", {},
        h("thead", {}, h("tr", {}, ["When", "Run", "Outcome", "Error"].map((t) => h("th", { scope: "col" }, t)))),
        h("tbody", {}, history.map((r) => h("tr", {}, h("td", {}, when(r.at)), h("td", {}, h("a", { href: `#/runs/${r.runId}` }, `#${r.runId}`)),
          h("td", {}, pill(r.action)), h("td", {}, r.error ?? ""))))))) : null);
}
