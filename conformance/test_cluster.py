"""Several jormundb front ends over one PostgreSQL database (cluster mode,
the `cluster:` section): each test starts its own cluster with
scripts/cluster-demo.sh in the session's database (a schema of its own) and
spreads its clients over the front ends.

Waits for what another front end must see are bounded polls (the catalog
is polled every 200 ms), never a sleep that decides the outcome.
"""
import os
import re
import signal
import subprocess
import threading
import time
import uuid

import pytest
from botocore.exceptions import ClientError

from conftest import (BINARY, ROOT, create_hash_table, create_table_with_gsi, error_of,
                      make_client)

pytestmark = pytest.mark.postgres

DEMO = os.path.join(ROOT, "scripts", "cluster-demo.sh")


class Cluster:
    def __init__(self, workdir, n, poll_ms=None, lease_ms=None):
        self.dir = os.path.join(workdir, "cluster-" + uuid.uuid4().hex[:8])
        self.env = dict(os.environ, JORMUN_CLUSTER_DIR=self.dir, JORMUN_BIN=BINARY)
        if poll_ms is not None:
            self.env["JORMUN_CLUSTER_POLL_MS"] = str(poll_ms)
        if lease_ms is not None:
            self.env["JORMUN_CLUSTER_LEASE_MS"] = str(lease_ms)
        out = subprocess.run(["bash", DEMO, "start", str(n)], env=self.env, check=True,
                             capture_output=True, text=True).stdout
        last = out.strip().splitlines()[-1]
        assert last.startswith("JORMUN_ENDPOINTS="), out
        self.endpoints = last.split("=", 1)[1].split(",")
        assert len(self.endpoints) == n

    def client(self, i):
        return make_client(self.endpoints[i], timeout=60)

    def pid(self, i):
        with open(os.path.join(self.dir, f"fe{i + 1}.pid")) as f:
            return int(f.read())

    def stop(self):
        subprocess.run(["bash", DEMO, "stop"], env=self.env, check=True, capture_output=True)

    def logged(self, i, pattern):
        """The number group 1 of `pattern` holds in the last line of front end
        i's log that matches it, or None."""
        with open(os.path.join(self.dir, f"fe{i + 1}.log")) as f:
            found = re.findall(pattern, f.read())
        return int(found[-1]) if found else None


@pytest.fixture
def cluster(workdir):
    started = []

    def start(n, poll_ms=None, lease_ms=None):
        c = Cluster(workdir, n, poll_ms, lease_ms)
        started.append(c)
        return c
    yield start
    for c in started:
        c.stop()


def eventually(check, timeout=10.0):
    """check()'s value once it stops raising ClientError (or returning
    falsy); the last failure when `timeout` runs out."""
    deadline = time.time() + timeout
    while True:
        try:
            value = check()
            if value:
                return value
            if time.time() > deadline:
                raise AssertionError("still false after %.0f s" % timeout)
        except ClientError:
            if time.time() > deadline:
                raise
        time.sleep(0.05)


def test_table_created_on_one_is_used_on_the_others(cluster):
    c = cluster(3)
    create_hash_table(c.client(0), "shared")
    for i in (1, 2):
        ddb = c.client(i)
        eventually(lambda: ddb.describe_table(TableName="shared")["Table"]["TableStatus"]
                   == "ACTIVE")
        ddb.put_item(TableName="shared", Item={"pk": {"S": f"from-{i}"}})
    items = c.client(0).scan(TableName="shared", ConsistentRead=True)["Items"]
    assert sorted(it["pk"]["S"] for it in items) == ["from-1", "from-2"]
    assert sorted(c.client(2).list_tables()["TableNames"]) == ["shared"]


