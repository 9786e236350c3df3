// The console's flows and runs pages.
import { page, api, get, h, field, toast, when, pill, statePill, stateWords, every, errorBanner, working, syncRows, confirmDialog } from "../core.js";
import { describeSchedule, scheduleEditor } from "./schedule.js";
import { placesCells } from "./search.js";

export function runProgress(run) {
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
export function followRun(location, slot, ended = () => {}) {
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

export async function flowsPage(root) {
  const [all, runs] = await Promise.all([get("api/flows"), get("api/runs?limit=500")]);
  const lastRun = new Map();
  for (const run of runs) if (!lastRun.has(run.flowId)) lastRun.set(run.flowId, run);
  // #/flows?off=1 (the dashboard's "Flows switched off") shows those only.
  const onlyOff = page.query.get("off") === "1";
  const flows = onlyOff ? all.filter((f) => !f.enabled) : all;
  root.append(h("h1", {}, "Flows"),
    onlyOff ? h("p", {}, `Only the flows switched off (${flows.length} of ${all.length}). `, h("a", { href: "#/flows" }, "Show every flow")) : "");
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

/** The latest bulk load in a line for the dashboard: its state as the load's card shows it, what it wrote and what failed. */
export function bulkLoadSummary(load) {
  return h("section", { class: "card", "aria-label": "Last bulk load" }, h("h2", {}, "Last bulk load"),
    h("p", {}, statePill(load.state), ` ${load.from} to ${load.to}`),
    h("p", { class: "muted small" }, `${load.done} of ${load.total} read · ${load.written ?? 0} written · ${load.failed} failed`),
    load.error ? h("p", { class: "small" }, load.error) : null,
    h("a", { href: "#/flows" }, "Open it on the Flows page"));
}

export async function bulkLoadCard() {
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
      h("p", {}, statePill(load.state), ` ${load.from} to ${load.to} · step ${load.currentStep ?? "—"}`),
      h("div", { class: "progress", role: "progressbar", "aria-label": "Bulk load", "aria-valuemin": "0", "aria-valuemax": "100", "aria-valuenow": String(percent) },
        h("div", { style: `width:${percent}%` })),
      h("p", { class: "small" }, `${load.done} of ${load.total} (${percent}%) · ${load.recordsPerSecond?.toFixed?.(1) ?? 0} records/s · ${load.secondsLeft != null ? `about ${Math.ceil(load.secondsLeft)} s left` : ""} · ${load.written ?? 0} written · ${load.failed} failed`),
      load.error ? h("p", { class: "small" }, load.error) : null,
      load.failed ? h("p", { class: "small" }, h("a", { href: "#/errors" }, "The failed records wait in the error queue")) : null,
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
          if (!await confirmBulkLoad(from.value, to.value)) return;
          draw((await api("POST", "api/bulk-loads", { from: from.value || null, to: to.value || null })).data);
        } catch (error) {
          slot.replaceChildren(errorBanner(error));
        }
      },
    }, field("From", from, "Empty: 1 January of the prior year."), field("To", to, "Empty: today."),
    h("div", { class: "form-actions" }, h("button", { type: "submit" }, "Start a load"))), slot);
  return card;
}

/** A bulk load reads a period's records and spends Intacct requests for hours: it asks first, with Intacct's own counts. */
export async function confirmBulkLoad(from, to) {
  const query = new URLSearchParams({ ...(from ? { from } : {}), ...(to ? { to } : {}) });
  const estimate = await get(`api/bulk-loads/estimate?${query}`);
  return confirmDialog(`Load ${estimate.records.toLocaleString()} records from Intacct?`,
    [h("p", {}, `From ${estimate.from} to ${estimate.to}: ${estimate.steps.map((s) => `${s.records.toLocaleString()} ${s.flowId.replace(/^intacct-/, "")}`).join(", ")}.`),
      h("p", {}, `At least ${estimate.intacctRequests.toLocaleString()} Intacct requests (${estimate.pageSize.toLocaleString()} records a request, plus a count per step), and a write in Creatio for each new or changed record.`),
      h("p", { class: "muted" }, "It runs in the background; you can pause or cancel it, and what it wrote stays written.")],
    "Start the load");
}

export const FIELD_TYPES = ["text", "decimal", "int", "date", "datetime", "guid", "bool"];

