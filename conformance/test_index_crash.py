"""Indexes stay exact across a crash: a write load that moves items in and
out of a GSI and an LSI (and a GSI being backfilled) runs from threads, the
server is SIGKILLed mid-load and restarted, and every index must then hold
exactly the base items that carry its keys.

The check compares, for every index, a Scan of the index with the entries a
GetItem sweep of every key the load could have written says it must hold
(keys and projected attributes), and DescribeTable's per-index ItemCount.
"""
import json
import random
import signal
import threading
import time

from conftest import new_server

TABLE = "crashy"
KEYS = 240
THREADS = 4


def attr(name, typ):
    return {"AttributeName": name, "AttributeType": typ}


def create(ddb):
    ddb.create_table(
        TableName=TABLE,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                   {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[attr("pk", "S"), attr("sk", "N"), attr("g", "S"), attr("l", "N")],
        BillingMode="PAY_PER_REQUEST",
        LocalSecondaryIndexes=[{
            "IndexName": "byl",
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                          {"AttributeName": "l", "KeyType": "RANGE"}],
            "Projection": {"ProjectionType": "KEYS_ONLY"}}],
        GlobalSecondaryIndexes=[{
            "IndexName": "byg",
            "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"},
                          {"AttributeName": "sk", "KeyType": "RANGE"}],
            "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["v"]}}])


def key_of(k):
    return {"pk": {"S": f"p{k % 16}"}, "sk": {"N": str(k)}}


def random_item(rng, k):
    item = dict(key_of(k), v={"N": str(rng.randrange(1000))})
    if rng.random() < 0.6:
        item["g"] = {"S": f"g{rng.randrange(9)}"}
    if rng.random() < 0.6:
        item["l"] = {"N": str(rng.randrange(50))}
    if rng.random() < 0.6:
        item["h"] = {"S": f"h{rng.randrange(5)}"}
    return item


def one_write(ddb, rng, k):
    op = rng.randrange(6)
    if op == 0:
        ddb.delete_item(TableName=TABLE, Key=key_of(k))
    elif op == 1:
        ddb.put_item(TableName=TABLE, Item=random_item(rng, k))
    elif op == 5:
        # A put and a delete of another key in one BatchWriteItem.
        ddb.batch_write_item(RequestItems={TABLE: [
            {"PutRequest": {"Item": random_item(rng, k)}},
            {"DeleteRequest": {"Key": key_of((k + 1 + rng.randrange(KEYS - 1)) % KEYS)}}]})
    elif op == 2:
        ddb.update_item(TableName=TABLE, Key=key_of(k), UpdateExpression="REMOVE g, h")
    elif op == 3:
        ddb.update_item(TableName=TABLE, Key=key_of(k),
                        UpdateExpression="SET g = :g, l = :l, h = :h",
                        ExpressionAttributeValues={":g": {"S": f"g{rng.randrange(9)}"},
                                                   ":l": {"N": str(rng.randrange(50))},
                                                   ":h": {"S": "h0"}})
    else:
        # Leaves the LSI, keeps the GSIs.
        ddb.update_item(TableName=TABLE, Key=key_of(k), UpdateExpression="REMOVE l")


def load(endpoint_client, seed, stop, done_ops):
    ddb = endpoint_client()
    rng = random.Random(seed)
    while not stop.is_set():
        try:
            one_write(ddb, rng, rng.randrange(KEYS))
            done_ops.append(1)
        except Exception:  # the server was killed under us
            return


def expected_counts(ddb):
    counts = {"byg": 0, "byl": 0, "byh": 0}
    items = 0
    for k in range(KEYS):
        item = ddb.get_item(TableName=TABLE, Key=key_of(k), ConsistentRead=True).get("Item")
        if not item:
            continue
        items += 1
        counts["byg"] += "g" in item
        counts["byl"] += "l" in item
        counts["byh"] += "h" in item
    return items, counts


# What each index's entries carry besides the base and index keys.
PROJECTED = {"byg": ("pk", "sk", "g", "v"), "byl": ("pk", "sk", "l"), "byh": None}
INDEX_KEY = {"byg": "g", "byl": "l", "byh": "h"}


def canonical(items):
    return sorted(json.dumps(i, sort_keys=True) for i in items)


def expected_entries(ddb, index):
    out = []
    for k in range(KEYS):
        item = ddb.get_item(TableName=TABLE, Key=key_of(k), ConsistentRead=True).get("Item")
        if item and INDEX_KEY[index] in item:
            names = PROJECTED[index]
            out.append(item if names is None else {n: item[n] for n in names if n in item})
    return canonical(out)


def scanned_entries(ddb, index):
    out, start = [], None
    while True:
        kw = {"ExclusiveStartKey": start} if start else {}
        page = ddb.scan(TableName=TABLE, IndexName=index, **kw)
        out += page["Items"]
        start = page.get("LastEvaluatedKey")
        if not start:
            return canonical(out)


def index_state(ddb):
    t = ddb.describe_table(TableName=TABLE)["Table"]
    indexes = t.get("GlobalSecondaryIndexes", []) + t.get("LocalSecondaryIndexes", [])
    return (t["ItemCount"], {i["IndexName"]: i["ItemCount"] for i in indexes},
            {i["IndexName"]: i.get("IndexStatus", "ACTIVE") for i in indexes})


def wait_until(predicate, deadline):
    end = time.time() + deadline
    while not predicate() and time.time() < end:
        time.sleep(0.2)
    return predicate()


def test_indexes_exact_after_kill(workdir, engine):
    srv = new_server(workdir, engine).start()
    ddb = srv.client()
    create(ddb)
    for k in range(KEYS):  # a base population for the backfill to walk
        one_write(ddb, random.Random(k), k)
    stop = threading.Event()
    done_ops = []
    threads = [threading.Thread(target=load, args=(srv.client, seed, stop, done_ops))
               for seed in range(THREADS)]
    for t in threads:
        t.start()
    assert wait_until(lambda: len(done_ops) > 200, 30)
    # A GSI created under load, so the kill may land mid-backfill.
    ddb.update_table(TableName=TABLE, AttributeDefinitions=[attr("h", "S")],
                     GlobalSecondaryIndexUpdates=[{"Create": {
                         "IndexName": "byh",
                         "KeySchema": [{"AttributeName": "h", "KeyType": "HASH"}],
                         "Projection": {"ProjectionType": "ALL"}}}])
    target = len(done_ops) + 100
    assert wait_until(lambda: len(done_ops) > target, 30)
    srv.stop(signal.SIGKILL)
    stop.set()
    for t in threads:
        t.join()

    srv.start()
    ddb = srv.client()
    try:
        assert wait_until(lambda: set(index_state(ddb)[2].values()) == {"ACTIVE"}, 60)
        items, counts = expected_counts(ddb)
        # After the kill the counts are recounted in the background: poll
        # until the recount is done.
        assert wait_until(lambda: index_state(ddb)[:2] == (items, counts), 30), \
            (index_state(ddb), items, counts)
        for index in ("byg", "byl", "byh"):
            assert scanned_entries(ddb, index) == expected_entries(ddb, index), index
    finally:
        srv.stop()
