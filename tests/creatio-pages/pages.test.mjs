// The package's Freedom UI pages, run under Node with a fake `sdk` and `Terrasoft`: each button posts the record id
// to the package's back-end service and tells the user what happened. Run: node --test tests/creatio-pages
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import vm from "node:vm";

const schemas = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../creatio-package/Interweave/Schemas");
/** Values made inside the page's VM realm, as plain objects of this realm (deepEqual compares prototypes). */
const plain = (value) => JSON.parse(JSON.stringify(value));
const RECORD_ID = "d0000000-0000-4000-8000-000000000001";
const SERVICE_BASE = "https://crm.example.com/0";

/** Loads a page schema the way Creatio's loader does: an AMD define() whose factory receives the SDK. */
function loadPage(name, sdk) {
  const source = readFileSync(path.join(schemas, name, `${name}.js`), "utf8");
  let defined;
  const context = vm.createContext({
    define: (moduleName, deps, factory) => { defined = { moduleName, deps, factory }; },
    Terrasoft: {
      combinePath: (...parts) => parts.join("/"),
      utils: { uri: { getConfigurationWebServiceBaseUrl: () => SERVICE_BASE } },
    },
  });
  vm.runInContext(source, context, { filename: `${name}.js` });
  assert.equal(defined.moduleName, name, "define() names the schema");
  return { ...defined, schema: defined.factory(sdk), source };
}

/** A fake SDK whose HttpClientService answers with `answer` (or throws it when it is an Error). */
function fakeSdk(answer) {
  const posts = [];
  class HttpClientService {
    async post(url, body) {
      posts.push({ url, body });
      if (answer instanceof Error) throw answer;
      return { body: answer };
    }
  }
  return { sdk: { HttpClientService }, posts };
}

/** A page context: the record id, the busy flag and every request the handler executes. */
function fakeContext() {
  const executed = [];
  const context = {
    Id: Promise.resolve(RECORD_ID),
    UsrInterweaveBusy: false,
    busyWhilePosting: undefined,
    executeRequest: async (request) => { executed.push(request); },
  };
  return { context, executed };
}

async function click(page, requestName, context) {
  const handler = page.schema.handlers.find((h) => h.request === requestName);
  assert.ok(handler, `a handler for ${requestName}`);
  let passedOn = false;
  await handler.handler({ type: requestName, $context: context }, { handle: () => { passedOn = true; } });
  assert.ok(passedOn, "the handler passes the request on to the next one");
}

const buttons = [
  { page: "Opportunities_FormPage", button: "UsrSendToIntacctButton", request: "usr.SendToIntacctRequest", method: "SendOpportunityToIntacct" },
  { page: "Accounts_FormPage", button: "UsrSyncWithIntacctButton", request: "usr.SyncAccountWithIntacctRequest", method: "SyncAccountWithIntacct" },
  { page: "Products_FormPage", button: "UsrSyncWithIntacctButton", request: "usr.SyncProductWithIntacctRequest", method: "SyncProductWithIntacct" },
];

