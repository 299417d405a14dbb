"""Transactions racing each other and single-item writes on the same items:
no update is lost, no request hangs, and every refusal is one DynamoDB gives
for a conflict or a failed condition. Also: TransactGetItems never sees half
of a transaction."""
import random
import threading

from botocore.exceptions import ClientError

from conftest import make_client
from transact import get, update

ACCOUNTS = [f"acct{i}" for i in range(4)]
OPENING = 100
MOVERS = 6
MOVES = 40
ADDERS = 2
ADDS = 60
# Generous: a request that takes this long has hung.
TIMEOUT = 60


def k(name):
    return {"pk": {"S": name}}


def client(server):
    return make_client(server.endpoint, timeout=TIMEOUT)


class Outcomes:
    """What the threads saw: acknowledged single ADDs and every refusal
    that is not one DynamoDB gives for a conflict or a failed condition."""

    def __init__(self):
        self.lock = threading.Lock()
        self.added = 0
        self.moved = 0
        self.unexpected = []

    def refusal(self, error, allowed_codes):
        """Records `error` unless it is an allowed answer."""
        if isinstance(error, ClientError):
            response = error.response
            code = response["Error"]["Code"]
            if code == "TransactionConflictException" and "TransactionConflict" in allowed_codes:
                return
            if code == "TransactionCanceledException":
                codes = {r["Code"] for r in response.get("CancellationReasons", [])} - {"None"}
                if codes and codes <= allowed_codes:
                    return
        with self.lock:
            self.unexpected.append(repr(error))


def run(threads):
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def test_transfers_and_single_adds_lose_nothing(server, hash_table):
    ddb = client(server)
    for name in ACCOUNTS:
        ddb.put_item(TableName=hash_table, Item={**k(name), "bal": {"N": str(OPENING)}})
    outcomes = Outcomes()

    def mover(seed):
        rng, c = random.Random(seed), client(server)
        for _ in range(MOVES):
            src, dst = rng.sample(ACCOUNTS, 2)
            amount = {":a": {"N": str(rng.randrange(1, 60))}}
            try:
                c.transact_write_items(TransactItems=[
                    update(hash_table, k(src), "SET bal = bal - :a",
                           ConditionExpression="bal >= :a", ExpressionAttributeValues=amount),
                    update(hash_table, k(dst), "SET bal = bal + :a",
                           ExpressionAttributeValues=amount)])
                with outcomes.lock:
                    outcomes.moved += 1
            except Exception as e:  # noqa: BLE001 - judged by Outcomes
                outcomes.refusal(e, {"TransactionConflict", "ConditionalCheckFailed"})

    def adder(seed):
        rng, c = random.Random(seed), client(server)
        for _ in range(ADDS):
            try:
                c.update_item(TableName=hash_table, Key=k(rng.choice(ACCOUNTS)),
                              UpdateExpression="ADD bal :one",
                              ExpressionAttributeValues={":one": {"N": "1"}})
                with outcomes.lock:
                    outcomes.added += 1
            except Exception as e:  # noqa: BLE001 - judged by Outcomes
                outcomes.refusal(e, {"TransactionConflict"})

    run([threading.Thread(target=mover, args=(n,)) for n in range(MOVERS)]
        + [threading.Thread(target=adder, args=(100 + n,)) for n in range(ADDERS)])
    assert not outcomes.unexpected, outcomes.unexpected[:5]
    # Some transfers must have gone through, or this proved nothing.
    assert outcomes.moved > 0
    balances = [int(ddb.get_item(TableName=hash_table, Key=k(n), ConsistentRead=True)
                    ["Item"]["bal"]["N"]) for n in ACCOUNTS]
    assert sum(balances) == OPENING * len(ACCOUNTS) + outcomes.added, balances
    assert min(balances) >= 0, balances


def test_transact_get_sees_whole_transactions(server, hash_table):
    ddb = client(server)
    pair = ["left", "right"]
    for name in pair:
        ddb.put_item(TableName=hash_table, Item={**k(name), "bal": {"N": str(OPENING)}})
    outcomes = Outcomes()
    done = threading.Event()
    seen = []

    def mover():
        rng, c = random.Random(7), client(server)
        try:
            for _ in range(150):
                src, dst = rng.sample(pair, 2)
                amount = {":a": {"N": str(rng.randrange(1, 20))}}
                try:
                    c.transact_write_items(TransactItems=[
                        update(hash_table, k(src), "SET bal = bal - :a",
                               ConditionExpression="bal >= :a", ExpressionAttributeValues=amount),
                        update(hash_table, k(dst), "SET bal = bal + :a",
                               ExpressionAttributeValues=amount)])
                except Exception as e:  # noqa: BLE001 - judged by Outcomes
                    outcomes.refusal(e, {"TransactionConflict", "ConditionalCheckFailed"})
        finally:
            done.set()

    def reader():
        c = client(server)
        while not done.is_set():
            try:
                out = c.transact_get_items(TransactItems=[get(hash_table, k(n)) for n in pair])
            except Exception as e:  # noqa: BLE001 - judged by Outcomes
                outcomes.refusal(e, {"TransactionConflict"})
                continue
            seen.append(sum(int(r["Item"]["bal"]["N"]) for r in out["Responses"]))

    run([threading.Thread(target=mover)] + [threading.Thread(target=reader) for _ in range(2)])
    assert not outcomes.unexpected, outcomes.unexpected[:5]
    assert seen, "no TransactGetItems answered"
    assert set(seen) == {2 * OPENING}
