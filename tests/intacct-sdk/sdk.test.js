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

// ---- Order Entry and Accounts Receivable, used exactly as the SDK's README shows: build the function, execute, read the result ----

const F = IA.Functions;
const Q = IA.Functions.Common.NewQuery;

async function ensureCustomerAndItem(client, customerId, itemId) {
  await client.execute(newCustomer(customerId, `Customer ${customerId}`));
  const item = new F.InventoryControl.ItemCreate();
  item.itemId = itemId;
  item.itemName = `Item ${itemId}`;
  item.itemType = "Non-Inventory (Sales only)";
  item.basePrice = 49.5;
  (await client.execute(item)).getResult().ensureStatusSuccess();
}

function salesLine(itemId, quantity, price) {
  const line = new F.OrderEntry.OrderEntryTransactionLineCreate();
  line.itemId = itemId;
  line.quantity = quantity;
  if (price !== undefined) line.price = price;
  return line;
}

async function query(client, objectName, fields, filter, docParId) {
  let q = new Q.Query().assignSelectFields(new Q.QuerySelect.SelectBuilder().addFields(fields).selects).assignFromObject(objectName);
  if (filter) q = q.assignFilter(filter);
  if (docParId) q = q.assignDocParId(docParId);
  const result = (await client.execute(q)).getResult();
  result.ensureStatusSuccess();
  return result.data;
}

test("OrderEntryTransactionCreate makes a Sales Order that reads back through CUSTVENDID and DOCPARID", async () => {
  const { client } = await sessionClient();
  await ensureCustomerAndItem(client, "OE-C1", "OE-I1");
  const create = new F.OrderEntry.OrderEntryTransactionCreate();
  create.transactionDefinition = "Sales Order";
  create.transactionDate = new Date(2026, 10, 24);
  create.customerId = "OE-C1";
  create.referenceNumber = "opportunity-1";
  create.paymentTerm = "Net 30";
  create.transactionCurrency = "USD";
  create.lines = [salesLine("OE-I1", 2), salesLine("OE-I1", 1, 10)];
  const result = (await client.execute(create)).getResult();
  result.ensureStatusSuccess();
  assert.match(result.key, /^Sales Order-SO\d{4}$/);

  const byCustomer = await query(client, "SODOCUMENT", ["DOCID", "DOCPARID", "CUSTVENDID", "PONUMBER", "TOTAL", "STATE", "CUSTOMER.NAME"],
    new Q.QueryFilter.AndOperator([new Q.QueryFilter.Filter("CUSTVENDID").equalTo("OE-C1"), new Q.QueryFilter.Filter("DOCPARID").equalTo("Sales Order")]));
  assert.deepEqual(byCustomer, [{ DOCID: result.key, DOCPARID: "Sales Order", CUSTVENDID: "OE-C1", PONUMBER: "opportunity-1", TOTAL: "109", STATE: "Pending", "CUSTOMER.NAME": "Customer OE-C1" }]);
  assert.equal((await query(client, "SODOCUMENT", ["DOCID"], new Q.QueryFilter.Filter("CUSTVENDID").equalTo("OE-C1"), "Sales Invoice")).length, 0);

  const lines = await query(client, "SODOCUMENTENTRY", ["LINE_NO", "ITEMID", "QUANTITY", "PRICE"], new Q.QueryFilter.Filter("DOCHDRID").equalTo(result.key));
  assert.deepEqual(lines.map((l) => [l.LINE_NO, l.ITEMID, l.QUANTITY, l.PRICE]), [["1", "OE-I1", "2", "49.5"], ["2", "OE-I1", "1", "10"]]);

  const update = new F.OrderEntry.OrderEntryTransactionUpdate();
  update.transactionId = result.key;
  update.message = "Ship before Friday";
  (await client.execute(update)).getResult().ensureStatusSuccess();
  const readByQuery = new F.Common.ReadByQuery();
  readByQuery.objectName = "SODOCUMENT";
  readByQuery.docParId = "Sales Order";
  readByQuery.fields = ["DOCID", "MESSAGE"];
  readByQuery.query = new F.Common.Query.Comparison.EqualTo.EqualToString();
  readByQuery.query.field = "DOCID";
  readByQuery.query.value = result.key;
  const updated = (await client.execute(readByQuery)).getResult();
  updated.ensureStatusSuccess();
  assert.equal(updated.data[0]["MESSAGE"], "Ship before Friday");

  const remove = new F.OrderEntry.OrderEntryTransactionDelete();
  remove.documentId = result.key;
  (await client.execute(remove)).getResult().ensureStatusSuccess();
  assert.equal((await query(client, "SODOCUMENTENTRY", ["RECORDNO"], new Q.QueryFilter.Filter("DOCHDRID").equalTo(result.key))).length, 0);
});

