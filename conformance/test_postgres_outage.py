"""The postgres engine when its database goes away: requests on its tables
get 500 InternalServerError (the server keeps serving, and tables on other
engines are not affected), and once the database is back the same server
answers again by itself, with every acknowledged write there.

The database is the session's throwaway PostgreSQL (conftest.py), stopped
and started again by PID through scripts/postgres.sh; it comes back on the
same data and port.
"""
import os
import subprocess
import time

import pytest
from botocore.exceptions import ClientError

from conftest import PG_SCRIPT, create_hash_table, error_of, new_server

pytestmark = pytest.mark.postgres


def pg(command):
    pg_dir = os.environ.get("JORMUN_PG_DIR")
    if not pg_dir:
        pytest.skip("the PostgreSQL was not started by this session")
    subprocess.run(["bash", PG_SCRIPT, command, pg_dir], check=True, capture_output=True)


@pytest.fixture
def srv(workdir):
    s = new_server(workdir, "postgres", rules=[("local_*", "rocksdb")]).start()
    yield s
    s.stop()  # also when the test failed: no server outlives the session


def test_database_down_gives_500_and_recovery_follows(srv):
    ddb = srv.client()
    create_hash_table(ddb, "pg_outage")
    create_hash_table(ddb, "local_outage")
    for i in range(20):
        ddb.put_item(TableName="pg_outage", Item={"pk": {"S": f"k{i}"}, "n": {"N": str(i)}})
    pg("stop")
    try:
        for call in (lambda: ddb.get_item(TableName="pg_outage", Key={"pk": {"S": "k1"}}),
                     lambda: ddb.put_item(TableName="pg_outage", Item={"pk": {"S": "x"}}),
                     lambda: ddb.scan(TableName="pg_outage")):
            with pytest.raises(ClientError) as excinfo:
                call()
            assert error_of(excinfo)[0] == "InternalServerError"
            assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500
        # The server serves on: its own catalog, and tables on other engines.
        # (DescribeTable would not: it counts the table's items by a scan.)
        assert "pg_outage" in ddb.list_tables()["TableNames"]
        ddb.put_item(TableName="local_outage", Item={"pk": {"S": "a"}})
        assert srv.proc.poll() is None
    finally:
        pg("start")
    # Back by itself: the pool drops the connections that died and connects
    # afresh. A few attempts, as a client retrying a 500 would.
    deadline = time.time() + 30
    while True:
        try:
            item = ddb.get_item(TableName="pg_outage", Key={"pk": {"S": "k7"}}, ConsistentRead=True)
            break
        except ClientError:
            if time.time() > deadline:
                raise
            time.sleep(0.2)
    assert item["Item"]["n"] == {"N": "7"}
    ddb.put_item(TableName="pg_outage", Item={"pk": {"S": "after"}})
    items = ddb.scan(TableName="pg_outage", ConsistentRead=True)["Items"]
    assert len(items) == 21
