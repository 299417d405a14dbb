"""Read-modify-write is atomic per item under concurrent clients."""
import threading

from botocore.exceptions import ClientError

THREADS = 8
ROUNDS = 40


def test_concurrent_counters_and_conditional_puts(server, hash_table):
    errors = []
    wins = []

    def worker(n):
        ddb = server.client()
        try:
            for r in range(ROUNDS):
                ddb.update_item(TableName=hash_table, Key={"pk": {"S": "counter"}},
                                UpdateExpression="ADD c :one",
                                ExpressionAttributeValues={":one": {"N": "1"}})
                try:
                    ddb.put_item(TableName=hash_table,
                                 Item={"pk": {"S": f"slot{r}"}, "owner": {"N": str(n)}},
                                 ConditionExpression="attribute_not_exists(pk)")
                    wins.append(r)
                except ClientError as e:
                    if e.response["Error"]["Code"] != "ConditionalCheckFailedException":
                        raise
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    ddb = server.client()
    got = ddb.get_item(TableName=hash_table, Key={"pk": {"S": "counter"}}, ConsistentRead=True)
    assert got["Item"]["c"] == {"N": str(THREADS * ROUNDS)}
    assert sorted(wins) == list(range(ROUNDS))
