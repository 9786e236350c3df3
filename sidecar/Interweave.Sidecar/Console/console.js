// The Interweave admin console: one page, no build step, no third-party code. Everything it shows comes from the
// sidecar's documented /api routes, called with the key the admin signed in with (kept in session storage only).
// Paths are relative ("api/..."), so the console works under a reverse proxy's path prefix. Text from the systems
// (record names, error messages) is hostile input: it is only ever set as text, never as HTML.

import { KEY_STORAGE, session, page, get, h, field, errorBanner, operates, whenExact, working } from "./core.js";
import { dashboardPage } from "./pages/dashboard.js";
import { connectionsPage } from "./pages/connections.js";
import { flowsPage, flowPage, runsPage, runPage } from "./pages/flows.js";
import { errorsPage, errorPage } from "./pages/errors.js";
import { bindingsPage, bindingReportPage } from "./pages/bindings.js";
import { keysPage } from "./pages/keys.js";
import { auditPage } from "./pages/audit.js";
import { searchPage, historyPage, mountSearchBox } from "./pages/search.js";

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
    onsubmit: (event) => {
      event.preventDefault();
      feedback.replaceChildren();
      return working(event.submitter, async () => {
        try {
          await signIn(key.value.trim());
          render(); // the address asked for (a link to #/runs/5 pasted in a chat) is kept through the sign-in
        } catch (error) {
          feedback.replaceChildren(h("div", { class: "banner bad", role: "alert" },
            error.status === 401 ? "That key was not accepted." : error.message));
        }
      });
    },
  },
  h("h1", {}, "Sign in to Interweave"),
  h("p", { class: "muted" }, "Use an API key. An admin key opens the whole console; a creatio key shows the status page only."),
  field("API key", key),
  h("div", { class: "actions", style: "margin-top:14px" }, h("button", { type: "submit" }, "Sign in")),
  feedback);
  return form;
}

// [pattern, page, who may see it (true: admins; "ops": admins and operators), the page's title]
const routes = [
  [/^\/?$/, dashboardPage, false, "Dashboard"],
  [/^\/connections$/, connectionsPage, true, "Connections"],
  [/^\/flows$/, flowsPage, true, "Flows"],
  [/^\/flows\/([\w-]+)$/, flowPage, true, (id) => `Flow ${id}`],
  [/^\/runs$/, runsPage, "ops", "Runs"],
  [/^\/runs\/(\d+)$/, runPage, "ops", (id) => `Run #${id}`],
  [/^\/errors$/, errorsPage, "ops", "Error queue"],
  [/^\/errors\/(\d+)$/, errorPage, "ops", (id) => `Error #${id}`],
  [/^\/audit$/, auditPage, true, "Audit log"],
  [/^\/bindings$/, bindingsPage, true, "Bindings"],
  [/^\/bindings\/reports\/(\d+)$/, bindingReportPage, true, (id) => `Binding run #${id}`],
  [/^\/keys$/, keysPage, true, "API keys"],
  [/^\/search$/, (root) => searchPage(root, page.query.toString()), "ops", "Search"],
  [/^\/history$/, (root) => historyPage(root, page.query.toString()), "ops", "Record history"],
];

function notFoundPage(root) {
  root.append(h("h1", {}, "No such page"), h("p", {}, "The console has no page at this address. ", h("a", { href: "#/" }, "Go to the dashboard")));
}

const setTitle = (title) => { document.title = `${title} · Interweave console`; };

/** The failure of a page's load in words, with a way to try again; a sidecar that does not answer is named as such. */
function failurePage(title, error) {
  const unreachable = error instanceof TypeError; // fetch's own failure: no answer at all
  return [h("h1", {}, title),
    unreachable ? h("div", { class: "banner bad", role: "alert" }, h("strong", {}, "The sidecar did not answer."),
      h("p", {}, `It may be down or restarting (${error.message}), at ${whenExact(new Date())}.`)) : errorBanner(error),
    h("div", { class: "actions" }, h("button", { type: "button", onclick: () => render() }, "Try again"))];
}

