"""DynamoDB Streams: StreamSpecification on CreateTable and UpdateTable, and
the Streams API (ListStreams, DescribeStream, GetShardIterator, GetRecords)
through boto3's `dynamodbstreams` client: a record per change from every
write path, none for a write that changes nothing, the images each view type
keeps, iterator types and paging, DynamoDB's errors, TTL deletions by the
service, and no record lost or invented across a SIGKILL."""
import signal
import threading
import time

import boto3
import botocore.config
import pytest
from botocore.exceptions import ClientError

from conftest import create_hash_table, error_of, new_server
from node_sdk import run_node
from raw_http import call

VIEWS = ("KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES")
INVALID = "One or more parameter values were invalid: "


def streams_client(server):
    return boto3.client(
        "dynamodbstreams", endpoint_url=server.endpoint, region_name="us-east-1",
        aws_access_key_id="test", aws_secret_access_key="test",
        config=botocore.config.Config(retries={"max_attempts": 1, "mode": "standard"},
                                     parameter_validation=False))


@pytest.fixture(scope="module")
def streams(server):
    return streams_client(server)


def create_streamed(ddb, name, view="NEW_AND_OLD_IMAGES"):
    ddb.create_table(TableName=name,
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                     BillingMode="PAY_PER_REQUEST",
                     StreamSpecification={"StreamEnabled": True, "StreamViewType": view})
    return ddb.describe_table(TableName=name)["Table"]["LatestStreamArn"]


@pytest.fixture
def streamed(ddb, table_name):
    """(table, stream ARN) of a table with a NEW_AND_OLD_IMAGES stream."""
    name = table_name + "_s"  # distinct from hash_table's when a test uses both
    arn = create_streamed(ddb, name)
    yield name, arn
    ddb.delete_table(TableName=name)


def shard_of(streams, arn):
    shards = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]
    assert len(shards) == 1
    return shards[0]["ShardId"]


def iterator(streams, arn, kind="TRIM_HORIZON", **extra):
    return streams.get_shard_iterator(StreamArn=arn, ShardId=shard_of(streams, arn),
                                      ShardIteratorType=kind, **extra)["ShardIterator"]


def read_all(streams, arn, kind="TRIM_HORIZON", **extra):
    """Every record from an iterator of `kind` until a read returns none."""
    it, out = iterator(streams, arn, kind, **extra), []
    while it:
        r = streams.get_records(ShardIterator=it)
        out += r["Records"]
        if not r["Records"]:
            break
        it = r.get("NextShardIterator")
    return out


def events(records):
    return [r["eventName"] for r in records]


def update_error(ddb, table, spec):
    with pytest.raises(ClientError) as e:
        ddb.update_table(TableName=table, StreamSpecification=spec)
    return error_of(e)


def test_describe_table_shows_the_stream(ddb, streams, streamed):
    table, arn = streamed
    t = ddb.describe_table(TableName=table)["Table"]
    assert t["StreamSpecification"] == {"StreamEnabled": True,
                                        "StreamViewType": "NEW_AND_OLD_IMAGES"}
    assert arn == (f"arn:aws:dynamodb:us-east-1:000000000000:table/{table}/stream/"
                   + t["LatestStreamLabel"])
    listed = streams.list_streams(TableName=table)["Streams"]
    assert listed == [{"StreamArn": arn, "TableName": table,
                       "StreamLabel": t["LatestStreamLabel"]}]
    d = streams.describe_stream(StreamArn=arn)["StreamDescription"]
    assert d["StreamStatus"] == "ENABLED"
    assert d["StreamViewType"] == "NEW_AND_OLD_IMAGES"
    assert d["TableName"] == table
    assert d["KeySchema"] == [{"AttributeName": "pk", "KeyType": "HASH"}]


def test_a_table_without_stream_has_no_stream_members(ddb, hash_table):
    t = ddb.describe_table(TableName=hash_table)["Table"]
    assert "StreamSpecification" not in t and "LatestStreamArn" not in t


def test_update_table_refusals(ddb, streamed, hash_table):
    table, _ = streamed
    assert update_error(ddb, table, {"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"}) \
        == ("ValidationException", f"Table already has an enabled stream: TableName: {table}")
    assert update_error(ddb, hash_table, {"StreamEnabled": False}) == (
        "ValidationException", f"Table has no stream to disable: TableName: {hash_table}")
    assert update_error(ddb, hash_table, {"StreamEnabled": True}) == (
        "ValidationException",
        INVALID + "If stream is being enabled then UpdateViewType is required")
    assert update_error(ddb, table, {"StreamEnabled": False, "StreamViewType": "KEYS_ONLY"}) \
        == ("ValidationException",
            INVALID + "If stream is being disabled, then UpdateViewType must not be specified")
    code, message = update_error(ddb, hash_table, {"StreamEnabled": True,
                                                   "StreamViewType": "ALL"})
    assert code == "ValidationException"
    assert "streamSpecification.streamViewType" in message


