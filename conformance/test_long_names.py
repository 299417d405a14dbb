"""Table and index names of DynamoDB's full 255 characters work on every
engine, through a restart (an engine may not have room for the name of a
keyspace as the host spells it: "index:" + the index name)."""
import time

from conftest import new_server

TABLE = "t" + "a" * 254
LSI = "l" + "b" * 254
GSI = "g" + "c" * 254
LATE_GSI = "h" + "d" * 254


def attr(name, typ="S"):
    return {"AttributeName": name, "AttributeType": typ}


def key(name, kind):
    return {"AttributeName": name, "KeyType": kind}


def query(ddb, index, name, value):
    return ddb.query(TableName=TABLE, IndexName=index,
                     KeyConditionExpression="#k = :v",
                     ExpressionAttributeNames={"#k": name},
                     ExpressionAttributeValues={":v": {"S": value}})["Items"]


def wait_active(ddb, index, deadline=60):
    end = time.time() + deadline
    while time.time() < end:
        gsis = ddb.describe_table(TableName=TABLE)["Table"]["GlobalSecondaryIndexes"]
        if all(g["IndexStatus"] == "ACTIVE" for g in gsis if g["IndexName"] == index):
            return
        time.sleep(0.1)
    raise AssertionError(f"index {index[:10]}... never became ACTIVE")


def test_255_character_table_and_index_names(workdir, engine):
    srv = new_server(workdir, engine).start()
    try:
        ddb = srv.client()
        ddb.create_table(
            TableName=TABLE,
            KeySchema=[key("pk", "HASH"), key("sk", "RANGE")],
            AttributeDefinitions=[attr("pk"), attr("sk"), attr("l"), attr("g")],
            LocalSecondaryIndexes=[{"IndexName": LSI,
                                    "KeySchema": [key("pk", "HASH"), key("l", "RANGE")],
                                    "Projection": {"ProjectionType": "ALL"}}],
            GlobalSecondaryIndexes=[{"IndexName": GSI, "KeySchema": [key("g", "HASH")],
                                     "Projection": {"ProjectionType": "ALL"}}],
            BillingMode="PAY_PER_REQUEST")
        item = {"pk": {"S": "p"}, "sk": {"S": "s"}, "l": {"S": "lv"}, "g": {"S": "gv"},
                "h": {"S": "hv"}}
        ddb.put_item(TableName=TABLE, Item=item)

        ddb.update_table(
            TableName=TABLE,
            AttributeDefinitions=[attr("pk"), attr("sk"), attr("l"), attr("g"), attr("h")],
            GlobalSecondaryIndexUpdates=[{"Create": {
                "IndexName": LATE_GSI, "KeySchema": [key("h", "HASH")],
                "Projection": {"ProjectionType": "ALL"}}}])
        wait_active(ddb, LATE_GSI)

        def check(ddb):
            assert ddb.get_item(TableName=TABLE,
                                Key={"pk": {"S": "p"}, "sk": {"S": "s"}})["Item"] == item
            assert query(ddb, LSI, "pk", "p") == [item]
            assert query(ddb, GSI, "g", "gv") == [item]
            assert query(ddb, LATE_GSI, "h", "hv") == [item]

        check(ddb)
        srv.stop()
        srv.start()
        ddb = srv.client()
        check(ddb)

        # A dropped long-named index frees its keyspace; the others stay.
        ddb.update_table(TableName=TABLE,
                         GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": GSI}}])
        end = time.time() + 60
        while any(g["IndexName"] == GSI for g in ddb.describe_table(
                TableName=TABLE)["Table"].get("GlobalSecondaryIndexes", [])):
            assert time.time() < end, "the deleted index never went away"
            time.sleep(0.1)
        assert query(ddb, LATE_GSI, "h", "hv") == [item]
        ddb.delete_table(TableName=TABLE)
        assert TABLE not in ddb.list_tables()["TableNames"]
    finally:
        srv.stop()
