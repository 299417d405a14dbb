"""Many tables per server (issue 17): more tables than the process may hold
open files, each used, written, restarted and used again. Idle tables' engine
instances are closed and reopened on demand (storage/instance_pool.h)."""
import random
import resource

from conftest import create_hash_table, new_server

TABLES = 300
DESCRIPTOR_LIMIT = 256


def low_descriptor_limit():
    # Hard as well as soft: the server raises its soft limit to the hard one.
    resource.setrlimit(resource.RLIMIT_NOFILE, (DESCRIPTOR_LIMIT, DESCRIPTOR_LIMIT))


def open_files(srv):
    import os
    return len(os.listdir(f"/proc/{srv.proc.pid}/fd"))


def test_300_tables_under_a_low_open_file_limit(workdir, engine):
    srv = new_server(workdir, engine)
    srv.preexec_fn = low_descriptor_limit
    srv.start()
    try:
        ddb = srv.client()
        names = [f"many_{i:03d}" for i in range(TABLES)]
        for name in names:
            create_hash_table(ddb, name)
            ddb.put_item(TableName=name, Item={"pk": {"S": "a"}, "t": {"S": name}})
        assert open_files(srv) < DESCRIPTOR_LIMIT
        # Every table again, in another order: each closed one reopens.
        order = names[:]
        random.Random(17).shuffle(order)
        for name in order:
            got = ddb.get_item(TableName=name, Key={"pk": {"S": "a"}}, ConsistentRead=True)
            assert got["Item"]["t"]["S"] == name
            ddb.update_item(TableName=name, Key={"pk": {"S": "b"}},
                            UpdateExpression="SET n = :n",
                            ExpressionAttributeValues={":n": {"N": "1"}})
        # A transaction over tables most of which are closed.
        # Two: every table of a transaction is open at once, and an SQLite
        # table holds ~86 descriptors of the 256.
        picked = order[:2]
        ddb.transact_write_items(TransactItems=[
            {"Put": {"TableName": n, "Item": {"pk": {"S": "tx"}}}} for n in picked],
            ClientRequestToken="many-tables-token")
        described = ddb.describe_table(TableName=names[0])["Table"]
        assert described["TableStatus"] == "ACTIVE"
        assert len(ddb.list_tables(Limit=100)["TableNames"]) == 100
        srv.stop()
        srv.start()
        ddb = srv.client()
        for name in reversed(names):
            scan = ddb.scan(TableName=name, ConsistentRead=True)["Items"]
            keys = sorted(i["pk"]["S"] for i in scan)
            assert keys == (["a", "b", "tx"] if name in picked else ["a", "b"]), name
        # The same token and request after the restart answers as the first.
        ddb.transact_write_items(TransactItems=[
            {"Put": {"TableName": n, "Item": {"pk": {"S": "tx"}}}} for n in picked],
            ClientRequestToken="many-tables-token")
        assert open_files(srv) < DESCRIPTOR_LIMIT
        for name in names[:10]:
            ddb.delete_table(TableName=name)
        assert srv.proc.poll() is None
    finally:
        srv.stop()
