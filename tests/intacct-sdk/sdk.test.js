// The official @intacct/intacct-sdk, unchanged but for the endpoint URL, against our simulator.
// Where the SDK and the simulator disagree, the simulator is wrong.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const IA = require("@intacct/intacct-sdk");
const { startSimulator } = require("./simulator");

let simulator;

test.before(async () => {
  simulator = await startSimulator();
});

test.after(() => simulator && simulator.stop());

function loginConfig(overrides = {}) {
  const config = new IA.ClientConfig();
  config.senderId = "interweave-sim";
  config.senderPassword = "sender-pass";
  config.companyId = "INTERWEAVE-DEMO";
  config.userId = "ws_user";
  config.userPassword = "user-pass";
  config.endpointUrl = simulator.endpointUrl;
  return Object.assign(config, overrides);
}

async function sessionClient() {
  const sessionConfig = await IA.SessionProvider.factory(loginConfig());
  return { client: new IA.OnlineClient(sessionConfig), config: sessionConfig };
}

function newCustomer(id, name, accountId) {
  const create = new IA.Functions.AccountsReceivable.CustomerCreate();
  create.customerId = id;
  create.customerName = name;
  create.primaryEmailAddress = `${id.toLowerCase()}@example.com`;
  if (accountId) create.customFields = [["ACCOUNTID", accountId]];
  return create;
}

test("a session is created and reused for later calls", async () => {
  const { client, config } = await sessionClient();
  assert.ok(config.sessionId.length > 10);
  assert.equal(config.endpointUrl, simulator.endpointUrl);
  assert.equal(config.companyId, "INTERWEAVE-DEMO");
  assert.equal(config.userId, "ws_user");

  const read = new IA.Functions.Common.ReadByQuery();
  read.objectName = "CUSTOMER";
  const response = await client.execute(read);
  assert.equal(response.authentication.status, "success");
  assert.equal(response.getResult().status, "success");
});

test("a customer is created with the ACCOUNTID custom field and read back", async () => {
  const { client } = await sessionClient();
  const accountId = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";
  const response = await client.execute(newCustomer("SDK-C1", "O'Brien & Sons <UK>", accountId));
  const result = response.getResult();
  result.ensureStatusSuccess();
  assert.equal(result.data[0]["CUSTOMERID"], "SDK-C1");
  assert.match(result.data[0]["RECORDNO"], /^\d+$/);

  const read = new IA.Functions.Common.Read();
  read.objectName = "CUSTOMER";
  read.keys = [Number(result.data[0]["RECORDNO"])];
  const readResult = (await client.execute(read)).getResult();
  readResult.ensureStatusSuccess();
  assert.equal(readResult.data[0]["NAME"], "O'Brien & Sons <UK>");
  assert.equal(readResult.data[0]["ACCOUNTID"], accountId);
  assert.equal(readResult.data[0]["STATUS"], "active");
  assert.equal(readResult.data[0]["DISPLAYCONTACT"]["EMAIL1"], "sdk-c1@example.com");
});

test("readByQuery with a quoted value, then readMore over several pages", async () => {
  const { client } = await sessionClient();
  for (let i = 0; i < 7; i++) {
    (await client.execute(newCustomer(`PAGE-${i}`, `Paged Customer ${i}`, `acct-${i}`))).getResult().ensureStatusSuccess();
  }

  const query = new IA.Functions.Common.ReadByQuery();
  query.objectName = "CUSTOMER";
  query.fields = ["RECORDNO", "CUSTOMERID", "NAME", "ACCOUNTID"];
  query.pageSize = 3;
  query.query = new IA.Functions.Common.Query.QueryString("CUSTOMERID LIKE 'PAGE-%'");
  let result = (await client.execute(query)).getResult();
  result.ensureStatusSuccess();
  assert.equal(result.totalCount, 7);
  assert.equal(result.count, 3);
  assert.equal(result.numRemaining, 4);
  const seen = result.data.map((c) => c["CUSTOMERID"]);

  while (result.numRemaining > 0) {
    const more = new IA.Functions.Common.ReadMore();
    more.resultId = result.resultId;
    result = (await client.execute(more)).getResult();
    result.ensureStatusSuccess();
    seen.push(...result.data.map((c) => c["CUSTOMERID"]));
  }
  assert.deepEqual(seen.sort(), ["PAGE-0", "PAGE-1", "PAGE-2", "PAGE-3", "PAGE-4", "PAGE-5", "PAGE-6"]);

  // The SDK escapes a quote in a value with a backslash.
  const byName = new IA.Functions.Common.Query.Comparison.EqualTo.EqualToString();
  byName.field = "NAME";
  byName.value = "O'Brien & Sons <UK>";
  const quoted = new IA.Functions.Common.ReadByQuery();
  quoted.objectName = "CUSTOMER";
  quoted.query = byName;
  const quotedResult = (await client.execute(quoted)).getResult();
  quotedResult.ensureStatusSuccess();
  assert.equal(quotedResult.count, 1);
  assert.equal(quotedResult.data[0]["CUSTOMERID"], "SDK-C1");
});

