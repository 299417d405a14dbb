"""Query and Scan through global and local secondary indexes."""
import threading

import pytest
from botocore.exceptions import ClientError

from conftest import error_of


@pytest.fixture
def indexed(ddb, table_name):
    ddb.create_table(
        TableName=table_name, BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                   {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[{"AttributeName": a, "AttributeType": t} for a, t in
                              (("pk", "S"), ("sk", "N"), ("g", "S"), ("gs", "N"), ("ls", "S"))],
        GlobalSecondaryIndexes=[
            {"IndexName": "by_g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"},
                                                {"AttributeName": "gs", "KeyType": "RANGE"}],
             "Projection": {"ProjectionType": "ALL"}},
            {"IndexName": "g_keys", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
             "Projection": {"ProjectionType": "KEYS_ONLY"}},
        ],
        LocalSecondaryIndexes=[
            {"IndexName": "by_ls", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                                                 {"AttributeName": "ls", "KeyType": "RANGE"}],
             "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["extra"]}},
        ])
    for i in range(30):
        item = {"pk": {"S": f"p{i % 3}"}, "sk": {"N": str(i)}, "extra": {"S": f"e{i}"},
                "other": {"S": "o"}, "ls": {"S": f"l{29 - i:02d}"}}
        if i % 2 == 0:  # sparse: odd items have no g
            item["g"] = {"S": f"g{i % 4}"}
            item["gs"] = {"N": str(i)}
        ddb.put_item(TableName=table_name, Item=item)
    yield table_name
    ddb.delete_table(TableName=table_name)


def test_gsi_query_sparse_and_ordered(ddb, indexed):
    out = ddb.query(TableName=indexed, IndexName="by_g", KeyConditionExpression="g = :g",
                    ExpressionAttributeValues={":g": {"S": "g0"}})
    assert [int(i["gs"]["N"]) for i in out["Items"]] == [0, 4, 8, 12, 16, 20, 24, 28]
    assert out["Items"][0]["other"] == {"S": "o"}


def test_gsi_paging_keys_name_index_and_table(ddb, indexed):
    seen, start = [], None
    while True:
        kw = {"ExclusiveStartKey": start} if start else {}
        out = ddb.query(TableName=indexed, IndexName="by_g", KeyConditionExpression="g = :g",
                        ExpressionAttributeValues={":g": {"S": "g2"}}, Limit=3,
                        ScanIndexForward=False, **kw)
        seen += [int(i["gs"]["N"]) for i in out["Items"]]
        start = out.get("LastEvaluatedKey")
        if not start:
            break
        assert set(start) == {"pk", "sk", "g", "gs"}
    assert seen == [26, 22, 18, 14, 10, 6, 2]


def test_keys_only_projection(ddb, indexed):
    out = ddb.query(TableName=indexed, IndexName="g_keys", KeyConditionExpression="g = :g",
                    ExpressionAttributeValues={":g": {"S": "g1"}})
    assert out["Count"] == 0  # g1 never occurs: i % 4 is even for even i
    out = ddb.query(TableName=indexed, IndexName="g_keys", KeyConditionExpression="g = :g",
                    ExpressionAttributeValues={":g": {"S": "g2"}})
    assert out["Count"] == 7
    assert all(set(i) == {"pk", "sk", "g"} for i in out["Items"])


def test_lsi_range_and_include_projection(ddb, indexed):
    out = ddb.query(TableName=indexed, IndexName="by_ls",
                    KeyConditionExpression="pk = :p AND ls BETWEEN :a AND :b",
                    ExpressionAttributeValues={":p": {"S": "p0"}, ":a": {"S": "l00"},
                                               ":b": {"S": "l10"}})
    assert [i["ls"]["S"] for i in out["Items"]] == ["l02", "l05", "l08"]
    assert all(set(i) == {"pk", "sk", "ls", "extra"} for i in out["Items"])
    full = ddb.query(TableName=indexed, IndexName="by_ls", Select="ALL_ATTRIBUTES",
                     KeyConditionExpression="pk = :p AND ls = :l",
                     ExpressionAttributeValues={":p": {"S": "p0"}, ":l": {"S": "l02"}})
    assert full["Items"][0]["other"] == {"S": "o"}