async function render(message) {
  page.timers.forEach(clearInterval);
  page.timers = [];
  page.token += 1;
  const token = page.token;
  const main = document.getElementById("main");
  const nav = document.getElementById("nav");
  const signOutButton = document.getElementById("sign-out");
  if (session.key && !session.role) {
    main.setAttribute("aria-busy", "true");
    main.replaceChildren(h("p", { class: "muted loading" }, "Loading…"));
    try {
      await signIn(session.key);
    } catch (error) {
      main.removeAttribute("aria-busy");
      if (error.status === 401) return signOut("Your key is no longer accepted; sign in again.");
      main.replaceChildren(...failurePage("Interweave console", error));
      return;
    }
  }
  if (!session.key) {
    document.getElementById("search-form").hidden = true;
    nav.hidden = true;
    signOutButton.hidden = true;
    document.getElementById("who").textContent = "";
    setTitle("Sign in");
    main.removeAttribute("aria-busy");
    main.replaceChildren(signInPage(message));
    return;
  }
  nav.hidden = false;
  signOutButton.hidden = false;
  document.getElementById("who").textContent = session.role === "admin" ? "Signed in as admin"
    : session.role === "operator" ? "Signed in as operator (read-only; may retry)" : "Signed in with the creatio key (status only)";
  for (const link of nav.querySelectorAll("[data-admin]")) link.hidden = session.role !== "admin";
  for (const link of nav.querySelectorAll("[data-ops]")) link.hidden = !operates();
  mountSearchBox();

  // #/runs?flow=intacct-invoices: the path picks the page, the query its filters (page.query).
  const [path, query] = (location.hash.replace(/^#/, "") || "/").split("?");
  page.query = new URLSearchParams(query ?? "");
  const route = routes.find(([pattern]) => pattern.test(path || "/"));
  const [, build, who, title] = route ?? [null, notFoundPage, false, "No such page"];
  const match = route ? (path || "/").match(route[0]).slice(1) : [];
  const pageTitle = typeof title === "function" ? title(...match) : title;
  setTitle(pageTitle);
  for (const link of nav.querySelectorAll("a")) {
    const target = link.getAttribute("href").slice(1);
    link.toggleAttribute("aria-current", false);
    if (target === "/" ? (path || "/") === "/" : path.startsWith(target)) link.setAttribute("aria-current", "page");
  }
  if (who === "ops" ? !operates() : who && session.role !== "admin") {
    main.removeAttribute("aria-busy");
    main.replaceChildren(h("h1", {}, "Not available"), h("p", {}, "This page needs an admin key."));
    return;
  }
  // While the page builds, main says it is loading (aria-busy); what the page draws shows as it comes, as before.
  const content = h("div", {});
  const loading = h("p", { class: "muted loading", role: "status" }, `Loading ${pageTitle.toLowerCase()}…`);
  main.setAttribute("aria-busy", "true");
  main.replaceChildren(loading, content);
  try {
    await build(content, ...match);
    if (token !== page.token) return;
    loading.remove();
  } catch (error) {
    if (token !== page.token) return;
    main.replaceChildren(...failurePage(pageTitle, error));
  }
  main.removeAttribute("aria-busy");
  main.focus({ preventScroll: true });
}

// Rows stack as cards on narrow screens (console.css); each cell is labelled by its column's heading for that.
function labelCells(root) {
  const tables = root.matches("table") ? [root] : [...root.querySelectorAll("table")];
  for (const table of tables) {
    const headings = [...table.querySelectorAll("thead th")].map((th) => th.textContent);
    for (const row of table.querySelectorAll("tbody tr"))
      [...row.children].forEach((cell, i) => { if (headings[i] && cell.dataset.label !== headings[i]) cell.dataset.label = headings[i]; });
  }
}

// ---------- start ----------

document.getElementById("sign-out").addEventListener("click", () => signOut("Signed out."));
// The skip link moves focus to the page's content; as a plain #main it would change the route.
document.querySelector(".skip").addEventListener("click", (event) => {
  event.preventDefault();
  const main = document.getElementById("main");
  main.focus();
  main.scrollIntoView();
});
new MutationObserver((changes) => {
  for (const change of changes) for (const node of change.addedNodes) if (node.nodeType === 1) labelCells(node.closest?.("table") ?? node);
}).observe(document.getElementById("main"), { childList: true, subtree: true });
page.render = () => render();
window.addEventListener("hashchange", () => render());
session.expire = signOut;
render();
