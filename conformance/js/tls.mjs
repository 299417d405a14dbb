// The AWS SDK for JavaScript v3 over HTTPS. JORMUN_ENDPOINT is the server's
// https:// endpoint, whose self-signed certificate node trusts only if
// NODE_EXTRA_CA_CERTS names it. `node tls.mjs trusted` creates a table, puts
// an item and reads it back; `node tls.mjs untrusted` expects the SDK to
// refuse the certificate before any request is sent. Exits non-zero on failure.
import assert from "node:assert/strict";
import {
  CreateTableCommand, PutItemCommand, GetItemCommand, ListTablesCommand,
} from "@aws-sdk/client-dynamodb";
import { client } from "./client.mjs";


async function trusted() {
  const table = `js_tls_${process.pid}`;
  const created = await client.send(new CreateTableCommand({
    TableName: table,
    KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
    AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
    BillingMode: "PAY_PER_REQUEST",
  }));
  assert.equal(created.TableDescription.TableName, table);
  const item = { id: { S: "a" }, n: { N: "42" }, s: { S: "over TLS" } };
  await client.send(new PutItemCommand({ TableName: table, Item: item }));
  const got = await client.send(new GetItemCommand({ TableName: table, Key: { id: { S: "a" } } }));
  assert.deepEqual(got.Item, item);
}

async function untrusted() {
  // OpenSSL's verdict on a self-signed certificate that is not among those
  // trusted, as node reports it.
  await assert.rejects(client.send(new ListTablesCommand({})), (err) => {
    assert.equal(err.code, "DEPTH_ZERO_SELF_SIGNED_CERT", err.message);
    return true;
  });
}

const modes = { trusted, untrusted };
const mode = modes[process.argv[2]];
if (!mode) throw new Error(`usage: node tls.mjs ${Object.keys(modes).join("|")}`);
await mode();
console.log(`${process.argv[2]}: ok`);