test("InvoiceCreate, ArPaymentCreate, ArPaymentApply and ArPaymentReverse move the invoice's paid and due amounts", async () => {
  const { client } = await sessionClient();
  await ensureCustomerAndItem(client, "AR-C1", "AR-I1");
  const invoice = new F.AccountsReceivable.InvoiceCreate();
  invoice.customerId = "AR-C1";
  invoice.transactionDate = new Date(2026, 10, 1);
  invoice.dueDate = new Date(2026, 11, 1);
  invoice.referenceNumber = "opportunity-2";
  const line = new F.AccountsReceivable.InvoiceLineCreate();
  line.glAccountNumber = "4000";
  line.transactionAmount = 300;
  invoice.lines = [line];
  const created = (await client.execute(invoice)).getResult();
  created.ensureStatusSuccess();
  const invoiceKey = created.key;
  assert.match(invoiceKey, /^\d+$/);

  const item = new F.AccountsReceivable.ArPaymentItem();
  item.applyToRecordId = Number(invoiceKey);
  item.amountToApply = 100;
  const payment = new F.AccountsReceivable.ArPaymentCreate();
  payment.customerId = "AR-C1";
  payment.transactionPaymentAmount = 250;
  payment.bankAccountId = "BOA";
  payment.receivedDate = new Date(2026, 10, 20);
  payment.paymentMethod = "EFT";
  payment.transactionCurrency = "USD";
  payment.applyToTransactions = [item];
  const paid = (await client.execute(payment)).getResult();
  paid.ensureStatusSuccess();

  const apply = new F.AccountsReceivable.ArPaymentApply();
  apply.recordNo = Number(paid.key);
  apply.receivedDate = new Date(2026, 10, 21);
  const more = new F.AccountsReceivable.ArPaymentItem();
  more.applyToRecordId = Number(invoiceKey);
  more.amountToApply = 150;
  apply.applyToTransactions = [more];
  (await client.execute(apply)).getResult().ensureStatusSuccess();

  const read = new F.Common.Read();
  read.objectName = "ARINVOICE";
  read.keys = [Number(invoiceKey)];
  let state = (await client.execute(read)).getResult();
  assert.equal(state.listType, "ARINVOICE"); // read answers in upper case
  assert.deepEqual([state.data[0].STATE, state.data[0].TOTALPAID, state.data[0].TOTALDUE, state.data[0].DOCNUMBER], ["Partially Paid", "250", "50", "opportunity-2"]);

  const reverse = new F.AccountsReceivable.ArPaymentReverse();
  reverse.recordNo = Number(paid.key);
  reverse.reverseDate = new Date(2026, 10, 25);
  (await client.execute(reverse)).getResult().ensureStatusSuccess();
  state = (await client.execute(read)).getResult();
  assert.deepEqual([state.data[0].STATE, state.data[0].TOTALPAID, state.data[0].TOTALDUE], ["Posted", "0", "300"]);
});

