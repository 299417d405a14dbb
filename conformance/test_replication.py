"""Read replicas (docs/replication.md): a RocksDB primary keeping a
replication log and followers on other engines, as real processes on
loopback. Followers converge to the primary's items under write load,
restart where they stood, copy a table again when they fell behind the
primary's log, never show half a transaction (within a table or across
two), refuse (or forward) writes,
and one can be promoted after the primary's loss with every acknowledged
write of a synchronous primary."""
import json
import os
import random
import signal
import socket
import subprocess
import threading
import time
import urllib.request

import botocore.exceptions
import pytest

from conftest import ROOT, Server, create_table_with_gsi as create
from raw_http import call
from replication_servers import (CATCH_UP_SECONDS, LogGate, account_sum, follower_server,
                                 free_port, primary_server, replicated_server, scan_all,
                                 seed_accounts, status, stop_all, transfer, trimming_primary,
                                 outgrow_log, wait_caught_up, wait_known)

ADMIN = os.path.join(ROOT, "build", "bin", "jormun-admin")
REFUSAL = ("This server is a read replica of {}: send writes and strongly consistent "
           "reads to the primary")

pytestmark = pytest.mark.once


class Writers:
    """Threads that put, update and delete keys of `table`, and a thread of
    TransactWriteItems writing pairs of items with one counter; `acked`
    records what each acknowledged write left."""

    def __init__(self, server, table, threads=3):
        self.server, self.table = server, table
        self.acked = {}
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.errors = []
        self.threads = [threading.Thread(target=self.run, args=(t,)) for t in range(threads)]
        self.threads.append(threading.Thread(target=self.run_pairs))

    def guarded(self, f):
        try:
            f()
        except Exception as e:  # noqa: BLE001 - reported by the test
            if not self.stop.is_set():
                self.errors.append(repr(e))

    def run(self, t):
        def loop():
            ddb = self.server.client()
            rng = random.Random(t)
            n = 0
            while not self.stop.is_set():
                key, n = f"w{t}-{rng.randrange(150)}", n + 1
                op = rng.random()
                if op < 0.6:
                    ddb.put_item(TableName=self.table,
                                 Item={"pk": {"S": key}, "g": {"S": f"g{n % 5}"},
                                       "v": {"N": str(n)}})
                    state = n
                elif op < 0.8:
                    ddb.update_item(TableName=self.table, Key={"pk": {"S": key}},
                                    UpdateExpression="SET v = :v, g = :g",
                                    ExpressionAttributeValues={":v": {"N": str(n)},
                                                               ":g": {"S": "upd"}})
                    state = n
                else:
                    ddb.delete_item(TableName=self.table, Key={"pk": {"S": key}})
                    state = None
                with self.lock:
                    self.acked[key] = state
        self.guarded(loop)

    def run_pairs(self):
        def loop():
            ddb = self.server.client()
            n = 0
            while not self.stop.is_set():
                n += 1
                ddb.transact_write_items(TransactItems=[
                    {"Put": {"TableName": self.table,
                             "Item": {"pk": {"S": p}, "g": {"S": "pair"}, "v": {"N": str(n)}}}}
                    for p in ("pair-a", "pair-b")])
                with self.lock:
                    self.acked["pair-a"] = self.acked["pair-b"] = n
        self.guarded(loop)

    def __enter__(self):
        for th in self.threads:
            th.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for th in self.threads:
            th.join()


def admin(server, *args):
    return subprocess.run([ADMIN, "--endpoint", server.endpoint, *args],
                          capture_output=True, text=True, timeout=120)


