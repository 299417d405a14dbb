"""Servers for the read replica tests (docs/replication.md): a RocksDB
primary keeping a replication log and followers on ports of their own,
the checks that a follower holds exactly the primary's items, and a gate
between a follower and its primary that lets its log requests through one
at a time."""
import http.client
import http.server
import json
import socket
import threading
import time

import botocore.exceptions

from conftest import Server, new_server
from raw_http import call

# How long a follower may take to catch up before a test gives up waiting.
# Waiting is not what the tests judge: each then compares every item.
CATCH_UP_SECONDS = 120


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class FixedPortServer(Server):
    """A server that keeps its port across restarts (followers and the
    failover check know each other by URL)."""

    def __init__(self, data_dir, config_path, port):
        super().__init__(data_dir, config_path)
        self.fixed_port = port

    def _command(self):
        cmd = super()._command()
        cmd[cmd.index("--port") + 1] = str(self.fixed_port)
        return cmd


def replicated_server(workdir, engine, replication, extra=""):
    """A server on `engine` whose config has the `replication:` lines given
    (indented under it) and `extra` top-level YAML, on a port of its own."""
    base = new_server(workdir, engine)
    with open(base.config_path, "a") as f:
        f.write("replication:\n" + "".join(f"  {line}\n" for line in replication) + extra)
    return FixedPortServer(base.data_dir, base.config_path, free_port())


def primary_server(workdir, *lines, extra=""):
    return replicated_server(workdir, "rocksdb", ["log: true", *lines], extra)


def trimming_primary(workdir):
    """A primary keeping at most 1 MiB of each table's log, trimmed every
    second: outgrow_log() puts a follower that is away behind it."""
    return primary_server(workdir, "log_retention_mb: 1",
                          extra="streams:\n  trim_interval_seconds: 1\n")


def outgrow_log(ddb, table):
    """Over 1 MiB of changes to `table` (300 items, each changed five times),
    then time for a trimming_primary() to trim its log past them."""
    blob = "x" * 2000
    for i in range(1500):
        ddb.put_item(TableName=table,
                     Item={"pk": {"S": f"k{i % 300}"}, "g": {"S": f"g{i % 3}"},
                           "blob": {"S": blob}, "v": {"N": str(i)}})
    time.sleep(3)  # trim passes, every second


def follower_server(workdir, engine, primary, *lines):
    return replicated_server(workdir, engine, [f"follow: {primary.endpoint}", *lines])


def scan_all(ddb, table, consistent=False):
    items, kwargs = {}, {}
    if consistent:
        kwargs["ConsistentRead"] = True
    while True:
        page = ddb.scan(TableName=table, **kwargs)
        for it in page["Items"]:
            items[it["pk"]["S"]] = it
        if "LastEvaluatedKey" not in page:
            return items
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def gsi_keys(ddb, table, g):
    keys, kwargs = [], {}
    while True:
        q = ddb.query(TableName=table, IndexName="by_g", KeyConditionExpression="g = :g",
                      ExpressionAttributeValues={":g": {"S": g}}, **kwargs)
        keys += [it["pk"]["S"] for it in q["Items"]]
        if "LastEvaluatedKey" not in q:
            return sorted(keys)
        kwargs = {"ExclusiveStartKey": q["LastEvaluatedKey"]}


def status(server):
    st, _, body = call(server, "JormunReplicationStatus", {})
    assert st == 200, body
    return json.loads(body)


def wait_caught_up(primary, follower, tables):
    """Waits until `follower` holds exactly the primary's items of each
    table; then checks every item and the GSI's answers."""
    pddb, fddb = primary.client(), follower.client()
    deadline = time.time() + CATCH_UP_SECONDS
    want = {t: scan_all(pddb, t, consistent=True) for t in tables}
    while time.time() < deadline:
        try:
            if all(scan_all(fddb, t) == want[t] for t in tables):
                break
        except botocore.exceptions.ClientError as e:
            # The copy is not there yet (still being made).
            if e.response["Error"]["Code"] != "ResourceNotFoundException":
                raise
        time.sleep(0.2)
    for t in tables:
        try:
            got = scan_all(fddb, t)
        except botocore.exceptions.ClientError as e:
            raise AssertionError(f"{t} not copied; the follower's log ends:\n" +
                                 open(follower.log_path).read()[-3000:]) from e
        assert got == want[t]
        groups = {it["g"]["S"] for it in want[t].values() if "g" in it}
        for g in groups:
            assert gsi_keys(fddb, t, g) == gsi_keys(pddb, t, g)


