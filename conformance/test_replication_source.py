"""A primary's side of read replicas (docs/replication.md): the catalog,
snapshots read a page at a time, and the change log a follower tails, with
a write set's records whole in one answer, retention by size, and a
synchronous primary's writes waiting for a follower's confirmation. The
follower here is this test, speaking the protocol over HTTP."""
import base64
import json
import threading
import time

import pytest

from conftest import new_server
from raw_http import call

pytestmark = pytest.mark.once

FOLLOWER = {"Id": "f" * 32, "Url": "http://127.0.0.1:1"}


def primary(workdir, replication, streams=""):
    s = new_server(workdir, "rocksdb")
    with open(s.config_path, "a") as f:
        f.write("replication:\n" + "".join(f"  {k}: {v}\n" for k, v in replication.items()))
        f.write(streams)
    return s.start()


def action(server, name, body):
    status, _, raw = call(server, name, body)
    return status, json.loads(raw)


def ok(server, name, body):
    status, answer = action(server, name, body)
    assert status == 200, answer
    return answer


def create(server, name):
    ok(server, "CreateTable", {
        "TableName": name, "BillingMode": "PAY_PER_REQUEST",
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}]})
    return table_id(server, name)


def table_id(server, name):
    return ok(server, "DescribeTable", {"TableName": name})["Table"]["TableId"]


def put(server, table, pk, **attrs):
    item = {"pk": {"S": pk}, **{k: {"S": v} for k, v in attrs.items()}}
    return action(server, "PutItem", {"TableName": table, "Item": item})


def log(server, positions, applied=None, limit=None):
    body = {"Follower": FOLLOWER, "Tables": positions, "Applied": applied or {}}
    if limit:
        body["Limit"] = limit
    return ok(server, "JormunReplicationLog", body)


@pytest.fixture
def source(workdir):
    s = primary(workdir, {"log": "true"})
    yield s
    s.stop()


def test_a_server_without_the_log_refuses_followers(server):
    for name, body in [("JormunReplicationLog", {"Follower": FOLLOWER, "Tables": {}}),
                       ("JormunReplicationCatalog", {}),
                       ("JormunReplicationSnapshot", {"TableName": "any"})]:
        status, answer = action(server, name, body)
        assert status == 400
        assert answer["__type"].endswith("#ValidationException")
        assert answer["message"] == ("replication.log is off on this server: it keeps no "
                                     "log for followers")


def test_the_catalog_lists_tables_and_its_version_follows_changes(source):
    before = ok(source, "JormunReplicationCatalog", {})
    assert len(before["PrimaryId"]) == 32
    tid = create(source, "listed")
    after = ok(source, "JormunReplicationCatalog", {})
    assert after["CatalogVersion"] != before["CatalogVersion"]
    assert after["PrimaryId"] == before["PrimaryId"]
    [entry] = [t for t in after["Tables"] if t["TableName"] == "listed"]
    assert entry["TableId"] == tid
    assert entry["Schema"]["name"] == "listed"


def test_a_snapshot_pages_every_item_and_the_log_goes_on_from_it(source):
    tid = create(source, "snap")
    for i in range(2500):
        assert put(source, "snap", f"k{i:05}", v="x")[0] == 200
    snap = ok(source, "JormunReplicationSnapshot", {"TableName": "snap"})
    assert snap["TableId"] == tid
    position = snap["LogPosition"]
    # Written after the snapshot: in the log from its position, not in it.
    assert put(source, "snap", "after", v="y")[0] == 200
    items, start, pages = [], None, 0
    while True:
        body = {"SnapshotId": snap["SnapshotId"], "Limit": 1000}
        if start:
            body["ExclusiveStartKey"] = start
        page = ok(source, "JormunReplicationSnapshotPage", body)
        items += page["Items"]
        pages += 1
        start = page.get("LastEvaluatedKey")
        if not start:
            break
    assert len(items) == 2500 and pages == 3
    assert all(b"after" not in base64.b64decode(i) for i in items)
    tail = log(source, {tid: position})["Tables"][tid]
    assert len(tail["Records"]) == 1
    assert b"after" in base64.b64decode(tail["Records"][0]["Record"])
    assert tail["Next"] == tail["End"] == tail["Records"][0]["Sequence"] + 1
    ok(source, "JormunReplicationSnapshotDone", {"SnapshotId": snap["SnapshotId"]})
    status, answer = action(source, "JormunReplicationSnapshotPage",
                            {"SnapshotId": snap["SnapshotId"]})
    assert status == 400 and answer["__type"].endswith("#ResourceNotFoundException")