def test_follower_refuses_writes_and_serves_reads(workdir):
    # Its primary is not there at all: it refuses all the same, and serves
    # reads of what it has (nothing).
    absent = f"http://127.0.0.1:{free_port()}"
    f = replicated_server(workdir, "sqlite", [f"follow: {absent}"]).start()
    try:
        ddb = f.client()
        assert ddb.list_tables()["TableNames"] == []
        message = REFUSAL.format(absent)
        for action, body in [
            ("PutItem", {"TableName": "t", "Item": {"pk": {"S": "a"}}}),
            ("CreateTable", {"TableName": "t"}),
            ("GetItem", {"TableName": "t", "Key": {"pk": {"S": "a"}}, "ConsistentRead": True}),
            ("ExecuteStatement", {"Statement": "INSERT INTO t VALUE {'pk': 'a'}"}),
            ("TransactWriteItems", {"TransactItems": []}),
        ]:
            st, _, out = call(f, action, body)
            assert st == 400, (action, out)
            err = json.loads(out)
            assert err["__type"].endswith("#ValidationException")
            assert err["message"] == message
        # A read is served (and finds no table).
        st, _, out = call(f, "GetItem", {"TableName": "t", "Key": {"pk": {"S": "a"}}})
        assert st == 400 and b"ResourceNotFoundException" in out
        s = status(f)
        assert s["Role"] == "FOLLOWER" and s["Primary"] == absent and s["Tables"] == []
        # Nothing to promote from: it never reached a primary.
        st, _, out = call(f, "JormunPromote", {})
        assert st == 400 and b"never reached its primary" in out
    finally:
        f.stop()


def test_followers_on_other_engines_converge_under_write_load(workdir):
    p = primary_server(workdir).start()
    followers = []
    try:
        pddb = p.client()
        create(pddb, "items")
        for i in range(200):
            pddb.put_item(TableName="items",
                          Item={"pk": {"S": f"s{i}"}, "g": {"S": "seed"}, "v": {"N": str(i)}})
        followers = [follower_server(workdir, e, p).start() for e in ("lmdb", "sqlite")]
        with Writers(p, "items") as w:
            time.sleep(1.0)
            # A table created while they follow is copied too.
            create(pddb, "later")
            pddb.put_item(TableName="later", Item={"pk": {"S": "x"}, "g": {"S": "one"}})
            time.sleep(1.0)
        assert not w.errors, w.errors[:3]
        for f in followers:
            wait_caught_up(p, f, ["items", "later"])
            s = status(f)
            assert s["Role"] == "FOLLOWER"
            assert {t["TableName"]: t["State"] for t in s["Tables"]} == {
                "items": "FOLLOWING", "later": "FOLLOWING"}
            _, _, body = call(f, "DescribeTable", {"TableName": "items"})
            rep = json.loads(body)["Table"]["JormunReplication"]
            assert rep["Primary"] == p.endpoint and rep["State"] == "FOLLOWING"
            assert rep["LagMillis"] >= 0
            metrics = f.client().meta.endpoint_url + "/metrics"
            text = urllib.request.urlopen(metrics, timeout=10).read().decode()
            assert 'jormun_replication_lag_seconds{table="items"}' in text
            assert 'jormun_replication_applied_total{table="items"}' in text
        # Both copies hold the same items (every attribute of every item).
        a, b = (scan_all(f.client(), "items") for f in followers)
        assert a == b and len(a) > 200
        # A table dropped on the primary goes on the followers.
        pddb.delete_table(TableName="later")
        deadline = time.time() + CATCH_UP_SECONDS
        while time.time() < deadline and any(
                "later" in f.client().list_tables()["TableNames"] for f in followers):
            time.sleep(0.1)
        for f in followers:
            assert f.client().list_tables()["TableNames"] == ["items"]
        r = admin(followers[0], "replication", "status")
        assert r.returncode == 0, r.stderr
        assert "FOLLOWER" in r.stdout and "items" in r.stdout
    finally:
        stop_all(*followers, p)


def test_follower_killed_and_restarted_catches_up(workdir):
    p = primary_server(workdir).start()
    f = None
    try:
        create(p.client(), "items")
        f = follower_server(workdir, "lmdb", p).start()
        with Writers(p, "items") as w:
            time.sleep(1.0)
            f.stop(signal.SIGKILL)
            time.sleep(1.0)
            f.start()
            time.sleep(1.0)
        assert not w.errors, w.errors[:3]
        wait_caught_up(p, f, ["items"])
        # It resumed from its position: no copy was made again.
        with open(f.log_path) as log:
            assert log.read().count("table items copied from the primary") == 1
    finally:
        stop_all(*(s for s in (f, p) if s))


