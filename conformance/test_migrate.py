"""jormun-admin migrate: a table moves to another engine while writers keep
writing it; afterwards every item is as the acknowledged writes left it,
its GSI answers, the old copy stays until --drop-old, and a restart keeps
the table on its new engine."""
import json
import os
import random
import signal
import subprocess
import threading
import time

import botocore.exceptions
import pytest

from conftest import ROOT, create_table_with_gsi as create, new_server
from raw_http import call

ADMIN = os.path.join(ROOT, "build", "bin", "jormun-admin")
ENGINES3 = ["rocksdb", "sqlite", "lmdb"]
PAIRS = [(a, b) for a in ENGINES3 for b in ENGINES3 if a != b]


def engine_of(server, table):
    _, _, body = call(server, "DescribeTable", {"TableName": table})
    return json.loads(body)["Table"]["JormunEngine"]["Name"]


class Writers:
    """Threads that put, update and delete their own keys, recording the
    state each acknowledged write left."""

    def __init__(self, server, table, threads=4):
        self.server, self.table = server, table
        self.expected = {}
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.errors = []
        self.threads = [threading.Thread(target=self.run, args=(t,)) for t in range(threads)]

    def run(self, t):
        ddb = self.server.client()
        rng = random.Random(t)
        n = 0
        try:
            while not self.stop.is_set():
                try:
                    n = self.write(ddb, rng, t, n)
                except botocore.exceptions.ClientError as e:
                    # A write that waited too long for the switch-over's
                    # hold: refused before anything was written (retryable).
                    if e.response["Error"]["Code"] != "TransactionConflictException":
                        raise
        except Exception as e:  # noqa: BLE001 - reported by the test
            self.errors.append(repr(e))

    def write(self, ddb, rng, t, n):
        """One write; returns the write counter."""
        key = f"w{t}-{rng.randrange(200)}"
        op = rng.random()
        n += 1
        if op < 0.5:
            item = {"pk": {"S": key}, "g": {"S": f"g{n % 7}"}, "v": {"N": str(n)}}
            ddb.put_item(TableName=self.table, Item=item)
            state = {"g": f"g{n % 7}", "v": n}
        elif op < 0.8:
            ddb.update_item(TableName=self.table, Key={"pk": {"S": key}},
                            UpdateExpression="SET v = :v, g = :g",
                            ExpressionAttributeValues={":v": {"N": str(n)},
                                                       ":g": {"S": "upd"}},
                            ReturnValues="ALL_NEW")
            state = {"g": "upd", "v": n}
        else:
            ddb.delete_item(TableName=self.table, Key={"pk": {"S": key}})
            state = None
        with self.lock:
            self.expected[key] = state
        return n

    def __enter__(self):
        for th in self.threads:
            th.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for th in self.threads:
            th.join()


def scan_all(ddb, table):
    items, kwargs = {}, {}
    while True:
        page = ddb.scan(TableName=table, ConsistentRead=True, **kwargs)
        for it in page["Items"]:
            items[it["pk"]["S"]] = {"g": it["g"]["S"], "v": int(it["v"]["N"])}
        if "LastEvaluatedKey" not in page:
            return items
        kwargs = {"ExclusiveStartKey": page["LastEvaluatedKey"]}


def check_items(ddb, table, expected, seeded):
    got = scan_all(ddb, table)
    want = dict(seeded)
    want.update({k: v for k, v in expected.items() if v is not None})
    for k, v in expected.items():
        if v is None:
            want.pop(k, None)
    assert got == want
    # The GSI holds exactly the items' entries.
    for g in ["upd"] + [f"g{i}" for i in range(7)] + ["seed"]:
        q = ddb.query(TableName=table, IndexName="by_g",
                      KeyConditionExpression="g = :g",
                      ExpressionAttributeValues={":g": {"S": g}})
        keys = sorted(it["pk"]["S"] for it in q["Items"])
        assert keys == sorted(k for k, v in want.items() if v["g"] == g)


def seed(ddb, table, n=300):
    seeded = {}
    for i in range(n):
        ddb.put_item(TableName=table, Item={"pk": {"S": f"s{i}"}, "g": {"S": "seed"},
                                            "v": {"N": str(i)}})
        seeded[f"s{i}"] = {"g": "seed", "v": i}
    return seeded


def admin(server, *args):
    return subprocess.run([ADMIN, "--endpoint", server.endpoint, *args],
                          capture_output=True, text=True, timeout=300)


def move_under_load(srv, source, target):
    """Moves table "moving" of `srv` from `source` to `target` while writers
    change it, and checks every item; returns the client, the writers' final
    states and the seeded items, for more checks."""
    ddb = srv.client()
    create(ddb, "moving")
    seeded = seed(ddb, "moving")
    with Writers(srv, "moving") as w:
        time.sleep(0.3)
        r = admin(srv, "migrate", "moving", "--to", target)
        time.sleep(0.3)
    assert r.returncode == 0, r.stderr
    assert not w.errors, w.errors[:3]
    assert f"migrated moving from {source} to {target}" in r.stdout
    assert engine_of(srv, "moving") == target
    check_items(ddb, "moving", w.expected, seeded)
    return ddb, w.expected, seeded