def test_scan_index_counts_only_sparse_entries(ddb, indexed):
    assert ddb.scan(TableName=indexed, IndexName="by_g")["Count"] == 15


def test_index_follows_updates_and_deletes(ddb, indexed):
    ddb.update_item(TableName=indexed, Key={"pk": {"S": "p0"}, "sk": {"N": "0"}},
                    UpdateExpression="SET g = :g", ExpressionAttributeValues={":g": {"S": "moved"}})
    ddb.delete_item(TableName=indexed, Key={"pk": {"S": "p1"}, "sk": {"N": "4"}})
    q = lambda g: ddb.query(TableName=indexed, IndexName="by_g", KeyConditionExpression="g = :g",
                            ExpressionAttributeValues={":g": {"S": g}})["Items"]
    assert [i["sk"]["N"] for i in q("moved")] == ["0"]
    assert "0" not in [i["sk"]["N"] for i in q("g0")]
    assert "4" not in [i["sk"]["N"] for i in q("g0")]


@pytest.mark.parametrize("kw,message", [
    (dict(IndexName="nope"), "The table does not have the specified index: nope"),
    (dict(IndexName="by_g", ConsistentRead=True),
     "Consistent reads are not supported on global secondary indexes"),
    (dict(IndexName="g_keys", Select="ALL_ATTRIBUTES"),
     "One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported "
     "for global secondary index g_keys because its projection type is not ALL"),
])
def test_index_read_errors(ddb, indexed, kw, message):
    with pytest.raises(ClientError) as e:
        ddb.query(TableName=indexed, KeyConditionExpression="g = :g",
                  ExpressionAttributeValues={":g": {"S": "g0"}}, **kw)
    assert error_of(e) == ("ValidationException", message)


@pytest.mark.parametrize("g,message", [
    ({"N": "5"}, "One or more parameter values were invalid: Type mismatch for Index Key g "
                 "Expected: S Actual: N IndexName: by_g"),
    ({"S": ""}, "One or more parameter values are not valid. A value specified for a secondary "
                "index key is not supported. The AttributeValue for a key attribute cannot "
                "contain an empty string value. IndexName: by_g, IndexKey: g"),
    # DynamoDB's limits on key values hold for index keys too: 2048 bytes for
    # a partition key, 1024 for a sort key.
    ({"S": "x" * 2049}, "One or more parameter values were invalid: Size limit exceeded for "
                        "Index Key g Actual Size: 2049 bytes Max Size: 2048 bytes IndexName: by_g"),
    # Past what the key codec's 2-byte length can hold.
    ({"S": "x" * 70000}, "One or more parameter values were invalid: Size limit exceeded for "
                         "Index Key g Actual Size: 70000 bytes Max Size: 2048 bytes IndexName: by_g"),
])
def test_bad_index_key_is_refused_on_every_write_path(ddb, indexed, g, message):
    refused_on_every_write_path(ddb, indexed, "g", g, message)


def test_long_index_sort_key_is_refused(ddb, indexed):
    refused_on_every_write_path(
        ddb, indexed, "ls", {"S": "y" * 1025},
        "One or more parameter values were invalid: Size limit exceeded for Index Key ls "
        "Actual Size: 1025 bytes Max Size: 1024 bytes IndexName: by_ls")
    # At the limit it is accepted.
    key = {"pk": {"S": "w"}, "sk": {"N": "1"}}
    ddb.put_item(TableName=indexed, Item=dict(key, ls={"S": "y" * 1024}, g={"S": "z" * 2048}))
    assert ddb.query(TableName=indexed, IndexName="by_ls", KeyConditionExpression="pk = :p",
                     ExpressionAttributeValues={":p": {"S": "w"}})["Count"] == 1


