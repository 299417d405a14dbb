"""ttl.hide_expired: true (a server setting, off by default, that no peer
offers): items whose TTL attribute is a Number of epoch seconds in the past
are left out of every read (GetItem, BatchGetItem, TransactGetItems, Query,
Scan, an index's, and their counts) before the sweeper deletes them. The
sweeper runs once a day here, so nothing is deleted during the test."""
import time

import pytest

from conftest import new_server

NOW = int(time.time())
ITEMS = {
    "expired": {"exp": {"N": str(NOW - 100)}},
    "later": {"exp": {"N": str(NOW + 3600)}},
    "no_ttl": {},
    "text": {"exp": {"S": str(NOW - 100)}},  # not a Number: never expires
}
SHOWN = ["later", "no_ttl", "text"]


def make_server(workdir, engine, hide):
    srv = new_server(workdir, engine)
    with open(srv.config_path, "a") as f:
        f.write(f"ttl:\n  sweep_interval_seconds: 86400\n  hide_expired: {hide}\n")
    srv.start()
    ddb = srv.client()
    ddb.create_table(
        TableName="hid",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                   {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                              {"AttributeName": "sk", "AttributeType": "S"},
                              {"AttributeName": "g", "AttributeType": "S"}],
        GlobalSecondaryIndexes=[{"IndexName": "byg",
                                 "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                 "Projection": {"ProjectionType": "KEYS_ONLY"}}],
        BillingMode="PAY_PER_REQUEST")
    ddb.update_time_to_live(TableName="hid", TimeToLiveSpecification={
        "Enabled": True, "AttributeName": "exp"})
    for sk, extra in ITEMS.items():
        ddb.put_item(TableName="hid", Item={"pk": {"S": "p"}, "sk": {"S": sk},
                                          "g": {"S": "G"}, **extra})
    return srv


@pytest.fixture(scope="module")
def hiding(workdir, engine):
    srv = make_server(workdir, engine, "true")
    yield srv.client()
    srv.stop()


@pytest.fixture(scope="module")
def showing(workdir, engine):
    srv = make_server(workdir, engine, "false")
    yield srv.client()
    srv.stop()


def key(sk):
    return {"pk": {"S": "p"}, "sk": {"S": sk}}


def sks(items):
    return sorted(i["sk"]["S"] for i in items)


def test_get_item(hiding, showing):
    assert "Item" not in hiding.get_item(TableName="hid", Key=key("expired"))
    assert "Item" in hiding.get_item(TableName="hid", Key=key("later"))
    assert "Item" in hiding.get_item(TableName="hid", Key=key("text"))
    assert "Item" in showing.get_item(TableName="hid", Key=key("expired"))


def test_batch_and_transact_get(hiding):
    r = hiding.batch_get_item(RequestItems={"hid": {"Keys": [key(k) for k in ITEMS]}})
    assert sks(r["Responses"]["hid"]) == SHOWN
    r = hiding.transact_get_items(TransactItems=[
        {"Get": {"TableName": "hid", "Key": key(k)}} for k in ITEMS])
    assert ["Item" in x for x in r["Responses"]] == [k in SHOWN for k in ITEMS]


def test_query_scan_and_counts(hiding, showing):
    q = hiding.query(TableName="hid", KeyConditionExpression="pk = :p",
                     ExpressionAttributeValues={":p": {"S": "p"}})
    assert sks(q["Items"]) == SHOWN and q["Count"] == 3
    s = hiding.scan(TableName="hid")
    assert sks(s["Items"]) == SHOWN and s["Count"] == 3
    assert hiding.scan(TableName="hid", Select="COUNT")["Count"] == 3
    assert showing.scan(TableName="hid", Select="COUNT")["Count"] == 4


def test_an_index_that_does_not_project_the_ttl_attribute(hiding, showing):
    q = hiding.query(TableName="hid", IndexName="byg", KeyConditionExpression="g = :g",
                     ExpressionAttributeValues={":g": {"S": "G"}})
    assert sks(q["Items"]) == SHOWN and q["Count"] == 3
    assert all("exp" not in i for i in q["Items"])  # still the index's projection
    assert hiding.scan(TableName="hid", IndexName="byg", Select="COUNT")["Count"] == 3
    q = showing.query(TableName="hid", IndexName="byg", KeyConditionExpression="g = :g",
                      ExpressionAttributeValues={":g": {"S": "G"}})
    assert q["Count"] == 4
