"""ReturnConsumedCapacity on the single-item operations, Query, Scan and the
batch operations: TOTAL answers the aggregate, INDEXES adds the table's part
("Table") and one entry per index the operation touched.

Reads cost one unit per 4 KB of the whole item (half for an eventually
consistent read), writes one per KB of the larger of the old and new item.
An index is charged on the change to what it stores (its projected entry):
joining or leaving it costs that entry's units, a changed entry costs the
larger image's, a moved index key costs both, an unchanged entry nothing and
no entry appears for it. The figures asserted here are the ones measured
against DynamoDB (eu-west-2) and published with dynoxide's index_capacity
(see docs/capacity.md); the batch shape is AWS's as quoted in ministack #29."""
import pytest

from conftest import create_hash_table


@pytest.fixture
def indexed(ddb, table_name):
    """pk/sk, a GSI on gsiPk projecting INCLUDE [proj], an LSI on lsiSk
    projecting INCLUDE [proj]: the layout of the published measurements."""
    name = table_name + "_ix"
    include = {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["proj"]}
    ddb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                   {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[{"AttributeName": n, "AttributeType": "S"}
                              for n in ("pk", "sk", "gsiPk", "lsiSk")],
        BillingMode="PAY_PER_REQUEST",
        GlobalSecondaryIndexes=[{"IndexName": "gsi-inc",
                                 "KeySchema": [{"AttributeName": "gsiPk", "KeyType": "HASH"}],
                                 "Projection": include}],
        LocalSecondaryIndexes=[{"IndexName": "lsi1",
                                "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                                              {"AttributeName": "lsiSk", "KeyType": "RANGE"}],
                                "Projection": include}])
    yield name
    ddb.delete_table(TableName=name)


@pytest.fixture
def plain(ddb, table_name):
    name = table_name + "_plain"
    create_hash_table(ddb, name)
    yield name
    ddb.delete_table(TableName=name)


def s(v):
    return {"S": v}


def item(pk, **attrs):
    return {"pk": s(pk), "sk": s("1"), **{n: s(v) for n, v in attrs.items()}}


def key(pk):
    return {"pk": s(pk), "sk": s("1")}


def expected(table, table_units, gsi=None, lsi=None):
    """The INDEXES answer: the total, the table's part, each index charged."""
    out = {"TableName": table,
           "CapacityUnits": table_units + sum((gsi or {}).values()) + sum((lsi or {}).values()),
           "Table": {"CapacityUnits": table_units}}
    if gsi:
        out["GlobalSecondaryIndexes"] = {n: {"CapacityUnits": u} for n, u in gsi.items()}
    if lsi:
        out["LocalSecondaryIndexes"] = {n: {"CapacityUnits": u} for n, u in lsi.items()}
    return out


def put(ddb, table, it, mode="INDEXES"):
    return ddb.put_item(TableName=table, Item=it, ReturnConsumedCapacity=mode)["ConsumedCapacity"]


def test_put_charges_the_index_it_joins(ddb, indexed):
    assert put(ddb, indexed, item("v1", gsiPk="g", proj="p")) == expected(
        indexed, 1.0, gsi={"gsi-inc": 1.0})
    # An identical overwrite changes no index entry: the table write alone.
    assert put(ddb, indexed, item("v1", gsiPk="g", proj="p")) == expected(indexed, 1.0)
    # TOTAL folds the index units into the aggregate and shows nothing else.
    assert put(ddb, indexed, item("v2", gsiPk="g"), "TOTAL") == {
        "TableName": indexed, "CapacityUnits": 2.0}


def test_an_index_entry_is_sized_on_what_it_projects(ddb, indexed):
    # A 3023-byte item whose GSI entry (pk, sk, gsiPk, proj) is 18 bytes.
    assert put(ddb, indexed, item("s1", gsiPk="g", proj="p", other="x" * 3000)) == expected(
        indexed, 3.0, gsi={"gsi-inc": 1.0})


def test_in_place_change_costs_the_larger_entry(ddb, indexed):
    put(ddb, indexed, item("r3", gsiPk="g", proj="x" * 2000))
    # 2017 bytes down to 117: the table and the index pay for the larger image.
    assert put(ddb, indexed, item("r3", gsiPk="g", proj="x" * 100)) == expected(
        indexed, 2.0, gsi={"gsi-inc": 2.0})
    # Equal images of 617 bytes: one unit each, not the sum rounded.
    put(ddb, indexed, item("r1", gsiPk="g", proj="x" * 600))
    assert put(ddb, indexed, item("r1", gsiPk="g", proj="y" * 600)) == expected(
        indexed, 1.0, gsi={"gsi-inc": 1.0})