for (const { page: pageName, button, request, method } of buttons) {
  test(`${pageName}: the button sits in the header and raises ${request}`, () => {
    const page = loadPage(pageName, fakeSdk({}).sdk);
    const insert = page.schema.viewConfigDiff.find((d) => d.name === button);
    assert.equal(insert.operation, "insert");
    assert.equal(insert.parentName, "ActionButtonsContainer");
    assert.equal(insert.values.type, "crt.Button");
    assert.equal(insert.values.clicked.request, request);
    assert.equal(insert.values.disabled, "$UsrInterweaveBusy", "the button is disabled while a call runs");
    assert.deepEqual(plain(page.deps), ["@creatio-devkit/common"]);
  });

  test(`${pageName}: success posts the record id to UsrInterweaveService/${method}, shows the message and reloads`, async () => {
    const { sdk, posts } = fakeSdk({ [`${method}Result`]: { success: true, message: "Sent to Intacct as Sales Order SO-0001." } });
    const page = loadPage(pageName, sdk);
    const { context, executed } = fakeContext();

    await click(page, request, context);

    assert.deepEqual(plain(posts), [{ url: `${SERVICE_BASE}/rest/UsrInterweaveService/${method}`, body: { recordId: RECORD_ID } }]);
    const toasts = executed.filter((r) => r.type === "crt.NotificationRequest").map((r) => r.message);
    assert.equal(toasts.length, 2, "one toast while working, one with the result");
    assert.equal(toasts[1], "Sent to Intacct as Sales Order SO-0001.");
    assert.equal(executed.filter((r) => r.type === "crt.ShowDialogRequest").length, 0);
    const reload = executed.find((r) => r.type === "crt.LoadDataRequest");
    assert.equal(reload.dataSourceName, "PDS");
    assert.equal(reload.config.loadType, "reload");
    assert.equal(context.UsrInterweaveBusy, false, "the button is enabled again");
  });

  test(`${pageName}: a refusal shows the error and Intacct's correction in a dialog`, async () => {
    const { sdk } = fakeSdk({ [`${method}Result`]: {
      success: false,
      message: "Intacct did not accept the opportunity. Customer C-1001 is on hold. (Intacct error BL01001973)",
      correction: "Take the customer off hold in Intacct, then send again.",
    } });
    const page = loadPage(pageName, sdk);
    const { context, executed } = fakeContext();

    await click(page, request, context);

    const dialog = executed.find((r) => r.type === "crt.ShowDialogRequest");
    assert.ok(dialog, "an error is shown in a dialog, not a toast that disappears");
    assert.match(dialog.dialogConfig.data.message, /BL01001973/);
    assert.match(dialog.dialogConfig.data.message, /Take the customer off hold in Intacct, then send again\./);
    assert.equal(context.UsrInterweaveBusy, false);
  });

  test(`${pageName}: a failed call to Creatio's service is explained, and the button comes back`, async () => {
    const { sdk } = fakeSdk(new Error("Request failed with status 500"));
    const page = loadPage(pageName, sdk);
    const { context, executed } = fakeContext();

    await click(page, request, context);

    const dialog = executed.find((r) => r.type === "crt.ShowDialogRequest");
    assert.match(dialog.dialogConfig.data.message, /Creatio could not call Interweave: Request failed with status 500/);
    assert.equal(context.UsrInterweaveBusy, false);
  });

  test(`${pageName}: a second click while the first runs does not post again`, async () => {
    const { sdk, posts } = fakeSdk({ [`${method}Result`]: { success: true, message: "ok" } });
    const page = loadPage(pageName, sdk);
    const { context } = fakeContext();
    context.UsrInterweaveBusy = true;

    await click(page, request, context);

    assert.equal(posts.length, 0);
  });
}

test("every page keeps Creatio's section markers and names each resource string it uses in its metadata", () => {
  const pages = readdirSync(schemas).filter((n) => existsSync(path.join(schemas, n, `${n}.js`)));
  assert.ok(pages.length >= 7, `pages found: ${pages.join(", ")}`);
  for (const name of pages) {
    const source = readFileSync(path.join(schemas, name, `${name}.js`), "utf8");
    for (const marker of ["SCHEMA_DEPS", "SCHEMA_ARGS", "SCHEMA_VIEW_CONFIG_DIFF", "SCHEMA_VIEW_MODEL_CONFIG_DIFF", "SCHEMA_MODEL_CONFIG_DIFF", "SCHEMA_HANDLERS", "SCHEMA_CONVERTERS", "SCHEMA_VALIDATORS"]) {
      assert.equal(source.split(`/**${marker}*/`).length, 3, `${name}: /**${marker}*/ opens and closes once`);
    }
    const metadata = readFileSync(path.join(schemas, name, "metadata.json"), "utf8");
    const used = [...source.matchAll(/#ResourceString\((\w+)\)#|\$Resources\.Strings\.(\w+)/g)].map((m) => m[1] ?? m[2]);
    for (const key of used) assert.match(metadata, new RegExp(`"A2": "${key}"`), `${name}: string ${key} is declared`);
    const resources = readFileSync(path.join(schemas, "..", "Resources", `${name}.ClientUnit`, "resource.en-US.xml"), "utf8");
    for (const key of used) assert.match(resources, new RegExp(`Name="LocalizableStrings\\.${key}\\.Value"`), `${name}: string ${key} has an English value`);
    // The page must load: a syntax error would stop Creatio's whole page from opening.
    loadPage(name, fakeSdk({}).sdk);
  }
});

test("the browser never sees the sidecar or its key: pages only call Creatio's own service", () => {
  for (const { page } of buttons) {
    const source = readFileSync(path.join(schemas, page, `${page}.js`), "utf8");
    assert.doesNotMatch(source, /X-Api-Key|UsrInterweaveApiKey|SysSettingsService|\/api\//);
  }
});
