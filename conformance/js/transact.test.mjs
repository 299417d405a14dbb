// TransactWriteCommand and TransactGetCommand of the document client
// (@aws-sdk/lib-dynamodb): a committed transaction, and a cancelled one as the
// SDK presents it (the error's name, message and CancellationReasons).
// JORMUN_ENDPOINT names the server under test.
import { test } from "node:test";
import assert from "node:assert/strict";
import { CreateTableCommand, DeleteTableCommand } from "@aws-sdk/client-dynamodb";
import {
  DynamoDBDocumentClient, GetCommand, PutCommand, TransactGetCommand, TransactWriteCommand,
} from "@aws-sdk/lib-dynamodb";
import { client } from "./client.mjs";

const doc = DynamoDBDocumentClient.from(client);
const table = `js_transact_${process.pid}`;

test("transactions through the document client", async (t) => {
  await client.send(new CreateTableCommand({
    TableName: table,
    KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
    AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
    BillingMode: "PAY_PER_REQUEST",
  }));
  t.after(() => client.send(new DeleteTableCommand({ TableName: table })));
  await doc.send(new PutCommand({ TableName: table, Item: { id: "from", bal: 100 } }));

  await t.test("a transfer commits both sides", async () => {
    await doc.send(new TransactWriteCommand({
      TransactItems: [
        {
          Update: {
            TableName: table, Key: { id: "from" }, UpdateExpression: "SET bal = bal - :a",
            ConditionExpression: "bal >= :a", ExpressionAttributeValues: { ":a": 30 },
          },
        },
        { Put: { TableName: table, Item: { id: "to", bal: 30, tags: new Set(["t1"]) } } },
      ],
    }));
    const got = await doc.send(new TransactGetCommand({
      TransactItems: [
        { Get: { TableName: table, Key: { id: "to" } } },
        { Get: { TableName: table, Key: { id: "nobody" } } },
        { Get: { TableName: table, Key: { id: "from" }, ProjectionExpression: "#b",
                 ExpressionAttributeNames: { "#b": "bal" } } },
      ],
    }));
    assert.deepEqual(got.Responses.map((r) => r.Item), [
      { id: "to", bal: 30, tags: new Set(["t1"]) }, undefined, { bal: 70 },
    ]);
  });

  await t.test("a failed condition cancels the transaction", async () => {
    await assert.rejects(
      doc.send(new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: table, Item: { id: "new" } } },
          {
            Update: {
              TableName: table, Key: { id: "from" }, UpdateExpression: "SET bal = bal - :a",
              ConditionExpression: "bal >= :a", ExpressionAttributeValues: { ":a": 500 },
              ReturnValuesOnConditionCheckFailure: "ALL_OLD",
            },
          },
        ],
      })),
      (err) => {
        assert.equal(err.name, "TransactionCanceledException");
        assert.equal(err.message, "Transaction cancelled, please refer cancellation reasons " +
          "for specific reasons [None, ConditionalCheckFailed]");
        assert.equal(err.$metadata.httpStatusCode, 400);
        assert.deepEqual(err.CancellationReasons, [
          { Code: "None" },
          {
            Code: "ConditionalCheckFailed", Message: "The conditional request failed",
            Item: { id: { S: "from" }, bal: { N: "70" } },
          },
        ]);
        return true;
      });
    const gone = await doc.send(new GetCommand({ TableName: table, Key: { id: "new" } }));
    assert.equal(gone.Item, undefined);
  });
});
