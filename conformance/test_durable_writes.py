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


def write_concurrently_then_kill(srv, writes):
    """Runs writes(client, t) on THREADS threads, each with its own client,
    checks none failed, then SIGKILLs the server and starts it again: every
    answer came after its write was synced, so a kill loses none. Returns a
    client of the restarted server."""
    failures = []

    def writer(t):
        try:
            writes(srv.client(), t)
        except Exception as e:  # noqa: BLE001 - reported below
            failures.append(repr(e))

    threads = [threading.Thread(target=writer, args=(t,)) for t in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    srv.stop(signal.SIGKILL)
    srv.start()
    return srv.client()


def test_durable_writes_are_exact_and_survive_a_kill(workdir, engine):
    srv = new_server(workdir, engine, durable=True).start()
    ddb = srv.client()
    ddb.create_table(TableName="ledger", KeySchema=KEY, AttributeDefinitions=DEFS,
                     BillingMode="PAY_PER_REQUEST")
    _, _, body = call(srv, "DescribeTable", {"TableName": "ledger"})
    assert json.loads(body)["Table"]["JormunEngine"]["Durable"] is True

    def writes(client, t):
        for i in range(WRITES):
            client.put_item(TableName="ledger",
                            Item={"pk": {"S": f"p{t}-{i}"}, "n": {"N": str(i)}})
            client.update_item(TableName="ledger", Key={"pk": {"S": "counter"}},
                               UpdateExpression="ADD c :one",
                               ExpressionAttributeValues={":one": {"N": "1"}})
        client.delete_item(TableName="ledger", Key={"pk": {"S": f"p{t}-0"}})
        client.batch_write_item(RequestItems={"ledger": [
            {"PutRequest": {"Item": {"pk": {"S": f"b{t}-{j}"}}}} for j in range(5)]})

    ddb = write_concurrently_then_kill(srv, writes)
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


def test_durable_partiql_writes_are_exact_and_survive_a_kill(workdir, engine):
    """PartiQL writes to durable tables take the commit threads' path as the
    JSON API's do (ExecuteStatement, BatchExecuteStatement, and
    ExecuteTransaction over two tables)."""
    srv = new_server(workdir, engine, durable=True).start()
    ddb = srv.client()
    for name in ("qlmain", "qlother"):
        ddb.create_table(TableName=name, KeySchema=KEY, AttributeDefinitions=DEFS,
                         BillingMode="PAY_PER_REQUEST")
    ddb.execute_statement(Statement="INSERT INTO \"qlmain\" VALUE {'pk': 'counter', 'c': 0}")
    def writes(client, t):
        for i in range(WRITES):
            client.execute_statement(Statement="INSERT INTO \"qlmain\" VALUE {'pk': ?}",
                                     Parameters=[{"S": f"p{t}-{i}"}])
            client.execute_statement(
                Statement="UPDATE \"qlmain\" SET c = c + 1 WHERE pk = 'counter'")
        client.batch_execute_statement(Statements=[
            {"Statement": "INSERT INTO \"qlmain\" VALUE {'pk': ?}",
             "Parameters": [{"S": f"b{t}-{j}"}]} for j in range(5)])
        client.execute_transaction(TransactStatements=[
            {"Statement": "INSERT INTO \"qlmain\" VALUE {'pk': ?}",
             "Parameters": [{"S": f"x{t}"}]},
            {"Statement": "INSERT INTO \"qlother\" VALUE {'pk': ?}",
             "Parameters": [{"S": f"x{t}"}]}])
        client.execute_statement(Statement="DELETE FROM \"qlmain\" WHERE pk = ?",
                                 Parameters=[{"S": f"p{t}-0"}])

    ddb = write_concurrently_then_kill(srv, writes)
    counter = ddb.get_item(TableName="qlmain", Key={"pk": {"S": "counter"}})["Item"]
    assert counter["c"]["N"] == str(THREADS * WRITES)
    keys = {i["pk"]["S"] for i in ddb.scan(TableName="qlmain")["Items"]}
    expected = {"counter"}
    for t in range(THREADS):
        expected |= {f"p{t}-{i}" for i in range(1, WRITES)}
        expected |= {f"b{t}-{j}" for j in range(5)} | {f"x{t}"}
    assert keys == expected
    assert {i["pk"]["S"] for i in ddb.scan(TableName="qlother")["Items"]} == {
        f"x{t}" for t in range(THREADS)}
    srv.stop()
