"""Global secondary indexes with multi-attribute keys: up to four HASH and
four RANGE attributes, their validation, Query with a condition on each HASH
attribute and on the RANGE attributes left to right, paging, projections,
backfill, and DescribeTable.

Debian's botocore carries a service model older than the feature (KeySchema
at most 2 members), but it checks no maximum length on the client, so boto3
sends these requests as they are; one test goes through the JavaScript SDK v3
as well.

The texts of the validation errors for multi-attribute keys are our own
choice (docs/validation-messages.md, "unconfirmed")."""
import time

import pytest
from botocore.exceptions import ClientError

from conftest import new_server
from node_sdk import run_node


def attr(name, typ="S"):
    return {"AttributeName": name, "AttributeType": typ}


def key(name, key_type):
    return {"AttributeName": name, "KeyType": key_type}


def gsi(name, hash_keys, range_keys=(), projection=None):
    return {"IndexName": name,
            "KeySchema": [key(k, "HASH") for k in hash_keys]
            + [key(k, "RANGE") for k in range_keys],
            "Projection": projection or {"ProjectionType": "ALL"}}


def create(ddb, table, definitions, indexes):
    ddb.create_table(TableName=table, BillingMode="PAY_PER_REQUEST",
                     KeySchema=[key("id", "HASH")],
                     AttributeDefinitions=[attr("id")] + definitions,
                     GlobalSecondaryIndexes=indexes)


def error(call, *args, **kwargs):
    with pytest.raises(ClientError) as e:
        call(*args, **kwargs)
    return e.value.response["Error"]["Code"], e.value.response["Error"]["Message"]


# A match of a tournament: partition (tournament, region), sort (round, bracket, match).
DEFINITIONS = [attr("tournament"), attr("region"), attr("round", "N"), attr("bracket"),
               attr("match", "N")]
MATCHES = gsi("matches", ["tournament", "region"], ["round", "bracket", "match"])


def match(i, tournament="W24", region="NA", rnd=1, bracket="upper", number=None, **more):
    item = {"id": {"S": f"m{i}"}, "tournament": {"S": tournament}, "region": {"S": region},
            "round": {"N": str(rnd)}, "bracket": {"S": bracket},
            "match": {"N": str(i if number is None else number)}}
    item.update(more)
    return item


@pytest.fixture
def matches(ddb, table_name):
    create(ddb, table_name, DEFINITIONS, [MATCHES])
    yield table_name
    ddb.delete_table(TableName=table_name)


def query(ddb, table, condition, values, **kwargs):
    text = condition + kwargs.get("FilterExpression", "")
    names = {f"#{n}": n for n in ("tournament", "region", "round", "bracket", "match")
             if f"#{n}" in text}
    extra = {"ExpressionAttributeNames": names} if names else {}
    return ddb.query(TableName=table, IndexName="matches", KeyConditionExpression=condition,
                     ExpressionAttributeValues=values, **extra, **kwargs)


PARTITION = "#tournament = :t AND #region = :r"
NA = {":t": {"S": "W24"}, ":r": {"S": "NA"}}


def ids(result):
    return [item["id"]["S"] for item in result["Items"]]


def test_create_with_four_and_four_and_describe(ddb, table_name):
    names = [f"h{i}" for i in range(4)] + [f"r{i}" for i in range(4)]
    create(ddb, table_name, [attr(n, "N" if n.endswith("1") else "S") for n in names],
           [gsi("wide", names[:4], names[4:])])
    try:
        table = ddb.describe_table(TableName=table_name)["Table"]
        (index,) = table["GlobalSecondaryIndexes"]
        assert index["KeySchema"] == [key(n, "HASH") for n in names[:4]] + [
            key(n, "RANGE") for n in names[4:]]
        assert index["IndexStatus"] == "ACTIVE"
        defined = {d["AttributeName"]: d["AttributeType"] for d in table["AttributeDefinitions"]}
        assert defined == {"id": "S", **{n: "N" if n.endswith("1") else "S" for n in names}}
    finally:
        ddb.delete_table(TableName=table_name)


INVALID = "One or more parameter values were invalid: "