test("ArAdjustmentCreate records a credit memo that lowers what the customer owes", async () => {
  const { client } = await sessionClient();
  await client.execute(newCustomer("ADJ-C1", "Adjusted Customer"));
  const adjustment = new F.AccountsReceivable.ArAdjustmentCreate();
  adjustment.customerId = "ADJ-C1";
  adjustment.transactionDate = new Date(2026, 10, 2);
  adjustment.adjustmentNumber = "CM-1";
  const line = new F.AccountsReceivable.ArAdjustmentLineCreate();
  line.glAccountNumber = "4000";
  line.transactionAmount = -40;
  adjustment.lines = [line];
  const result = (await client.execute(adjustment)).getResult();
  result.ensureStatusSuccess();
  const byName = new F.Common.ReadByName();
  byName.objectName = "CUSTOMER";
  byName.names = ["ADJ-C1"];
  const customer = (await client.execute(byName)).getResult();
  assert.equal(customer.listType, "CUSTOMER");
  assert.equal(customer.data[0].TOTALDUE, "-40");
  const rows = await query(client, "ARADJUSTMENTITEM", ["AMOUNT", "ACCOUNTNO"], new Q.QueryFilter.Filter("RECORDKEY").equalTo(result.key));
  assert.deepEqual(rows, [{ AMOUNT: "-40", ACCOUNTNO: "4000" }]);
});

test("AR records carry Intacct's record types; readByQuery gives a payment's own fields, Read nests its details", async () => {
  const { client } = await sessionClient();
  await ensureCustomerAndItem(client, "RT-C1", "RT-I1");
  const invoice = new F.AccountsReceivable.InvoiceCreate();
  invoice.customerId = "RT-C1";
  invoice.transactionDate = new Date(2026, 10, 1);
  invoice.dueDate = new Date(2026, 11, 1);
  const line = new F.AccountsReceivable.InvoiceLineCreate();
  line.glAccountNumber = "4000";
  line.transactionAmount = 300;
  invoice.lines = [line];
  const invoiceKey = (await client.execute(invoice)).getResult().key;

  // ArPaymentCreate with nothing to apply records an advance (AR payments page: Open Item); ArPaymentApply uses it.
  const advance = new F.AccountsReceivable.ArPaymentCreate();
  advance.customerId = "RT-C1";
  advance.transactionPaymentAmount = 500;
  advance.bankAccountId = "BOA";
  advance.receivedDate = new Date(2026, 10, 18);
  advance.paymentMethod = "EFT";
  const advanceKey = (await client.execute(advance)).getResult().key;
  const apply = new F.AccountsReceivable.ArPaymentApply();
  apply.recordNo = Number(advanceKey);
  apply.receivedDate = new Date(2026, 10, 21);
  const item = new F.AccountsReceivable.ArPaymentItem();
  item.applyToRecordId = Number(invoiceKey);
  item.amountToApply = 120;
  apply.applyToTransactions = [item];
  const applied = (await client.execute(apply)).getResult();
  applied.ensureStatusSuccess();

  const list = new F.Common.ReadByQuery();
  list.objectName = "ARPYMT";
  list.query = new F.Common.Query.Comparison.EqualTo.EqualToString();
  list.query.field = "CUSTOMERID";
  list.query.value = "RT-C1";
  const payments = (await client.execute(list)).getResult();
  assert.equal(payments.listType, "arpymt");
  assert.deepEqual(payments.data.map((p) => [p.RECORDNO, p.RECORDTYPE]), [[advanceKey, "rr"], [applied.key, "ro"]]);
  assert.ok(payments.data.every((p) => p.ARPYMTDETAILS === undefined)); // own fields only

  const read = new F.Common.Read();
  read.objectName = "ARPYMT";
  read.keys = [Number(applied.key)];
  const detail = [].concat((await client.execute(read)).getResult().data[0].ARPYMTDETAILS.arpymtdetail);
  assert.deepEqual(detail.map((d) => [d.RECORDKEY, d.ADVANCEKEY, d.TRX_POSTEDADVANCEAMOUNT]), [[invoiceKey, advanceKey, "120"]]);
  const byPayment = await query(client, "ARPYMTDETAIL", ["RECORDKEY", "PAYMENTAMOUNT"], new Q.QueryFilter.Filter("PAYMENTKEY").equalTo(applied.key));
  assert.deepEqual(byPayment, [{ RECORDKEY: invoiceKey, PAYMENTAMOUNT: "120" }]);

  const adjustment = new F.AccountsReceivable.ArAdjustmentCreate();
  adjustment.customerId = "RT-C1";
  adjustment.transactionDate = new Date(2026, 10, 2);
  const credit = new F.AccountsReceivable.ArAdjustmentLineCreate();
  credit.glAccountNumber = "4000";
  credit.transactionAmount = -15;
  adjustment.lines = [credit];
  const adjustmentKey = (await client.execute(adjustment)).getResult().key;
  const types = async (objectName, key) => (await query(client, objectName, ["RECORDTYPE"], new Q.QueryFilter.Filter("RECORDNO").equalTo(key)))[0].RECORDTYPE;
  assert.deepEqual([await types("ARINVOICE", invoiceKey), await types("ARADJUSTMENT", adjustmentKey)], ["ri", "ra"]);
});