def test_disable_then_enable_starts_a_new_stream(ddb, streams, streamed):
    table, first = streamed
    ddb.put_item(TableName=table, Item={"pk": {"S": "a"}})
    ddb.update_table(TableName=table, StreamSpecification={"StreamEnabled": False})
    t = ddb.describe_table(TableName=table)["Table"]
    assert "StreamSpecification" not in t
    assert t["LatestStreamArn"] == first  # the last stream, now disabled
    ddb.put_item(TableName=table, Item={"pk": {"S": "b"}})  # in no stream
    ddb.update_table(TableName=table, StreamSpecification={"StreamEnabled": True,
                                                           "StreamViewType": "KEYS_ONLY"})
    second = ddb.describe_table(TableName=table)["Table"]["LatestStreamArn"]
    assert second != first
    ddb.put_item(TableName=table, Item={"pk": {"S": "c"}})
    old = streams.describe_stream(StreamArn=first)["StreamDescription"]
    assert old["StreamStatus"] == "DISABLED"
    assert "EndingSequenceNumber" in old["Shards"][0]["SequenceNumberRange"]
    assert [r["dynamodb"]["Keys"]["pk"]["S"] for r in read_all(streams, first)] == ["a"]
    assert [r["dynamodb"]["Keys"]["pk"]["S"] for r in read_all(streams, second)] == ["c"]
    # A closed shard read through has no next iterator.
    r = streams.get_records(ShardIterator=iterator(streams, first))
    assert len(r["Records"]) == 1 and "NextShardIterator" not in r
    arns = [s["StreamArn"] for s in streams.list_streams(TableName=table)["Streams"]]
    assert arns == [first, second]


@pytest.mark.parametrize("view", VIEWS)
def test_records_of_each_write_kind(ddb, streams, table_name, view):
    arn = create_streamed(ddb, table_name, view)
    try:
        key = {"pk": {"S": "k"}}
        ddb.put_item(TableName=table_name, Item={"pk": {"S": "k"}, "a": {"N": "1"}})
        ddb.update_item(TableName=table_name, Key=key, UpdateExpression="SET a = :v",
                        ExpressionAttributeValues={":v": {"N": "2"}})
        ddb.delete_item(TableName=table_name, Key=key)
        records = read_all(streams, arn)
    finally:
        ddb.delete_table(TableName=table_name)
    assert events(records) == ["INSERT", "MODIFY", "REMOVE"]
    one, two = {"pk": {"S": "k"}, "a": {"N": "1"}}, {"pk": {"S": "k"}, "a": {"N": "2"}}
    expected = {
        "KEYS_ONLY": [({}, {})] * 3,
        "NEW_IMAGE": [({"NewImage": one}, {}), ({"NewImage": two}, {}), ({}, {})],
        "OLD_IMAGE": [({}, {}), ({}, {"OldImage": one}), ({}, {"OldImage": two})],
        "NEW_AND_OLD_IMAGES": [({"NewImage": one}, {}),
                               ({"NewImage": two}, {"OldImage": one}),
                               ({}, {"OldImage": two})],
    }[view]
    sequences = []
    for r, (new, old) in zip(records, expected):
        assert r["eventVersion"] == "1.1"
        assert r["eventSource"] == "aws:dynamodb"
        assert r["awsRegion"] == "us-east-1"
        assert "userIdentity" not in r
        d = r["dynamodb"]
        assert d["Keys"] == key
        assert d["StreamViewType"] == view
        assert d.get("NewImage", {}) == new.get("NewImage", {})
        assert d.get("OldImage", {}) == old.get("OldImage", {})
        assert d["SizeBytes"] > 0
        sequences.append(d["SequenceNumber"])
    assert sequences == sorted(sequences) and len(set(sequences)) == 3
    assert len({r["eventID"] for r in records}) == 3


def test_a_write_that_changes_nothing_has_no_record(ddb, streams, streamed):
    table, arn = streamed
    item = {"pk": {"S": "same"}, "a": {"S": "x"}}
    ddb.put_item(TableName=table, Item=item)
    ddb.put_item(TableName=table, Item=item)
    ddb.update_item(TableName=table, Key={"pk": {"S": "same"}},
                    UpdateExpression="SET a = :v", ExpressionAttributeValues={":v": {"S": "x"}})
    ddb.delete_item(TableName=table, Key={"pk": {"S": "absent"}})
    assert events(read_all(streams, arn)) == ["INSERT"]


