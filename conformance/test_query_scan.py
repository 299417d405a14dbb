"""Query and Scan: key conditions, direction, paging, filters, Select,
parallel scan segments."""
import threading

import pytest
from botocore.exceptions import ClientError

from conftest import error_of


@pytest.fixture
def loaded(ddb, range_table):
    """Partitions p0..p4, sort keys 0..19 (N), with a string attribute."""
    for p in range(5):
        requests = []
        for s in range(20):
            requests.append({"PutRequest": {"Item": {
                "pk": {"S": f"p{p}"}, "sk": {"N": str(s)}, "v": {"S": f"v{s % 3}"},
                "pad": {"S": "x" * 10}}}})
        for i in range(0, 20, 10):
            ddb.batch_write_item(RequestItems={range_table: requests[i:i + 10]})
    return range_table


def sks(items):
    return [int(i["sk"]["N"]) for i in items]


def query(ddb, table, cond, values, **kw):
    return ddb.query(TableName=table, KeyConditionExpression=cond,
                     ExpressionAttributeValues=values, **kw)


@pytest.mark.parametrize("cond,values,expected", [
    ("pk = :p", {}, list(range(20))),
    ("pk = :p AND sk = :a", {":a": {"N": "5"}}, [5]),
    ("pk = :p AND sk < :a", {":a": {"N": "3"}}, [0, 1, 2]),
    ("pk = :p AND sk <= :a", {":a": {"N": "3"}}, [0, 1, 2, 3]),
    ("pk = :p AND sk > :a", {":a": {"N": "17"}}, [18, 19]),
    ("pk = :p AND sk >= :a", {":a": {"N": "17"}}, [17, 18, 19]),
    ("pk = :p AND sk BETWEEN :a AND :b", {":a": {"N": "4"}, ":b": {"N": "6.5"}}, [4, 5, 6]),
])
def test_key_conditions(ddb, loaded, cond, values, expected):
    out = query(ddb, loaded, cond, {":p": {"S": "p2"}, **values})
    assert sks(out["Items"]) == expected
    assert out["Count"] == out["ScannedCount"] == len(expected)


def test_begins_with_on_string_sort_key(ddb, table_name):
    ddb.create_table(TableName=table_name, BillingMode="PAY_PER_REQUEST",
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                                {"AttributeName": "sk", "KeyType": "RANGE"}],
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                           {"AttributeName": "sk", "AttributeType": "S"}])
    try:
        for sk in ("a", "ab", "abc", "ab\x00z", "b", "aa"):
            ddb.put_item(TableName=table_name, Item={"pk": {"S": "x"}, "sk": {"S": sk}})
        out = query(ddb, table_name, "pk = :p AND begins_with(sk, :b)",
                    {":p": {"S": "x"}, ":b": {"S": "ab"}})
        assert [i["sk"]["S"] for i in out["Items"]] == ["ab", "ab\x00z", "abc"]
    finally:
        ddb.delete_table(TableName=table_name)


def test_reverse_and_limit_paging(ddb, loaded):
    seen, start = [], None
    while True:
        kw = {"ExclusiveStartKey": start} if start else {}
        out = query(ddb, loaded, "pk = :p", {":p": {"S": "p1"}}, ScanIndexForward=False,
                    Limit=6, **kw)
        seen += sks(out["Items"])
        start = out.get("LastEvaluatedKey")
        if not start:
            break
        assert set(start) == {"pk", "sk"}
    assert seen == list(range(19, -1, -1))


def test_page_ending_on_last_item_still_names_it(ddb, loaded):
    out = query(ddb, loaded, "pk = :p", {":p": {"S": "p1"}}, Limit=20)
    assert out["LastEvaluatedKey"] == {"pk": {"S": "p1"}, "sk": {"N": "19"}}
    nxt = query(ddb, loaded, "pk = :p", {":p": {"S": "p1"}}, ExclusiveStartKey=out["LastEvaluatedKey"])
    assert nxt["Items"] == [] and "LastEvaluatedKey" not in nxt


