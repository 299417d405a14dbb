"""DynamoDB Streams over time: records trimmed after streams.retention_hours
(TrimmedDataAccessException for what is gone), a deleted table's streams
readable for the retention period (then gone, folder and all), shards that
roll over after four hours with their ParentShardId (a consumer following
parents reads every record once, in order per item), and shard iterators
that survive a restart.
Hours pass in seconds: the server is restarted on the same data directory
with its clock moved forward (ttl.test_clock_offset_seconds, test-only)."""
import json
import os
import stat
import time

import pytest
from botocore.exceptions import ClientError

from conftest import error_of, new_server, write_config
from node_sdk import run_node
from test_streams import create_streamed, streams_client

HOUR = 3600


def restart(srv, engine, offset_hours=0, extra=""):
    """Stops `srv` and starts it again with its clock `offset_hours` ahead."""
    srv.stop()
    write_config(srv.config_path, engine)
    with open(srv.config_path, "a") as f:
        f.write(f"ttl:\n  test_clock_offset_seconds: {int(offset_hours * HOUR)}\n"
                "streams:\n  trim_interval_seconds: 1\n" + extra)
    return srv.start()


@pytest.fixture
def fresh(workdir, engine):
    srv = new_server(workdir, engine).start()
    yield srv
    srv.stop()


def shards(streams, arn):
    return streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]


def trim_horizon(streams, arn, shard_id):
    """A TRIM_HORIZON iterator of the shard."""
    return streams.get_shard_iterator(StreamArn=arn, ShardId=shard_id,
                                      ShardIteratorType="TRIM_HORIZON")["ShardIterator"]


def read_shard(streams, arn, shard_id):
    """(records, whether the shard ended) reading from TRIM_HORIZON until a
    read returns no record or no NextShardIterator."""
    it = trim_horizon(streams, arn, shard_id)
    out = []
    while True:
        r = streams.get_records(ShardIterator=it)
        out += r["Records"]
        if "NextShardIterator" not in r:
            return out, True
        if not r["Records"]:
            return out, False
        it = r["NextShardIterator"]


def keys(records):
    return [r["dynamodb"]["Keys"]["pk"]["S"] for r in records]


def put(ddb, table, *pks):
    for pk in pks:
        ddb.put_item(TableName=table, Item={"pk": {"S": pk}, "v": {"N": str(time.time())}})


def test_records_older_than_the_retention_are_trimmed(fresh, engine):
    ddb, streams = fresh.client(), streams_client(fresh)
    arn = create_streamed(ddb, "kept", "KEYS_ONLY")
    put(ddb, "kept", "a", "b", "c")
    [shard] = shards(streams, arn)
    old, ended = read_shard(streams, arn, shard["ShardId"])
    assert keys(old) == ["a", "b", "c"] and not ended
    first = old[0]["dynamodb"]["SequenceNumber"]

    # A day and an hour later the trimmer has removed them.
    restart(fresh, engine, offset_hours=25)
    streams = streams_client(fresh)
    deadline = time.time() + 20
    while time.time() < deadline and \
            "StartingSequenceNumber" in shards(streams, arn)[0]["SequenceNumberRange"]:
        time.sleep(0.2)
    [same] = shards(streams, arn)
    assert same["ShardId"] == shard["ShardId"] and same["SequenceNumberRange"] == {}
    with pytest.raises(ClientError) as e:
        streams.get_shard_iterator(StreamArn=arn, ShardId=shard["ShardId"],
                                   ShardIteratorType="AT_SEQUENCE_NUMBER",
                                   SequenceNumber=first)
    assert error_of(e) == ("TrimmedDataAccessException",
                           f"The requested sequence number {first} is beyond the trim "
                           "horizon of the shard")
    assert read_shard(streams, arn, shard["ShardId"]) == ([], False)

    # A new write opens a shard (the old one is four hours old); the trimmed
    # one, holding nothing any more, is no longer listed.
    ddb = fresh.client()
    put(ddb, "kept", "d")
    [now] = shards(streams, arn)
    assert now["ParentShardId"] == shard["ShardId"]
    assert keys(read_shard(streams, arn, now["ShardId"])[0]) == ["d"]