def test_batches_and_transactions_write_one_record_per_item(ddb, streams, streamed,
                                                            hash_table):
    table, arn = streamed
    ddb.batch_write_item(RequestItems={table: [
        {"PutRequest": {"Item": {"pk": {"S": f"b{i}"}}}} for i in range(3)]})
    ddb.transact_write_items(TransactItems=[
        {"Put": {"TableName": table, "Item": {"pk": {"S": "t1"}}}},
        {"Delete": {"TableName": table, "Key": {"pk": {"S": "b0"}}}},
        {"Put": {"TableName": hash_table, "Item": {"pk": {"S": "other"}}}}])
    # A cancelled transaction writes no record.
    with pytest.raises(ClientError):
        ddb.transact_write_items(TransactItems=[
            {"Put": {"TableName": table, "Item": {"pk": {"S": "never"}}}},
            {"ConditionCheck": {"TableName": hash_table, "Key": {"pk": {"S": "nope"}},
                                "ConditionExpression": "attribute_exists(pk)"}}])
    records = read_all(streams, arn)
    got = sorted((r["eventName"], r["dynamodb"]["Keys"]["pk"]["S"]) for r in records)
    assert got == [("INSERT", "b0"), ("INSERT", "b1"), ("INSERT", "b2"),
                   ("INSERT", "t1"), ("REMOVE", "b0")]


def test_iterator_types_and_paging(ddb, streams, streamed):
    table, arn = streamed
    for i in range(5):
        ddb.put_item(TableName=table, Item={"pk": {"S": f"k{i}"}})
    everything = read_all(streams, arn)
    seqs = [r["dynamodb"]["SequenceNumber"] for r in everything]
    assert len(seqs) == 5
    page = streams.get_records(ShardIterator=iterator(streams, arn), Limit=2)
    assert len(page["Records"]) == 2
    rest = streams.get_records(ShardIterator=page["NextShardIterator"])
    assert [r["dynamodb"]["SequenceNumber"] for r in rest["Records"]] == seqs[2:]
    at = read_all(streams, arn, "AT_SEQUENCE_NUMBER", SequenceNumber=seqs[3])
    assert [r["dynamodb"]["SequenceNumber"] for r in at] == seqs[3:]
    after = read_all(streams, arn, "AFTER_SEQUENCE_NUMBER", SequenceNumber=seqs[3])
    assert [r["dynamodb"]["SequenceNumber"] for r in after] == seqs[4:]
    latest = iterator(streams, arn, "LATEST")
    r = streams.get_records(ShardIterator=latest)
    assert r["Records"] == [] and "NextShardIterator" in r
    ddb.put_item(TableName=table, Item={"pk": {"S": "late"}})
    r = streams.get_records(ShardIterator=r["NextShardIterator"])
    assert [x["dynamodb"]["Keys"]["pk"]["S"] for x in r["Records"]] == ["late"]
    d = streams.describe_stream(StreamArn=arn)["StreamDescription"]
    assert d["Shards"][0]["SequenceNumberRange"]["StartingSequenceNumber"] == seqs[0]
    assert "EndingSequenceNumber" not in d["Shards"][0]["SequenceNumberRange"]


def test_streams_api_errors(ddb, streams, streamed):
    table, arn = streamed
    shard = shard_of(streams, arn)
    missing = arn[:-3] + "999"
    with pytest.raises(ClientError) as e:
        streams.describe_stream(StreamArn=missing)
    assert error_of(e) == ("ResourceNotFoundException",
                           f"Requested resource not found: Stream: {missing} not found")
    with pytest.raises(ClientError) as e:
        streams.get_shard_iterator(StreamArn=arn, ShardId=shard,
                                   ShardIteratorType="AT_SEQUENCE_NUMBER")
    assert error_of(e)[0] == "ValidationException"
    with pytest.raises(ClientError) as e:
        streams.get_shard_iterator(StreamArn=arn, ShardId=shard,
                                   ShardIteratorType="SOMEWHERE")
    assert error_of(e)[0] == "ValidationException"
    it = iterator(streams, arn)
    # An iterator edited by the client (another position) is refused.
    fields = it.split("|")
    fields[5] = str(int(fields[5]) + 1)
    edited = "|".join(fields)
    with pytest.raises(ClientError) as e:
        streams.get_records(ShardIterator=edited)
    assert error_of(e)[0] == "ValidationException"
    with pytest.raises(ClientError) as e:
        streams.get_records(ShardIterator=it, Limit=1001)
    assert error_of(e) == ("ValidationException",
                           "1 validation error detected: Value '1001' at 'limit' failed to "
                           "satisfy constraint: Member must have value less than or equal "
                           "to 1000")
    # An iterator of a table that never had that stream finds nothing.
    fields = it.split("|")
    fields[3] = "99"
    with pytest.raises(ClientError) as e:
        streams.get_records(ShardIterator="|".join(fields))
    assert error_of(e)[0] == "ValidationException"  # the signature no longer matches