def test_reads_on_a_follower_never_see_half_a_transaction(workdir):
    p = primary_server(workdir).start()
    f = None
    try:
        create(p.client(), "items")
        f = follower_server(workdir, "sqlite", p).start()
        fddb = f.client()
        seen, bad = [0], []
        stop = threading.Event()

        def reader():
            while not stop.is_set():
                try:
                    got = fddb.transact_get_items(TransactItems=[
                        {"Get": {"TableName": "items", "Key": {"pk": {"S": k}}}}
                        for k in ("pair-a", "pair-b")])
                except botocore.exceptions.ClientError:
                    continue  # the copy is not made yet
                vs = [r.get("Item", {}).get("v", {}).get("N") for r in got["Responses"]]
                if vs[0] != vs[1]:
                    bad.append(vs)
                seen[0] += 1

        th = threading.Thread(target=reader)
        th.start()
        with Writers(p, "items", threads=1) as w:
            time.sleep(3.0)
        stop.set()
        th.join()
        assert not w.errors, w.errors[:3]
        assert seen[0] > 0
        assert bad == []
        wait_caught_up(p, f, ["items"])
    finally:
        stop_all(*(s for s in (f, p) if s))


def test_forward_writes_sends_them_to_the_primary(workdir):
    p = primary_server(workdir).start()
    f = None
    try:
        create(p.client(), "items")
        f = follower_server(workdir, "lmdb", p, "forward_writes: true").start()
        fddb = f.client()
        fddb.put_item(TableName="items", Item={"pk": {"S": "fw"}, "g": {"S": "x"}})
        got = fddb.get_item(TableName="items", Key={"pk": {"S": "fw"}}, ConsistentRead=True)
        assert got["Item"]["g"]["S"] == "x"
        assert p.client().get_item(TableName="items", Key={"pk": {"S": "fw"}})["Item"]
        # The primary's own error comes back as it answered.
        with pytest.raises(botocore.exceptions.ClientError) as e:
            fddb.put_item(TableName="missing", Item={"pk": {"S": "a"}})
        assert e.value.response["Error"]["Code"] == "ResourceNotFoundException"
        wait_caught_up(p, f, ["items"])
    finally:
        stop_all(*(s for s in (f, p) if s))


def test_follower_far_behind_copies_the_table_again(workdir):
    p = trimming_primary(workdir).start()
    f = None
    try:
        pddb = p.client()
        create(pddb, "items")
        pddb.put_item(TableName="items", Item={"pk": {"S": "first"}, "g": {"S": "a"}})
        f = follower_server(workdir, "lmdb", p).start()
        wait_caught_up(p, f, ["items"])
        f.stop()
        # While it is away the primary trims its log past the follower's position.
        outgrow_log(pddb, "items")
        f.start()
        wait_caught_up(p, f, ["items"])
        with open(f.log_path) as log:
            text = log.read()
        assert "table items fell behind the primary's log: bootstrapping it again" in text
        assert text.count("table items copied from the primary") == 2
    finally:
        stop_all(*(s for s in (f, p) if s))


def rewrite_replication(server, lines):
    """Replaces the `replication:` section of the server's config."""
    with open(server.config_path) as cfg:
        text = cfg.read()
    text = text[:text.index("replication:\n")]
    with open(server.config_path, "w") as cfg:
        cfg.write(text + "replication:\n" + "".join(f"  {line}\n" for line in lines))