def test_an_iterator_to_records_trimmed_since_is_refused(fresh, engine):
    """An iterator taken before its records were trimmed, used while it is
    still valid (15 minutes): GetRecords answers TrimmedDataAccessException.
    Retention is one hour; the iterator is taken at 54 minutes and used at
    66."""
    hour = "  retention_hours: 1\n"
    restart(fresh, engine, extra=hour)
    ddb = fresh.client()
    arn = create_streamed(ddb, "short", "KEYS_ONLY")
    put(ddb, "short", "a")
    restart(fresh, engine, offset_hours=0.9, extra=hour)
    streams = streams_client(fresh)
    [shard] = shards(streams, arn)
    it = trim_horizon(streams, arn, shard["ShardId"])
    restart(fresh, engine, offset_hours=1.1, extra=hour)
    streams = streams_client(fresh)
    deadline = time.time() + 20
    while time.time() < deadline and \
            "StartingSequenceNumber" in shards(streams, arn)[0]["SequenceNumberRange"]:
        time.sleep(0.2)
    with pytest.raises(ClientError) as e:
        streams.get_records(ShardIterator=it)
    assert error_of(e) == ("TrimmedDataAccessException",
                           "The data you are trying to access has been trimmed.")
    again = trim_horizon(streams, arn, shard["ShardId"])
    assert streams.get_records(ShardIterator=again)["Records"] == []


def test_a_consumer_following_parents_reads_every_record_once_in_order(fresh, engine):
    ddb, streams = fresh.client(), streams_client(fresh)
    arn = create_streamed(ddb, "rolled", "NEW_IMAGE")
    put(ddb, "rolled", "a", "b", "a")
    restart(fresh, engine, offset_hours=5)
    ddb, streams = fresh.client(), streams_client(fresh)
    put(ddb, "rolled", "a", "c", "b")
    restart(fresh, engine, offset_hours=10)
    ddb, streams = fresh.client(), streams_client(fresh)
    put(ddb, "rolled", "c", "a")

    listed = shards(streams, arn)
    assert len(listed) == 3
    assert "ParentShardId" not in listed[0]
    assert listed[1]["ParentShardId"] == listed[0]["ShardId"]
    assert listed[2]["ParentShardId"] == listed[1]["ShardId"]
    assert "EndingSequenceNumber" in listed[0]["SequenceNumberRange"]
    assert "EndingSequenceNumber" in listed[1]["SequenceNumberRange"]
    assert "EndingSequenceNumber" not in listed[2]["SequenceNumberRange"]
    # A consumer reads a shard only once its parent is read through.
    done, seen, numbers = set(), [], []
    while len(done) < len(listed):
        for s in listed:
            if s["ShardId"] in done or s.get("ParentShardId", None) not in done | {None}:
                continue
            records, ended = read_shard(streams, arn, s["ShardId"])
            seen += keys(records)
            numbers += [int(r["dynamodb"]["SequenceNumber"]) for r in records]
            assert ended == (s is not listed[-1])  # closed shards end, the open one not
            done.add(s["ShardId"])
    assert seen == ["a", "b", "a", "a", "c", "b", "c", "a"]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)
    # Paging through the shards.
    page = streams.describe_stream(StreamArn=arn, Limit=2)["StreamDescription"]
    assert [s["ShardId"] for s in page["Shards"]] == [s["ShardId"] for s in listed[:2]]
    assert page["LastEvaluatedShardId"] == listed[1]["ShardId"]
    rest = streams.describe_stream(StreamArn=arn, Limit=2,
                                   ExclusiveStartShardId=listed[1]["ShardId"])
    assert rest["StreamDescription"]["Shards"] == listed[2:]
    assert "LastEvaluatedShardId" not in rest["StreamDescription"]


def test_the_javascript_sdk_consumer_reads_through_shard_roll_over(fresh, engine):
    """@aws-sdk/client-dynamodb-streams, unchanged, following ParentShardId
    over three shards (conformance/js/stream_consumer.mjs)."""
    ddb = fresh.client()
    arn = create_streamed(ddb, "rolled_js", "KEYS_ONLY")
    put(ddb, "rolled_js", "a", "b")
    for hours, pks in ((5, ("b", "c")), (10, ("a",))):
        restart(fresh, engine, offset_hours=hours)
        put(fresh.client(), "rolled_js", *pks)
    out = run_node(["stream_consumer.mjs"],
                   {"JORMUN_ENDPOINT": fresh.endpoint, "STREAM_ARN": arn})
    assert out.returncode == 0, out.stdout + out.stderr
    read = [json.loads(line) for line in out.stdout.splitlines()]
    listed = shards(streams_client(fresh), arn)
    assert [r["shard"] for r in read] == [s["ShardId"] for s in listed]
    assert [r["parent"] for r in read] == [None] + [s["ShardId"] for s in listed[:2]]
    assert [r["ended"] for r in read] == [True, True, False]
    assert [r["keys"] for r in read] == [["a", "b"], ["b", "c"], ["a"]]
    numbers = [int(n) for r in read for n in r["sequence_numbers"]]
    assert numbers == sorted(numbers) and len(set(numbers)) == 5