@pytest.mark.once
@pytest.mark.parametrize("source,target", PAIRS)
def test_migrate_under_write_load(workdir, source, target):
    srv = new_server(workdir, source).start()
    try:
        ddb, expected, seeded = move_under_load(srv, source, target)
        # The old copy stays until dropped.
        folders = os.listdir(os.path.join(srv.data_dir, "tables"))
        assert "moving" in folders and len(folders) == 2

        # A restart keeps the table on its new engine, with its items.
        srv.stop()
        srv.start()
        ddb = srv.client()
        assert engine_of(srv, "moving") == target
        check_items(ddb, "moving", expected, seeded)
        assert sorted(os.listdir(os.path.join(srv.data_dir, "tables"))) == sorted(folders)
        _, _, body = call(srv, "JormunDropOldTableCopies", {"TableName": "moving"})
        assert json.loads(body)["DroppedCopies"] == ["moving"]
        assert "moving" not in os.listdir(os.path.join(srv.data_dir, "tables"))
        check_items(ddb, "moving", expected, seeded)
    finally:
        srv.stop()


@pytest.mark.once
def test_migrate_drop_old_and_back(workdir):
    srv = new_server(workdir, "rocksdb").start()
    try:
        ddb = srv.client()
        create(ddb, "tbl")
        seeded = seed(ddb, "tbl", 50)
        r = admin(srv, "migrate", "tbl", "--to", "lmdb", "--drop-old")
        assert r.returncode == 0, r.stderr
        assert "old copies dropped: tbl\n" in r.stdout
        assert os.listdir(os.path.join(srv.data_dir, "tables")) != ["tbl"]
        assert len(os.listdir(os.path.join(srv.data_dir, "tables"))) == 1
        r = admin(srv, "migrate", "tbl", "--to", "rocksdb", "--drop-old")
        assert r.returncode == 0, r.stderr
        assert engine_of(srv, "tbl") == "rocksdb"
        assert len(os.listdir(os.path.join(srv.data_dir, "tables"))) == 1
        check_items(ddb, "tbl", {}, seeded)
    finally:
        srv.stop()


@pytest.mark.once
def test_migrate_refusals(workdir):
    srv = new_server(workdir, "sqlite").start()
    try:
        ddb = srv.client()
        create(ddb, "tbl")
        r = admin(srv, "migrate", "tbl", "--to", "nosuch")
        assert r.returncode == 1
        assert "Unknown engine: nosuch" in r.stderr
        r = admin(srv, "migrate", "tbl", "--to", "sqlite")
        assert r.returncode == 1
        assert "already on engine sqlite" in r.stderr
        r = admin(srv, "migrate", "missing", "--to", "lmdb")
        assert r.returncode == 1
        assert engine_of(srv, "tbl") == "sqlite"
    finally:
        srv.stop()


@pytest.mark.once
def test_kill_during_migration_loses_nothing(workdir):
    srv = new_server(workdir, "rocksdb").start()
    ddb = srv.client()
    create(ddb, "killed")
    seeded = seed(ddb, "killed", 2000)
    status, _, body = call(srv, "JormunMigrateTable", {"TableName": "killed", "TargetEngine": "sqlite"})
    assert status == 200, body
    srv.stop(signal.SIGKILL)
    srv.start()
    try:
        ddb = srv.client()
        # On one engine or the other, whole; only the table's own folder and
        # at most the old copy are left.
        assert engine_of(srv, "killed") in ("rocksdb", "sqlite")
        check_items(ddb, "killed", {}, seeded)
        folders = os.listdir(os.path.join(srv.data_dir, "tables"))
        assert len(folders) == (1 if engine_of(srv, "killed") == "rocksdb" else 2)
        assert not os.path.exists(os.path.join(srv.data_dir, "orphans"))
    finally:
        srv.stop()


@pytest.mark.postgres
@pytest.mark.parametrize("source,target", [(a, "postgres") for a in ENGINES3] +
                         [("postgres", b) for b in ENGINES3])
def test_migrate_postgres_under_write_load(workdir, source, target):
    """In the postgres run, whose conftest starts a PostgreSQL."""
    srv = new_server(workdir, source).start()
    try:
        move_under_load(srv, source, target)
    finally:
        srv.stop()


@pytest.mark.once
def test_cancel_leaves_table_whole(workdir):
    srv = new_server(workdir, "lmdb").start()
    try:
        ddb = srv.client()
        create(ddb, "cancelled")
        seeded = seed(ddb, "cancelled", 1000)
        call(srv, "JormunMigrateTable", {"TableName": "cancelled", "TargetEngine": "rocksdb"})
        call(srv, "JormunCancelMigration", {"TableName": "cancelled"})
        for _ in range(500):
            _, _, body = call(srv, "JormunDescribeMigration", {"TableName": "cancelled"})
            phase = json.loads(body)["Migration"]["Phase"]
            if phase in ("DONE", "CANCELLED", "FAILED"):
                break
            time.sleep(0.02)
        # A cancel that came after the switch-over cannot undo it.
        assert phase in ("DONE", "CANCELLED")
        assert engine_of(srv, "cancelled") == ("rocksdb" if phase == "DONE" else "lmdb")
        folders = os.listdir(os.path.join(srv.data_dir, "tables"))
        assert len(folders) == (2 if phase == "DONE" else 1)
        check_items(ddb, "cancelled", {}, seeded)
    finally:
        srv.stop()