@pytest.mark.parametrize("key_schema, message", [
    ([key(n, "HASH") for n in "abcde"],
     "Invalid KeySchema: The number of HASH key elements exceeds the limit of 4"),
    ([key("a", "HASH")] + [key(n, "RANGE") for n in "bcdef"],
     "Invalid KeySchema: The number of RANGE key elements exceeds the limit of 4"),
    ([key("a", "HASH"), key("b", "RANGE"), key("c", "HASH")],
     "Invalid KeySchema: All HASH key elements must come before the RANGE key elements"),
    ([key("a", "HASH"), key("b", "HASH"), key("a", "RANGE")],
     "Invalid KeySchema: The attribute a appears more than once in the KeySchema"),
    ([key("a", "RANGE"), key("b", "HASH"), key("c", "HASH")],
     "Invalid KeySchema: The first KeySchemaElement is not a HASH key type"),
    ([key("a", "HASH"), key("b", "HASH"), key("c", "SORT")],
     "Invalid KeySchema: The third KeySchemaElement is not a RANGE key type"),
    ([key("a", "HASH"), key("b", "HASH"), key("zz", "RANGE")],
     INVALID + "Some index key attributes are not defined in AttributeDefinitions. "
     "Keys: [a, b, zz], AttributeDefinitions: [id, a, b, c, d, e, f]"),
])
def test_create_refuses_bad_key_schemas(ddb, table_name, key_schema, message):
    index = {"IndexName": "bad", "KeySchema": key_schema,
             "Projection": {"ProjectionType": "ALL"}}
    assert error(ddb.create_table, TableName=table_name, BillingMode="PAY_PER_REQUEST",
                 KeySchema=[key("id", "HASH")],
                 AttributeDefinitions=[attr("id")] + [attr(n) for n in "abcdef"],
                 GlobalSecondaryIndexes=[index]) == ("ValidationException", message)
    assert table_name not in ddb.list_tables()["TableNames"]


def test_two_hash_attributes_of_one_name_keep_the_older_message(ddb, table_name):
    index = gsi("bad", ["a", "a"])
    assert error(ddb.create_table, TableName=table_name, BillingMode="PAY_PER_REQUEST",
                 KeySchema=[key("id", "HASH")], AttributeDefinitions=[attr("id"), attr("a")],
                 GlobalSecondaryIndexes=[index]) == (
        "ValidationException",
        "Both the Hash Key and the Range Key element in the KeySchema have the same name")


def test_local_indexes_keep_two_key_elements(ddb, table_name):
    code, message = error(
        ddb.create_table, TableName=table_name, BillingMode="PAY_PER_REQUEST",
        KeySchema=[key("id", "HASH"), key("s", "RANGE")],
        AttributeDefinitions=[attr("id"), attr("s"), attr("a"), attr("b")],
        LocalSecondaryIndexes=[{"IndexName": "lsi", "KeySchema": [
            key("id", "HASH"), key("a", "RANGE"), key("b", "RANGE")],
            "Projection": {"ProjectionType": "ALL"}}])
    assert code == "ValidationException"
    assert "Member must have length less than or equal to 2" in message


def test_items_missing_a_key_attribute_are_not_indexed(ddb, matches):
    ddb.put_item(TableName=matches, Item=match(1))
    partial = match(2)
    del partial["region"]
    ddb.put_item(TableName=matches, Item=partial)
    no_bracket = match(3)
    del no_bracket["bracket"]
    ddb.put_item(TableName=matches, Item=no_bracket)
    assert ids(query(ddb, matches, PARTITION, NA)) == ["m1"]
    scanned = ddb.scan(TableName=matches, IndexName="matches")
    assert ids(scanned) == ["m1"]


def test_query_needs_every_hash_attribute_with_equality(ddb, matches):
    assert error(query, ddb, matches, "#tournament = :t", {":t": {"S": "W24"}}) == (
        "ValidationException", "Query condition missed key schema element: region")
    assert error(query, ddb, matches, "#tournament = :t AND #region > :r", NA) == (
        "ValidationException", "Query key condition not supported")
    assert error(query, ddb, matches, "#tournament = :t AND #region = :r",
                 {":t": {"S": "W24"}, ":r": {"N": "1"}}) == (
        "ValidationException",
        INVALID + "Condition parameter type does not match schema type")


