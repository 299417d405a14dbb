"""GET /metrics: the process's metrics in Prometheus' text format, scraped as
Prometheus scrapes them, after requests whose counts the test knows."""
import http.client
import re
import time

import boto3
import botocore.config
import pytest
from botocore.exceptions import ClientError

from conftest import create_hash_table, new_server

DAY = 86400
SAMPLE = re.compile(r'^([a-z_]+)(?:\{(.*)\})? (\S+)$')


def scrape(server, host=None):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    conn.request("GET", "/metrics", headers={"Host": host} if host else {})
    resp = conn.getresponse()
    out = resp.status, resp.getheader("Content-Type"), resp.read().decode()
    conn.close()
    return out


def parse(text):
    """{(name, frozenset of (label, value)): value}; checks every line's form."""
    samples = {}
    for line in text.splitlines():
        if line.startswith("# HELP ") or line.startswith("# TYPE "):
            continue
        m = SAMPLE.match(line)
        assert m, "not a sample line: " + line
        labels = frozenset(re.findall(r'([a-z_]+)="((?:[^"\\]|\\.)*)"', m.group(2) or ""))
        samples[(m.group(1), labels)] = float(m.group(3))
    return samples


def value(samples, name, **labels):
    return samples.get((name, frozenset(labels.items())), 0)


@pytest.fixture(scope="module")
def metered(workdir, engine):
    """A server of its own, so the counts are this module's; its TTL clock
    runs a day ahead and sweeps every second."""
    srv = new_server(workdir, engine)
    with open(srv.config_path, "a") as f:
        f.write(f"ttl:\n  sweep_interval_seconds: 1\n  test_clock_offset_seconds: {DAY}\n")
    srv.start()
    yield srv
    srv.stop()


def test_requests_errors_and_latency_are_counted(metered):
    ddb = metered.client()
    create_hash_table(ddb, "metered")
    for i in range(3):
        ddb.put_item(TableName="metered", Item={"pk": {"S": str(i)}})
    ddb.get_item(TableName="metered", Key={"pk": {"S": "0"}})
    with pytest.raises(ClientError):
        ddb.get_item(TableName="no_such_table", Key={"pk": {"S": "0"}})
    with pytest.raises(ClientError):
        ddb.put_item(TableName="metered", Item={"pk": {"S": "0"}},
                     ConditionExpression="attribute_not_exists(pk)")

    status, content_type, text = scrape(metered)
    assert status == 200
    assert content_type == "text/plain; version=0.0.4; charset=utf-8"
    assert "# TYPE jormun_requests_total counter" in text
    assert "# TYPE jormun_successful_request_latency_seconds histogram" in text
    s = parse(text)
    assert value(s, "jormun_requests_total", operation="PutItem", table="metered") == 3
    assert value(s, "jormun_requests_total", operation="GetItem", table="metered") == 1
    # A failed request's table may not exist: it is not a label.
    assert value(s, "jormun_requests_total", operation="GetItem", table="") == 1
    assert not any(("table", "no_such_table") in labels for _, labels in s)
    assert value(s, "jormun_user_errors_total", operation="GetItem") == 1
    assert value(s, "jormun_conditional_check_failed_requests_total",
                 operation="PutItem", table="metered") == 1
    assert value(s, "jormun_system_errors_total", operation="PutItem") == 0
    count = value(s, "jormun_successful_request_latency_seconds_count", operation="PutItem")
    assert count == 3
    assert value(s, "jormun_successful_request_latency_seconds_bucket",
                 operation="PutItem", le="+Inf") == 3
    assert value(s, "jormun_successful_request_latency_seconds_sum", operation="PutItem") > 0
    assert value(s, "jormun_connections") >= 1
    assert value(s, "jormun_tables") == 1


def test_ttl_deletions_and_stream_reads_are_counted(metered):
    ddb = metered.client()
    ddb.create_table(TableName="expiring",
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                     BillingMode="PAY_PER_REQUEST",
                     StreamSpecification={"StreamEnabled": True,
                                          "StreamViewType": "KEYS_ONLY"})
    ddb.update_time_to_live(TableName="expiring",
                            TimeToLiveSpecification={"Enabled": True, "AttributeName": "exp"})
    soon = str(int(time.time()) + 60)  # past on the server's clock, a day ahead
    for i in range(2):
        ddb.put_item(TableName="expiring", Item={"pk": {"S": str(i)}, "exp": {"N": soon}})
    deadline = time.time() + 30
    while ddb.scan(TableName="expiring")["Count"] and time.time() < deadline:
        time.sleep(0.2)
    streams = boto3.client(
        "dynamodbstreams", endpoint_url=metered.endpoint, region_name="us-east-1",
        aws_access_key_id="test", aws_secret_access_key="test",
        config=botocore.config.Config(retries={"max_attempts": 1}))
    arn = ddb.describe_table(TableName="expiring")["Table"]["LatestStreamArn"]
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]
    iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=shard["ShardId"],
                                          ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    records = streams.get_records(ShardIterator=iterator)["Records"]

    s = parse(scrape(metered)[2])
    assert value(s, "jormun_time_to_live_deleted_item_count_total", table="expiring") == 2
    assert value(s, "jormun_returned_records_count_total", table="expiring") == len(records)
    assert len(records) == 4  # two inserts, two TTL removals
    assert value(s, "jormun_requests_total", operation="GetRecords", table="") == 1


