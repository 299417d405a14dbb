"""The SIGKILL loop: eight writers put, update and delete items of a table
with a GSI and an LSI; the server is killed at a random moment, restarted,
and then every acknowledged write must be there and every index must hold
exactly what the table implies. Durable and not: README's Durability says a
crash of the process loses no acknowledged write either way.

Each writer owns its keys and keeps the state its acknowledged writes left;
a write cut off by the kill may or may not have happened, so either state
is accepted for that one key. Rounds per mode come from KILL_ROUNDS
(default 5; `make test KILL_ROUNDS=100` for the long run).
"""
import json
import os
import random
import signal
import threading
import time

import pytest

from conftest import new_server

TABLE = "killed"
WRITERS = 8
KEYS_PER_WRITER = 40
PARTITIONS = 6
G_VALUES = [f"g{i}" for i in range(5)]
ROUNDS = int(os.environ.get("KILL_ROUNDS", "5"))
# What the GSI projects (INCLUDE v); the LSI projects everything.
GSI_ATTRIBUTES = ("pk", "sk", "g", "v")


def attr(name, typ):
    return {"AttributeName": name, "AttributeType": typ}


def create(ddb):
    ddb.create_table(
        TableName=TABLE,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                   {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[attr("pk", "S"), attr("sk", "N"), attr("g", "S"),
                              attr("l", "N")],
        BillingMode="PAY_PER_REQUEST",
        GlobalSecondaryIndexes=[{
            "IndexName": "byg",
            "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"},
                          {"AttributeName": "sk", "KeyType": "RANGE"}],
            "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["v"]}}],
        LocalSecondaryIndexes=[{
            "IndexName": "byl",
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                          {"AttributeName": "l", "KeyType": "RANGE"}],
            "Projection": {"ProjectionType": "ALL"}}])


def key_of(k):
    return {"pk": {"S": f"p{k % PARTITIONS}"}, "sk": {"N": str(k)}}


def random_write(rng, k, old):
    """(operation, request arguments, the item after it or None)."""
    op = rng.randrange(3)
    if op == 0:
        return "delete_item", {"Key": key_of(k)}, None
    if op == 1:
        item = dict(key_of(k), v={"N": str(rng.randrange(1000))})
        if rng.random() < 0.7:
            item["g"] = {"S": rng.choice(G_VALUES)}
        if rng.random() < 0.7:
            item["l"] = {"N": str(rng.randrange(20))}
        return "put_item", {"Item": item}, item
    # Always a SET, so the update creates a missing item (with its key).
    new = dict(old or key_of(k), v={"N": str(rng.randrange(1000))})
    sets, removes, values = ["v = :v"], [], {":v": new["v"]}
    for name, value in (("g", {"S": rng.choice(G_VALUES)}),
                        ("l", {"N": str(rng.randrange(20))})):
        choice = rng.randrange(3)
        if choice == 0:
            sets.append(f"{name} = :{name}")
            values[f":{name}"] = new[name] = value
        elif choice == 1:
            removes.append(name)
            new.pop(name, None)
    expression = "SET " + ", ".join(sets) + (" REMOVE " + ", ".join(removes) if removes else "")
    return "update_item", {"Key": key_of(k), "UpdateExpression": expression,
                           "ExpressionAttributeValues": values}, new


class Writer:
    """One writer thread and the state of its keys: `acked` after every
    acknowledged write, `cut` the item a write cut off by the kill would
    have left (key -> item or None)."""

    def __init__(self, index, client, state, seed):
        self.keys = range(index * KEYS_PER_WRITER, (index + 1) * KEYS_PER_WRITER)
        self.client = client
        self.acked = {k: state.get(k) for k in self.keys}
        self.cut = {}
        self.writes = 0
        self.rng = random.Random(seed)

    def run(self, stop):
        while not stop.is_set():
            k = self.rng.choice(self.keys)
            op, args, after = random_write(self.rng, k, self.acked[k])
            try:
                getattr(self.client, op)(TableName=TABLE, **args)
            except Exception:  # noqa: BLE001 - the server died under us
                self.cut[k] = after
                return
            self.acked[k] = after
            self.writes += 1


def scan_all(ddb, **kw):
    items, start = [], None
    while True:
        page = ddb.scan(TableName=TABLE, ConsistentRead=True,
                        **kw, **({"ExclusiveStartKey": start} if start else {}))
        items += page["Items"]
        start = page.get("LastEvaluatedKey")
        if not start:
            return items


def query_all(ddb, index, condition, values):
    items, start = [], None
    while True:
        page = ddb.query(TableName=TABLE, IndexName=index, KeyConditionExpression=condition,
                         ExpressionAttributeValues=values,
                         **({"ExclusiveStartKey": start} if start else {}))
        items += page["Items"]
        start = page.get("LastEvaluatedKey")
        if not start:
            return items


def canonical(items):
    return sorted(json.dumps(i, sort_keys=True) for i in items)


def table_state(ddb):
    """key number -> item, from a full Scan."""
    return {int(item["sk"]["N"]): item for item in scan_all(ddb)}


def check_writes(state, writers):
    for w in writers:
        for k in w.keys:
            allowed = [w.acked[k]] + ([w.cut[k]] if k in w.cut else [])
            assert state.get(k) in allowed, (k, state.get(k), allowed)


def check_indexes(ddb, state):
    """Each index, queried partition by partition, holds exactly the entries
    the table's items imply, each partition in sort-key order."""
    items = list(state.values())
    gsi = []
    for g in G_VALUES:
        part = query_all(ddb, "byg", "g = :g", {":g": {"S": g}})
        sks = [int(i["sk"]["N"]) for i in part]
        assert sks == sorted(sks), ("byg", g, sks)
        gsi += part
    expected = [{n: i[n] for n in GSI_ATTRIBUTES if n in i} for i in items if "g" in i]
    assert canonical(gsi) == canonical(expected), "byg"
    lsi = []
    for p in range(PARTITIONS):
        part = query_all(ddb, "byl", "pk = :p", {":p": {"S": f"p{p}"}})
        ls = [int(i["l"]["N"]) for i in part]
        assert ls == sorted(ls), ("byl", p, ls)
        lsi += part
    assert canonical(lsi) == canonical([i for i in items if "l" in i]), "byl"


@pytest.mark.parametrize("durable", [False, True], ids=["logged", "durable"])
def test_kill_loop(workdir, engine, durable):
    srv = new_server(workdir, engine, durable=durable).start()
    create(srv.client())
    state = {}
    rng = random.Random(1)
    try:
        for round_ in range(ROUNDS):
            clients = [srv.client() for _ in range(WRITERS)]
            writers = [Writer(i, clients[i], state, rng.random()) for i in range(WRITERS)]
            stop = threading.Event()
            threads = [threading.Thread(target=w.run, args=(stop,)) for w in writers]
            for t in threads:
                t.start()
            # A random moment: after a random number of acknowledged writes.
            target = rng.randrange(1, 400)
            while sum(w.writes for w in writers) < target and any(t.is_alive() for t in threads):
                time.sleep(0.005)
            srv.stop(signal.SIGKILL)
            stop.set()
            for t in threads:
                t.join()
            srv.start()
            ddb = srv.client()
            state = table_state(ddb)
            check_writes(state, writers)
            check_indexes(ddb, state)
            # A round whose writers all failed before the kill proves nothing.
            assert sum(w.writes for w in writers) >= target, (round_, target)
    finally:
        srv.stop()