def test_promotion_after_losing_a_synchronous_primary_keeps_every_acked_write(workdir):
    p = primary_server(workdir, "sync: true", "sync_timeout_ms: 10000").start()
    f = None
    try:
        pddb = p.client()
        create(pddb, "items")
        f = follower_server(workdir, "sqlite", p, "log: true").start()
        wait_caught_up(p, f, ["items"])
        acked, stop, errors = [], threading.Event(), []

        def writer(t):
            ddb = p.client()
            n = 0
            while not stop.is_set():
                n += 1
                key = f"t{t}-{n}"
                try:
                    ddb.put_item(TableName="items",
                                 Item={"pk": {"S": key}, "g": {"S": "s"}, "v": {"N": str(n)}})
                except Exception:  # noqa: BLE001 - the primary is being killed
                    return
                acked.append(key)

        threads = [threading.Thread(target=writer, args=(t,)) for t in range(4)]
        for th in threads:
            th.start()
        time.sleep(2.0)
        p.stop(signal.SIGKILL)
        stop.set()
        for th in threads:
            th.join()
        assert not errors and len(acked) > 50
        primary_id = status(f)["Tables"] and json.load(
            open(os.path.join(p.data_dir, "replication", "identity.json")))["id"]

        r = admin(f, "promote")
        assert r.returncode == 0, r.stderr
        assert primary_id in r.stdout
        s = status(f)
        assert s["Role"] == "PRIMARY" and s["PromotedFrom"] == primary_id
        fddb = f.client()
        have = scan_all(fddb, "items")
        missing = [k for k in acked if k not in have]
        assert missing == []
        # It takes writes now, and stays a primary across a restart.
        fddb.put_item(TableName="items", Item={"pk": {"S": "after"}, "g": {"S": "s"}})
        f.stop()
        f.start()
        assert status(f)["Role"] == "PRIMARY"
        f.client().put_item(TableName="items", Item={"pk": {"S": "after2"}, "g": {"S": "s"}})

        # The old primary, restarted, finds its promoted follower and refuses.
        code, out = p.start_refused()
        assert code == 3, out
        assert f.endpoint in out
        # Told to follow it, it starts as its follower and copies everything.
        rewrite_replication(p, [f"follow: {f.endpoint}"])
        p.start()
        wait_caught_up(f, p, ["items"])
        assert status(p)["Role"] == "FOLLOWER"
    finally:
        stop_all(*(s for s in (f, p) if s))


def test_example_follower_config_starts_a_follower(workdir):
    srv = Server(os.path.join(workdir, "data-example-follower"),
                 os.path.join(ROOT, "config", "example-follower.yaml")).start()
    try:
        s = status(srv)
        assert s["Role"] == "FOLLOWER" and s["Primary"] == "http://127.0.0.1:8002"
    finally:
        srv.stop()