def test_a_moved_index_key_costs_delete_and_insert(ddb, indexed):
    put(ddb, indexed, item("s4", gsiPk="A", proj="x" * 1500))
    assert put(ddb, indexed, item("s4", gsiPk="B", proj="x" * 1500)) == expected(
        indexed, 2.0, gsi={"gsi-inc": 4.0})
    put(ddb, indexed, item("s5", gsiPk="A", proj="x" * 3000))
    assert put(ddb, indexed, item("s5", gsiPk="B", proj="p")) == expected(
        indexed, 3.0, gsi={"gsi-inc": 4.0})


def test_update_charges_only_the_indexes_whose_entry_changes(ddb, indexed):
    put(ddb, indexed, item("b", gsiPk="g", other="o"))
    out = ddb.update_item(TableName=indexed, Key=key("b"), UpdateExpression="SET #o = :v",
                          ExpressionAttributeNames={"#o": "other"},
                          ExpressionAttributeValues={":v": s("o2")},
                          ReturnConsumedCapacity="INDEXES")
    assert out["ConsumedCapacity"] == expected(indexed, 1.0)
    out = ddb.update_item(TableName=indexed, Key=key("b"), UpdateExpression="SET gsiPk = :v",
                          ExpressionAttributeValues={":v": s("g2")},
                          ReturnConsumedCapacity="INDEXES")
    assert out["ConsumedCapacity"] == expected(indexed, 1.0, gsi={"gsi-inc": 2.0})
    # Removing the index key leaves the index: its old entry's units.
    put(ddb, indexed, item("s7", gsiPk="g", proj="x" * 3000))
    out = ddb.update_item(TableName=indexed, Key=key("s7"), UpdateExpression="REMOVE gsiPk",
                          ReturnConsumedCapacity="INDEXES")
    assert out["ConsumedCapacity"] == expected(indexed, 3.0, gsi={"gsi-inc": 3.0})


def test_delete_charges_the_indexes_the_item_was_in(ddb, indexed):
    put(ddb, indexed, item("s6", gsiPk="g", proj="x" * 3000))
    out = ddb.delete_item(TableName=indexed, Key=key("s6"), ReturnConsumedCapacity="INDEXES")
    assert out["ConsumedCapacity"] == expected(indexed, 3.0, gsi={"gsi-inc": 3.0})
    put(ddb, indexed, item("c", other="o"))
    out = ddb.delete_item(TableName=indexed, Key=key("c"), ReturnConsumedCapacity="INDEXES")
    assert out["ConsumedCapacity"] == expected(indexed, 1.0)
    # Deleting what is not there still costs a write.
    out = ddb.delete_item(TableName=indexed, Key=key("none"), ReturnConsumedCapacity="TOTAL")
    assert out["ConsumedCapacity"] == {"TableName": indexed, "CapacityUnits": 1.0}


def test_local_indexes_follow_the_same_rules(ddb, indexed):
    put(ddb, indexed, item("l1", lsiSk="L", proj="p"))
    assert put(ddb, indexed, item("l1", lsiSk="L", proj="x" * 3000)) == expected(
        indexed, 3.0, lsi={"lsi1": 3.0})
    put(ddb, indexed, item("l2", lsiSk="A", proj="x" * 3000))
    assert put(ddb, indexed, item("l2", lsiSk="B", proj="p")) == expected(
        indexed, 3.0, lsi={"lsi1": 4.0})
    assert put(ddb, indexed, item("both", gsiPk="g", lsiSk="L")) == expected(
        indexed, 1.0, gsi={"gsi-inc": 1.0}, lsi={"lsi1": 1.0})


def test_a_shrinking_overwrite_costs_the_old_size_without_indexes(ddb, plain):
    put(ddb, plain, {"pk": s("a"), "v": s("x" * 3000)})
    assert put(ddb, plain, {"pk": s("a")}) == expected(plain, 3.0)


