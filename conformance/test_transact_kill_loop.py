"""The transaction SIGKILL loop: eight clients move amounts between accounts
spread over a RocksDB, an SQLite and an LMDB table (durable engines) with
TransactWriteItems; the server is killed at a random moment and restarted.
Then the sum over all accounts is unchanged and every transfer is either
wholly visible or wholly absent: each transfer adds its id to a set on both
of its accounts, so each account's balance must be its opening balance plus
exactly the transfers its set names. Every acknowledged transfer is visible;
the one a client had in flight at the kill may or may not be. Rounds come
from TXN_KILL_ROUNDS (default 10)."""
import os
import random
import signal
import threading
import time

from botocore.exceptions import ClientError

from conftest import new_server
from transact import update

RULES = [("kill_lite", "sqlite"), ("kill_lm", "lmdb")]
TABLES = ["kill_rocks", "kill_lite", "kill_lm"]
ACCOUNTS = 24
OPENING = 1000
WRITERS = 8
ROUNDS = int(os.environ.get("TXN_KILL_ROUNDS", "10"))
# Refusals a transfer may get from a healthy server: it then did nothing.
CANCELLED_FOR = {"TransactionConflict", "ConditionalCheckFailed"}


def account(n):
    """(table, key) of account n: spread over the three tables."""
    return TABLES[n % len(TABLES)], {"pk": {"S": f"a{n}"}}


def transfer_actions(tid, src, dst, amount):
    values = {":a": {"N": str(amount)}, ":t": {"SS": [tid]}}
    (src_table, src_key), (dst_table, dst_key) = account(src), account(dst)
    return [update(src_table, src_key, "SET bal = bal - :a ADD ids :t",
                   ConditionExpression="bal >= :a", ExpressionAttributeValues=values),
            update(dst_table, dst_key, "SET bal = bal + :a ADD ids :t",
                   ExpressionAttributeValues=values)]


class Writer:
    """One client thread: `acked` holds the ids of its acknowledged
    transfers, `cut` the one it had in flight when the server died."""

    def __init__(self, index, client, round_, rng, transfers):
        self.name = f"r{round_}w{index}"
        self.client = client
        self.rng = rng
        self.transfers = transfers  # shared: id -> (src, dst, amount)
        self.acked, self.cut, self.unexpected = [], None, None
        self.count = 0

    def run(self, stop):
        while not stop.is_set():
            self.count += 1
            tid = f"{self.name}-{self.count}"
            src, dst = self.rng.sample(range(ACCOUNTS), 2)
            amount = self.rng.randrange(1, 200)
            self.transfers[tid] = (src, dst, amount)
            try:
                self.client.transact_write_items(
                    TransactItems=transfer_actions(tid, src, dst, amount))
            except ClientError as e:
                reasons = {r["Code"] for r in e.response.get("CancellationReasons", [])}
                if (e.response["Error"]["Code"] == "TransactionCanceledException"
                        and reasons - {"None"} <= CANCELLED_FOR):
                    continue
                self.unexpected = repr(e)
                return
            except Exception:  # noqa: BLE001 - the server died under us
                self.cut = tid
                return
            self.acked.append(tid)


def read_accounts(ddb):
    """account number -> (balance, set of transfer ids)."""
    out = {}
    for table in TABLES:
        for item in ddb.scan(TableName=table, ConsistentRead=True)["Items"]:
            n = int(item["pk"]["S"][1:])
            out[n] = (int(item["bal"]["N"]), set(item.get("ids", {}).get("SS", [])))
    return out


def check(accounts, transfers, acked, cut):
    assert sorted(accounts) == list(range(ACCOUNTS))
    assert sum(bal for bal, _ in accounts.values()) == OPENING * ACCOUNTS
    visible = set().union(*(ids for _, ids in accounts.values()))
    for tid in visible:
        src, dst = transfers[tid][:2]
        assert tid in accounts[src][1] and tid in accounts[dst][1], ("half a transfer", tid)
    missing = set(acked) - visible
    assert not missing, ("acknowledged transfers lost", sorted(missing)[:5])
    assert visible <= set(acked) | cut, ("unacknowledged transfers", sorted(visible - set(acked) - cut)[:5])
    for n, (bal, ids) in accounts.items():
        moved = sum(amount if dst == n else -amount
                    for src, dst, amount in (transfers[t] for t in ids))
        assert bal == OPENING + moved, ("balance not its transfers", n, bal, OPENING + moved)


def create(ddb):
    for table in TABLES:
        ddb.create_table(TableName=table, KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                         AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                         BillingMode="PAY_PER_REQUEST")
    for n in range(ACCOUNTS):
        table, key = account(n)
        ddb.put_item(TableName=table, Item={**key, "bal": {"N": str(OPENING)}})


def test_transaction_kill_loop(workdir):
    srv = new_server(workdir, "rocksdb", RULES, durable=True).start()
    create(srv.client())
    rng = random.Random(12)
    transfers, acked, cut = {}, [], set()
    try:
        for round_ in range(ROUNDS):
            writers = [Writer(i, srv.client(), round_, random.Random(rng.random()), transfers)
                       for i in range(WRITERS)]
            stop = threading.Event()
            threads = [threading.Thread(target=w.run, args=(stop,)) for w in writers]
            for t in threads:
                t.start()
            # A random moment: after a random number of acknowledged transfers.
            target = rng.randrange(1, 150)
            while (sum(len(w.acked) for w in writers) < target
                   and any(t.is_alive() for t in threads)):
                time.sleep(0.005)
            srv.stop(signal.SIGKILL)
            stop.set()
            for t in threads:
                t.join()
            unexpected = [w.unexpected for w in writers if w.unexpected]
            assert not unexpected, (round_, unexpected[:3])
            # A round whose writers all failed before the kill proves nothing.
            assert sum(len(w.acked) for w in writers) >= target, (round_, target)
            acked += [tid for w in writers for tid in w.acked]
            cut |= {w.cut for w in writers if w.cut}
            srv.start()
            check(read_accounts(srv.client()), transfers, acked, cut)
    finally:
        srv.stop()
