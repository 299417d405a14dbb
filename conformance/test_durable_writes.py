"""Tables on an engine declared `durable: true`: writes go through the
server's commit threads and group commit. Concurrent writers of every write
operation get exact results, and nothing acknowledged is lost when the
process is killed."""
import json
import signal
import threading

from conftest import new_server
from raw_http import call

KEY = [{"AttributeName": "pk", "KeyType": "HASH"}]
DEFS = [{"AttributeName": "pk", "AttributeType": "S"}]
THREADS = 8
WRITES = 20


def test_durable_writes_are_exact_and_survive_a_kill(workdir, engine):
    srv = new_server(workdir, engine, durable=True).start()
    ddb = srv.client()
    ddb.create_table(TableName="ledger", KeySchema=KEY, AttributeDefinitions=DEFS,
                     BillingMode="PAY_PER_REQUEST")
    _, _, body = call(srv, "DescribeTable", {"TableName": "ledger"})
    assert json.loads(body)["Table"]["JormunEngine"]["Durable"] is True

    failures = []

    def writer(t):
        client = srv.client()
        try:
            for i in range(WRITES):
                client.put_item(TableName="ledger",
                                Item={"pk": {"S": f"p{t}-{i}"}, "n": {"N": str(i)}})
                client.update_item(TableName="ledger", Key={"pk": {"S": "counter"}},
                                   UpdateExpression="ADD c :one",
                                   ExpressionAttributeValues={":one": {"N": "1"}})
            client.delete_item(TableName="ledger", Key={"pk": {"S": f"p{t}-0"}})
            client.batch_write_item(RequestItems={"ledger": [
                {"PutRequest": {"Item": {"pk": {"S": f"b{t}-{j}"}}}} for j in range(5)]})
        except Exception as e:  # noqa: BLE001 - reported below
            failures.append(repr(e))

    threads = [threading.Thread(target=writer, args=(t,)) for t in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []

    # Every answer above came after its write was synced: a kill loses none.
    srv.stop(signal.SIGKILL)
    srv.start()
    ddb = srv.client()
    counter = ddb.get_item(TableName="ledger", Key={"pk": {"S": "counter"}})["Item"]
    assert counter["c"]["N"] == str(THREADS * WRITES)
    keys = set()
    kwargs = {"TableName": "ledger"}
    while True:
        page = ddb.scan(**kwargs)
        keys |= {item["pk"]["S"] for item in page["Items"]}
        if "LastEvaluatedKey" not in page:
            break
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    expected = {"counter"}
    for t in range(THREADS):
        expected |= {f"p{t}-{i}" for i in range(1, WRITES)}
        expected |= {f"b{t}-{j}" for j in range(5)}
    assert keys == expected
    srv.stop()
