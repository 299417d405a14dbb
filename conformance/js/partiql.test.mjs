// PartiQL through the AWS SDK for JavaScript v3: ExecuteStatementCommand in
// the client's AttributeValue form and in lib-dynamodb's document form,
// BatchExecuteStatementCommand and ExecuteTransactionCommand, with a typed
// DuplicateItemException. JORMUN_ENDPOINT names the server under test.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  CreateTableCommand, DeleteTableCommand, ExecuteStatementCommand,
  BatchExecuteStatementCommand, ExecuteTransactionCommand,
} from "@aws-sdk/client-dynamodb";
import {
  DynamoDBDocumentClient, ExecuteStatementCommand as DocExecuteStatementCommand,
} from "@aws-sdk/lib-dynamodb";
import { client } from "./client.mjs";

const doc = DynamoDBDocumentClient.from(client);
const table = `js_partiql_${process.pid}`;

test("PartiQL through the JavaScript SDK", async () => {
  await client.send(new CreateTableCommand({
    TableName: table,
    KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }, { AttributeName: "sk", KeyType: "RANGE" }],
    AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" },
      { AttributeName: "sk", AttributeType: "N" }],
    BillingMode: "PAY_PER_REQUEST",
  }));
  try {
    await client.send(new ExecuteStatementCommand({
      Statement: `INSERT INTO "${table}" VALUE {'pk': ?, 'sk': 1, 'tags': <<'a'>>}`,
      Parameters: [{ S: "p" }],
    }));
    await doc.send(new DocExecuteStatementCommand({
      Statement: `INSERT INTO "${table}" VALUE {'pk': ?, 'sk': ?, 'doc': ?}`,
      Parameters: ["p", 2, { nested: [1, "two"] }],
    }));
    await assert.rejects(
      client.send(new ExecuteStatementCommand({
        Statement: `INSERT INTO "${table}" VALUE {'pk': 'p', 'sk': 1}`,
      })),
      (err) => err.name === "DuplicateItemException" &&
        err.message === "Duplicate primary key exists in table");

    const page = await doc.send(new DocExecuteStatementCommand({
      Statement: `SELECT * FROM "${table}" WHERE pk = ? ORDER BY sk DESC`,
      Parameters: ["p"],
    }));
    assert.equal(page.Items.length, 2);
    assert.deepEqual(page.Items[0], { pk: "p", sk: 2, doc: { nested: [1, "two"] } });

    const batch = await client.send(new BatchExecuteStatementCommand({
      Statements: [
        { Statement: `UPDATE "${table}" SET n = 1 WHERE pk = 'p' AND sk = 1` },
        { Statement: `UPDATE "${table}" SET n = 1 WHERE pk = 'p' AND sk = 9` },
      ],
    }));
    assert.equal(batch.Responses[0].Error, undefined);
    assert.equal(batch.Responses[1].Error.Code, "ConditionalCheckFailed");

    await assert.rejects(
      client.send(new ExecuteTransactionCommand({
        TransactStatements: [
          { Statement: `DELETE FROM "${table}" WHERE pk = 'p' AND sk = 1` },
          { Statement: `INSERT INTO "${table}" VALUE {'pk': 'p', 'sk': 2}` },
        ],
      })),
      (err) => err.name === "TransactionCanceledException" &&
        err.CancellationReasons.map((r) => r.Code).join() === "None,DuplicateItem");
  } finally {
    await client.send(new DeleteTableCommand({ TableName: table }));
  }
});