def test_query_range_attributes_left_to_right(ddb, matches):
    items = [match(1, rnd=1, bracket="lower"), match(2, rnd=1, bracket="upper"),
             match(3, rnd=2, bracket="lower"), match(4, rnd=2, bracket="upper"),
             match(5, rnd=2, bracket="upper"), match(6, rnd=10, bracket="final"),
             match(7, region="EU", rnd=1), match(8, tournament="S25", rnd=1)]
    for item in items:
        ddb.put_item(TableName=matches, Item=item)
    # The sort key tuple orders numbers numerically, then strings, then numbers.
    assert ids(query(ddb, matches, PARTITION, NA)) == ["m1", "m2", "m3", "m4", "m5", "m6"]
    assert ids(query(ddb, matches, PARTITION, NA, ScanIndexForward=False)) == [
        "m6", "m5", "m4", "m3", "m2", "m1"]
    two = {**NA, ":n": {"N": "2"}}
    assert ids(query(ddb, matches, PARTITION + " AND #round = :n", two)) == ["m3", "m4", "m5"]
    assert ids(query(ddb, matches, PARTITION + " AND #round >= :n", two)) == [
        "m3", "m4", "m5", "m6"]
    assert ids(query(ddb, matches, PARTITION + " AND #round < :n", two)) == ["m1", "m2"]
    upper = {**two, ":b": {"S": "upper"}}
    assert ids(query(ddb, matches, PARTITION + " AND #round = :n AND #bracket = :b",
                     upper)) == ["m4", "m5"]
    assert ids(query(ddb, matches, PARTITION + " AND #round = :n AND #bracket < :b",
                     upper)) == ["m3"]
    assert ids(query(ddb, matches,
                     PARTITION + " AND #round = :n AND begins_with(#bracket, :p)",
                     {**two, ":p": {"S": "up"}})) == ["m4", "m5"]
    assert ids(query(ddb, matches, PARTITION
                     + " AND #round = :n AND #bracket = :b AND #match BETWEEN :lo AND :hi",
                     {**upper, ":lo": {"N": "5"}, ":hi": {"N": "9"}})) == ["m5"]
    assert ids(query(ddb, matches, PARTITION + " AND #round BETWEEN :lo AND :hi",
                     {**NA, ":lo": {"N": "2"}, ":hi": {"N": "10"}})) == [
        "m3", "m4", "m5", "m6"]


def test_query_refuses_range_conditions_out_of_order(ddb, matches):
    values = {**NA, ":n": {"N": "2"}, ":b": {"S": "upper"}}
    assert error(query, ddb, matches, PARTITION + " AND #bracket = :b",
                 {**NA, ":b": {"S": "upper"}}) == (
        "ValidationException", "Query condition missed key schema element: round")
    assert error(query, ddb, matches, PARTITION + " AND #round > :n AND #bracket = :b",
                 values) == ("ValidationException", "Query key condition not supported")
    assert error(query, ddb, matches, PARTITION + " AND #round = :n AND notakey = :b",
                 values) == (
        "ValidationException", "Query condition missed key schema element: bracket")
    assert error(query, ddb, matches, PARTITION + " AND #round = :n",
                 {**NA, ":n": {"S": "2"}}) == (
        "ValidationException",
        INVALID + "Condition parameter type does not match schema type")
    assert error(query, ddb, matches, PARTITION, {**NA, ":b": {"S": "upper"}},
                 FilterExpression="#bracket = :b") == ("ValidationException",
                       "Filter Expression can only contain non-primary key attributes: "
                       "Primary key attribute: bracket")


def test_pagination_across_pages(ddb, matches):
    for i in range(1, 8):
        ddb.put_item(TableName=matches, Item=match(i, rnd=i % 3, bracket="b" + str(i % 2)))
    everything = ids(query(ddb, matches, PARTITION, NA))
    assert len(everything) == 7
    seen, start, pages = [], None, 0
    while True:
        extra = {"ExclusiveStartKey": start} if start else {}
        page = query(ddb, matches, PARTITION, NA, Limit=2, **extra)
        seen += ids(page)
        pages += 1
        start = page.get("LastEvaluatedKey")
        if not start:
            break
        # Every key attribute of the index plus the table's key.
        assert set(start) == {"id", "tournament", "region", "round", "bracket", "match"}
    assert seen == everything
    assert pages == 4
    # A start key from another partition is outside the query.
    other = dict(start or query(ddb, matches, PARTITION, NA, Limit=1)["LastEvaluatedKey"])
    other["region"] = {"S": "EU"}
    assert error(query, ddb, matches, PARTITION, NA, ExclusiveStartKey=other) == (
        "ValidationException",
        "The provided starting key is outside query boundaries based on provided conditions")
    missing = dict(other)
    del missing["bracket"]
    assert error(query, ddb, matches, PARTITION, NA, ExclusiveStartKey=missing) == (
        "ValidationException", "The provided starting key is invalid")