def test_an_iterator_survives_a_restart(fresh, engine):
    ddb, streams = fresh.client(), streams_client(fresh)
    arn = create_streamed(ddb, "steady", "KEYS_ONLY")
    put(ddb, "steady", "a")
    [shard] = shards(streams, arn)
    it = trim_horizon(streams, arn, shard["ShardId"])
    key_file = os.path.join(fresh.data_dir, "stream-iterator-key")
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    fresh.stop()
    fresh.start()
    r = streams_client(fresh).get_records(ShardIterator=it)
    assert keys(r["Records"]) == ["a"]


def test_an_iterator_expires_after_fifteen_minutes(fresh, engine):
    """Iterators live 15 minutes: one used at 14 still reads, one used at 16
    is ExpiredIteratorException in the words of the API reference, and a
    new one reads the same records."""
    ddb, streams = fresh.client(), streams_client(fresh)
    arn = create_streamed(ddb, "aging", "KEYS_ONLY")
    put(ddb, "aging", "a")
    [shard] = shards(streams, arn)
    it = trim_horizon(streams, arn, shard["ShardId"])
    restart(fresh, engine, offset_hours=14 / 60)
    assert keys(streams_client(fresh).get_records(ShardIterator=it)["Records"]) == ["a"]
    restart(fresh, engine, offset_hours=16 / 60)
    streams = streams_client(fresh)
    with pytest.raises(ClientError) as e:
        streams.get_records(ShardIterator=it)
    assert error_of(e) == ("ExpiredIteratorException",
                           "The provided iterator exceeds the maximum age allowed.")
    again = trim_horizon(streams, arn, shard["ShardId"])
    assert keys(streams.get_records(ShardIterator=again)["Records"]) == ["a"]


def test_a_deleted_tables_streams_stay_readable_then_go(fresh, engine):
    ddb, streams = fresh.client(), streams_client(fresh)
    arn = create_streamed(ddb, "gone", "NEW_IMAGE")
    put(ddb, "gone", "a", "b")
    [shard] = shards(streams, arn)
    it = trim_horizon(streams, arn, shard["ShardId"])
    ddb.delete_table(TableName="gone")
    # The name is free again; the new table has its own stream.
    again = create_streamed(ddb, "gone", "KEYS_ONLY")
    put(ddb, "gone", "c")
    assert again != arn
    listed = streams.list_streams(TableName="gone")["Streams"]
    assert sorted(s["StreamArn"] for s in listed) == sorted([arn, again])
    assert arn in [s["StreamArn"] for s in streams.list_streams()["Streams"]]
    d = streams.describe_stream(StreamArn=arn)["StreamDescription"]
    assert d["StreamStatus"] == "DISABLED" and d["TableName"] == "gone"
    assert "EndingSequenceNumber" in d["Shards"][0]["SequenceNumberRange"]
    r = streams.get_records(ShardIterator=it)
    assert keys(r["Records"]) == ["a", "b"] and "NextShardIterator" not in r
    assert keys(read_shard(streams, again, shards(streams, again)[0]["ShardId"])[0]) == ["c"]
    folder = os.path.join(fresh.data_dir, "retired")
    assert len(os.listdir(folder)) == 1

    # Across a restart too.
    fresh.stop()
    fresh.start()
    streams = streams_client(fresh)
    assert keys(read_shard(streams, arn, shard["ShardId"])[0]) == ["a", "b"]

    # A day and an hour later it is gone, with its folder.
    restart(fresh, engine, offset_hours=25)
    streams = streams_client(fresh)
    deadline = time.time() + 20
    while time.time() < deadline and os.listdir(folder):
        time.sleep(0.2)
    assert os.listdir(folder) == []
    assert [s["StreamArn"] for s in streams.list_streams(TableName="gone")["Streams"]] \
        == [again]
    with pytest.raises(ClientError) as e:
        streams.describe_stream(StreamArn=arn)
    assert error_of(e) == ("ResourceNotFoundException",
                           f"Requested resource not found: Stream: {arn} not found")


def test_a_deleted_table_without_streams_goes_at_once(fresh):
    ddb = fresh.client()
    ddb.create_table(TableName="plain",
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                     BillingMode="PAY_PER_REQUEST")
    ddb.delete_table(TableName="plain")
    retired = os.path.join(fresh.data_dir, "retired")
    assert not os.path.exists(retired) or os.listdir(retired) == []
    assert os.listdir(os.path.join(fresh.data_dir, "tables")) == []
