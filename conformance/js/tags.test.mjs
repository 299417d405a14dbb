// Tags through the AWS SDK for JavaScript v3: CreateTable's Tags,
// TagResource, ListTagsOfResource, UntagResource and their typed errors.
// JORMUN_ENDPOINT names the server under test.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  CreateTableCommand, DeleteTableCommand, TagResourceCommand,
  UntagResourceCommand, ListTagsOfResourceCommand,
} from "@aws-sdk/client-dynamodb";
import { client } from "./client.mjs";

const table = `js_tags_${process.pid}`;

test("tags through the JavaScript SDK", async () => {
  const created = await client.send(new CreateTableCommand({
    TableName: table,
    KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
    AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
    BillingMode: "PAY_PER_REQUEST",
    Tags: [{ Key: "team", Value: "core" }],
  }));
  const arn = created.TableDescription.TableArn;
  try {
    // TagResource answers an empty body, which the SDK must take.
    await client.send(new TagResourceCommand({
      ResourceArn: arn, Tags: [{ Key: "env", Value: "test" }, { Key: "team", Value: "data" }],
    }));
    const listed = await client.send(new ListTagsOfResourceCommand({ ResourceArn: arn }));
    assert.deepEqual(listed.Tags, [{ Key: "team", Value: "data" }, { Key: "env", Value: "test" }]);
    assert.equal(listed.NextToken, undefined);
    await client.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ["team", "absent"] }));
    const after = await client.send(new ListTagsOfResourceCommand({ ResourceArn: arn }));
    assert.deepEqual(after.Tags, [{ Key: "env", Value: "test" }]);

    await assert.rejects(
      client.send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: "aws:x", Value: "v" }] })),
      (err) => err.name === "ValidationException" &&
        err.message === "Tag Key cannot be prefixed with aws:, Key: aws:x");
    const missing = arn.replace(/table\/.*$/, "table/js_no_such_table");
    await assert.rejects(
      client.send(new ListTagsOfResourceCommand({ ResourceArn: missing })),
      (err) => err.name === "ResourceNotFoundException" &&
        err.message === `Requested resource not found: ResourceArn: ${missing} not found`);
  } finally {
    await client.send(new DeleteTableCommand({ TableName: table }));
  }
});