def test_schema_changes_on_the_primary_follow(workdir):
    p = primary_server(workdir).start()
    f = None
    try:
        pddb = p.client()
        create(pddb, "items")
        for i in range(50):
            pddb.put_item(TableName="items",
                          Item={"pk": {"S": f"k{i}"}, "g": {"S": "a"}, "h": {"S": f"h{i % 2}"}})
        f = follower_server(workdir, "sqlite", p).start()
        wait_caught_up(p, f, ["items"])
        # A new index: the follower backfills its own from its copy.
        pddb.update_table(
            TableName="items",
            AttributeDefinitions=[{"AttributeName": "h", "AttributeType": "S"}],
            GlobalSecondaryIndexUpdates=[{"Create": {
                "IndexName": "by_h",
                "KeySchema": [{"AttributeName": "h", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "KEYS_ONLY"}}}])
        pddb.tag_resource(ResourceArn=pddb.describe_table(TableName="items")["Table"]["TableArn"],
                          Tags=[{"Key": "team", "Value": "x"}])
        fddb = f.client()
        deadline, keys = time.time() + CATCH_UP_SECONDS, []
        while time.time() < deadline:
            try:
                q = fddb.query(TableName="items", IndexName="by_h",
                               KeyConditionExpression="h = :h",
                               ExpressionAttributeValues={":h": {"S": "h1"}})
                keys = sorted(it["pk"]["S"] for it in q["Items"])
                if len(keys) == 25:
                    break
            except botocore.exceptions.ClientError:
                pass  # the index is not there, or not backfilled, yet
            time.sleep(0.1)
        assert keys == sorted(f"k{i}" for i in range(1, 50, 2))
        # The tags are a later catalog change than the index: the follower
        # may have backfilled the index before it read them.
        arn = fddb.describe_table(TableName="items")["Table"]["TableArn"]
        tags = []
        while time.time() < deadline:
            tags = fddb.list_tags_of_resource(ResourceArn=arn)["Tags"]
            if tags:
                break
            time.sleep(0.1)
        assert tags == [{"Key": "team", "Value": "x"}]
    finally:
        stop_all(*(s for s in (f, p) if s))


def test_a_primary_starts_when_its_followers_are_unreachable(workdir):
    p = primary_server(workdir).start()
    f = None
    try:
        create(p.client(), "items")
        f = follower_server(workdir, "lmdb", p).start()
        wait_caught_up(p, f, ["items"])
        wait_known(p, f)
        f.stop()
        # Its port held, bound but not listening (connections are refused),
        # so that no other server (of another test run) starts on it and
        # answers in its place.
        with socket.socket() as hold:
            hold.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            hold.bind(("127.0.0.1", f.port))
            p.stop()
            p.start()  # the follower it knows does not answer: it starts all the same
        with open(p.log_path) as log:
            assert f"follower {f.endpoint} did not say whether it was promoted" in log.read()
        assert status(p)["Role"] == "PRIMARY"
    finally:
        stop_all(*(s for s in (f, p) if s))


def test_reads_of_two_tables_on_a_follower_never_see_half_a_transfer(workdir):
    p = primary_server(workdir).start()
    f = None
    try:
        pddb = p.client()
        create(pddb, "left")
        create(pddb, "right")
        keys = [f"acct{i}" for i in range(4)]
        seed_accounts(pddb, keys, 1000, 1000)
        f = follower_server(workdir, "sqlite", p).start()
        # Copied one after the other, the two copies agree once both follow.
        wait_caught_up(p, f, ["left", "right"])
        fddb = f.client()
        seen, bad, stop, errors = [0], [], threading.Event(), []

        def reader():
            rng = random.Random(7)
            while not stop.is_set():
                k = rng.choice(keys)
                total = account_sum(fddb, k)
                if total != 2000:
                    bad.append((k, total))
                seen[0] += 1

        def mover(t):
            try:
                ddb, rng = p.client(), random.Random(t)
                while not stop.is_set():
                    transfer(ddb, rng.choice(keys), rng.randrange(-50, 50))
            except Exception as e:  # noqa: BLE001 - reported by the test
                errors.append(repr(e))

        threads = [threading.Thread(target=reader)] + [
            threading.Thread(target=mover, args=(t,)) for t in range(3)]
        for th in threads:
            th.start()
        time.sleep(4.0)
        stop.set()
        for th in threads:
            th.join()
        assert not errors, errors[:3]
        assert seen[0] > 0
        assert bad == []
        wait_caught_up(p, f, ["left", "right"])
        assert all(account_sum(fddb, k) == 2000 for k in keys)
    finally:
        stop_all(*(s for s in (f, p) if s))


def test_a_follower_holds_a_transactions_part_until_its_other_tables_part_comes(workdir):
    p = primary_server(workdir).start()
    gate, f = LogGate(p), None
    try:
        pddb = p.client()
        create(pddb, "left")
        create(pddb, "right")
        seed_accounts(pddb, ["acct"], 100, 0)
        f = replicated_server(workdir, "lmdb", [f"follow: {gate.url}"]).start()
        wait_caught_up(p, f, ["left", "right"])
        gate.hold()
        gate.wait_asked(1)  # a log request waits at the gate
        # More changes to table right than one log answer carries (1000),
        # then a transfer: right's part of it comes one answer after left's.
        for b in range(48):
            pddb.batch_write_item(RequestItems={"right": [
                {"PutRequest": {"Item": {"pk": {"S": f"fill{b}-{i}"}, "g": {"S": "f"}}}}
                for i in range(25)]})
        transfer(pddb, "acct", 10)
        gate.let_through(1)
        gate.wait_asked(2)  # the first answer is applied
        fddb = f.client()
        assert len(scan_all(fddb, "right")) > 1  # some of right's changes came
        # Left's part came, right's not yet: neither is seen.
        assert account_sum(fddb, "acct") == 100
        left = fddb.get_item(TableName="left", Key={"pk": {"S": "acct"}})["Item"]["v"]["N"]
        right = fddb.get_item(TableName="right", Key={"pk": {"S": "acct"}})["Item"]["v"]["N"]
        assert (left, right) == ("100", "0")
        gate.release()
        wait_caught_up(p, f, ["left", "right"])
        assert account_sum(fddb, "acct") == 100
        assert fddb.get_item(TableName="left",
                             Key={"pk": {"S": "acct"}})["Item"]["v"]["N"] == "90"
    finally:
        gate.close()
        stop_all(*(s for s in (f, p) if s))