def test_projections(ddb, table_name):
    keys_only = gsi("keys", ["tournament", "region"], ["round"],
                    {"ProjectionType": "KEYS_ONLY"})
    include = gsi("some", ["tournament", "region"], ["round"],
                  {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["score"]})
    create(ddb, table_name, DEFINITIONS[:3], [keys_only, include])
    try:
        item = {"id": {"S": "x"}, "tournament": {"S": "W24"}, "region": {"S": "NA"},
                "round": {"N": "1"}, "score": {"N": "7"}, "note": {"S": "n"}}
        ddb.put_item(TableName=table_name, Item=item)
        condition = "tournament = :t AND #region = :r"
        names = {"#region": "region"}
        got = ddb.query(TableName=table_name, IndexName="keys", KeyConditionExpression=condition,
                        ExpressionAttributeNames=names, ExpressionAttributeValues=NA)["Items"]
        assert got == [{k: item[k] for k in ("id", "tournament", "region", "round")}]
        got = ddb.query(TableName=table_name, IndexName="some", KeyConditionExpression=condition,
                        ExpressionAttributeNames=names, ExpressionAttributeValues=NA)["Items"]
        assert got == [{k: item[k] for k in ("id", "tournament", "region", "round", "score")}]
    finally:
        ddb.delete_table(TableName=table_name)


def test_update_table_backfills_existing_items(ddb, table_name):
    ddb.create_table(TableName=table_name, BillingMode="PAY_PER_REQUEST",
                     KeySchema=[key("id", "HASH")], AttributeDefinitions=[attr("id")])
    try:
        for i in range(1, 6):
            ddb.put_item(TableName=table_name, Item=match(i, rnd=6 - i))
        partial = match(9)
        del partial["round"]
        ddb.put_item(TableName=table_name, Item=partial)
        ddb.update_table(TableName=table_name, AttributeDefinitions=DEFINITIONS,
                         GlobalSecondaryIndexUpdates=[{"Create": MATCHES}])
        deadline = time.time() + 60
        while True:
            index = ddb.describe_table(TableName=table_name)["Table"][
                "GlobalSecondaryIndexes"][0]
            if index["IndexStatus"] == "ACTIVE":
                break
            assert time.time() < deadline
            time.sleep(0.2)
        assert index["KeySchema"] == MATCHES["KeySchema"]
        assert ids(query(ddb, table_name, PARTITION, NA)) == ["m5", "m4", "m3", "m2", "m1"]
    finally:
        ddb.delete_table(TableName=table_name)


def test_update_table_validates_multi_attribute_keys(ddb, hash_table):
    bad = gsi("bad", ["a", "b", "c", "d", "e"])
    assert error(ddb.update_table, TableName=hash_table,
                 AttributeDefinitions=[attr(n) for n in "abcde"],
                 GlobalSecondaryIndexUpdates=[{"Create": bad}]) == (
        "ValidationException",
        "Invalid KeySchema: The number of HASH key elements exceeds the limit of 4")
    assert "GlobalSecondaryIndexes" not in ddb.describe_table(TableName=hash_table)["Table"]