def test_delete_and_update_table_are_seen_by_the_others(cluster):
    c = cluster(2)
    a, b = c.client(0), c.client(1)
    create_hash_table(a, "changing")
    eventually(lambda: b.describe_table(TableName="changing"))
    a.update_table(TableName="changing", BillingMode="PROVISIONED",
                   ProvisionedThroughput={"ReadCapacityUnits": 7, "WriteCapacityUnits": 3})
    eventually(lambda: b.describe_table(TableName="changing")["Table"]
               .get("ProvisionedThroughput", {}).get("ReadCapacityUnits") == 7)
    a.put_item(TableName="changing", Item={"pk": {"S": "x"}, "g": {"S": "v"}})
    # A new index: backfilled once (by a), ACTIVE seen through b.
    a.update_table(
        TableName="changing",
        AttributeDefinitions=[{"AttributeName": "g", "AttributeType": "S"}],
        GlobalSecondaryIndexUpdates=[{"Create": {
            "IndexName": "by_g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
            "Projection": {"ProjectionType": "ALL"},
            "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}}}])
    eventually(lambda: [i["IndexStatus"] for i in
                        b.describe_table(TableName="changing")["Table"]
                        .get("GlobalSecondaryIndexes", [])] == ["ACTIVE"], timeout=30)
    found = b.query(TableName="changing", IndexName="by_g",
                    KeyConditionExpression="g = :g",
                    ExpressionAttributeValues={":g": {"S": "v"}})["Items"]
    assert [it["pk"]["S"] for it in found] == ["x"]
    a.delete_table(TableName="changing")

    def gone():
        try:
            b.describe_table(TableName="changing")
        except ClientError as e:
            return e.response["Error"]["Code"] == "ResourceNotFoundException"
        return False
    eventually(gone)
    # The name is free again through either front end.
    create_hash_table(b, "changing")
    eventually(lambda: a.scan(TableName="changing")["Count"] == 0)


def test_concurrent_create_of_one_name_has_one_winner(cluster):
    c = cluster(2)
    for round in range(5):
        name = f"race{round}"
        results = [None, None]
        start = threading.Barrier(2)

        def create(i):
            ddb = c.client(i)
            start.wait()
            try:
                create_hash_table(ddb, name)
                results[i] = "created"
            except ClientError as e:
                results[i] = e.response["Error"]["Code"]
        threads = [threading.Thread(target=create, args=(i,)) for i in (0, 1)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(results) == ["ResourceInUseException", "created"], results
        for i in (0, 1):
            ddb = c.client(i)
            eventually(lambda: ddb.describe_table(TableName=name))


def run_threads(n, target):
    errors = []

    def guarded(i):
        try:
            target(i)
        except Exception as e:  # reported by the test, not lost in the thread
            errors.append(repr(e))
    threads = [threading.Thread(target=guarded, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_sixteen_clients_over_three_front_ends_stay_exact(cluster):
    c = cluster(3)
    create_hash_table(c.client(0), "counters")
    for i in (1, 2):
        ddb = c.client(i)
        eventually(lambda: ddb.describe_table(TableName="counters"))
    per_thread = 25
    claimed = []

    def work(t):
        ddb = c.client(t % 3)
        for n in range(per_thread):
            while True:
                try:
                    ddb.update_item(TableName="counters", Key={"pk": {"S": f"c{n % 4}"}},
                                    UpdateExpression="ADD n :one",
                                    ExpressionAttributeValues={":one": {"N": "1"}})
                    break
                except ClientError as e:
                    if error_of_code(e) != "TransactionConflictException":
                        raise
            # Exactly one thread claims each slot, whichever front end it uses.
            try:
                ddb.put_item(TableName="counters", Item={"pk": {"S": f"slot{n}"},
                                                         "owner": {"N": str(t)}},
                             ConditionExpression="attribute_not_exists(pk)")
                claimed.append(n)
            except ClientError as e:
                if error_of_code(e) not in ("ConditionalCheckFailedException",
                                            "TransactionConflictException"):
                    raise
    run_threads(16, work)
    ddb = c.client(1)
    total = sum(int(ddb.get_item(TableName="counters", Key={"pk": {"S": f"c{k}"}},
                                 ConsistentRead=True)["Item"]["n"]["N"]) for k in range(4))
    assert total == 16 * per_thread
    assert sorted(claimed) == list(range(per_thread))


def error_of_code(e):
    return e.response["Error"]["Code"]


def test_transactions_across_front_ends_keep_a_sum(cluster):
    c = cluster(2)
    ddb = c.client(0)
    create_hash_table(ddb, "accounts")
    eventually(lambda: c.client(1).describe_table(TableName="accounts"))
    accounts = 5
    for k in range(accounts):
        ddb.put_item(TableName="accounts", Item={"pk": {"S": f"a{k}"}, "bal": {"N": "100"}})

    def work(t):
        client = c.client(t % 2)
        for n in range(20):
            src, dst = (t + n) % accounts, (t + 2 * n + 1) % accounts
            if src == dst:
                continue
            try:
                client.transact_write_items(TransactItems=[
                    {"Update": {"TableName": "accounts", "Key": {"pk": {"S": f"a{src}"}},
                                "UpdateExpression": "ADD bal :m",
                                "ConditionExpression": "bal >= :one",
                                "ExpressionAttributeValues": {":m": {"N": "-1"},
                                                              ":one": {"N": "1"}}}},
                    {"Update": {"TableName": "accounts", "Key": {"pk": {"S": f"a{dst}"}},
                                "UpdateExpression": "ADD bal :p",
                                "ExpressionAttributeValues": {":p": {"N": "1"}}}}])
            except ClientError as e:
                if error_of_code(e) not in ("TransactionCanceledException",
                                            "TransactionConflictException"):
                    raise
    run_threads(8, work)
    items = c.client(1).scan(TableName="accounts", ConsistentRead=True)["Items"]
    assert sum(int(it["bal"]["N"]) for it in items) == 100 * accounts


def transfer(src_table, src, dst_table, dst, amount):
    """TransactItems moving `amount` of `bal` from item `src` of one table
    to item `dst` of another, refused when the source would go negative."""
    return [
        {"Update": {"TableName": src_table, "Key": {"pk": {"S": src}},
                    "UpdateExpression": "ADD bal :m", "ConditionExpression": "bal >= :a",
                    "ExpressionAttributeValues": {":m": {"N": str(-amount)},
                                                  ":a": {"N": str(amount)}}}},
        {"Update": {"TableName": dst_table, "Key": {"pk": {"S": dst}},
                    "UpdateExpression": "ADD bal :p",
                    "ExpressionAttributeValues": {":p": {"N": str(amount)}}}}]


def test_transactions_over_two_tables_across_front_ends_keep_a_sum(cluster):
    """Clients of two front ends move amounts between the items of two
    tables while a reader of both tables (TransactGetItems) checks the sum
    at every read: the engine writes both tables' parts as one, so no read
    sees half a move and no move is lost."""
    c = cluster(2)
    ddb = c.client(0)
    tables = ("left", "right")
    accounts = 3
    for t in tables:
        create_hash_table(ddb, t)
        eventually(lambda: c.client(1).describe_table(TableName=t))
        for k in range(accounts):
            ddb.put_item(TableName=t, Item={"pk": {"S": f"a{k}"}, "bal": {"N": "100"}})
    total = 100 * accounts * len(tables)
    codes = set()
    movers_done = threading.Event()
    sums = []

    def move(t):
        client = c.client(t % 2)
        for n in range(20):
            src_table, dst_table = tables if (t + n) % 2 else tables[::-1]
            items = transfer(src_table, f"a{(t + n) % accounts}", dst_table,
                             f"a{(t + 2 * n) % accounts}", 1 + (t * n) % 7)
            try:
                client.transact_write_items(TransactItems=items)
            except ClientError as e:
                # As DynamoDB answers a transaction that lost a race or
                # whose condition failed: cancelled, a reason per action.
                assert error_of_code(e) == "TransactionCanceledException", e.response
                got = [r["Code"] for r in e.response["CancellationReasons"]]
                assert len(got) == 2 and set(got) <= {
                    "None", "TransactionConflict", "ConditionalCheckFailed"}, got
                codes.update(got)

    def read_sums():
        client = c.client(1)
        keys = [{"Get": {"TableName": t, "Key": {"pk": {"S": f"a{k}"}}}}
                for t in tables for k in range(accounts)]
        while not movers_done.is_set() or not sums:
            try:
                got = client.transact_get_items(TransactItems=keys)["Responses"]
            except ClientError as e:
                assert error_of_code(e) == "TransactionCanceledException", e.response
                continue
            sums.append(sum(int(r["Item"]["bal"]["N"]) for r in got))

    reader_errors = []

    def reader_guarded():
        try:
            read_sums()
        except Exception as e:  # reported by the test, not lost in the thread
            reader_errors.append(repr(e))
    reader = threading.Thread(target=reader_guarded)
    reader.start()
    try:
        run_threads(8, move)
    finally:
        movers_done.set()
        reader.join()
    assert reader_errors == []
    assert sums and set(sums) == {total}, sorted(set(sums))
    # ExecuteTransaction over both tables, through the other front end.
    c.client(1).execute_transaction(TransactStatements=[
        {"Statement": 'UPDATE "left" SET bal = bal - 5 WHERE pk = \'a0\''},
        {"Statement": 'UPDATE "right" SET bal = bal + 5 WHERE pk = \'a0\''}])
    balances = {t: [int(c.client(k % 2).get_item(TableName=t, Key={"pk": {"S": f"a{k}"}},
                                                 ConsistentRead=True)["Item"]["bal"]["N"])
                    for k in range(accounts)] for t in tables}
    assert sum(map(sum, balances.values())) == total, balances
    assert min(min(b) for b in balances.values()) >= 0, balances


def test_a_client_request_token_holds_across_front_ends(cluster):
    c = cluster(2)
    a, b = c.client(0), c.client(1)
    create_hash_table(a, "tokens")
    eventually(lambda: b.describe_table(TableName="tokens"))

    def add(n):
        return [{"Update": {"TableName": "tokens", "Key": {"pk": {"S": "n"}},
                            "UpdateExpression": "ADD n :n",
                            "ExpressionAttributeValues": {":n": {"N": str(n)}}}}]

    def total():
        return int(a.get_item(TableName="tokens", Key={"pk": {"S": "n"}},
                              ConsistentRead=True)["Item"]["n"]["N"])
    # b has the table open before the token is used: it cannot have read
    # the token's record at the table's first use.
    assert "Item" not in b.get_item(TableName="tokens", Key={"pk": {"S": "n"}})
    a.transact_write_items(TransactItems=add(1), ClientRequestToken="once")
    # A retry through the other front end answers as the first did.
    b.transact_write_items(TransactItems=add(1), ClientRequestToken="once")
    assert total() == 1
    with pytest.raises(ClientError) as e:
        b.transact_write_items(TransactItems=add(2), ClientRequestToken="once")
    assert error_of(e)[0] == "IdempotentParameterMismatchException"
    # The same request sent through both front ends at once runs once.
    rounds, clients = 20, 4
    start = threading.Barrier(clients)

    def work(t):
        ddb = c.client(t % 2)
        for k in range(rounds):
            start.wait()
            try:
                ddb.transact_write_items(TransactItems=add(1), ClientRequestToken=f"race{k}")
            except ClientError as e:
                # Only a front end can tell its own requests are running.
                if error_of_code(e) != "TransactionInProgressException":
                    raise
    run_threads(clients, work)
    assert total() == 1 + rounds


def test_a_killed_front_end_loses_no_acknowledged_write(cluster):
    c = cluster(2)
    create_hash_table(c.client(0), "kept")
    eventually(lambda: c.client(1).describe_table(TableName="kept"))
    acked = []
    stop = threading.Event()

    def writer():
        ddb = c.client(0)
        n = 0
        while not stop.is_set():
            try:
                ddb.put_item(TableName="kept", Item={"pk": {"S": f"k{n}"}})
                acked.append(n)
            except Exception:
                return  # the front end is gone: unacknowledged
            n += 1
    t = threading.Thread(target=writer)
    t.start()
    while len(acked) < 50:
        time.sleep(0.01)
    os.kill(c.pid(0), signal.SIGKILL)
    stop.set()
    t.join()
    ddb = c.client(1)
    got = set()
    kwargs = {"TableName": "kept", "ConsistentRead": True}
    while True:
        page = ddb.scan(**kwargs)
        got |= {int(it["pk"]["S"][1:]) for it in page["Items"]}
        if "LastEvaluatedKey" not in page:
            break
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    assert set(acked) <= got


def test_features_a_cluster_cannot_share_are_refused(cluster):
    c = cluster(1)
    ddb = c.client(0)
    with pytest.raises(ClientError) as e:
        ddb.create_table(TableName="streamed",
                         KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                         AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                         BillingMode="PAY_PER_REQUEST",
                         StreamSpecification={"StreamEnabled": True,
                                              "StreamViewType": "NEW_IMAGE"})
    assert error_of(e)[0] == "ValidationException"
    assert "cluster" in error_of(e)[1]
    create_hash_table(ddb, "plain")
    with pytest.raises(ClientError) as e:
        ddb.create_backup(TableName="plain", BackupName="b")
    assert error_of(e)[0] == "ValidationException"
    assert "cluster" in error_of(e)[1]


def fill(ddb, table, n):
    """Puts items pk k0..k<n-1>, with g one of ten values."""
    for first in range(0, n, 25):
        pending = {table: [{"PutRequest": {"Item": {"pk": {"S": f"k{k}"},
                                                    "g": {"S": f"g{k % 10}"}}}}
                           for k in range(first, min(n, first + 25))]}
        while pending:
            pending = ddb.batch_write_item(RequestItems=pending)["UnprocessedItems"]


def add_index(ddb, table):
    ddb.update_table(
        TableName=table,
        AttributeDefinitions=[{"AttributeName": "g", "AttributeType": "S"}],
        GlobalSecondaryIndexUpdates=[{"Create": {
            "IndexName": "by_g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
            "Projection": {"ProjectionType": "ALL"}}}])


def index_status(ddb, table):
    return [i["IndexStatus"] for i in
            ddb.describe_table(TableName=table)["Table"].get("GlobalSecondaryIndexes", [])]


def indexed_keys(ddb, table):
    """The pk of every entry of index by_g (as k numbers), each once."""
    keys = []
    for g in range(10):
        kwargs = {"TableName": table, "IndexName": "by_g",
                  "KeyConditionExpression": "g = :g", "ProjectionExpression": "pk",
                  "ExpressionAttributeValues": {":g": {"S": f"g{g}"}}}
        while True:
            page = ddb.query(**kwargs)
            keys += [int(it["pk"]["S"][1:]) for it in page["Items"]]
            if "LastEvaluatedKey" not in page:
                break
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    assert len(keys) == len(set(keys))
    return set(keys)


def test_a_backfill_whose_front_end_was_killed_is_finished_by_another(cluster):
    # A short lease, so that b takes over soon after a stops renewing it.
    c = cluster(2, lease_ms=1000)
    a, b = c.client(0), c.client(1)
    create_hash_table(a, "big")
    # Enough that a, which backfills some thousands a second, is still at it
    # when its lease first records how far it came (a renewal every 333 ms).
    items = 15000
    fill(a, "big", items)
    eventually(lambda: b.describe_table(TableName="big"))
    add_index(a, "big")
    # a is killed in the middle of its backfill, once its lease holds how far
    # it came; b resumes after that many items (or more: a may have renewed
    # once more before it died).
    done = eventually(lambda: c.logged(
        0, r"cluster: backfill of index by_g of table big: (\d+) items done"), timeout=60)
    assert index_status(a, "big") == ["CREATING"]
    os.kill(c.pid(0), signal.SIGKILL)
    eventually(lambda: index_status(b, "big") == ["ACTIVE"], timeout=300)
    resumed = c.logged(1, r"cluster: taking over the backfill of index by_g of table big "
                          r"after the (\d+) items done by the front end that held it")
    assert resumed is not None and resumed >= done > 0
    assert indexed_keys(b, "big") == set(range(items))


def test_writes_through_another_front_end_as_an_index_is_created_are_indexed(cluster):
    # b learns of the index a second after a made it: its writes meanwhile
    # maintain no entry, so the backfill must read them after that.
    c = cluster(2, poll_ms=1000, lease_ms=3000)
    a, b = c.client(0), c.client(1)
    create_hash_table(a, "busy")
    items = 500
    fill(a, "busy", items)
    eventually(lambda: b.describe_table(TableName="busy"))
    acked = []
    stop = threading.Event()

    def writer():
        n = items
        while not stop.is_set():
            b.put_item(TableName="busy", Item={"pk": {"S": f"k{n}"}, "g": {"S": f"g{n % 10}"}})
            acked.append(n)
            n += 1
    t = threading.Thread(target=writer)
    t.start()
    try:
        while len(acked) < 20:
            time.sleep(0.01)
        add_index(a, "busy")
        # Until b has seen the index, and a little after.
        eventually(lambda: index_status(b, "busy"), timeout=30)
        seen = len(acked)
        while len(acked) < seen + 20:
            time.sleep(0.01)
    finally:
        stop.set()
        t.join()
    eventually(lambda: index_status(a, "busy") == ["ACTIVE"], timeout=120)
    assert indexed_keys(a, "busy") == set(range(items)) | set(acked)


def test_writes_right_after_another_front_end_deleted_an_index_succeed(cluster):
    # b polls every 5 s: it still has the index when a has deleted it.
    c = cluster(2, poll_ms=5000, lease_ms=15000)
    a, b = c.client(0), c.client(1)
    create_table_with_gsi(a, "shrinking")
    eventually(lambda: index_status(b, "shrinking") == ["ACTIVE"], timeout=30)
    # b has the table open, with the index's keyspace.
    b.put_item(TableName="shrinking", Item={"pk": {"S": "before"}, "g": {"S": "v"}})
    a.update_table(TableName="shrinking",
                   GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "by_g"}}])
    eventually(lambda: index_status(a, "shrinking") == [], timeout=30)
    b.put_item(TableName="shrinking", Item={"pk": {"S": "after"}, "g": {"S": "v"}})
    b.update_item(TableName="shrinking", Key={"pk": {"S": "after"}},
                  UpdateExpression="SET g = :w", ExpressionAttributeValues={":w": {"S": "w"}})
    assert a.get_item(TableName="shrinking", Key={"pk": {"S": "after"}},
                      ConsistentRead=True)["Item"]["g"]["S"] == "w"
    with pytest.raises(ClientError) as e:
        b.query(TableName="shrinking", IndexName="by_g", KeyConditionExpression="g = :g",
                ExpressionAttributeValues={":g": {"S": "w"}})
    assert error_of(e)[0] == "ValidationException"


def test_item_counts_add_up_over_the_front_ends(cluster):
    """DescribeTable's ItemCount and TableSizeBytes, and an index's, are the
    table's whichever front end wrote: each front end adds what its writes
    changed to figures kept in the database, and answers them with what it
    has not added yet (README, "Scale out"); an index one front end
    backfilled is counted by the others from then on."""
    c = cluster(2)
    a, b = c.client(0), c.client(1)
    create_table_with_gsi(a, "counted")
    eventually(lambda: b.describe_table(TableName="counted")["Table"]["TableStatus"]
               == "ACTIVE")
    for i in range(10):
        a.put_item(TableName="counted",
                   Item={"pk": {"S": f"a{i}"}, "g": {"S": "x"}, "v": {"S": "v" * (i + 1)}})
    for i in range(6):
        b.put_item(TableName="counted", Item={"pk": {"S": f"b{i}"}})
    b.delete_item(TableName="counted", Key={"pk": {"S": "a0"}})
    b.update_item(TableName="counted", Key={"pk": {"S": "a1"}}, UpdateExpression="REMOVE g")

    def size(item):
        return sum(len(k.encode()) + len(v["S"].encode()) for k, v in item.items())

    def want():
        items = a.scan(TableName="counted", ConsistentRead=True)["Items"]
        out = [len(items), sum(map(size, items))]
        for attr in ("g", "v"):
            indexed = [it for it in items if attr in it]
            out += [len(indexed), sum(map(size, indexed))]
        return out

    def figures(ddb):
        t = ddb.describe_table(TableName="counted")["Table"]
        out = [t["ItemCount"], t["TableSizeBytes"]]
        for g in sorted(t["GlobalSecondaryIndexes"], key=lambda g: g["IndexName"]):
            if g["IndexStatus"] == "ACTIVE":
                out += [g["ItemCount"], g["IndexSizeBytes"]]
        return out
    expected = want()
    assert expected[0] == 15 and expected[2] == 8
    for ddb in (a, b):
        eventually(lambda: figures(ddb) == expected[:4])

    # An index backfilled by a; then writes through both.
    a.update_table(
        TableName="counted",
        AttributeDefinitions=[{"AttributeName": "v", "AttributeType": "S"}],
        GlobalSecondaryIndexUpdates=[{"Create": {
            "IndexName": "by_v", "KeySchema": [{"AttributeName": "v", "KeyType": "HASH"}],
            "Projection": {"ProjectionType": "ALL"}}}])
    for ddb in (a, b):
        eventually(lambda: len(figures(ddb)) == 6, timeout=30)
    b.put_item(TableName="counted", Item={"pk": {"S": "c0"}, "v": {"S": "new"}})
    b.delete_item(TableName="counted", Key={"pk": {"S": "a5"}})
    a.put_item(TableName="counted", Item={"pk": {"S": "c1"}, "v": {"S": "newer"}})
    expected = want()
    assert expected[4] == 10
    for ddb in (a, b):
        eventually(lambda: figures(ddb) == expected)
    # A front end that stops hands in what it counted: the figures stay.
    b.put_item(TableName="counted", Item={"pk": {"S": "c2"}})
    os.kill(c.pid(1), signal.SIGTERM)
    while True:
        try:
            os.kill(c.pid(1), 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    expected = want()
    assert figures(a) == expected
