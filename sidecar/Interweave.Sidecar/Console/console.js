// The Interweave admin console: one page, no build step, no third-party code. Everything it shows comes from the
// sidecar's documented /api routes, called with the key the admin signed in with (kept in session storage only).
// Paths are relative ("api/..."), so the console works under a reverse proxy's path prefix. Text from the systems
// (record names, error messages) is hostile input: it is only ever set as text, never as HTML.

import { KEY_STORAGE, session, page, api, get, h, field, errorBanner, operates } from "./core.js";
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
  [/^\/search(?:\?(.*))?$/, searchPage, "ops"],
  [/^\/history(?:\?(.*))?$/, historyPage, "ops"],
];

async function render(message) {
  page.timers.forEach(clearInterval);
  page.timers = [];
  page.token += 1;
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
    document.getElementById("search-form").hidden = true;
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
  mountSearchBox();

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

// ---------- start ----------

document.getElementById("sign-out").addEventListener("click", () => signOut("Signed out."));
window.addEventListener("hashchange", () => render());
session.expire = signOut;
render();
