// The README's first command, then what it suggests: the demo send, read back by the official SDK the way Sage
// documents SODOCUMENT (by CUSTVENDID and DOCPARID), and the invoice and payment pulls, read back from the Creatio
// simulator's OData exactly as the package's two list pages ask for their data.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { spawn } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const IA = require("@intacct/intacct-sdk");
require("./simulator"); // resolves sim.intacct.com to loopback for the SDK

const root = path.resolve(__dirname, "..", "..");
const adminKey = "iw-sandbox-admin-key-for-loopback-only-0001";
const demoOpportunity = "d0000000-0000-4000-8000-000000000001"; // O'Brien & Sons, linked to customer C-1001

function freePort() {
  return new Promise((resolve) => {
    const server = require("node:net").createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function startSandbox() {
  const sidecarUrl = `http://127.0.0.1:${await freePort()}`;
  const data = fs.mkdtempSync(path.join(os.tmpdir(), "interweave-sandbox-sdk-"));
  const dll = process.env.INTERWEAVE_SANDBOX_DLL;
  const args = ["--sidecar-url", sidecarUrl, "--intacct-url", "http://127.0.0.1:0", "--creatio-url", "http://127.0.0.1:0", "--data", data];
  // Its own process group, so that stopping it also stops the sidecar process it starts.
  const options = { detached: true, stdio: ["ignore", "pipe", "pipe"] };
  const child = dll ? spawn("dotnet", [dll, ...args], options)
    : spawn("dotnet", ["run", "--project", path.join(root, "tools", "Interweave.Sandbox"), "--", ...args], options);
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => reject(new Error(`sandbox did not start:\n${output}`)), 120000);
    const onData = (chunk) => {
      output += chunk.toString();
      if (output.includes("SANDBOX READY")) {
        clearTimeout(timer);
        resolve({
          sidecar: sidecarUrl,
          intacct: new URL(output.match(/Intacct simulator:\s+(http:\/\/\S+)/)[1]),
          creatio: output.match(/Creatio simulator:\s+(http:\/\/\S+)/)[1].replace(/\/$/, ""),
          stop: () => {
            try { process.kill(-child.pid, "SIGKILL"); } catch { /* already gone */ }
            fs.rmSync(data, { recursive: true, force: true });
          },
        });
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => { clearTimeout(timer); reject(new Error(`sandbox exited with ${code}:\n${output}`)); });
  });
}

let sandbox;
test.before(async () => { sandbox = await startSandbox(); });
test.after(() => sandbox && sandbox.stop());

test("the sandbox's demo send makes a Sales Order the official SDK reads back by CUSTVENDID and DOCPARID", async () => {
  const sent = await fetch(`${sandbox.sidecar}/api/opportunities/${demoOpportunity}/send-to-intacct`, { method: "POST", headers: { "X-Api-Key": adminKey } });
  const body = await sent.json();
  assert.equal(sent.status, 200, JSON.stringify(body));
  assert.equal(body.documentType, "Sales Order");

  const config = new IA.ClientConfig();
  Object.assign(config, { senderId: "interweave-sim", senderPassword: "sender-pass", companyId: "INTERWEAVE-DEMO", userId: "ws_user", userPassword: "user-pass" });
  config.endpointUrl = `http://sim.intacct.com:${sandbox.intacct.port}${sandbox.intacct.pathname}`;
  const client = new IA.OnlineClient(config);
  const Q = IA.Functions.Common.NewQuery;
  const query = new Q.Query()
    .assignSelectFields(new Q.QuerySelect.SelectBuilder().addFields(["DOCNO", "DOCPARID", "CUSTVENDID", "PONUMBER", "TOTAL"]).selects)
    .assignFromObject("SODOCUMENT")
    .assignDocParId("Sales Order")
    .assignFilter(new Q.QueryFilter.AndOperator([
      new Q.QueryFilter.Filter("CUSTVENDID").equalTo("C-1001"),
      new Q.QueryFilter.Filter("DOCPARID").equalTo("Sales Order"),
    ]));
  const result = (await client.execute(query)).getResult();
  result.ensureStatusSuccess();
  assert.equal(result.data.length, 1);
  assert.deepEqual(result.data[0], { DOCNO: body.documentNo, DOCPARID: "Sales Order", CUSTVENDID: "C-1001", PONUMBER: demoOpportunity, TOTAL: result.data[0].TOTAL });
  assert.ok(Number(result.data[0].TOTAL) > 0);
});

/** A list page's data source and paging, read from the package as Creatio's loader reads the schema. */
function listPage(name) {
  const source = fs.readFileSync(path.join(root, "creatio-package", "Interweave", "Schemas", name, `${name}.js`), "utf8");
  let schema;
  require("node:vm").runInNewContext(source, { define: (n, deps, factory) => { schema = factory(); } });
  const pds = schema.modelConfigDiff.find((m) => m.path.length === 0).values.dataSources.PDS;
  const items = schema.viewModelConfigDiff.find((m) => m.path.join("/") === "attributes/Items").values.modelConfig;
  return { entity: pds.config.entitySchemaName, columns: Object.values(pds.config.attributes).map((a) => a.path), items };
}

test("after the pulls, both sections list their records through OData as their list pages ask for them", async () => {
  for (const flow of ["intacct-invoices", "intacct-payments"]) {
    const started = await fetch(`${sandbox.sidecar}/api/flows/${flow}/runs`, { method: "POST", headers: { "X-Api-Key": adminKey } });
    assert.equal(started.status, 202);
    const location = new URL(started.headers.get("location"), sandbox.sidecar);
    let run;
    for (const deadline = Date.now() + 30000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 200))) {
      run = await (await fetch(location, { headers: { "X-Api-Key": adminKey } })).json();
      if (run.state !== "running") break;
    }
    assert.equal(run.state, "succeeded", JSON.stringify(run));
  }

  const login = await fetch(`${sandbox.creatio}/ServiceModel/AuthService.svc/Login`, {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ UserName: "Supervisor", UserPassword: "Supervisor" }),
  });
  const cookies = login.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  for (const [page, minimum] of [["UsrIntacctInvoice_ListPage", 3], ["UsrIntacctPayment_ListPage", 2]]) {
    const { entity, columns, items } = listPage(page);
    const metadata = fs.readFileSync(path.join(root, "creatio-package", "Interweave", "Schemas", entity, "metadata.json"), "utf8");
    const lookups = columns.filter((c) => new RegExp(`"A2": "${c}",[^}]*"S2": "b295071f`).test(metadata));
    const sort = items.sortingConfig.default[0];
    const query = new URLSearchParams({
      $select: ["Id", ...columns.filter((c) => !lookups.includes(c))].join(","),
      $expand: lookups.join(","),
      $orderby: `${sort.columnName} ${sort.direction}`,
      $top: String(items.pagingConfig.rowCount),
    });
    const answer = await fetch(`${sandbox.creatio}/0/odata/${entity}?${query}`, { headers: { Cookie: cookies, Accept: "application/json" } });
    const body = await answer.text();
    assert.equal(answer.status, 200, body);
    const rows = JSON.parse(body).value;
    assert.ok(rows.length >= minimum, `${entity}: ${rows.length} rows`);
    for (const row of rows) {
      assert.ok(row.UsrNumber, `${entity}: a row without its number`);
      assert.ok(row.UsrAccount && row.UsrAccount.Name, `${entity}: a row without its account`);
    }
    const dates = rows.map((r) => r.UsrDate);
    assert.deepEqual(dates, [...dates].sort().reverse(), `${entity}: sorted by ${sort.columnName} ${sort.direction}`);
  }
});