def sized_item(pk, size, **more):
    """An item of exactly `size` bytes as DynamoDB counts them (names and
    values), with a "pad" string making up the rest."""
    item = {"pk": {"S": pk}, **{k: {"S": v} for k, v in more.items()}}
    used = sum(len(k) + len(v["S"]) for k, v in item.items()) + len("pad")
    return {**item, "pad": {"S": "x" * (size - used)}}


def units(s, table, index=""):
    return (value(s, "jormun_consumed_read_capacity_units_total", table=table, index=index),
            value(s, "jormun_consumed_write_capacity_units_total", table=table, index=index))


def test_consumed_capacity_is_counted_per_table_unasked(metered):
    ddb = metered.client()
    create_hash_table(ddb, "units")
    ddb.put_item(TableName="units", Item=sized_item("a", 1024))  # 1 write unit
    ddb.put_item(TableName="units", Item=sized_item("b", 1025))  # 2
    assert units(parse(scrape(metered)[2]), "units") == (0, 3)
    ddb.get_item(TableName="units", Key={"pk": {"S": "a"}}, ConsistentRead=True)  # 1 read
    ddb.get_item(TableName="units", Key={"pk": {"S": "a"}})  # 0.5
    ddb.get_item(TableName="units", Key={"pk": {"S": "none"}})  # 0.5: the minimum
    assert units(parse(scrape(metered)[2]), "units") == (2, 3)
    # A write costs the larger of the old and the new item: "b" shrinks to
    # 100 bytes and is charged its old 1,025 (2 units), then deleted (1).
    ddb.put_item(TableName="units", Item=sized_item("b", 100))
    ddb.delete_item(TableName="units", Key={"pk": {"S": "b"}})
    ddb.update_item(TableName="units", Key={"pk": {"S": "a"}},
                    UpdateExpression="SET n = :n", ExpressionAttributeValues={":n": {"N": "1"}})
    s = parse(scrape(metered)[2])
    assert units(s, "units") == (2, 3 + 2 + 1 + 2)
    # What the metrics count is what ConsumedCapacity reports when asked.
    answer = ddb.put_item(TableName="units", Item=sized_item("c", 3000),
                          ReturnConsumedCapacity="TOTAL")
    assert answer["ConsumedCapacity"]["CapacityUnits"] == 3
    assert units(parse(scrape(metered)[2]), "units") == (2, 11)


def test_index_writes_are_counted_on_the_index_label(metered):
    ddb = metered.client()
    ddb.create_table(
        TableName="indexed_units",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                              {"AttributeName": "g", "AttributeType": "S"}],
        GlobalSecondaryIndexes=[{"IndexName": "by_g",
                                 "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                 "Projection": {"ProjectionType": "ALL"}}],
        BillingMode="PAY_PER_REQUEST")
    ddb.put_item(TableName="indexed_units", Item={"pk": {"S": "a"}, "g": {"S": "1"}})
    # The index key moves: a delete and an insert of its entry.
    ddb.put_item(TableName="indexed_units", Item={"pk": {"S": "a"}, "g": {"S": "2"}})
    ddb.query(TableName="indexed_units", IndexName="by_g",
              KeyConditionExpression="g = :g", ExpressionAttributeValues={":g": {"S": "2"}})
    s = parse(scrape(metered)[2])
    assert units(s, "indexed_units") == (0, 2)
    assert units(s, "indexed_units", "by_g") == (0.5, 1 + 2)
    assert value(s, "jormun_returned_item_count_total",
                 operation="Query", table="indexed_units") == 1


def test_returned_items_are_counted_per_operation_and_table(metered):
    ddb = metered.client()
    ddb.create_table(TableName="returned",
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                                {"AttributeName": "sk", "KeyType": "RANGE"}],
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                           {"AttributeName": "sk", "AttributeType": "S"}],
                     BillingMode="PAY_PER_REQUEST")
    for sk in ("1", "2", "3"):
        ddb.put_item(TableName="returned", Item={"pk": {"S": "p"}, "sk": {"S": sk}})
    ddb.put_item(TableName="returned", Item={"pk": {"S": "q"}, "sk": {"S": "1"}})
    assert ddb.query(TableName="returned", KeyConditionExpression="pk = :p",
                     ExpressionAttributeValues={":p": {"S": "p"}})["Count"] == 3
    ddb.scan(TableName="returned", FilterExpression="sk = :s",
             ExpressionAttributeValues={":s": {"S": "1"}})  # 2 of 4 items
    ddb.scan(TableName="returned", Select="COUNT")  # counts, returns none
    ddb.get_item(TableName="returned", Key={"pk": {"S": "p"}, "sk": {"S": "1"}})
    ddb.get_item(TableName="returned", Key={"pk": {"S": "p"}, "sk": {"S": "9"}})
    ddb.batch_get_item(RequestItems={"returned": {"Keys": [
        {"pk": {"S": "p"}, "sk": {"S": "1"}}, {"pk": {"S": "p"}, "sk": {"S": "2"}},
        {"pk": {"S": "p"}, "sk": {"S": "9"}}]}})
    ddb.transact_get_items(TransactItems=[
        {"Get": {"TableName": "returned", "Key": {"pk": {"S": "q"}, "sk": {"S": "1"}}}},
        {"Get": {"TableName": "returned", "Key": {"pk": {"S": "q"}, "sk": {"S": "9"}}}}])
    s = parse(scrape(metered)[2])
    returned = {op: value(s, "jormun_returned_item_count_total", operation=op, table="returned")
                for op in ("Query", "Scan", "GetItem", "BatchGetItem", "TransactGetItems")}
    assert returned == {"Query": 3, "Scan": 2, "GetItem": 1, "BatchGetItem": 2,
                        "TransactGetItems": 1}
    # Reads: the Query's page and each Scan's (0.5 each, eventually
    # consistent), GetItems 0.5 each, BatchGetItem 0.5 per key, and a
    # transactional read 2 per item (found or not).
    assert units(s, "returned") == (0.5 + 2 * 0.5 + 2 * 0.5 + 3 * 0.5 + 2 * 2, 4)


