// The console's connections page.
import { api, get, h, field, errorBanner } from "../core.js";

export const SECRET_MASK = "********";

export function secretInput(stored) {
  return h("input", { type: "password", autocomplete: "new-password", placeholder: stored ? "unchanged" : "" });
}

export async function loadOrNull(path) {
  try {
    return await get(path);
  } catch (error) {
    if (error.status === 404) return null;
    throw error;
  }
}

export function testResultBanner(result) {
  return h("div", { class: "banner ok", role: "status" }, h("strong", {}, `Connected to ${result.target}`),
    h("p", {}, `${result.message} User: ${result.user}${result.entityId ? `, entity ${result.entityId}` : ""}.`));
}

export async function connectionsPage(root) {
  root.append(h("h1", {}, "Connections"));
  const [intacct, creatio] = await Promise.all([loadOrNull("api/connections/intacct"), loadOrNull("api/connections/creatio")]);
  root.append(intacctForm(intacct), creatioForm(creatio));
}

export function intacctForm(stored) {
  const inputs = {
    companyId: h("input", { value: stored?.companyId ?? "", autocomplete: "off" }),
    senderId: h("input", { value: stored?.senderId ?? "", autocomplete: "off" }),
    senderPassword: secretInput(stored?.senderPassword === SECRET_MASK),
    userId: h("input", { value: stored?.userId ?? "", autocomplete: "off" }),
    userPassword: secretInput(stored?.userPassword === SECRET_MASK),
    entityId: h("input", { value: stored?.entityId ?? "", autocomplete: "off" }),
    endpointUrl: h("input", { value: stored?.endpointUrl ?? "https://api.intacct.com/ia/xml/xmlgw.phtml", type: "url" }),
  };
  const result = h("div", { "aria-live": "polite" });
  const hint = "In Intacct: Company > Setup > Company > Security for the Web Services authorizations (sender ids), and the web services user under Company > Admin > Web Services users.";
  const request = () => ({
    companyId: inputs.companyId.value, senderId: inputs.senderId.value, senderPassword: inputs.senderPassword.value || null,
    userId: inputs.userId.value, userPassword: inputs.userPassword.value || null, entityId: inputs.entityId.value || null,
    endpointUrl: inputs.endpointUrl.value || null,
  });
  const form = h("form", {
    class: "grid",
    "aria-label": "Intacct connection",
    onsubmit: async (event) => {
      event.preventDefault();
      result.replaceChildren(h("p", { class: "muted" }, "Signing in to Intacct…"));
      try {
        await api("PUT", "api/connections/intacct", request());
        const test = (await api("POST", "api/connections/intacct/test")).data;
        result.replaceChildren(testResultBanner(test));
        for (const secret of [inputs.senderPassword, inputs.userPassword]) { secret.value = ""; secret.placeholder = "unchanged"; }
      } catch (error) {
        result.replaceChildren(errorBanner(error, hint));
      }
    },
  },
  field("Company ID", inputs.companyId), field("Sender ID", inputs.senderId), field("Sender password", inputs.senderPassword),
  field("User ID", inputs.userId), field("User password", inputs.userPassword),
  field("Entity or location ID", inputs.entityId, "Leave empty to work at the top level."),
  field("Endpoint URL", inputs.endpointUrl),
  h("div", { class: "form-actions actions" }, h("button", { type: "submit" }, "Save and test"),
    stored ? h("button", { type: "button", class: "ghost", onclick: () => testStored("intacct", result, hint) }, "Test") : null));
  return h("section", { class: "card" }, h("h2", {}, "Sage Intacct"), form, result);
}

export async function testStored(system, result, hint) {
  result.replaceChildren(h("p", { class: "muted" }, "Testing…"));
  try {
    result.replaceChildren(testResultBanner((await api("POST", `api/connections/${system}/test`)).data));
  } catch (error) {
    result.replaceChildren(errorBanner(error, hint));
  }
}

export function creatioForm(stored) {
  const inputs = {
    baseUrl: h("input", { value: stored?.baseUrl ?? "", type: "url", placeholder: "https://yoursite.creatio.com" }),
    authMode: h("select", {}, h("option", { value: "forms" }, "User name and password"), h("option", { value: "oauth" }, "OAuth 2.0 client credentials")),
    userName: h("input", { value: stored?.userName ?? "", autocomplete: "off" }),
    password: secretInput(stored?.password === SECRET_MASK),
    clientId: h("input", { value: stored?.clientId ?? "", autocomplete: "off" }),
    clientSecret: secretInput(stored?.clientSecret === SECRET_MASK),
    identityUrl: h("input", { value: stored?.identityUrl ?? "", type: "url" }),
  };
  inputs.authMode.value = stored?.authMode ?? "forms";
  const formsFields = [field("User name", inputs.userName), field("Password", inputs.password)];
  const oauthFields = [field("Client ID", inputs.clientId), field("Client secret", inputs.clientSecret),
    field("Identity service URL", inputs.identityUrl, "Creatio's identity service, such as https://yoursite-is.creatio.com.")];
  const showMode = () => {
    for (const f of formsFields) f.hidden = inputs.authMode.value !== "forms";
    for (const f of oauthFields) f.hidden = inputs.authMode.value !== "oauth";
  };
  inputs.authMode.addEventListener("change", showMode);
  showMode();
  const result = h("div", { "aria-live": "polite" });
  const hint = "In Creatio: System Designer > Users and roles for the integration user, or OAuth integrated applications for a client.";
  const form = h("form", {
    class: "grid",
    "aria-label": "Creatio connection",
    onsubmit: async (event) => {
      event.preventDefault();
      result.replaceChildren(h("p", { class: "muted" }, "Signing in to Creatio…"));
      const forms = inputs.authMode.value === "forms";
      try {
        await api("PUT", "api/connections/creatio", {
          baseUrl: inputs.baseUrl.value, authMode: inputs.authMode.value,
          userName: forms ? inputs.userName.value : null, password: forms ? inputs.password.value || null : null,
          clientId: forms ? null : inputs.clientId.value, clientSecret: forms ? null : inputs.clientSecret.value || null,
          identityUrl: forms ? null : inputs.identityUrl.value || null,
        });
        result.replaceChildren(testResultBanner((await api("POST", "api/connections/creatio/test")).data));
        for (const secret of [inputs.password, inputs.clientSecret]) { secret.value = ""; secret.placeholder = "unchanged"; }
      } catch (error) {
        result.replaceChildren(errorBanner(error, hint));
      }
    },
  },
  field("Site URL", inputs.baseUrl), field("Sign-in", inputs.authMode), formsFields, oauthFields,
  h("div", { class: "form-actions actions" }, h("button", { type: "submit" }, "Save and test"),
    stored ? h("button", { type: "button", class: "ghost", onclick: () => testStored("creatio", result, hint) }, "Test") : null));
  return h("section", { class: "card" }, h("h2", {}, "Creatio"), form, result);
}
