// Smoke test through the AWS SDK for JavaScript v3 (low-level client and the
// document client). JORMUN_ENDPOINT names the server under test;
// JORMUN_ACCESS_KEY_ID and JORMUN_SECRET_ACCESS_KEY, when set, the key it
// signs with (for a server that verifies signatures).
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  CreateTableCommand, DescribeTableCommand, DeleteTableCommand,
  ListTablesCommand, GetItemCommand,
} from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, PutCommand, GetCommand, DeleteCommand } from "@aws-sdk/lib-dynamodb";
import { client } from "./client.mjs";

const doc = DynamoDBDocumentClient.from(client);
const table = `js_smoke_${process.pid}`;

test("table lifecycle and items through the JavaScript SDK", async () => {
  const created = await client.send(new CreateTableCommand({
    TableName: table,
    KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
    AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
    BillingMode: "PAY_PER_REQUEST",
  }));
  assert.equal(created.TableDescription.TableName, table);
  const described = await client.send(new DescribeTableCommand({ TableName: table }));
  assert.equal(described.Table.TableStatus, "ACTIVE");
  const listed = await client.send(new ListTablesCommand({}));
  assert.ok(listed.TableNames.includes(table));

  const item = { id: "a", n: 42, s: "text", list: [1, "two"], map: { nested: true }, nothing: null };
  await doc.send(new PutCommand({ TableName: table, Item: item }));
  const got = await doc.send(new GetCommand({ TableName: table, Key: { id: "a" } }));
  assert.deepEqual(got.Item, item);

  const old = await doc.send(new DeleteCommand({ TableName: table, Key: { id: "a" }, ReturnValues: "ALL_OLD" }));
  assert.deepEqual(old.Attributes, item);
  const gone = await client.send(new GetItemCommand({ TableName: table, Key: { id: { S: "a" } } }));
  assert.equal(gone.Item, undefined);
});

test("errors arrive as the SDK's typed exceptions", async () => {
  await assert.rejects(
    client.send(new DescribeTableCommand({ TableName: "no_such_table_js" })),
    (err) => err.name === "ResourceNotFoundException" &&
      err.message === "Requested resource not found: Table: no_such_table_js not found");
  await assert.rejects(
    client.send(new GetItemCommand({ TableName: table, Key: { wrong: { S: "x" } } })),
    (err) => err.name === "ValidationException" &&
      err.message === "The provided key element does not match the schema");
  await client.send(new DeleteTableCommand({ TableName: table }));
});
