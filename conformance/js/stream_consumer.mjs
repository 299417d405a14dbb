// An unchanged @aws-sdk/client-dynamodb-streams consumer of one stream, as a
// Lambda-style poller reads it: every shard from TRIM_HORIZON, a shard only
// once its parent is read through, each shard until GetRecords answers no
// NextShardIterator (closed) or no records (open). Prints one JSON line per
// shard: its id, its parent, whether it ended and its records' sequence
// numbers and partition keys, for conformance/test_streams_retention.py to
// check. JORMUN_ENDPOINT names the server, STREAM_ARN the stream.
import {
  DynamoDBStreamsClient, DescribeStreamCommand, GetShardIteratorCommand, GetRecordsCommand,
} from "@aws-sdk/client-dynamodb-streams";

const streams = new DynamoDBStreamsClient({
  endpoint: process.env.JORMUN_ENDPOINT,
  region: "us-east-1",
  credentials: { accessKeyId: "js", secretAccessKey: "js" },
  maxAttempts: 1,
});
const arn = process.env.STREAM_ARN;

const shards = [];
let start;
do {
  const page = (await streams.send(new DescribeStreamCommand({
    StreamArn: arn, ExclusiveStartShardId: start, Limit: 1,
  }))).StreamDescription;
  shards.push(...page.Shards);
  start = page.LastEvaluatedShardId;
} while (start);

const done = new Set();
while (done.size < shards.length) {
  const ready = shards.filter((s) => !done.has(s.ShardId) &&
                                     (!s.ParentShardId || done.has(s.ParentShardId)));
  if (ready.length === 0) throw new Error("a shard's parent is never listed");
  for (const shard of ready) {
    let iterator = (await streams.send(new GetShardIteratorCommand({
      StreamArn: arn, ShardId: shard.ShardId, ShardIteratorType: "TRIM_HORIZON",
    }))).ShardIterator;
    const records = [];
    let ended = false;
    for (;;) {
      const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 2 }));
      records.push(...page.Records);
      if (!page.NextShardIterator) { ended = true; break; }
      if (page.Records.length === 0) break;
      iterator = page.NextShardIterator;
    }
    console.log(JSON.stringify({
      shard: shard.ShardId,
      parent: shard.ParentShardId ?? null,
      ended,
      keys: records.map((r) => r.dynamodb.Keys.pk.S),
      sequence_numbers: records.map((r) => r.dynamodb.SequenceNumber),
    }));
    done.add(shard.ShardId);
  }
}
