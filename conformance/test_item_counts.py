"""DescribeTable's ItemCount and TableSizeBytes, and each index's ItemCount
and IndexSizeBytes, are kept with the writes (docs/architecture.md, "Item
counts"): after any kind of write they equal what a full Scan finds, at once;
a clean restart answers them before the table is touched; after a kill they
are recounted in the background and are right again soon."""
import signal
import time

import pytest

from conftest import new_server

TABLE = "counted"


def size(item):
    """DynamoDB's size of an item whose attributes are all strings."""
    return sum(len(k.encode()) + len(v["S"].encode()) for k, v in item.items())


def create(ddb):
    ddb.create_table(
        TableName=TABLE,
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                              {"AttributeName": "g", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        GlobalSecondaryIndexes=[{"IndexName": "byg",
                                 "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                 "Projection": {"ProjectionType": "ALL"}}],
        BillingMode="PAY_PER_REQUEST")


def figures(ddb):
    t = ddb.describe_table(TableName=TABLE)["Table"]
    g = t["GlobalSecondaryIndexes"][0]
    return t["ItemCount"], t["TableSizeBytes"], g["ItemCount"], g["IndexSizeBytes"]


def scanned(ddb):
    items = ddb.get_paginator("scan").paginate(TableName=TABLE).build_full_result()["Items"]
    indexed = [i for i in items if "g" in i]
    return (len(items), sum(map(size, items)), len(indexed), sum(map(size, indexed)))


def s(v):
    return {"S": v}


def write_every_way(ddb):
    for i in range(30):
        ddb.put_item(TableName=TABLE, Item={"pk": s(f"k{i}"), "g": s(f"g{i % 3}"),
                                            "v": s("x" * i)})
    # Overwrites, bigger and smaller, in and out of the index.
    ddb.put_item(TableName=TABLE, Item={"pk": s("k1"), "v": s("y" * 100)})
    ddb.put_item(TableName=TABLE, Item={"pk": s("k2"), "g": s("new"), "v": s("")})
    ddb.update_item(TableName=TABLE, Key={"pk": s("made")},
                    UpdateExpression="SET g = :g, v = :v",
                    ExpressionAttributeValues={":g": s("u"), ":v": s("by update")})
    ddb.update_item(TableName=TABLE, Key={"pk": s("k3")}, UpdateExpression="REMOVE g")
    ddb.delete_item(TableName=TABLE, Key={"pk": s("k4")})
    ddb.delete_item(TableName=TABLE, Key={"pk": s("never there")})
    ddb.batch_write_item(RequestItems={TABLE: [
        {"PutRequest": {"Item": {"pk": s("b1"), "g": s("b"), "v": s("batch")}}},
        {"PutRequest": {"Item": {"pk": s("k5"), "v": s("batch overwrite")}}},
        {"DeleteRequest": {"Key": {"pk": s("k6")}}},
        {"DeleteRequest": {"Key": {"pk": s("absent")}}},
    ]})
    ddb.transact_write_items(TransactItems=[
        {"Put": {"TableName": TABLE, "Item": {"pk": s("t1"), "g": s("t"), "v": s("txn")}}},
        {"Delete": {"TableName": TABLE, "Key": {"pk": s("k7")}}},
        {"Update": {"TableName": TABLE, "Key": {"pk": s("k8")},
                    "UpdateExpression": "SET v = :v",
                    "ExpressionAttributeValues": {":v": s("longer by transaction")}}},
    ])
    # Refused writes change nothing.
    with pytest.raises(ddb.exceptions.ConditionalCheckFailedException):
        ddb.put_item(TableName=TABLE, Item={"pk": s("k9"), "v": s("refused")},
                     ConditionExpression="attribute_not_exists(pk)")
    with pytest.raises(ddb.exceptions.TransactionCanceledException):
        ddb.transact_write_items(TransactItems=[
            {"Put": {"TableName": TABLE, "Item": {"pk": s("t2"), "v": s("refused")}}},
            {"ConditionCheck": {"TableName": TABLE, "Key": {"pk": s("k10")},
                                "ConditionExpression": "attribute_not_exists(pk)"}},
        ])
    ddb.execute_statement(Statement=f"INSERT INTO \"{TABLE}\" VALUE {{'pk': 'p1', 'g': 'p'}}")
    ddb.execute_statement(Statement=f"DELETE FROM \"{TABLE}\" WHERE pk = 'k11'")


def wait_for(fn, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if fn():
            return True
        time.sleep(0.2)
    return fn()


def test_counts_follow_writes_and_restarts(workdir, engine):
    srv = new_server(workdir, engine).start()
    ddb = srv.client()
    create(ddb)
    assert figures(ddb) == (0, 0, 0, 0)
    write_every_way(ddb)
    want = scanned(ddb)
    assert figures(ddb) == want
    assert want[0] == 30 + 4 - 4  # made, b1, t1, p1 new; k4, k6, k7, k11 gone

    # A clean stop saves them: the next run answers before the table opens.
    srv.stop(signal.SIGTERM)
    srv.start()
    ddb = srv.client()
    assert figures(ddb) == want
    assert scanned(ddb) == want

    # A kill leaves no saved figures: recounted in the background.
    ddb.put_item(TableName=TABLE, Item={"pk": s("late"), "g": s("l"), "v": s("after")})
    want = scanned(ddb)
    assert figures(ddb) == want
    srv.stop(signal.SIGKILL)
    srv.start()
    ddb = srv.client()
    assert wait_for(lambda: figures(ddb) == want), (figures(ddb), want)
    ddb.delete_item(TableName=TABLE, Key={"pk": s("late")})
    assert figures(ddb) == scanned(ddb)
    srv.stop()