test("the company's Order Entry transaction definitions are listed from SODOCUMENTPARAMS", async () => {
  const { client } = await sessionClient();
  const definitions = await query(client, "SODOCUMENTPARAMS", ["DOCID", "DOCCLASS", "STATUS"]);
  assert.deepEqual(definitions.map((d) => [d.DOCID, d.DOCCLASS, d.STATUS]),
    [["Sales Quote", "Quote", "active"], ["Sales Order", "Order", "active"], ["Sales Invoice", "Invoice", "active"]]);
  const read = new F.Common.ReadByQuery();
  read.objectName = "SODOCUMENTPARAMS";
  read.fields = ["DOCID"];
  assert.equal((await client.execute(read)).getResult().data.length, 3);
});

test("query takes every filter class the SDK builds, and names an unknown field with XL03000010", async () => {
  const { client } = await sessionClient();
  for (let i = 1; i <= 4; i++) {
    const c = newCustomer(`FLT-${i}`, `Filter ${i}`);
    c.creditLimit = i * 100;
    (await client.execute(c)).getResult().ensureStatusSuccess();
  }
  const ids = async (filter) => (await query(client, "CUSTOMER", ["CUSTOMERID"], new Q.QueryFilter.AndOperator([new Q.QueryFilter.Filter("CUSTOMERID").like("FLT-%"), filter])))
    .map((c) => c.CUSTOMERID).sort();
  const f = () => new Q.QueryFilter.Filter("CREDITLIMIT");
  assert.deepEqual(await ids(f().greaterThanOrEqualTo("300")), ["FLT-3", "FLT-4"]);
  assert.deepEqual(await ids(f().lessThanOrEqualTo("200")), ["FLT-1", "FLT-2"]);
  assert.deepEqual(await ids(f().greaterThan("300")), ["FLT-4"]);
  assert.deepEqual(await ids(f().lessThan("200")), ["FLT-1"]);
  assert.deepEqual(await ids(f().between("200", "300")), ["FLT-2", "FLT-3"]);
  assert.deepEqual(await ids(new Q.QueryFilter.Filter("CUSTOMERID").in(["FLT-1", "FLT-4"])), ["FLT-1", "FLT-4"]);
  assert.deepEqual(await ids(new Q.QueryFilter.Filter("CUSTOMERID").notIn(["FLT-1", "FLT-4"])), ["FLT-2", "FLT-3"]);
  assert.deepEqual(await ids(new Q.QueryFilter.Filter("CUSTOMERID").notLike("FLT-1%")), ["FLT-2", "FLT-3", "FLT-4"]);
  assert.deepEqual(await ids(new Q.QueryFilter.Filter("PARENTID").isNull()), ["FLT-1", "FLT-2", "FLT-3", "FLT-4"]);
  assert.deepEqual(await ids(new Q.QueryFilter.Filter("PARENTID").isNotNull()), []);
  assert.deepEqual(await ids(new Q.QueryFilter.OrOperator([f().equalTo("100"), f().equalTo("400")])), ["FLT-1", "FLT-4"]);

  await assert.rejects(client.execute(new Q.Query().assignSelectFields(new Q.QuerySelect.SelectBuilder().addFields(["NOSUCHFIELD"]).selects).assignFromObject("CUSTOMER")),
    (e) => e instanceof IA.Exceptions.ResultException && /XL03000010 Field requested is not valid: customer.NOSUCHFIELD/.test(e.errors.join(" ")));
});

