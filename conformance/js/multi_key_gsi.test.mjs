// A GSI with a multi-attribute key through the AWS SDK for JavaScript v3,
// which sends a KeySchema of any length: CreateTable, PutItem, Query with a
// condition on every HASH attribute and the RANGE attributes left to right,
// paging with LastEvaluatedKey, DescribeTable. JORMUN_ENDPOINT names the
// server under test.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  CreateTableCommand, DeleteTableCommand, DescribeTableCommand,
  PutItemCommand, QueryCommand,
} from "@aws-sdk/client-dynamodb";
import { client } from "./client.mjs";

const table = `js_multi_key_gsi_${process.pid}`;
const keySchema = [
  { AttributeName: "org", KeyType: "HASH" }, { AttributeName: "dept", KeyType: "HASH" },
  { AttributeName: "level", KeyType: "RANGE" }, { AttributeName: "name", KeyType: "RANGE" },
];

test("a multi-attribute GSI key through the JavaScript SDK", async () => {
  await client.send(new CreateTableCommand({
    TableName: table,
    KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
    AttributeDefinitions: [
      { AttributeName: "id", AttributeType: "S" }, { AttributeName: "org", AttributeType: "S" },
      { AttributeName: "dept", AttributeType: "S" }, { AttributeName: "level", AttributeType: "N" },
      { AttributeName: "name", AttributeType: "S" },
    ],
    BillingMode: "PAY_PER_REQUEST",
    GlobalSecondaryIndexes: [{ IndexName: "people", KeySchema: keySchema,
                               Projection: { ProjectionType: "ALL" } }],
  }));
  try {
    const described = await client.send(new DescribeTableCommand({ TableName: table }));
    assert.deepEqual(described.Table.GlobalSecondaryIndexes[0].KeySchema, keySchema);
    const people = [["a", "ops", 2, "zoe"], ["b", "ops", 1, "yan"], ["c", "ops", 2, "abe"],
                    ["d", "dev", 1, "max"], ["e", "ops", 3, "kim"]];
    for (const [id, dept, level, name] of people) {
      await client.send(new PutItemCommand({ TableName: table, Item: {
        id: { S: id }, org: { S: "acme" }, dept: { S: dept }, level: { N: String(level) },
        name: { S: name } } }));
    }
    const query = (extra) => client.send(new QueryCommand({
      TableName: table, IndexName: "people",
      KeyConditionExpression: "org = :o AND dept = :d AND #level >= :l",
      ExpressionAttributeNames: { "#level": "level" },
      ExpressionAttributeValues: { ":o": { S: "acme" }, ":d": { S: "ops" }, ":l": { N: "2" } },
      Limit: 2, ...extra,
    }));
    const first = await query({});
    assert.deepEqual(first.Items.map((i) => i.id.S), ["c", "a"]);
    assert.deepEqual(Object.keys(first.LastEvaluatedKey).sort(),
                     ["dept", "id", "level", "name", "org"]);
    const second = await query({ ExclusiveStartKey: first.LastEvaluatedKey });
    assert.deepEqual(second.Items.map((i) => i.id.S), ["e"]);
    assert.equal(second.LastEvaluatedKey, undefined);
  } finally {
    await client.send(new DeleteTableCommand({ TableName: table }));
  }
});