def refused_on_every_write_path(ddb, indexed, name, value, message):
    key = {"pk": {"S": "w"}, "sk": {"N": "1"}}
    item = dict(key, gs={"N": "1"})
    item[name] = value
    for call, kw in ((ddb.put_item, dict(TableName=indexed, Item=item)),
                     (ddb.update_item, dict(TableName=indexed, Key=key,
                                            UpdateExpression="SET #a = :v",
                                            ExpressionAttributeNames={"#a": name},
                                            ExpressionAttributeValues={":v": value})),
                     (ddb.batch_write_item, dict(RequestItems={indexed: [{"PutRequest": {"Item": item}}]}))):
        with pytest.raises(ClientError) as e:
            call(**kw)
        assert error_of(e) == ("ValidationException", message)
    assert "Item" not in ddb.get_item(TableName=indexed, Key=key)
    # An empty value of a non-key attribute stays allowed.
    ddb.put_item(TableName=indexed, Item=dict(key, other={"S": ""}))


def g_key(g, gs, pk, sk):
    return {"g": {"S": g}, "gs": {"N": str(gs)}, "pk": {"S": pk}, "sk": {"N": str(sk)}}


@pytest.mark.parametrize("start,message", [
    (g_key("g2", 2, "p2", 2),
     "The provided starting key is outside query boundaries based on provided conditions"),
    ({"g": {"S": "g0"}, "gs": {"N": "4"}, "pk": {"S": "p1"}},
     "The provided starting key is invalid"),
    ({"g": {"S": "g0"}, "pk": {"S": "p1"}, "sk": {"N": "4"}, "x": {"N": "4"}},
     "The provided starting key is invalid"),
    ({"g": {"N": "0"}, "gs": {"N": "4"}, "pk": {"S": "p1"}, "sk": {"N": "4"}},
     "The provided key element does not match the schema"),
    # The index's key is right, the table's is not: DynamoDB checks it later,
    # with the prefix.
    ({"g": {"S": "g0"}, "gs": {"N": "4"}, "pk": {"S": "p1"}, "x": {"N": "4"}},
     "The provided starting key is invalid: The provided key element does not match the schema"),
    ({"g": {"S": "g0"}, "gs": {"N": "4"}, "pk": {"S": "p1"}, "sk": {"S": "4"}},
     "The provided starting key is invalid: The provided key element does not match the schema"),
])
def test_index_start_key_validation(ddb, indexed, start, message):
    with pytest.raises(ClientError) as e:
        ddb.query(TableName=indexed, IndexName="by_g", KeyConditionExpression="g = :g",
                  ExpressionAttributeValues={":g": {"S": "g0"}}, ExclusiveStartKey=start)
    assert error_of(e) == ("ValidationException", message)


def test_index_query_start_key_outside_the_range_condition(ddb, indexed):
    with pytest.raises(ClientError) as e:
        ddb.query(TableName=indexed, IndexName="by_g",
                  KeyConditionExpression="g = :g AND gs > :n",
                  ExpressionAttributeValues={":g": {"S": "g0"}, ":n": {"N": "10"}},
                  ExclusiveStartKey=g_key("g0", 4, "p1", 4))
    assert error_of(e) == ("ValidationException",
                           "The provided starting key does not match the range key predicate")


def test_index_scan_start_key_validation(ddb, indexed):
    with pytest.raises(ClientError) as e:
        ddb.scan(TableName=indexed, IndexName="by_g", ExclusiveStartKey={})
    assert error_of(e) == ("ValidationException", "The provided starting key is invalid")
    with pytest.raises(ClientError) as e:
        ddb.scan(TableName=indexed, IndexName="by_g",
                 ExclusiveStartKey={"g": {"S": "g0"}, "gs": {"S": "4"}, "pk": {"S": "p1"},
                                    "sk": {"N": "4"}})
    assert error_of(e) == ("ValidationException",
                           "The provided key element does not match the schema")