test("Lookup lists the object's fields, the custom ACCOUNTID among them", async () => {
  const { client } = await sessionClient();
  const lookup = new F.Common.Lookup();
  lookup.objectName = "CUSTOMER";
  const result = (await client.execute(lookup)).getResult();
  result.ensureStatusSuccess();
  const fields = result.data[0].Fields.Field;
  const accountId = fields.find((f) => f.ID === "ACCOUNTID");
  assert.equal(accountId.ISCUSTOM, "true");
  assert.ok(fields.some((f) => f.ID === "DISPLAYCONTACT.EMAIL1"));
});

test("ReadMore continues a readByQuery by its resultId", async () => {
  const { client } = await sessionClient();
  for (let i = 0; i < 3; i++) (await client.execute(newCustomer(`MORE-${i}`, `More ${i}`))).getResult().ensureStatusSuccess();
  const read = new F.Common.ReadByQuery();
  read.objectName = "CUSTOMER";
  read.fields = ["CUSTOMERID"];
  read.pageSize = 2;
  read.query = new F.Common.Query.Comparison.Like.LikeString();
  read.query.field = "CUSTOMERID";
  read.query.value = "MORE-%";
  const first = (await client.execute(read)).getResult();
  assert.equal(first.numRemaining, 1);
  const more = new F.Common.ReadMore();
  more.resultId = first.resultId;
  const rest = (await client.execute(more)).getResult();
  rest.ensureStatusSuccess();
  assert.deepEqual([...first.data, ...rest.data].map((c) => c.CUSTOMERID).sort(), ["MORE-0", "MORE-1", "MORE-2"]);
});

test("an unknown function fails the whole request at control level with no angle brackets in the text", async () => {
  const { client } = await sessionClient();
  const bogus = { controlId: "x", writeXml: (xml) => { xml.writeStartElement("function"); xml.writeAttribute("controlid", "x", true); xml.writeStartElement("create_bogus"); xml.writeEndElement(); xml.writeEndElement(); } };
  await assert.rejects(client.execute(bogus), (e) => e instanceof IA.Exceptions.ResponseException && /XL03000003/.test(e.errors.join(" ")) && /create_bogus/.test(e.errors.join(" ")) && !/[<>]/.test(e.errors.join(" ")));
});

test("VendorCreate, VendorUpdate and VendorDelete keep the ACCOUNTID custom field", async () => {
  const { client } = await sessionClient();
  const create = new F.AccountsPayable.VendorCreate();
  create.vendorId = "SDK-V1";
  create.vendorName = "Crédit & Supply <EU>";
  create.primaryEmailAddress = "ap@supply.example";
  create.customFields = [["ACCOUNTID", "acct-v1"]];
  (await client.execute(create)).getResult().ensureStatusSuccess();
  const update = new F.AccountsPayable.VendorUpdate();
  update.vendorId = "SDK-V1";
  update.primaryPhoneNo = "+49 711 0000";
  (await client.execute(update)).getResult().ensureStatusSuccess();
  const read = new F.Common.ReadByName();
  read.objectName = "VENDOR";
  read.names = ["SDK-V1"];
  const vendor = (await client.execute(read)).getResult().data[0];
  assert.deepEqual([vendor.NAME, vendor.ACCOUNTID, vendor.DISPLAYCONTACT.PHONE1, vendor.DISPLAYCONTACT.EMAIL1],
    ["Crédit & Supply <EU>", "acct-v1", "+49 711 0000", "ap@supply.example"]);
  const remove = new F.AccountsPayable.VendorDelete();
  remove.vendorId = "SDK-V1";
  (await client.execute(remove)).getResult().ensureStatusSuccess();
  assert.equal((await client.execute(read)).getResult().data.length, 0);
});