test("query selects, filters, orders and pages with offset", async () => {
  const { client } = await sessionClient();
  const Q = IA.Functions.Common.NewQuery;
  const query = new Q.Query()
    .assignSelectFields(new Q.QuerySelect.SelectBuilder().addFields(["CUSTOMERID", "NAME"]).selects)
    .assignFromObject("CUSTOMER")
    .assignFilter(new Q.QueryFilter.AndOperator([
      new Q.QueryFilter.Filter("CUSTOMERID").like("PAGE-%"),
      new Q.QueryFilter.Filter("CUSTOMERID").notEqualTo("PAGE-0"),
    ]))
    .assignOrderBy(new Q.QueryOrderBy.OrderBuilder().addDescending("CUSTOMERID").orders)
    .assignPageSize(4)
    .assignOffset(1);
  const result = (await client.execute(query)).getResult();
  result.ensureStatusSuccess();
  assert.equal(result.totalCount, 6);
  assert.equal(result.count, 4);
  assert.equal(result.numRemaining, 1);
  assert.deepEqual(result.data.map((c) => c["CUSTOMERID"]), ["PAGE-5", "PAGE-4", "PAGE-3", "PAGE-2"]);
  assert.deepEqual(Object.keys(result.data[0]).sort(), ["CUSTOMERID", "NAME"]);
});

test("a customer is updated and deleted", async () => {
  const { client } = await sessionClient();
  (await client.execute(newCustomer("SDK-UPD", "Before Rename"))).getResult().ensureStatusSuccess();

  const update = new IA.Functions.AccountsReceivable.CustomerUpdate();
  update.customerId = "SDK-UPD";
  update.customerName = "After Rename";
  (await client.execute(update)).getResult().ensureStatusSuccess();

  const byName = new IA.Functions.Common.ReadByName();
  byName.objectName = "CUSTOMER";
  byName.names = ["SDK-UPD"];
  const read = (await client.execute(byName)).getResult();
  assert.equal(read.data[0]["NAME"], "After Rename");

  const remove = new IA.Functions.AccountsReceivable.CustomerDelete();
  remove.customerId = "SDK-UPD";
  (await client.execute(remove)).getResult().ensureStatusSuccess();
  const gone = (await client.execute(byName)).getResult();
  assert.equal(gone.count, 0);
});

test("a duplicate customer id fails that function with Intacct's error", async () => {
  const { client } = await sessionClient();
  (await client.execute(newCustomer("SDK-DUP", "First"))).getResult().ensureStatusSuccess();
  await assert.rejects(client.execute(newCustomer("SDK-DUP", "Second")), (e) => {
    assert.ok(e instanceof IA.Exceptions.ResultException);
    assert.match(e.errors.join("\n"), /BL01001973/);
    assert.match(e.errors.join("\n"), /SDK-DUP already exists/);
    return true;
  });
});

test("several functions in one request each get their own result", async () => {
  const { client } = await sessionClient();
  const response = await client.executeBatch([newCustomer("SDK-B1", "Batch One"), newCustomer("SDK-B1", "Batch Dup"), newCustomer("SDK-B2", "Batch Two")]);
  assert.deepEqual(response.results.map((r) => r.status), ["success", "failure", "success"]);
  assert.equal(new Set(response.results.map((r) => r.controlId)).size, 3);
});

test("a transaction is all or nothing", async () => {
  const { client } = await sessionClient();
  const config = new IA.RequestConfig();
  config.transaction = true;
  // The SDK turns a failed transaction into an exception; what matters is that nothing was kept.
  await assert.rejects(client.executeBatch([newCustomer("SDK-T1", "Txn One"), newCustomer("SDK-T1", "Txn Dup")], config),
    (e) => e instanceof IA.Exceptions.ResultException && /SDK-T1 already exists/.test(e.errors.join("\n")));
  const byName = new IA.Functions.Common.ReadByName();
  byName.objectName = "CUSTOMER";
  byName.names = ["SDK-T1"];
  assert.equal((await client.execute(byName)).getResult().count, 0);
});

test("wrong user credentials fail authentication", async () => {
  const client = new IA.OnlineClient(loginConfig({ userPassword: "wrong" }));
  const read = new IA.Functions.Common.ReadByQuery();
  read.objectName = "CUSTOMER";
  await assert.rejects(client.execute(read), (e) => {
    assert.ok(e instanceof IA.Exceptions.ResponseException);
    assert.match(e.message, /^Response authentication status failure/);
    assert.match(e.errors.join("\n"), /XL03000006/);
    return true;
  });
});

test("a wrong sender password fails at the control level", async () => {
  const client = new IA.OnlineClient(loginConfig({ senderPassword: "wrong" }));
  const read = new IA.Functions.Common.ReadByQuery();
  read.objectName = "CUSTOMER";
  await assert.rejects(client.execute(read), (e) => {
    assert.match(e.message, /^Response control status failure/);
    assert.match(e.errors.join("\n"), /XL03000006/);
    return true;
  });
});

test("a sender that is not authorized for the company is refused with the fix named", async () => {
  const client = new IA.OnlineClient(loginConfig({ senderId: "other-sender", senderPassword: "other-pass" }));
  const read = new IA.Functions.Common.ReadByQuery();
  read.objectName = "CUSTOMER";
  await assert.rejects(client.execute(read), (e) => {
    assert.match(e.message, /^Response control status failure/);
    assert.match(e.errors.join("\n"), /Web Services authorizations/);
    return true;
  });
});