def test_filter_applies_after_limit(ddb, loaded):
    out = query(ddb, loaded, "pk = :p", {":p": {"S": "p0"}, ":v": {"S": "v0"}}, Limit=6,
                FilterExpression="v = :v")
    assert out["ScannedCount"] == 6
    assert sks(out["Items"]) == [0, 3]
    assert out["Count"] == 2


def test_select_count_and_projection(ddb, loaded):
    out = query(ddb, loaded, "pk = :p", {":p": {"S": "p0"}}, Select="COUNT")
    assert out["Count"] == 20 and "Items" not in out
    out = query(ddb, loaded, "pk = :p AND sk = :z", {":p": {"S": "p0"}, ":z": {"N": "0"}},
                ProjectionExpression="v")
    assert out["Items"] == [{"v": {"S": "v0"}}]


def test_legacy_key_conditions_and_query_filter(ddb, loaded):
    out = ddb.query(TableName=loaded,
                    KeyConditions={"pk": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "p3"}]},
                                   "sk": {"ComparisonOperator": "LT", "AttributeValueList": [{"N": "6"}]}},
                    QueryFilter={"v": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "v1"}]}})
    assert sks(out["Items"]) == [1, 4]


def legacy(op, *values):
    c = {"ComparisonOperator": op}
    if values:
        c["AttributeValueList"] = list(values)
    return c


P1 = legacy("EQ", {"S": "p1"})
TYPE_MISMATCH = ("One or more parameter values were invalid: Condition parameter type does not "
                 "match schema type")