test("ContactCreate, ContactUpdate and ContactDelete", async () => {
  const { client } = await sessionClient();
  const create = new F.Company.ContactCreate();
  create.contactName = "Jane O'Brien";
  create.printAs = "Jane O'Brien";
  create.firstName = "Jane";
  create.lastName = "O'Brien";
  (await client.execute(create)).getResult().ensureStatusSuccess();
  const update = new F.Company.ContactUpdate();
  update.contactName = "Jane O'Brien";
  update.primaryEmailAddress = "jane@obrien.example";
  (await client.execute(update)).getResult().ensureStatusSuccess();
  const contacts = await query(client, "CONTACT", ["CONTACTNAME", "EMAIL1", "STATUS"], new Q.QueryFilter.Filter("LASTNAME").equalTo("O'Brien"));
  assert.deepEqual(contacts, [{ CONTACTNAME: "Jane O'Brien", EMAIL1: "jane@obrien.example", STATUS: "active" }]);
  const remove = new F.Company.ContactDelete();
  remove.contactName = "Jane O'Brien";
  (await client.execute(remove)).getResult().ensureStatusSuccess();
  assert.equal((await query(client, "CONTACT", ["CONTACTNAME"], new Q.QueryFilter.Filter("LASTNAME").equalTo("O'Brien"))).length, 0);
});

test("ItemCreate, ItemUpdate and ItemDelete keep the PRODUCTID custom field; an item on a transaction cannot be deleted", async () => {
  const { client } = await sessionClient();
  const create = new F.InventoryControl.ItemCreate();
  create.itemId = "SDK-I1";
  create.itemName = "Widget \"XL\"";
  create.itemType = "Non-Inventory (Sales only)";
  create.basePrice = 129;
  create.customFields = [["PRODUCTID", "prod-1"]];
  (await client.execute(create)).getResult().ensureStatusSuccess();
  const update = new F.InventoryControl.ItemUpdate();
  update.itemId = "SDK-I1";
  update.salesDescription = "The big one";
  (await client.execute(update)).getResult().ensureStatusSuccess();
  const items = await query(client, "ITEM", ["ITEMID", "NAME", "BASEPRICE", "SODESCRIPTION", "PRODUCTID"], new Q.QueryFilter.Filter("PRODUCTID").equalTo("prod-1"));
  assert.deepEqual(items, [{ ITEMID: "SDK-I1", NAME: "Widget \"XL\"", BASEPRICE: "129", SODESCRIPTION: "The big one", PRODUCTID: "prod-1" }]);

  await client.execute(newCustomer("ITEM-C1", "Item buyer"));
  const order = new F.OrderEntry.OrderEntryTransactionCreate();
  order.transactionDefinition = "Sales Quote";
  order.transactionDate = new Date(2026, 10, 24);
  order.customerId = "ITEM-C1";
  order.dueDate = new Date(2026, 11, 24);
  order.lines = [salesLine("SDK-I1", 1)];
  (await client.execute(order)).getResult().ensureStatusSuccess();
  const remove = new F.InventoryControl.ItemDelete();
  remove.itemId = "SDK-I1";
  await assert.rejects(client.execute(remove), (e) => e instanceof IA.Exceptions.ResultException && /SDK-I1 is used on transactions/.test(e.errors.join(" ")));
});