def test_streams_target_is_the_same_port(server):
    """The Streams API answers on the DynamoDB port, and an unknown Streams
    action is UnknownOperationException like an unknown DynamoDB one."""
    status, _, body = call(server, None, {},
                           {"X-Amz-Target": "DynamoDBStreams_20120810.NoSuchAction"})
    assert status == 400 and b"UnknownOperationException" in body
    status, _, body = call(server, None, {},
                           {"X-Amz-Target": "DynamoDBStreams_20120810.ListStreams"})
    assert status == 200 and b'"Streams"' in body


@pytest.fixture(scope="module")
def sweeping(workdir, engine):
    """A server whose TTL clock runs a day ahead and sweeps every second."""
    srv = new_server(workdir, engine)
    with open(srv.config_path, "a") as f:
        f.write("ttl:\n  sweep_interval_seconds: 1\n  test_clock_offset_seconds: 86400\n")
    srv.start()
    yield srv
    srv.stop()


def test_ttl_deletions_are_records_of_the_service(sweeping):
    ddb, streams = sweeping.client(), streams_client(sweeping)
    arn = create_streamed(ddb, "ttl_streamed")
    ddb.update_time_to_live(TableName="ttl_streamed", TimeToLiveSpecification={
        "Enabled": True, "AttributeName": "exp"})
    ddb.put_item(TableName="ttl_streamed",
                 Item={"pk": {"S": "gone"}, "exp": {"N": str(int(time.time()) + 60)}})
    deadline = time.time() + 20
    while time.time() < deadline and "Item" in ddb.get_item(
            TableName="ttl_streamed", Key={"pk": {"S": "gone"}}):
        time.sleep(0.2)
    records = read_all(streams, arn)
    assert events(records) == ["INSERT", "REMOVE"]
    assert "userIdentity" not in records[0]
    assert records[1]["userIdentity"] == {"Type": "Service",
                                          "PrincipalId": "dynamodb.amazonaws.com"}


def test_sigkill_loses_no_record_and_invents_none(workdir, engine):
    srv = new_server(workdir, engine).start()
    ddb = srv.client()
    arn = create_streamed(ddb, "killed", "KEYS_ONLY")
    acknowledged, stop = set(), threading.Event()

    def writer(w):
        client, i = srv.client(), 0
        while not stop.is_set():
            key = f"w{w}-{i}"
            try:
                client.put_item(TableName="killed", Item={"pk": {"S": key}})
            except Exception:  # the kill: this write may or may not have happened
                return
            acknowledged.add(key)
            i += 1

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(4)]
    for t in threads:
        t.start()
    time.sleep(1.5)
    srv.stop(signal.SIGKILL)
    stop.set()
    for t in threads:
        t.join()
    assert len(acknowledged) > 20
    srv.start()
    try:
        ddb, streams = srv.client(), streams_client(srv)
        items = set()
        for page in ddb.get_paginator("scan").paginate(TableName="killed"):
            items |= {i["pk"]["S"] for i in page["Items"]}
        it, recorded = iterator(streams, arn), []
        while it:
            r = streams.get_records(ShardIterator=it)
            recorded += [x["dynamodb"]["Keys"]["pk"]["S"] for x in r["Records"]]
            if not r["Records"]:
                break
            it = r.get("NextShardIterator")
        assert acknowledged <= items
        assert len(recorded) == len(set(recorded))
        assert set(recorded) == items  # every item has its record, no record lacks its item
        # Numbers go on after the restart.
        ddb.put_item(TableName="killed", Item={"pk": {"S": "after"}})
        assert events(read_all(streams, arn))[-1] == "INSERT"
        last = read_all(streams, arn)[-1]
        assert last["dynamodb"]["Keys"]["pk"]["S"] == "after"
    finally:
        srv.stop()


def test_javascript_sdk_streams_consumer(server):
    out = run_node(["--test", "streams.test.mjs"], {"JORMUN_ENDPOINT": server.endpoint})
    assert out.returncode == 0, out.stdout + out.stderr