def test_snapshots_of_several_tables_come_from_one_request(source):
    a, b = create(source, "one-a"), create(source, "one-b")
    for t in ("one-a", "one-b"):
        assert put(source, t, "before")[0] == 200
    answer = ok(source, "JormunReplicationSnapshot",
                {"TableName": "one-b", "TableNames": ["one-b", "one-a"]})
    snaps = answer["Snapshots"]
    assert [(s["TableName"], s["TableId"]) for s in snaps] == [("one-b", b), ("one-a", a)]
    # A transaction over both after the snapshots: in neither, in both logs.
    ok(source, "TransactWriteItems", {"TransactItems": [
        {"Put": {"TableName": t, "Item": {"pk": {"S": "after"}}}} for t in ("one-a", "one-b")]})
    for s in snaps:
        page = ok(source, "JormunReplicationSnapshotPage", {"SnapshotId": s["SnapshotId"]})
        assert [b"before" in base64.b64decode(i) for i in page["Items"]] == [True]
        tail = log(source, {s["TableId"]: s["LogPosition"]})["Tables"][s["TableId"]]
        assert [b"after" in base64.b64decode(r["Record"]) for r in tail["Records"]] == [True]
        ok(source, "JormunReplicationSnapshotDone", {"SnapshotId": s["SnapshotId"]})
    for body, kind, message in [
            ({"TableNames": ["one-a", "one-a"]}, "ValidationException",
             "TableNames names table one-a more than once"),
            ({"TableName": "one-a", "TableNames": ["one-b"]}, "ValidationException",
             "TableName one-a is not among TableNames"),
            ({"TableNames": ["one-a", "missing"]}, "ResourceNotFoundException",
             "Requested resource not found: Table: missing not found")]:
        status, answer = action(source, "JormunReplicationSnapshot", body)
        assert status == 400
        assert answer["__type"].endswith("#" + kind)
        assert answer["message"] == message


def test_a_transactions_records_come_whole(source):
    tid = create(source, "groups")
    start = log(source, {tid: 1})["Tables"][tid]["Next"]
    ok(source, "TransactWriteItems", {"TransactItems": [
        {"Put": {"TableName": "groups", "Item": {"pk": {"S": f"t{i}"}}}} for i in range(5)]})
    assert put(source, "groups", "single")[0] == 200
    # A limit of 2 stops inside the transaction's 5 records: the answer
    # goes on to the group's end.
    first = log(source, {tid: start}, limit=2)["Tables"][tid]
    assert len(first["Records"]) == 5
    rest = log(source, {tid: first["Next"]})["Tables"][tid]
    assert len(rest["Records"]) == 1


def test_unknown_tables_are_gone(source):
    tables = log(source, {"no-such-id": 1})["Tables"]
    assert tables == {"no-such-id": {"Gone": True}}


def test_the_log_keeps_at_most_its_size_and_says_trimmed(workdir):
    s = primary(workdir, {"log": "true", "log_retention_mb": 1},
                "streams:\n  trim_interval_seconds: 1\n")
    try:
        tid = create(s, "sized")
        for i in range(30):  # 30 records of 100 KB: 3 MB
            assert put(s, "sized", f"k{i}", v="x" * 100_000)[0] == 200
        deadline = time.time() + 30
        while time.time() < deadline:
            answer = log(s, {tid: 1})["Tables"][tid]
            if answer.get("Trimmed"):
                break
            time.sleep(0.2)
        assert answer == {"Trimmed": True}
        # The newest MB is still there.
        newest = log(s, {tid: 31 - 8})["Tables"][tid]
        assert len(newest["Records"]) == 8
    finally:
        s.stop()


def test_a_synchronous_primary_acknowledges_once_a_follower_has_the_write(workdir):
    s = primary(workdir, {"log": "true", "sync": "true", "sync_timeout_ms": 500})
    try:
        tid = create(s, "synced")
        status, answer = put(s, "synced", "alone")
        assert status == 500
        assert answer["message"] == ("Internal server error: no follower confirmed the "
                                     "write within replication.sync_timeout_ms; it is "
                                     "applied on the primary")
        assert ok(s, "GetItem", {"TableName": "synced",
                                 "Key": {"pk": {"S": "alone"}}})["Item"]
        stop = threading.Event()

        def follow():  # confirms whatever the log holds, as a follower would
            position = 1
            while not stop.is_set():
                answer = log(s, {tid: position}, {tid: position})["Tables"][tid]
                position = answer["Next"]
                time.sleep(0.01)
        thread = threading.Thread(target=follow)
        thread.start()
        try:
            for i in range(5):
                assert put(s, "synced", f"k{i}")[0] == 200
        finally:
            stop.set()
            thread.join()
    finally:
        s.stop()