def test_get_item_reports_the_table_part(ddb, indexed):
    put(ddb, indexed, item("g1", gsiPk="g", other="x" * 5000))
    out = ddb.get_item(TableName=indexed, Key=key("g1"), ReturnConsumedCapacity="INDEXES")
    assert out["ConsumedCapacity"] == expected(indexed, 1.0)
    out = ddb.get_item(TableName=indexed, Key=key("g1"), ConsistentRead=True,
                       ReturnConsumedCapacity="INDEXES")
    assert out["ConsumedCapacity"] == expected(indexed, 2.0)


def test_query_and_scan_charge_what_they_read(ddb, indexed):
    put(ddb, indexed, item("q", gsiPk="g", lsiSk="L", proj="p"))
    out = ddb.query(TableName=indexed, KeyConditionExpression="pk = :p",
                    ExpressionAttributeValues={":p": s("q")}, ReturnConsumedCapacity="INDEXES")
    assert out["ConsumedCapacity"] == expected(indexed, 0.5)
    out = ddb.query(TableName=indexed, IndexName="gsi-inc", KeyConditionExpression="gsiPk = :g",
                    ExpressionAttributeValues={":g": s("g")}, ReturnConsumedCapacity="INDEXES")
    assert out["ConsumedCapacity"] == expected(indexed, 0.0, gsi={"gsi-inc": 0.5})
    out = ddb.scan(TableName=indexed, IndexName="lsi1", ReturnConsumedCapacity="INDEXES")
    assert out["ConsumedCapacity"] == expected(indexed, 0.0, lsi={"lsi1": 0.5})
    out = ddb.scan(TableName=indexed, ReturnConsumedCapacity="TOTAL")
    assert out["ConsumedCapacity"] == {"TableName": indexed, "CapacityUnits": 0.5}


def test_batch_write_lists_each_table(ddb, indexed, plain):
    out = ddb.batch_write_item(RequestItems={
        indexed: [{"PutRequest": {"Item": item("a", gsiPk="g")}},
                  {"PutRequest": {"Item": item("b", other="x" * 1500)}}],
        plain: [{"PutRequest": {"Item": {"pk": s("a")}}}]},
        ReturnConsumedCapacity="TOTAL")
    assert sorted(out["ConsumedCapacity"], key=lambda c: c["TableName"]) == sorted([
        {"TableName": indexed, "CapacityUnits": 4.0},
        {"TableName": plain, "CapacityUnits": 1.0}], key=lambda c: c["TableName"])
    out = ddb.batch_write_item(RequestItems={
        indexed: [{"DeleteRequest": {"Key": key("a")}},
                  {"PutRequest": {"Item": item("c", lsiSk="L")}}]},
        ReturnConsumedCapacity="INDEXES")
    assert out["ConsumedCapacity"] == [
        expected(indexed, 2.0, gsi={"gsi-inc": 1.0}, lsi={"lsi1": 1.0})]
    out = ddb.batch_write_item(RequestItems={plain: [{"DeleteRequest": {"Key": {"pk": s("a")}}}]})
    assert "ConsumedCapacity" not in out


def test_batch_get_lists_each_table(ddb, indexed, plain):
    put(ddb, indexed, item("a", other="x" * 5000))
    put(ddb, indexed, item("b"))
    put(ddb, plain, {"pk": s("a")})
    out = ddb.batch_get_item(RequestItems={
        # 2 units for the 5 KB item, 1 for the small one, 1 for the missing one;
        # halved, as these reads are eventually consistent.
        indexed: {"Keys": [key("a"), key("b"), key("missing")], "ProjectionExpression": "pk"},
        plain: {"Keys": [{"pk": s("a")}], "ConsistentRead": True}},
        ReturnConsumedCapacity="TOTAL")
    assert sorted(out["ConsumedCapacity"], key=lambda c: c["TableName"]) == sorted([
        {"TableName": indexed, "CapacityUnits": 2.0},
        {"TableName": plain, "CapacityUnits": 1.0}], key=lambda c: c["TableName"])
    out = ddb.batch_get_item(RequestItems={plain: {"Keys": [{"pk": s("a")}]}},
                             ReturnConsumedCapacity="INDEXES")
    assert out["ConsumedCapacity"] == [expected(plain, 0.5)]
    out = ddb.batch_get_item(RequestItems={plain: {"Keys": [{"pk": s("a")}]}},
                             ReturnConsumedCapacity="NONE")
    assert "ConsumedCapacity" not in out