export async function flowPage(root, flowId) {
  const flow = await get(`api/flows/${flowId}`);
  root.append(h("p", {}, h("a", { href: "#/flows" }, "← Flows")), h("h1", {}, flow.name), h("p", { class: "muted" }, flow.description));
  const feedback = h("div", { "aria-live": "polite" });
  const schedule = scheduleEditor(flow);

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

  const settings = Object.entries(flow.settings).map(([key, value]) => [key, h("input", { value, list: `setting-${key}-choices`, onfocus: offerChoices(flow.id, key) })]);
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
  const save = async () => {
    feedback.replaceChildren();
    for (const note of root.querySelectorAll(".row-error")) note.remove();
    for (const row of root.querySelectorAll("tr.invalid")) row.classList.remove("invalid");
    for (const input of root.querySelectorAll("tr [aria-invalid]")) input.removeAttribute("aria-invalid");
    const mappingRows = [...mappingBody.children].filter((r) => r.mapping);
    const filterRows = [...filterBody.children].filter((r) => r.filter);
    try {
      await api("PUT", `api/flows/${flow.id}`, {
        schedule: schedule.value(),
        settings: Object.fromEntries(settings.map(([k, input]) => [k, input.value])),
        mapping: mappingRows.map((r) => r.mapping()),
        filter: filterRows.map((r) => r.filter()),
      });
      feedback.replaceChildren(h("div", { class: "banner ok", role: "status" }, "Saved."));
    } catch (error) {
      feedback.replaceChildren(errorBanner(error));
      // Each refusal also under the row it is about (mapping[2].type, filter[0].value), where the admin fixes it.
      if (error.body?.errors?.schedule) schedule.showRefusal([].concat(error.body.errors.schedule).join(" "));
      for (const [key, messages] of Object.entries(error.body?.errors ?? {})) {
        const match = key.match(/^(mapping|filter)\[(\d+)\]/);
        const row = match && (match[1] === "mapping" ? mappingRows : filterRows)[Number(match[2])];
        if (!row) continue;
        row.classList.add("invalid");
        for (const input of row.querySelectorAll("input, select")) input.setAttribute("aria-invalid", "true");
        row.after(h("tr", { class: "row-error" }, h("td", { colspan: "8", class: "error" }, `${key}: ${[].concat(messages).join(" ")}`)));
      }
    }
  };
  root.append(targetList, sourceList,
    h("form", {
      onsubmit: (event) => { event.preventDefault(); return working(event.submitter, () => save()); },
    },
    schedule.card,
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

// A setting whose values the systems decide (send-to-intacct's documentType: the Intacct company's own transaction
// definitions) offers them as a list when it is chosen; a setting without a list answers 404 and stays plain text.
function offerChoices(flowId, setting) {
  let asked = false;
  return async (event) => {
    if (asked) return;
    asked = true;
    const input = event.target;
    try {
      const { data } = await api("GET", `api/flows/${flowId}/settings/${encodeURIComponent(setting)}/choices`);
      input.after(h("datalist", { id: `setting-${setting}-choices` }, data.choices.map((c) => h("option", { value: c }))));
    } catch {
      asked = false; // no list now (none for this setting, or Intacct not reachable): the value stays free text
    }
  };
}

/** Runs load a page at a time, newest first; older pages are asked with before={the oldest id shown}. */
export const RUNS_PAGE = 200;

export async function runsPage(root) {
  const flows = await get("api/flows");
  const names = new Map(flows.map((f) => [f.id, f.name]));
  const flowSelect = h("select", {}, h("option", { value: "" }, "All flows"), flows.map((f) => h("option", { value: f.id }, f.name)));
  flowSelect.value = names.has(page.query.get("flow")) ? page.query.get("flow") : "";
  const body = h("tbody", {});
  const shown = h("p", { class: "muted small", id: "runs-shown" });
  const news = h("p", { class: "visually-hidden", "aria-live": "polite" });
  const older = h("button", { type: "button", class: "ghost", onclick: (event) => working(event.currentTarget, loadOlder) }, "Show older runs");
  const loaded = new Map();
  let more = false;
  const ask = (limit, before) => get(`api/runs?limit=${limit}${flowSelect.value ? `&flowId=${encodeURIComponent(flowSelect.value)}` : ""}${before ? `&before=${before}` : ""}`);
  const row = (r) => h("tr", {},
    h("td", {}, h("a", { href: `#/runs/${r.id}` }, `#${r.id}`)), h("td", {}, names.get(r.flowId) ?? r.flowId, h("div", { class: "muted small" }, r.flowId)),
    h("td", {}, statePill(r.state)), h("td", {}, r.trigger), h("td", {}, when(r.startedAt)), h("td", { class: "num" }, String(r.readCount)),
    h("td", { class: "num" }, String(r.createdCount)), h("td", { class: "num" }, String(r.updatedCount)), h("td", { class: "num" }, String(r.unchangedCount)),
    h("td", { class: "num" }, String(r.failedCount)));
  // Rows are updated in place (syncRows): a refresh neither takes focus nor moves the page; new runs are announced.
  const draw = () => {
    const runs = [...loaded.values()].sort((a, b) => b.id - a.id);
    const added = runs.length ? syncRows(body, runs, (r) => r.id, row) : (body.replaceChildren(h("tr", {}, h("td", { colspan: "10", class: "muted" }, "No runs yet."))), []);
    shown.textContent = more ? `Showing the latest ${runs.length} runs.` : `Showing all ${runs.length} runs.`;
    older.hidden = !more;
    return added;
  };
  const take = (runs) => { for (const r of runs) loaded.set(r.id, r); };
  const first = async () => {
    loaded.clear();
    body.replaceChildren();
    const runs = await ask(RUNS_PAGE);
    more = runs.length === RUNS_PAGE;
    take(runs);
    draw();
  };
  async function loadOlder() {
    const runs = await ask(RUNS_PAGE, Math.min(...loaded.keys()));
    more = runs.length === RUNS_PAGE;
    take(runs);
    draw();
  }
  const refresh = async () => {
    const runs = await ask(50);
    if (!more && loaded.size + runs.filter((r) => !loaded.has(r.id)).length > RUNS_PAGE) more = true;
    take(runs);
    const added = draw();
    if (added.length) news.textContent = `${added.length} new run${added.length === 1 ? "" : "s"}.`;
  };
  flowSelect.addEventListener("change", () => {
    // The filter is part of the address (#/runs?flow=...), without a new page load.
    history.replaceState(null, "", `#/runs${flowSelect.value ? `?flow=${encodeURIComponent(flowSelect.value)}` : ""}`);
    first().catch((error) => toast(error.message));
  });
  await first();
  every(3000, () => refresh().catch(() => {}));
  root.append(h("h1", {}, "Runs"), h("div", { class: "card" }, field("Flow", flowSelect)),
    h("section", { class: "card" }, shown, news, h("div", { class: "table-wrap", tabindex: "0" }, h("table", { "aria-describedby": "runs-shown" },
      h("thead", {}, h("tr", {}, ["Run", "Flow", "State", "Trigger", "Started", "Read", "Created", "Updated", "Unchanged", "Failed"].map((t, i) => h("th", { scope: "col", class: i >= 5 ? "num" : "" }, t)))),
      body)), h("div", { class: "actions", style: "margin-top:10px" }, older)));
}

/** The fields a run wrote, one line each: "Phone: +1 555 0100 → +1 555 0202" (old values of a created record are left out). */
export function changesCell(changes) {
  if (!changes?.length) return h("td", {}, "");
  return h("td", {}, h("ul", { class: "changes" }, changes.map((c) => h("li", {}, h("span", { class: "field" }, `${c.field}: `),
    c.old == null ? "" : h("del", {}, c.old === "" ? "(empty)" : c.old), c.old == null ? "" : " → ", h("ins", {}, c.new == null || c.new === "" ? "(empty)" : c.new)))));
}

export async function runPage(root, runId) {
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
      changesCell(r.changes), h("td", {}, r.error ?? ""), h("td", {}, when(r.at)), ...placesCells(r.places))));
  };
  outcome.addEventListener("change", draw);
  search.addEventListener("input", draw);
  draw();
  const progress = h("div", { "aria-live": "polite" }, runProgress(run));
  if (run.state === "running") followRun(`api/runs/${run.id}`, progress);
  root.append(h("p", {}, h("a", { href: "#/runs" }, "← Runs")), h("h1", {}, `Run #${run.id} of ${run.flowId}`), progress,
    h("div", { class: "card grid", style: "display:grid" }, field("Outcome", outcome), field("Search", search)),
    h("section", { class: "card" }, h("div", { class: "table-wrap", tabindex: "0" }, h("table", {},
      h("thead", {}, h("tr", {}, ["Name", "Source record", "Target record", "Outcome", "Changes", "Error", "At", "Creatio", "Intacct"].map((t) => h("th", { scope: "col" }, t)))), body))));
}