def pages(call, **kw):
    """Every item of a paged read, and the LastEvaluatedKeys on the way."""
    items, keys, start = [], [], None
    while True:
        out = call(**kw, **({"ExclusiveStartKey": start} if start else {}))
        items += out["Items"]
        start = out.get("LastEvaluatedKey")
        if not start:
            return items, keys
        keys.append(start)


def test_lsi_paging(ddb, indexed):
    items, keys = pages(ddb.query, TableName=indexed, IndexName="by_ls", Limit=4,
                        KeyConditionExpression="pk = :p",
                        ExpressionAttributeValues={":p": {"S": "p1"}})
    assert [i["ls"]["S"] for i in items] == sorted(f"l{29 - i:02d}" for i in range(1, 30, 3))
    assert keys and all(set(k) == {"pk", "sk", "ls"} for k in keys)


def test_hash_only_gsi_paging(ddb, indexed):
    items, keys = pages(ddb.query, TableName=indexed, IndexName="g_keys", Limit=2,
                        KeyConditionExpression="g = :g",
                        ExpressionAttributeValues={":g": {"S": "g0"}})
    assert sorted(int(i["sk"]["N"]) for i in items) == [0, 4, 8, 12, 16, 20, 24, 28]
    assert keys and all(set(k) == {"pk", "sk", "g"} for k in keys)


def test_parallel_scan_of_an_index(ddb, indexed):
    segments = [pages(ddb.scan, TableName=indexed, IndexName="by_g", Segment=s,
                      TotalSegments=3, Limit=2)[0] for s in range(3)]
    keys = [(i["pk"]["S"], i["sk"]["N"]) for seg in segments for i in seg]
    assert len(keys) == 15 and len(set(keys)) == 15
    # Index partitions stay whole within one segment.
    owner = {}
    for n, seg in enumerate(segments):
        for i in seg:
            assert owner.setdefault(i["g"]["S"], n) == n


def test_lsi_reads_attributes_it_does_not_project_from_the_table(ddb, indexed):
    kw = dict(TableName=indexed, IndexName="by_ls", KeyConditionExpression="pk = :p AND ls = :l")
    values = {":p": {"S": "p0"}, ":l": {"S": "l02"}}
    names = {"#o": "other"}  # a reserved word
    out = ddb.query(**kw, ExpressionAttributeValues=values, ProjectionExpression="#o, extra",
                    ExpressionAttributeNames=names)
    assert out["Items"] == [{"other": {"S": "o"}, "extra": {"S": "e27"}}]
    # A filter on such an attribute sees the table's item; the answer keeps
    # the index's projection.
    out = ddb.query(**kw, ExpressionAttributeValues={**values, ":o": {"S": "o"}},
                    FilterExpression="#o = :o", ExpressionAttributeNames=names)
    assert out["Items"] == [{"pk": {"S": "p0"}, "sk": {"N": "27"}, "ls": {"S": "l02"},
                             "extra": {"S": "e27"}}]
    out = ddb.query(**kw, ExpressionAttributeValues={**values, ":o": {"S": "not"}},
                    FilterExpression="#o = :o", ExpressionAttributeNames=names)
    assert out["Count"] == 0 and out["ScannedCount"] == 1
    scanned = ddb.scan(TableName=indexed, IndexName="by_ls", ProjectionExpression="#o",
                       ExpressionAttributeNames=names)
    assert scanned["Count"] == 30 and all(i == {"other": {"S": "o"}} for i in scanned["Items"])