def test_updates_move_items_between_partitions(ddb, matches):
    ddb.put_item(TableName=matches, Item=match(1))
    ddb.put_item(TableName=matches, Item=match(2))
    eu = {":t": {"S": "W24"}, ":r": {"S": "EU"}}
    ddb.update_item(TableName=matches, Key={"id": {"S": "m1"}},
                    UpdateExpression="SET #region = :r", ExpressionAttributeNames={"#region": "region"},
                    ExpressionAttributeValues={":r": {"S": "EU"}})
    assert ids(query(ddb, matches, PARTITION, NA)) == ["m2"]
    assert ids(query(ddb, matches, PARTITION, eu)) == ["m1"]
    # Losing one RANGE attribute takes the item out of the index.
    ddb.update_item(TableName=matches, Key={"id": {"S": "m2"}}, UpdateExpression="REMOVE #b",
                    ExpressionAttributeNames={"#b": "bracket"})
    assert ids(query(ddb, matches, PARTITION, NA)) == []
    # A new RANGE value moves it within its partition.
    ddb.update_item(TableName=matches, Key={"id": {"S": "m1"}},
                    UpdateExpression="SET #round = :n", ExpressionAttributeNames={"#round": "round"},
                    ExpressionAttributeValues={":n": {"N": "0"}})
    ddb.put_item(TableName=matches, Item=match(3, region="EU", rnd=1))
    assert ids(query(ddb, matches, PARTITION, eu)) == ["m1", "m3"]
    ddb.delete_item(TableName=matches, Key={"id": {"S": "m1"}})
    assert ids(query(ddb, matches, PARTITION, eu)) == ["m3"]


def test_writes_refuse_a_bad_value_of_any_key_attribute(ddb, matches):
    bad = match(1, bracket="")
    assert error(ddb.put_item, TableName=matches, Item=bad) == (
        "ValidationException",
        "One or more parameter values are not valid. A value specified for a secondary "
        "index key is not supported. The AttributeValue for a key attribute cannot contain "
        "an empty string value. IndexName: matches, IndexKey: bracket")


def test_javascript_sdk(server):
    out = run_node(["--test", "multi_key_gsi.test.mjs"], {"JORMUN_ENDPOINT": server.endpoint})
    assert out.returncode == 0, out.stdout + out.stderr


def test_scan_pages_of_the_index(ddb, matches):
    for i in range(1, 6):
        ddb.put_item(TableName=matches, Item=match(i, region="NA" if i % 2 else "EU"))
    seen, start = [], None
    while True:
        extra = {"ExclusiveStartKey": start} if start else {}
        page = ddb.scan(TableName=matches, IndexName="matches", Limit=2, **extra)
        seen += ids(page)
        start = page.get("LastEvaluatedKey")
        if not start:
            break
    assert sorted(seen) == ["m1", "m2", "m3", "m4", "m5"]


def test_legacy_key_conditions(ddb, matches):
    for i, rnd in enumerate([1, 2, 3], start=1):
        ddb.put_item(TableName=matches, Item=match(i, rnd=rnd))
    got = ddb.query(TableName=matches, IndexName="matches", KeyConditions={
        "tournament": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "W24"}]},
        "region": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "NA"}]},
        "round": {"ComparisonOperator": "GE", "AttributeValueList": [{"N": "2"}]}})
    assert ids(got) == ["m2", "m3"]
    assert error(ddb.query, TableName=matches, IndexName="matches", KeyConditions={
        "tournament": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "W24"}]}}) == (
        "ValidationException", "Query condition missed key schema element: region")


def test_deleting_the_index_drops_its_attribute_definitions(ddb, matches):
    ddb.update_table(TableName=matches,
                     GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "matches"}}])
    deadline = time.time() + 60
    while "GlobalSecondaryIndexes" in ddb.describe_table(TableName=matches)["Table"]:
        assert time.time() < deadline
        time.sleep(0.2)
    assert ddb.describe_table(TableName=matches)["Table"]["AttributeDefinitions"] == [attr("id")]


def test_the_index_survives_a_restart(workdir, engine, table_name):
    srv = new_server(workdir, engine).start()
    try:
        ddb = srv.client()
        create(ddb, table_name, DEFINITIONS, [MATCHES])
        ddb.put_item(TableName=table_name, Item=match(1))
        srv.stop()
        srv.start()
        ddb = srv.client()
        (index,) = ddb.describe_table(TableName=table_name)["Table"]["GlobalSecondaryIndexes"]
        assert index["KeySchema"] == MATCHES["KeySchema"]
        ddb.put_item(TableName=table_name, Item=match(2))
        assert ids(query(ddb, table_name, PARTITION, NA)) == ["m1", "m2"]
    finally:
        srv.stop()
