// The README's first command, then the demo send it suggests, then the official SDK reading the document back the
// way Sage documents SODOCUMENT: by CUSTVENDID and DOCPARID. Nobody here wrote the client that reads it.
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

test("the sandbox's demo send makes a Sales Order the official SDK reads back by CUSTVENDID and DOCPARID", async (t) => {
  const sandbox = await startSandbox();
  t.after(() => sandbox.stop());

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
