// The console's keys page.
import { api, get, h, field, toast, when, pill, errorBanner } from "../core.js";

export async function keysPage(root) {
  root.append(h("h1", {}, "API keys"));
  const created = h("div", { "aria-live": "polite" });
  const name = h("input", { required: true, autocomplete: "off" });
  const role = h("select", {}, h("option", { value: "creatio" }, "creatio (the package's buttons and status)"), h("option", { value: "operator" }, "operator (runs, errors and the dashboard; may retry)"),
    h("option", { value: "admin" }, "admin (everything)"));
  const body = h("tbody", {});
  // A new key (created or rotated) is shown here once, with a copy button; nothing can show it again.
  const showOnce = (key, what) => {
    const secret = h("div", { class: "secret", id: "new-key" }, key.key);
    created.replaceChildren(h("div", { class: "banner ok", role: "status" }, h("strong", {}, `Key “${key.name}” ${what}.`),
      h("p", {}, "Copy it now: it is shown this once and cannot be read again."), secret,
      h("div", { class: "actions", style: "margin-top:8px" }, h("button", {
        type: "button",
        onclick: async () => { try { await navigator.clipboard.writeText(key.key); toast("Copied."); } catch { toast("Select the key and copy it."); } },
      }, "Copy the key"))));
  };
  const act = (k, label, question, work) => h("button", {
    type: "button", class: "ghost", "aria-label": `${label} ${k.name}`,
    onclick: async (event) => {
      if (!confirm(question)) return;
      event.currentTarget.disabled = true;
      try { await work(); } catch (error) { created.replaceChildren(errorBanner(error)); }
      await draw();
    },
  }, label);
  const draw = async () => {
    const keys = await get("api/keys");
    body.replaceChildren(...keys.map((k) => h("tr", {}, h("td", {}, k.name),
      h("td", {}, k.prefix ? h("code", { title: "How the key starts; the rest is never shown" }, `${k.prefix}…`) : h("span", { class: "muted" }, "own key")),
      h("td", {}, k.role), h("td", {}, when(k.createdAt)), h("td", {}, when(k.lastUsedAt)),
      h("td", {}, k.revokedAt ? pill("revoked", "bad") : pill("active", "ok")),
      h("td", {}, k.revokedAt ? "" : h("div", { class: "actions" },
        act(k, "Rotate", `Rotate the key “${k.name}”? It stops working at once and a new key with the same name and role is shown once: give it to whatever used the old one.`,
          async () => { showOnce((await api("POST", `api/keys/${k.id}/rotate`)).data, "rotated: the old key no longer works"); }),
        act(k, "Revoke", `Revoke the key “${k.name}”? Whatever uses it stops working at once.`,
          async () => { await api("DELETE", `api/keys/${k.id}`); toast(`Revoked ${k.name}.`); }))))));
  };
  root.append(h("section", { class: "card" }, h("h2", {}, "Create a key"),
    h("form", {
      class: "grid",
      onsubmit: async (event) => {
        event.preventDefault();
        try {
          showOnce((await api("POST", "api/keys", { name: name.value, role: role.value })).data, "created");
          name.value = "";
          await draw();
        } catch (error) {
          created.replaceChildren(errorBanner(error));
        }
      },
    }, field("Name", name), field("Role", role), h("div", { class: "form-actions" }, h("button", { type: "submit" }, "Create"))), created),
  h("section", { class: "card" }, h("div", { class: "table-wrap", tabindex: "0" }, h("table", {},
    h("thead", {}, h("tr", {}, ["Name", "Key", "Role", "Created", "Last used", "State", ""].map((t) => h("th", { scope: "col" }, t)))), body))));
  await draw();
}
