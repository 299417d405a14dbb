"""Read-modify-write is atomic per item under concurrent clients, also against
plain writes that read nothing."""
import threading

from botocore.exceptions import ClientError

THREADS = 8
ROUNDS = 40
RACED_KEYS = 400


def run_threads(worker):
    errors = []

    def guarded(n):
        try:
            worker(n, errors)
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=guarded, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors


def test_concurrent_counters_and_conditional_puts(server, hash_table):
    wins = {}

    def worker(n, errors):
        ddb = server.client()
        for r in range(ROUNDS):
            ddb.update_item(TableName=hash_table, Key={"pk": {"S": "counter"}},
                            UpdateExpression="ADD c :one",
                            ExpressionAttributeValues={":one": {"N": "1"}})
            try:
                ddb.put_item(TableName=hash_table,
                             Item={"pk": {"S": f"slot{r}"}, "owner": {"N": str(n)}},
                             ConditionExpression="attribute_not_exists(pk)")
                if r in wins:
                    errors.append(f"slot{r} won by {wins[r]} and {n}")
                wins[r] = n
            except ClientError as e:
                if e.response["Error"]["Code"] != "ConditionalCheckFailedException":
                    raise

    run_threads(worker)
    ddb = server.client()
    got = ddb.get_item(TableName=hash_table, Key={"pk": {"S": "counter"}}, ConsistentRead=True)
    assert got["Item"]["c"] == {"N": str(THREADS * ROUNDS)}
    assert sorted(wins) == list(range(ROUNDS))
    for r, n in wins.items():
        slot = ddb.get_item(TableName=hash_table, Key={"pk": {"S": f"slot{r}"}},
                            ConsistentRead=True)["Item"]
        assert slot["owner"] == {"N": str(n)}, f"slot{r}"


def test_blind_puts_never_lost_under_racing_updates(server, hash_table):
    # Every thread walks the same keys in step, so on each key one thread's
    # unconditional put races the others' updates, which record in u<n> the
    # "v" they saw. An update ordered before the put is wiped by it; one
    # ordered after it keeps the put and saw its "v". So the final item is
    # exactly the put plus the updates that saw it: an update that read the
    # item before the put and wrote it back after would lose the put. The
    # padding makes each read and write long enough for that to happen often.
    pad = {"S": "x" * 60000}
    saw_put = {}  # key -> updater threads that saw the put
    start = threading.Barrier(THREADS)

    def worker(n, errors):
        ddb = server.client()
        for k in range(RACED_KEYS):
            key = {"pk": {"S": f"raced{k}"}}
            start.wait(timeout=60)
            if k % THREADS == n:
                ddb.put_item(TableName=hash_table, Item={**key, "v": {"S": "put"}, "pad": pad})
                continue
            out = ddb.update_item(TableName=hash_table, Key=key,
                                  UpdateExpression=f"SET u{n} = if_not_exists(v, :none)",
                                  ExpressionAttributeValues={":none": {"S": "none"}},
                                  ReturnValues="UPDATED_NEW")
            if out["Attributes"][f"u{n}"] == {"S": "put"}:
                saw_put.setdefault(k, set()).add(n)

    run_threads(worker)
    ddb = server.client()
    wrong = []
    for k in range(RACED_KEYS):
        key = {"pk": {"S": f"raced{k}"}}
        item = ddb.get_item(TableName=hash_table, Key=key, ConsistentRead=True)["Item"]
        expected = {**key, "v": {"S": "put"}, "pad": pad}
        for n in saw_put.get(k, ()):
            expected[f"u{n}"] = {"S": "put"}
        if item != expected:
            wrong.append(k)
    assert not wrong, f"{len(wrong)} of {RACED_KEYS} keys lost a write: raced{wrong[0]}, ..."
