// DynamoDB Streams through the AWS SDK for JavaScript v3: an unchanged
// @aws-sdk/client-dynamodb-streams consumer lists the table's stream,
// describes its shard and reads every change from TRIM_HORIZON, in order.
// JORMUN_ENDPOINT names the server under test.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  DynamoDBClient, CreateTableCommand, DeleteTableCommand, PutItemCommand,
  UpdateItemCommand, DeleteItemCommand,
} from "@aws-sdk/client-dynamodb";
import {
  DynamoDBStreamsClient, ListStreamsCommand, DescribeStreamCommand,
  GetShardIteratorCommand, GetRecordsCommand,
} from "@aws-sdk/client-dynamodb-streams";

const config = {
  endpoint: process.env.JORMUN_ENDPOINT,
  region: "us-east-1",
  credentials: { accessKeyId: "js", secretAccessKey: "js" },
  maxAttempts: 1,
};
const client = new DynamoDBClient(config);
const streams = new DynamoDBStreamsClient(config);
const table = `js_streams_${process.pid}`;

test("a consumer reads every change of the table", async () => {
  const created = await client.send(new CreateTableCommand({
    TableName: table,
    KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
    AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
    BillingMode: "PAY_PER_REQUEST",
    StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" },
  }));
  const arn = created.TableDescription.LatestStreamArn;
  try {
    await client.send(new PutItemCommand({ TableName: table, Item: { id: { S: "a" }, n: { N: "1" } } }));
    await client.send(new UpdateItemCommand({
      TableName: table, Key: { id: { S: "a" } }, UpdateExpression: "SET n = :n",
      ExpressionAttributeValues: { ":n": { N: "2" } },
    }));
    await client.send(new DeleteItemCommand({ TableName: table, Key: { id: { S: "a" } } }));

    const listed = await streams.send(new ListStreamsCommand({ TableName: table }));
    assert.deepEqual(listed.Streams.map((s) => s.StreamArn), [arn]);
    const described = await streams.send(new DescribeStreamCommand({ StreamArn: arn }));
    assert.equal(described.StreamDescription.StreamStatus, "ENABLED");
    assert.equal(described.StreamDescription.Shards.length, 1);
    const shard = described.StreamDescription.Shards[0].ShardId;

    let iterator = (await streams.send(new GetShardIteratorCommand({
      StreamArn: arn, ShardId: shard, ShardIteratorType: "TRIM_HORIZON",
    }))).ShardIterator;
    const records = [];
    while (iterator) {
      const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 2 }));
      records.push(...page.Records);
      if (page.Records.length === 0) break;
      iterator = page.NextShardIterator;
    }
    assert.deepEqual(records.map((r) => r.eventName), ["INSERT", "MODIFY", "REMOVE"]);
    assert.deepEqual(records[1].dynamodb.OldImage, { id: { S: "a" }, n: { N: "1" } });
    assert.deepEqual(records[1].dynamodb.NewImage, { id: { S: "a" }, n: { N: "2" } });
    assert.ok(records[0].dynamodb.ApproximateCreationDateTime instanceof Date);
    const seqs = records.map((r) => r.dynamodb.SequenceNumber);
    assert.deepEqual([...seqs].sort(), seqs);
  } finally {
    await client.send(new DeleteTableCommand({ TableName: table }));
  }
});
