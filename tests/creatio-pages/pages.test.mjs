// The package's Freedom UI pages under Node, inside Creatio's own @creatio-devkit/common (from npm): each button's
// handler runs in the devkit's HandlerChainService, posts the record id through the devkit's HttpClientService to the
// package's back-end service, and tells the user what happened through crt.* requests the host serves.
// Run: (cd tests/creatio-pages && npm ci && node --test)
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import vm from "node:vm";
import { sdk, CreatioHost } from "./creatio-host.mjs";

const schemas = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../creatio-package/Interweave/Schemas");
/** Values made inside the page's VM realm, as plain objects of this realm (deepEqual compares prototypes). */
const plain = (value) => JSON.parse(JSON.stringify(value));
const RECORD_ID = "d0000000-0000-4000-8000-000000000001";
const SERVICE_BASE = "https://crm.example.com/0";

/** Loads a page schema the way Creatio's loader does: an AMD define() whose factory receives the devkit. */
function loadPage(name) {
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

/**
 * A page open in the host: the record's view model ($context) and the platform handlers. The back-end service answers
 * through crt.HttpClientService with `answer` (or fails with it when it is an Error).
 */
function openPage(pageName, answer) {
  const host = new CreatioHost();
  host.serve("crt.HttpClientService", (request) => {
    if (answer instanceof Error) throw answer;
    return { body: answer };
  });
  host.serve("crt.NotificationRequest");
  host.serve("crt.ShowDialogRequest");
  host.serve("crt.LoadDataRequest");
  const page = loadPage(pageName);
  host.openPage(pageName, page.schema);
  const context = { Id: Promise.resolve(RECORD_ID), UsrInterweaveBusy: false };
  return { host, page, context, posts: () => host.of("crt.HttpClientService").filter((r) => r.method === "post").map((r) => ({ url: r.args[0], body: r.args[1] })) };
}

async function click(host, requestName, context) {
  await host.raise({ type: requestName, $context: context });
}

const buttons = [
  { page: "Opportunities_FormPage", button: "UsrSendToIntacctButton", request: "usr.SendToIntacctRequest", method: "SendOpportunityToIntacct" },
  { page: "Accounts_FormPage", button: "UsrSyncWithIntacctButton", request: "usr.SyncAccountWithIntacctRequest", method: "SyncAccountWithIntacct" },
  { page: "Products_FormPage", button: "UsrSyncWithIntacctButton", request: "usr.SyncProductWithIntacctRequest", method: "SyncProductWithIntacct" },
];

for (const { page: pageName, button, request, method } of buttons) {
  test(`${pageName}: the button sits in the header and raises ${request}`, () => {
    const page = loadPage(pageName);
    const insert = page.schema.viewConfigDiff.find((d) => d.name === button);
    assert.equal(insert.operation, "insert");
    assert.equal(insert.parentName, "ActionButtonsContainer");
    assert.equal(insert.values.type, "crt.Button");
    assert.equal(insert.values.clicked.request, request);
    assert.equal(insert.values.disabled, "$UsrInterweaveBusy", "the button is disabled while a call runs");
    assert.deepEqual(plain(page.deps), ["@creatio-devkit/common"]);
  });

  test(`${pageName}: success posts the record id to UsrInterweaveService/${method}, shows the message and reloads`, async () => {
    const { host, context, posts } = openPage(pageName, { [`${method}Result`]: { success: true, message: "Sent to Intacct as Sales Order SO0001." } });

    await click(host, request, context);

    assert.deepEqual(plain(posts()), [{ url: `${SERVICE_BASE}/rest/UsrInterweaveService/${method}`, body: { recordId: RECORD_ID } }]);
    const toasts = host.of("crt.NotificationRequest").map((r) => r.message);
    assert.equal(toasts.length, 2, "one toast while working, one with the result");
    assert.equal(toasts[1], "Sent to Intacct as Sales Order SO0001.");
    assert.ok(host.of("crt.NotificationRequest").every((r) => r.$context === context), "each request carries the page's context");
    assert.equal(host.of("crt.ShowDialogRequest").length, 0);
    const reload = host.of("crt.LoadDataRequest")[0];
    assert.equal(reload.dataSourceName, "PDS");
    assert.equal(reload.config.loadType, "reload");
    assert.equal(context.UsrInterweaveBusy, false, "the button is enabled again");
    host.close();
  });

  test(`${pageName}: a refusal shows the error and Intacct's correction in a dialog`, async () => {
    const { host, context } = openPage(pageName, { [`${method}Result`]: {
      success: false,
      message: "Intacct did not accept the opportunity. Customer C-1001 is on hold. (Intacct error BL01001973)",
      correction: "Take the customer off hold in Intacct, then send again.",
    } });

    await click(host, request, context);

    const dialog = host.of("crt.ShowDialogRequest")[0];
    assert.ok(dialog, "an error is shown in a dialog, not a toast that disappears");
    assert.match(dialog.dialogConfig.data.message, /BL01001973/);
    assert.match(dialog.dialogConfig.data.message, /Take the customer off hold in Intacct, then send again\./);
    assert.equal(context.UsrInterweaveBusy, false);
    host.close();
  });

  test(`${pageName}: a failed call to Creatio's service is explained, and the button comes back`, async () => {
    const { host, context } = openPage(pageName, new Error("Request failed with status 500"));

    await click(host, request, context);

    const dialog = host.of("crt.ShowDialogRequest")[0];
    assert.match(dialog.dialogConfig.data.message, /Creatio could not call Interweave: Request failed with status 500/);
    assert.equal(context.UsrInterweaveBusy, false);
    host.close();
  });

  test(`${pageName}: a second click while the first runs does not post again`, async () => {
    const { host, context, posts } = openPage(pageName, { [`${method}Result`]: { success: true, message: "ok" } });
    context.UsrInterweaveBusy = true;

    await click(host, request, context);

    assert.equal(posts().length, 0);
    host.close();
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
    loadPage(name);
  }
});

test("the browser never sees the sidecar or its key: pages only call Creatio's own service", () => {
  for (const { page } of buttons) {
    const source = readFileSync(path.join(schemas, page, `${page}.js`), "utf8");
    assert.doesNotMatch(source, /X-Api-Key|UsrInterweaveApiKey|SysSettingsService|\/api\//);
  }
});

for (const listPage of ["UsrIntacctInvoice_ListPage", "UsrIntacctPayment_ListPage"]) {
  test(`${listPage}: a row opens its own record, as the grid's primary column hands it to the open action`, async () => {
    const page = loadPage(listPage);
    const primary = page.schema.viewConfigDiff.find((d) => d.name === "DataTable").values.primaryColumnName;
    // The row's view model: each item attribute the page declares, read from the data source's row by its modelConfig path.
    const declared = page.schema.viewModelConfigDiff.find((d) => d.path.join("/") === "attributes/Items/viewModelConfig/attributes").values;
    const loaded = { Id: RECORD_ID, UsrNumber: "ARINV-0001" }; // an EntityDataSource row always carries the primary column
    const item = Object.fromEntries(Object.entries(declared).map(([name, a]) => [name, loaded[a.modelConfig.path.split(".")[1]]]));
    assert.ok(primary in declared, `${primary} is not an item attribute, so the row has no id`);

    const host = new CreatioHost();
    host.serve("crt.UpdateRecordRequest");
    // What real list pages' open action raises: crt.UpdateRecordRequest with "recordId": "$Items.PDS_Id".
    await host.raise({ type: "crt.UpdateRecordRequest", itemsAttributeName: "Items", recordId: item[primary], $context: {} });

    assert.equal(host.of("crt.UpdateRecordRequest")[0].recordId, RECORD_ID);
    host.close();
  });
}
