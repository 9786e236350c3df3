// The flow page's schedule: a picker for the common shapes that writes the Quartz cron, the raw cron beside it, and the
// next three firings as the sidecar's scheduler computes them (GET api/flows/{id}/schedule-preview), in UTC and in the
// browser's time zone. The sidecar is the authority: what it refuses shows under the field in its own words.
import { api, h, field, whenExact } from "../core.js";

const pad = (n) => String(n).padStart(2, "0");
const WEEKDAYS = "MON-FRI";

/** The picker's shape of a cron expression, or null when it has none of them (then it is edited as raw cron). */
export function scheduleShape(cron) {
  const parts = (cron ?? "").trim().split(/\s+/);
  if (!cron || !cron.trim()) return { mode: "manual" };
  if (parts.length !== 6) return null;
  const [sec, min, hour, dom, month, dow] = parts;
  if (sec !== "0" || month !== "*") return null;
  const everyDay = (dom === "*" && dow === "?") || (dom === "?" && dow === "*");
  const weekdays = dom === "?" && dow === WEEKDAYS;
  const minute = (v) => /^\d{1,2}$/.test(v) && Number(v) < 60;
  const hourOk = (v) => /^\d{1,2}$/.test(v) && Number(v) < 24;
  let m;
  if (everyDay && hour === "*" && (m = min.match(/^(\d{1,2})\/(\d{1,2})$/)) && minute(m[1]) && Number(m[2]) >= 1 && Number(m[2]) < 60)
    return { mode: "minutes", every: Number(m[2]), from: Number(m[1]) };
  if (everyDay && hour === "*" && minute(min)) return { mode: "hourly", minute: Number(min) };
  if ((everyDay || weekdays) && hourOk(hour) && minute(min)) return { mode: weekdays ? "weekdays" : "daily", time: `${pad(hour)}:${pad(min)}` };
  return null;
}

/** The Quartz cron expression (UTC, seconds first) for a picker shape. */
export function scheduleCron(shape) {
  switch (shape.mode) {
    case "manual": return "";
    case "minutes": return `0 ${shape.from ?? 0}/${shape.every} * * * ?`;
    case "hourly": return `0 ${shape.minute} * * * ?`;
    case "daily":
    case "weekdays": {
      const [hh, mm] = (shape.time || "00:00").split(":").map(Number);
      return shape.mode === "daily" ? `0 ${mm} ${hh} * * ?` : `0 ${mm} ${hh} ? * ${WEEKDAYS}`;
    }
    default: return null;
  }
}

/** A cron expression (Quartz, seconds first, UTC) in words where it has a common shape. */
export function describeSchedule(cron) {
  if (!cron || !cron.trim()) return "manual runs only";
  const shape = scheduleShape(cron);
  if (!shape) return `cron ${cron.trim()} (UTC)`;
  if (shape.mode === "minutes") return `every ${shape.every} minutes${shape.from ? `, from minute ${shape.from}` : ""} (UTC)`;
  if (shape.mode === "hourly") return `every hour at minute ${shape.minute} (UTC)`;
  if (shape.mode === "daily") return `every day at ${shape.time} UTC`;
  return `weekdays (Monday to Friday) at ${shape.time} UTC`;
}

