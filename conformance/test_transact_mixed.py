"""Transactions over tables on three engines in one server: RocksDB, SQLite
and LMDB commit all together or not at all, TransactGetItems reads across
them, and a restart shows exactly the committed state."""
import json

import pytest

from conftest import new_server
from raw_http import call
from transact import CONDITION_FAILED, NONE, check, delete, get, put, update, write_cancelled

RULES = [("txl_*", "lmdb"), ("txs_*", "sqlite")]
TABLES = {"txr_accounts": "rocksdb", "txs_ledger": "sqlite", "txl_limits": "lmdb"}
ROCKS, LITE, LM = TABLES


def k(name):
    return {"pk": {"S": name}}


@pytest.fixture
def srv(workdir):
    s = new_server(workdir, "rocksdb", RULES).start()
    ddb = s.client()
    for name in TABLES:
        ddb.create_table(TableName=name, KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                         AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                         BillingMode="PAY_PER_REQUEST")
    yield s
    s.stop()


def state(ddb):
    return {name: sorted((json.dumps(i, sort_keys=True)
                          for i in ddb.scan(TableName=name, ConsistentRead=True)["Items"]))
            for name in TABLES}


def seed(ddb):
    ddb.put_item(TableName=ROCKS, Item={**k("alice"), "bal": {"N": "100"}})
    ddb.put_item(TableName=LITE, Item={**k("old-entry"), "amt": {"N": "1"}})
    ddb.put_item(TableName=LM, Item={**k("alice"), "limit": {"N": "50"}})


def transfer(amount, entry):
    """Takes `amount` from alice if her limit allows it, recording `entry`."""
    return [
        update(ROCKS, k("alice"), "SET bal = bal - :a", ConditionExpression="bal >= :a",
               ExpressionAttributeValues={":a": {"N": str(amount)}}),
        put(LITE, {**k(entry), "amt": {"N": str(amount)}},
            ConditionExpression="attribute_not_exists(pk)"),
        check(LM, k("alice"), "#l >= :a", ExpressionAttributeNames={"#l": "limit"},
              ExpressionAttributeValues={":a": {"N": str(amount)}}),
    ]


def test_tables_are_on_three_engines(srv):
    for name, engine in TABLES.items():
        _, _, body = call(srv, "DescribeTable", {"TableName": name})
        assert json.loads(body)["Table"]["JormunEngine"]["Name"] == engine


def test_commit_across_engines_all_or_nothing_and_after_restart(srv):
    ddb = srv.client()
    seed(ddb)
    ddb.transact_write_items(TransactItems=transfer(30, "t1") + [delete(LITE, k("old-entry"))])
    committed = state(ddb)
    assert json.loads(committed[ROCKS][0])["bal"] == {"N": "70"}
    assert [json.loads(i)["pk"]["S"] for i in committed[LITE]] == ["t1"]

    # The LMDB condition fails (limit 50): nothing is written anywhere.
    reasons = write_cancelled(ddb, transfer(60, "t2") + [delete(LITE, k("t1"))])
    assert reasons == [NONE, NONE, CONDITION_FAILED, NONE]
    assert state(ddb) == committed
    # The RocksDB condition fails instead.
    ddb.update_item(TableName=LM, Key=k("alice"), UpdateExpression="SET #l = :big",
                    ExpressionAttributeNames={"#l": "limit"},
                    ExpressionAttributeValues={":big": {"N": "1000"}})
    committed = state(ddb)
    reasons = write_cancelled(ddb, transfer(80, "t3"))
    assert reasons == [CONDITION_FAILED, NONE, NONE]
    assert state(ddb) == committed

    srv.stop()
    srv.start()
    assert state(srv.client()) == committed


def test_transact_get_across_engines(srv):
    ddb = srv.client()
    seed(ddb)
    ddb.transact_write_items(TransactItems=transfer(10, "g1"))
    out = ddb.transact_get_items(TransactItems=[
        get(LM, k("alice"), ProjectionExpression="#l", ExpressionAttributeNames={"#l": "limit"}),
        get(ROCKS, k("alice")),
        get(LITE, k("g1")),
        get(LITE, k("nothing")),
    ])
    assert out["Responses"] == [
        {"Item": {"limit": {"N": "50"}}},
        {"Item": {**k("alice"), "bal": {"N": "90"}}},
        {"Item": {**k("g1"), "amt": {"N": "10"}}},
        {},
    ]
