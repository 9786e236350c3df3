// The official Sage Intacct SDK for JavaScript pulling every customer with the readByQuery/readMore loop Sage
// documents: the baseline tools/bench puts beside the sidecar's own pull. Usage (tools/bench runs it):
//   node tools/bench/sdk-pull.js <gateway url> <sender id> <sender password> <company id> <user id> <user password>
// Prints one JSON line: {"records": n, "seconds": s}.
"use strict";
const path = require("node:path");
const sdkTests = path.resolve(__dirname, "..", "..", "tests", "intacct-sdk");
const IA = require(path.join(sdkTests, "node_modules", "@intacct", "intacct-sdk"));
require(path.join(sdkTests, "simulator")); // the SDK takes only *.intacct.com endpoints: sim.intacct.com resolves to loopback

async function main() {
  const [gateway, senderId, senderPassword, companyId, userId, userPassword] = process.argv.slice(2);
  const local = new URL(gateway);
  const config = new IA.ClientConfig();
  Object.assign(config, { senderId, senderPassword, companyId, userId, userPassword, endpointUrl: `http://sim.intacct.com:${local.port}${local.pathname}` });
  const started = process.hrtime.bigint();
  const client = new IA.OnlineClient(await IA.SessionProvider.factory(config));
  const query = new IA.Functions.Common.ReadByQuery();
  query.objectName = "CUSTOMER";
  query.pageSize = 1000;
  let result = (await client.execute(query)).getResult();
  result.ensureStatusSuccess();
  let records = result.data.length;
  while (result.numRemaining > 0) {
    const more = new IA.Functions.Common.ReadMore();
    more.resultId = result.resultId;
    result = (await client.execute(more)).getResult();
    result.ensureStatusSuccess();
    records += result.data.length;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(JSON.stringify({ records, seconds }));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
