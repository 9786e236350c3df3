// The console's keys page.
import { api, get, h, field, toast, when, pill, errorBanner } from "../core.js";

export async function keysPage(root) {
  root.append(h("h1", {}, "API keys"));
  const created = h("div", { "aria-live": "polite" });
  const name = h("input", { required: true, autocomplete: "off" });
  const role = h("select", {}, h("option", { value: "creatio" }, "creatio (the package's buttons and status)"), h("option", { value: "operator" }, "operator (runs, errors and the dashboard; may retry)"),
    h("option", { value: "admin" }, "admin (everything)"));
  const body = h("tbody", {});
  const draw = async () => {
    const keys = await get("api/keys");
    body.replaceChildren(...keys.map((k) => h("tr", {}, h("td", {}, k.name), h("td", {}, k.role), h("td", {}, when(k.createdAt)), h("td", {}, when(k.lastUsedAt)),
      h("td", {}, k.revokedAt ? pill("revoked", "bad") : pill("active", "ok")),
      h("td", {}, k.revokedAt ? "" : h("button", {
        type: "button", class: "ghost", "aria-label": `Revoke ${k.name}`,
        onclick: async () => {
          if (!confirm(`Revoke the key “${k.name}”? Whatever uses it stops working at once.`)) return;
          try { await api("DELETE", `api/keys/${k.id}`); toast(`Revoked ${k.name}.`); } catch (error) { toast(error.message); }
          await draw();
        },
      }, "Revoke")))));
  };
  root.append(h("section", { class: "card" }, h("h2", {}, "Create a key"),
    h("form", {
      class: "grid",
      onsubmit: async (event) => {
        event.preventDefault();
        try {
          const key = (await api("POST", "api/keys", { name: name.value, role: role.value })).data;
          const secret = h("div", { class: "secret", id: "new-key" }, key.key);
          created.replaceChildren(h("div", { class: "banner ok", role: "status" }, h("strong", {}, `Key “${key.name}” created.`),
            h("p", {}, "Copy it now: it is shown this once and cannot be read again."), secret,
            h("div", { class: "actions", style: "margin-top:8px" }, h("button", {
              type: "button",
              onclick: async () => { try { await navigator.clipboard.writeText(key.key); toast("Copied."); } catch { toast("Select the key and copy it."); } },
            }, "Copy the key"))));
          name.value = "";
          await draw();
        } catch (error) {
          created.replaceChildren(errorBanner(error));
        }
      },
    }, field("Name", name), field("Role", role), h("div", { class: "form-actions" }, h("button", { type: "submit" }, "Create"))), created),
  h("section", { class: "card" }, h("div", { class: "table-wrap", tabindex: "0" }, h("table", {},
    h("thead", {}, h("tr", {}, ["Name", "Role", "Created", "Last used", "State", ""].map((t) => h("th", { scope: "col" }, t)))), body))));
  await draw();
}