def test_a_foreign_host_cannot_read_them(metered):
    status, _, text = scrape(metered, host="attacker.example")
    assert status == 403
    assert "jormun_" not in text
    assert scrape(metered, host="localhost:1")[0] == 200


def test_they_can_be_turned_off(workdir, engine):
    srv = new_server(workdir, engine)
    with open(srv.config_path, "a") as f:
        f.write("server:\n  metrics: false\n")
    srv.start()
    try:
        status, _, text = scrape(srv)
        assert status == 400
        assert "jormun_" not in text
    finally:
        srv.stop()


# The statistics each engine reports beyond approximate_size_bytes, and
# their types: counters since the table's instance opened, gauges now.
ENGINE_STATISTICS = {
    "rocksdb": {"block_cache_hits_total": "counter", "block_cache_misses_total": "counter",
                "pending_compaction_bytes": "gauge", "block_cache_usage_bytes": "gauge"},
    "sqlite": {"page_cache_hits_total": "counter", "page_cache_misses_total": "counter",
               "page_cache_used_bytes": "gauge"},
    "lmdb": {"map_size_bytes": "gauge", "map_used_bytes": "gauge"},
}


def test_engine_statistics_per_table(metered, engine):
    ddb = metered.client()
    create_hash_table(ddb, "engine_stats")
    for i in range(50):
        ddb.put_item(TableName="engine_stats", Item={"pk": {"S": str(i)}})
    for i in range(50):
        ddb.get_item(TableName="engine_stats", Key={"pk": {"S": str(i)}})
    status, _, text = scrape(metered)
    assert status == 200
    s = parse(text)
    labels = {"table": "engine_stats", "engine": engine}
    assert ("jormun_engine_approximate_size_bytes", frozenset(labels.items())) in s
    expected = ENGINE_STATISTICS.get(engine, {})
    for stat, kind in expected.items():
        name = "jormun_engine_" + stat
        assert f"# TYPE {name} {kind}\n" in text
        assert (name, frozenset(labels.items())) in s, name
    if engine == "lmdb":
        used = value(s, "jormun_engine_map_used_bytes", **labels)
        assert 0 < used <= value(s, "jormun_engine_map_size_bytes", **labels)
    if engine == "sqlite":
        looked_up = [value(s, f"jormun_engine_page_cache_{kind}_total", **labels)
                     for kind in ("hits", "misses")]
        assert sum(looked_up) > 0
        later = parse(scrape(metered)[2])
        for kind, before in zip(("hits", "misses"), looked_up):
            assert value(later, f"jormun_engine_page_cache_{kind}_total", **labels) >= before
    # Text an engine reports (a version, a mode) is no sample.
    assert not any(name == "jormun_engine_sqlite_version" for name, _ in s)


def test_engine_statistics_leave_closed_tables_closed(workdir, engine):
    srv = new_server(workdir, engine)
    with open(srv.config_path, "a") as f:
        f.write("server:\n  max_open_tables: 1\n")
    srv.start()
    try:
        ddb = srv.client()
        for name in ("first", "second"):
            create_hash_table(ddb, name)
            ddb.put_item(TableName=name, Item={"pk": {"S": "x"}})
        # Opening "second" closed the idle "first"; scrapes must not open it.
        for _ in range(2):
            s = parse(scrape(srv)[2])
            tables = {dict(labels).get("table") for name, labels in s
                      if name == "jormun_engine_approximate_size_bytes"}
            assert tables == {"second"}
    finally:
        srv.stop()