def stop_all(*servers):
    for s in servers:
        try:
            s.stop()
        except Exception:  # noqa: BLE001 - the test's own failure matters more
            pass


class LogGate:
    """An HTTP proxy a follower follows instead of its primary: every request
    goes on to the primary as it came, but while the gate is held each
    JormunReplicationLog request waits until let through, so a test knows
    exactly which answers the follower has applied (it applies one answer
    whole before it asks again). `on_snapshot`, when set, is called with the
    request's body after each JormunReplicationSnapshot answer comes from
    the primary and before it goes on to the follower. With `one_snapshot`,
    JormunReplicationSnapshot requests go on without their TableNames, as a
    primary from before them reads them (the primary checks no signature).
    `on_page`, when set, is called before each JormunReplicationSnapshotPage
    request goes on to the primary (the follower asks for a page once it has
    stored the one before)."""

    def __init__(self, primary):
        gate = self
        self.held, self.allowed, self.asked = False, 0, 0
        self.on_snapshot, self.one_snapshot, self.on_page = None, False, None
        self.cond = threading.Condition()

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                snapshot = self.headers.get("X-Amz-Target", "").endswith(
                    ".JormunReplicationSnapshot")
                if snapshot and gate.one_snapshot:
                    body = json.dumps({"TableName": json.loads(body)["TableName"]}).encode()
                if self.headers.get("X-Amz-Target", "").endswith(".JormunReplicationLog"):
                    gate.wait_turn()
                if gate.on_page and self.headers.get("X-Amz-Target", "").endswith(
                        ".JormunReplicationSnapshotPage"):
                    gate.on_page()
                conn = http.client.HTTPConnection("127.0.0.1", primary.fixed_port, timeout=60)
                headers = {k: v for k, v in self.headers.items()
                           if k.lower() not in ("connection", "keep-alive", "content-length")}
                headers["Content-Length"] = str(len(body))
                conn.request("POST", self.path, body, headers)
                resp = conn.getresponse()
                data = resp.read()
                conn.close()
                if snapshot and gate.on_snapshot:
                    gate.on_snapshot(json.loads(body))
                self.send_response(resp.status)
                for k, v in resp.getheaders():
                    if k.lower() not in ("connection", "content-length", "transfer-encoding"):
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait_turn(self):
        with self.cond:
            self.asked += 1
            self.cond.notify_all()
            self.cond.wait_for(lambda: not self.held or self.allowed > 0)
            if self.held:
                self.allowed -= 1

    def hold(self):
        """Holds log requests from now on; counts them afresh."""
        with self.cond:
            self.held, self.allowed, self.asked = True, 0, 0

    def let_through(self, n=1):
        with self.cond:
            self.allowed += n
            self.cond.notify_all()

    def release(self):
        with self.cond:
            self.held = False
            self.cond.notify_all()

    def wait_asked(self, n):
        """Waits until the follower has sent its n-th log request (counting
        from the last hold), which it does once the answer before is applied."""
        with self.cond:
            assert self.cond.wait_for(lambda: self.asked >= n, timeout=CATCH_UP_SECONDS)

    def close(self):
        self.release()
        self.server.shutdown()


def wait_known(primary, follower):
    """Waits until `primary` has recorded `follower` (at its first log
    request, which may come just after its copies are made)."""
    deadline = time.time() + CATCH_UP_SECONDS
    while time.time() < deadline:
        if any(k["Url"] == follower.endpoint for k in status(primary)["Followers"]):
            return
        time.sleep(0.05)
    raise AssertionError(f"{primary.endpoint} never recorded {follower.endpoint}")


def seed_accounts(ddb, keys, left, right):
    for k in keys:
        ddb.put_item(TableName="left", Item={"pk": {"S": k}, "v": {"N": str(left)}})
        ddb.put_item(TableName="right", Item={"pk": {"S": k}, "v": {"N": str(right)}})


def transfer(ddb, key, amount):
    """Moves `amount` of account `key` from table left to table right, in one
    TransactWriteItems: the two tables' sum for the key stays as it was."""
    ddb.transact_write_items(TransactItems=[
        {"Update": {"TableName": t, "Key": {"pk": {"S": key}}, "UpdateExpression": "ADD v :d",
                    "ExpressionAttributeValues": {":d": {"N": str(d)}}}}
        for t, d in (("left", -amount), ("right", amount))])


def account_sum(ddb, key):
    got = ddb.transact_get_items(TransactItems=[
        {"Get": {"TableName": t, "Key": {"pk": {"S": key}}}} for t in ("left", "right")])
    return sum(int(r["Item"]["v"]["N"]) for r in got["Responses"])