@pytest.mark.parametrize("call", ["query", "scan"])
def test_gsi_refuses_attributes_it_does_not_project(ddb, indexed, call):
    kw = dict(TableName=indexed, IndexName="g_keys")
    values = {}
    if call == "query":
        kw["KeyConditionExpression"] = "g = :g"
        values = {":g": {"S": "g0"}}
    read = getattr(ddb, call)
    with pytest.raises(ClientError) as e:
        read(**kw, **({"ExpressionAttributeValues": values} if values else {}),
             ProjectionExpression="pk, extra, #o.x", ExpressionAttributeNames={"#o": "other"})
    assert error_of(e) == ("ValidationException", "One or more parameter values were invalid: "
                           "Global secondary index g_keys does not project [extra, other]")
    with pytest.raises(ClientError) as e:
        read(**kw, ExpressionAttributeValues={**values, ":x": {"S": "x"}},
             FilterExpression="extra = :x")
    assert error_of(e) == ("ValidationException", "One or more parameter values were invalid: "
                           "Secondary index g_keys does not project one or more filter "
                           "attributes: [extra]")
    # Its keys and the table's are projected.
    out = read(**kw, **({"ExpressionAttributeValues": values} if values else {}),
               ProjectionExpression="pk, sk, g")
    assert out["Count"] > 0 and all(set(i) == {"pk", "sk", "g"} for i in out["Items"])


SCALARS = ("Key attributes must be scalars; list random access '[]' and map lookup '.' are "
           "not allowed: ")


@pytest.mark.parametrize("kw,message", [
    (dict(FilterExpression="g[1] = :b"), SCALARS + "IndexKey: g"),
    (dict(FilterExpression="attribute_exists(ls.x) OR extra = :b"), SCALARS + "IndexKey: ls"),
    (dict(ProjectionExpression="sk.x"), SCALARS + "Key: sk"),
    (dict(ProjectionExpression="extra, gs[0]"), SCALARS + "IndexKey: gs"),
])
def test_key_attributes_are_named_only_whole(ddb, indexed, kw, message):
    values = {":p": {"S": "p0"}}
    if "FilterExpression" in kw:
        values[":b"] = {"S": "x"}
    with pytest.raises(ClientError) as e:
        ddb.query(TableName=indexed, KeyConditionExpression="pk = :p",
                  ExpressionAttributeValues=values, **kw)
    assert error_of(e) == ("ValidationException", message)
    with pytest.raises(ClientError) as e:
        scan_values = {k: v for k, v in values.items() if k != ":p"}
        ddb.scan(TableName=indexed, **kw,
                 **({"ExpressionAttributeValues": scan_values} if scan_values else {}))
    assert error_of(e) == ("ValidationException", message)
    with pytest.raises(ClientError) as e:
        ddb.scan(TableName=indexed, FilterExpression="pk.x = :b",
                 ExpressionAttributeValues={":b": {"S": "x"}})
    assert error_of(e) == ("ValidationException", SCALARS + "Key: pk")


def test_index_paging_is_stable_under_concurrent_writes(ddb, server, indexed):
    # The fixture's items stay put; the churn moves other items into and out
    # of the same index partitions while the index is paged.
    stop = threading.Event()

    def churn():
        c = server.client()
        n = 0
        while not stop.is_set():
            key = {"pk": {"S": f"c{n % 7}"}, "sk": {"N": str(100 + n % 50)}}
            c.put_item(TableName=indexed, Item=dict(key, g={"S": f"g{2 * (n % 2)}"},
                                                     gs={"N": str(n % 30)}))
            c.update_item(TableName=indexed, Key=key, UpdateExpression="REMOVE g")
            n += 1

    stable = lambda items: sorted(int(i["sk"]["N"]) for i in items if i["pk"]["S"][0] == "p")
    t = threading.Thread(target=churn)
    t.start()
    try:
        queried, _ = pages(ddb.query, TableName=indexed, IndexName="by_g", Limit=2,
                           KeyConditionExpression="g = :g",
                           ExpressionAttributeValues={":g": {"S": "g2"}})
        assert stable(queried) == [2, 6, 10, 14, 18, 22, 26]
        scanned, _ = pages(ddb.scan, TableName=indexed, IndexName="by_g", Limit=3)
        assert stable(scanned) == list(range(0, 30, 2))
    finally:
        stop.set()
        t.join()