@pytest.mark.parametrize("kw,message", [
    (dict(), "Either the KeyConditions or KeyConditionExpression parameter must be specified "
             "in the request."),
    (dict(KeyConditionExpression="sk = :a", ExpressionAttributeValues={":a": {"N": "1"}}),
     "Query condition missed key schema element: pk"),
    (dict(KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": "p"}},
          FilterExpression="sk = :p"),
     "Filter Expression can only contain non-primary key attributes: Primary key attribute: sk"),
    (dict(KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": "p"}},
          Select="SPECIFIC_ATTRIBUTES"),
     "Must specify the AttributesToGet or ProjectionExpression when choosing to get "
     "SPECIFIC_ATTRIBUTES"),
    (dict(KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": "p"}}, Limit=0),
     "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member "
     "must have value greater than or equal to 1"),
    (dict(KeyConditions={"pk": P1, "sk": legacy("NULL")}),
     "Attempted conditional constraint is not an indexable operation"),
    (dict(KeyConditions={"pk": P1, "sk": legacy("NE", {"N": "1"})}),
     "Attempted conditional constraint is not an indexable operation"),
    (dict(KeyConditions={"pk": legacy("IN", {"S": "p1"})}),
     "Attempted conditional constraint is not an indexable operation"),
    (dict(KeyConditions={"pk": legacy("CONTAINS", {"S": "p"})}),
     "Attempted conditional constraint is not an indexable operation"),
    (dict(KeyConditions={"sk": legacy("NOT_NULL")}), "Query condition missed key schema element: pk"),
    (dict(KeyConditions={"pk": legacy("EQ", {"N": "1"}), "sk": legacy("NOT_CONTAINS", {"N": "1"})}),
     TYPE_MISMATCH),
    (dict(KeyConditionExpression=":a > pk", ExpressionAttributeValues={":a": {"N": "1"}}),
     TYPE_MISMATCH),
    (dict(KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": ""}}),
     "One or more parameter values are not valid. The AttributeValue for a key attribute "
     "cannot contain an empty string value. Key: pk"),
    (dict(KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": "x" * 2049}}),
     "One or more parameter values were invalid: Size of hashkey has exceeded the maximum size "
     "limit of2048 bytes"),
])
def test_query_validation(ddb, loaded, kw, message):
    with pytest.raises(ClientError) as e:
        ddb.query(TableName=loaded, **kw)
    assert error_of(e) == ("ValidationException", message)


def scan_all(ddb, table, start=None, **kw):
    items = []
    while True:
        extra = {"ExclusiveStartKey": start} if start else {}
        out = ddb.scan(TableName=table, **kw, **extra)
        items += out["Items"]
        start = out.get("LastEvaluatedKey")
        if not start:
            return items


def test_scan_pages_return_every_item_once(ddb, loaded):
    items = scan_all(ddb, loaded, Limit=7)
    keys = sorted((i["pk"]["S"], int(i["sk"]["N"])) for i in items)
    assert keys == sorted((f"p{p}", s) for p in range(5) for s in range(20))


def test_parallel_scan_segments_partition_the_table(ddb, loaded):
    per_segment = [scan_all(ddb, loaded, Segment=s, TotalSegments=4, Limit=9) for s in range(4)]
    keys = [(i["pk"]["S"], i["sk"]["N"]) for seg in per_segment for i in seg]
    assert len(keys) == 100 and len(set(keys)) == 100
    # Whole partitions stay in one segment: segments split the hash space.
    for seg in per_segment:
        for i in seg:
            assert all(i["pk"] not in [j["pk"] for j in other]
                       for other in per_segment if other is not seg)


def test_scan_filter_and_legacy_scan_filter(ddb, loaded):
    out = scan_all(ddb, loaded, FilterExpression="v = :v AND sk < :s",
                   ExpressionAttributeValues={":v": {"S": "v2"}, ":s": {"N": "6"}})
    assert sorted(sks(out)) == sorted([2, 5] * 5)
    legacy = scan_all(ddb, loaded, ScanFilter={"sk": {"ComparisonOperator": "BETWEEN",
                                                      "AttributeValueList": [{"N": "1"}, {"N": "2"}]}})
    assert len(legacy) == 10


def test_segment_validation(ddb, loaded):
    with pytest.raises(ClientError) as e:
        ddb.scan(TableName=loaded, Segment=2, TotalSegments=2)
    assert error_of(e) == ("ValidationException",
                           "The Segment parameter is zero-based and must be less than parameter "
                           "TotalSegments: Segment: 2 is not less than TotalSegments: 2")


def test_one_megabyte_pages(ddb, hash_table):
    big = "x" * (100 * 1024)
    for i in range(25):
        ddb.put_item(TableName=hash_table, Item={"pk": {"S": f"k{i:02d}"}, "v": {"S": big}})
    first = ddb.scan(TableName=hash_table)
    # The page stops after the item that reaches 1 MB: 11 items of ~100 KB.
    assert first["ScannedCount"] == 11
    assert "LastEvaluatedKey" in first
    assert len(scan_all(ddb, hash_table)) == 25


def test_paging_is_stable_under_concurrent_writes(ddb, server, hash_table):
    for i in range(200):
        ddb.put_item(TableName=hash_table, Item={"pk": {"S": f"stable{i}"}})
    stop = threading.Event()

    def churn():
        c = server.client()
        n = 0
        while not stop.is_set():
            c.put_item(TableName=hash_table, Item={"pk": {"S": f"churn{n}"}})
            c.delete_item(TableName=hash_table, Key={"pk": {"S": f"churn{n}"}})
            n += 1

    t = threading.Thread(target=churn)
    t.start()
    try:
        items = scan_all(ddb, hash_table, Limit=13)
    finally:
        stop.set()
        t.join()
    stable = [i["pk"]["S"] for i in items if i["pk"]["S"].startswith("stable")]
    assert sorted(stable) == sorted(f"stable{i}" for i in range(200))


def query_error(ddb, table, cond, values, **kw):
    with pytest.raises(ClientError) as e:
        query(ddb, table, cond, values, **kw)
    return error_of(e)


def p1_key(sk):
    return {"pk": {"S": "p1"}, "sk": {"N": str(sk)}}


@pytest.mark.parametrize("cond,values,start,message", [
    # Another partition, no sort key condition.
    ("pk = :p", {}, {"pk": {"S": "p0"}, "sk": {"N": "5"}},
     "The provided starting key is outside query boundaries based on provided conditions"),
    # A sort key outside the condition, in either partition.
    ("pk = :p AND sk > :a", {":a": {"N": "10"}}, p1_key(3),
     "The provided starting key does not match the range key predicate"),
    ("pk = :p AND sk > :a", {":a": {"N": "10"}}, {"pk": {"S": "p0"}, "sk": {"N": "3"}},
     "The provided starting key does not match the range key predicate"),
    ("pk = :p AND sk BETWEEN :a AND :b", {":a": {"N": "4"}, ":b": {"N": "6"}}, p1_key(7),
     "The provided starting key does not match the range key predicate"),
    # The sort key inside the condition, but another partition.
    ("pk = :p AND sk < :a", {":a": {"N": "10"}}, {"pk": {"S": "p0"}, "sk": {"N": "3"}},
     "The query can return at most one row and cannot be restarted"),
    ("pk = :p AND sk = :a", {":a": {"N": "3"}}, {"pk": {"S": "p0"}, "sk": {"N": "3"}},
     "The query can return at most one row and cannot be restarted"),
])
def test_start_key_must_lie_within_the_key_condition(ddb, loaded, cond, values, start, message):
    assert query_error(ddb, loaded, cond, {":p": {"S": "p1"}, **values},
                       ExclusiveStartKey=start) == ("ValidationException", message)


def test_start_key_inside_the_condition_narrows_the_page(ddb, loaded):
    out = query(ddb, loaded, "pk = :p AND sk > :a", {":p": {"S": "p1"}, ":a": {"N": "10"}},
                ExclusiveStartKey=p1_key(15))
    assert sks(out["Items"]) == [16, 17, 18, 19]
    out = query(ddb, loaded, "pk = :p AND sk BETWEEN :a AND :b",
                {":p": {"S": "p1"}, ":a": {"N": "4"}, ":b": {"N": "9"}},
                ScanIndexForward=False, ExclusiveStartKey=p1_key(6))
    assert sks(out["Items"]) == [5, 4]


@pytest.mark.parametrize("start,message", [
    ({}, "The provided starting key is invalid"),
    ({"pk": {"S": "p1"}}, "The provided starting key is invalid"),
    ({"pk": {"S": "p1"}, "sk": {"N": "1"}, "v": {"S": "x"}}, "The provided starting key is invalid"),
    ({"pk": {"S": "p1"}, "other": {"N": "1"}}, "The provided starting key is invalid"),
    ({"pk": {"N": "1"}, "sk": {"N": "1"}}, "The provided key element does not match the schema"),
    ({"pk": {"S": "p1"}, "sk": {"S": "1"}}, "The provided key element does not match the schema"),
])
def test_query_start_key_validation(ddb, loaded, start, message):
    assert query_error(ddb, loaded, "pk = :p", {":p": {"S": "p1"}},
                       ExclusiveStartKey=start) == ("ValidationException", message)


@pytest.mark.parametrize("start", [
    {}, {"pk": {"S": "p1"}}, {"pk": {"S": "p1"}, "sk": {"N": "1"}, "v": {"S": "x"}},
    {"pk": {"N": "1"}, "sk": {"N": "1"}},
])
def test_scan_start_key_validation(ddb, loaded, start):
    with pytest.raises(ClientError) as e:
        ddb.scan(TableName=loaded, ExclusiveStartKey=start)
    assert error_of(e) == ("ValidationException", "The provided starting key is invalid: "
                                                  "The provided key element does not match the schema")


def test_start_key_of_another_segment_is_refused(ddb, loaded):
    first = ddb.scan(TableName=loaded, Segment=0, TotalSegments=2, Limit=1)
    start = first["LastEvaluatedKey"]
    with pytest.raises(ClientError) as e:
        ddb.scan(TableName=loaded, Segment=1, TotalSegments=2, ExclusiveStartKey=start)
    assert error_of(e) == ("ValidationException",
                           "The provided starting key is invalid: Invalid ExclusiveStartKey. "
                           "Please use ExclusiveStartKey with correct Segment. "
                           "TotalSegments: 2 Segment: 1")
    # In its own segment it continues that segment.
    rest = scan_all(ddb, loaded, start, Segment=0, TotalSegments=2)
    assert len(rest) + 1 == len(scan_all(ddb, loaded, Segment=0, TotalSegments=2))


def test_two_conditions_without_a_sort_key(ddb, hash_table):
    for kw in (dict(KeyConditionExpression="y = :a and z = :a",
                    ExpressionAttributeValues={":a": {"S": "1"}}),
               dict(KeyConditionExpression="pk = :a and z = :a",
                    ExpressionAttributeValues={":a": {"S": "1"}}),
               dict(KeyConditions={"pk": P1, "z": legacy("NULL")})):
        with pytest.raises(ClientError) as e:
            ddb.query(TableName=hash_table, **kw)
        assert error_of(e) == ("ValidationException", "Query key condition not supported")


@pytest.mark.parametrize("kw,message", [
    (dict(Select="ALL_PROJECTED_ATTRIBUTES"),
     "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName"),
    (dict(Select="COUNT", ProjectionExpression="v"),
     "Cannot specify the ProjectionExpression when choosing to get only the Count"),
    (dict(Select="ALL_ATTRIBUTES", ProjectionExpression="v"),
     "Cannot specify the ProjectionExpression when choosing to get ALL_ATTRIBUTES"),
    (dict(Select="COUNT", AttributesToGet=["v"]),
     "Cannot specify the AttributesToGet when choosing to get only the Count"),
])
def test_select_messages(ddb, loaded, kw, message):
    key = (dict(KeyConditions={"pk": P1}) if "AttributesToGet" in kw else
           dict(KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": "p1"}}))
    for call, extra in ((ddb.query, key), (ddb.scan, {})):
        with pytest.raises(ClientError) as e:
            call(TableName=loaded, **extra, **kw)
        assert error_of(e) == ("ValidationException", message)


def test_segment_and_total_segments_go_together(ddb, loaded):
    with pytest.raises(ClientError) as e:
        ddb.scan(TableName=loaded, Segment=0)
    assert error_of(e) == ("ValidationException",
                           "The TotalSegments parameter is required but was not present in the "
                           "request when Segment parameter is present")
    with pytest.raises(ClientError) as e:
        ddb.scan(TableName=loaded, TotalSegments=2)
    assert error_of(e) == ("ValidationException",
                           "The Segment parameter is required but was not present in the "
                           "request when parameter TotalSegments is present")


def test_query_paging_is_stable_under_concurrent_writes(ddb, server, range_table):
    # Stable items on even sort keys; the churn writes and deletes the odd
    # ones between them, in the same partition, while the query pages.
    for b in range(0, 200, 25):
        ddb.batch_write_item(RequestItems={range_table: [
            {"PutRequest": {"Item": {"pk": {"S": "s"}, "sk": {"N": str(2 * i)}}}}
            for i in range(b, b + 25)]})
    stop = threading.Event()

    def churn():
        c = server.client()
        n = 0
        while not stop.is_set():
            key = {"pk": {"S": "s"}, "sk": {"N": str(2 * (n % 200) + 1)}}
            c.put_item(TableName=range_table, Item=key)
            c.delete_item(TableName=range_table, Key=key)
            n += 1

    t = threading.Thread(target=churn)
    t.start()
    try:
        for forward in (True, False):
            seen, start = [], None
            while True:
                kw = {"ExclusiveStartKey": start} if start else {}
                out = query(ddb, range_table, "pk = :p", {":p": {"S": "s"}}, Limit=13,
                            ScanIndexForward=forward, **kw)
                seen += [s for s in sks(out["Items"]) if s % 2 == 0]
                start = out.get("LastEvaluatedKey")
                if not start:
                    break
            expected = [2 * i for i in range(200)]
            assert seen == (expected if forward else expected[::-1])
    finally:
        stop.set()
        t.join()