/** The schedule card of the flow page; value() gives the cron to save. */
export function scheduleEditor(flow) {
  const cron = h("input", { value: flow.schedule ?? "", "aria-describedby": "schedule-preview schedule-error", spellcheck: "false", autocomplete: "off" });
  const mode = h("select", {},
    h("option", { value: "manual" }, "Manual runs only"), h("option", { value: "minutes" }, "Every N minutes"), h("option", { value: "hourly" }, "Every hour at minute M"),
    h("option", { value: "daily" }, "Every day at a time (UTC)"), h("option", { value: "weekdays" }, "Weekdays at a time (UTC)"), h("option", { value: "custom" }, "Custom (Quartz cron)"));
  const every = h("input", { type: "number", min: "1", max: "59", value: "15" });
  const from = h("input", { type: "number", min: "0", max: "59", value: "0" });
  const minute = h("input", { type: "number", min: "0", max: "59", value: "0" });
  const time = h("input", { type: "time", value: "06:00" });
  const parts = {
    minutes: [field("Every (minutes)", every), field("Starting at minute", from)],
    hourly: [field("At minute", minute)],
    daily: [field("At (UTC, 24-hour)", time)],
  };
  parts.weekdays = parts.daily;
  const partsBox = h("div", { class: "grid schedule-parts" });
  const preview = h("p", { id: "schedule-preview", class: "muted small" });
  // An alert only while it says something: an empty, hidden one would still be found as the page's alert.
  const error = h("p", { id: "schedule-error", class: "error", hidden: true });
  const refuse = (text) => { cron.setAttribute("aria-invalid", "true"); error.textContent = text; error.hidden = false; error.setAttribute("role", "alert"); };
  const next = h("div", { "aria-live": "polite", class: "schedule-next" });

  const showShape = (shape) => {
    mode.value = shape?.mode ?? "custom";
    if (shape?.mode === "minutes") { every.value = String(shape.every); from.value = String(shape.from); }
    if (shape?.mode === "hourly") minute.value = String(shape.minute);
    if (shape?.mode === "daily" || shape?.mode === "weekdays") time.value = shape.time;
    partsBox.replaceChildren(...(parts[mode.value] ?? []));
  };
  const fromPicker = () => {
    partsBox.replaceChildren(...(parts[mode.value] ?? []));
    if (mode.value === "custom") { cron.focus(); return; }
    cron.value = scheduleCron({ mode: mode.value, every: Number(every.value) || 1, from: Number(from.value) || 0, minute: Number(minute.value) || 0, time: time.value });
    changed();
  };
  let asked = 0;
  let timer = null;
  const changed = () => {
    preview.textContent = describeSchedule(cron.value);
    clearTimeout(timer);
    timer = setTimeout(askServer, 250);
  };
  // The sidecar computes the firings and checks the rules the save checks; the latest answer wins.
  const askServer = async () => {
    const ask = ++asked;
    const value = cron.value.trim();
    try {
      const { data } = await api("GET", `api/flows/${encodeURIComponent(flow.id)}/schedule-preview?cron=${encodeURIComponent(value)}`);
      if (ask !== asked) return;
      cron.removeAttribute("aria-invalid");
      error.textContent = "";
      error.hidden = true;
      error.removeAttribute("role");
      next.replaceChildren(...(data.next.length === 0 ? [h("p", { class: "muted small" }, value ? "It does not fire again." : "No scheduled runs: the flow runs when started by hand.")]
        : [h("p", { class: "label" }, "Next runs"), h("ol", { class: "firings" }, data.next.map((at) => h("li", {}, whenExact(at, "UTC"), h("span", { class: "muted" }, ` · ${whenExact(at)} your time`))))]));
    } catch (failure) {
      if (ask !== asked) return;
      refuse([].concat(failure.body?.errors?.schedule ?? failure.message).join(" "));
      next.replaceChildren();
    }
  };
  mode.addEventListener("change", fromPicker);
  for (const input of [every, from, minute, time]) input.addEventListener("input", fromPicker);
  cron.addEventListener("input", () => { showShape(scheduleShape(cron.value)); changed(); });
  showShape(scheduleShape(flow.schedule));
  changed();

  const card = h("section", { class: "card", "aria-label": "Schedule" }, h("h2", {}, "Schedule"),
    h("div", { class: "grid schedule-picker" }, field("Repeat", mode), partsBox),
    field("Quartz cron expression (UTC, seconds first)", cron), preview, error, next,
    h("p", { class: "muted small" }, `Source: ${flow.source.system} ${flow.source.object} · Target: ${flow.target.system} ${flow.target.object}`));
  return { card, value: () => cron.value, showRefusal: refuse };
}
