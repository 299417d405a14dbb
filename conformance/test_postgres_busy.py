"""The postgres engine when its database is busy: a request that waits on a
lock past the engine's statement_timeout_ms is answered DynamoDB's
throttling error (HTTP 400 ThrottlingException, which SDKs retry), not a
500, and the same request succeeds once the lock is gone.

The lock is taken by psql on the session's throwaway PostgreSQL
(conftest.py): every keyspace table of the engine's schema, locked
ACCESS EXCLUSIVE for a few seconds."""
import os
import subprocess
import time

import pytest
from botocore.exceptions import ClientError

from conftest import Server, create_hash_table, error_of

pytestmark = pytest.mark.postgres

LOCK_ALL = """
BEGIN;
SELECT string_agg(format('%I.%I', 'busytest', convert_from(relname, 'UTF8')), ', ')
  AS tables FROM busytest.jormun_keyspaces \\gset
LOCK TABLE :tables IN ACCESS EXCLUSIVE MODE;
SELECT 'locked';
SELECT pg_sleep(4);
COMMIT;
"""


@pytest.fixture
def srv(workdir):
    data = os.path.join(workdir, "data-busy")
    cfg = os.path.join(workdir, "config-busy.yaml")
    with open(cfg, "w") as f:
        f.write("engines:\n  postgres:\n    plugin: postgres\n    options:\n"
                "      schema: busytest\n      statement_timeout_ms: \"300\"\n"
                "tables:\n  default: postgres\n")
    s = Server(data, cfg).start()
    yield s
    s.stop()


def test_a_lock_timeout_is_throttling_and_passes(srv):
    ddb = srv.client()
    create_hash_table(ddb, "busy")
    ddb.put_item(TableName="busy", Item={"pk": {"S": "k"}})
    locker = subprocess.Popen(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-At",
                               os.environ["JORMUN_PG_CONNINFO"]],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    locker.stdin.write(LOCK_ALL)
    locker.stdin.close()
    assert locker.stdout.readline().strip() == "locked"
    try:
        with pytest.raises(ClientError) as excinfo:
            ddb.get_item(TableName="busy", Key={"pk": {"S": "k"}})
        assert error_of(excinfo) == ("ThrottlingException",
                                     "Rate of requests exceeds the allowed throughput.")
        assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    finally:
        locker.wait(timeout=30)
    assert srv.proc.poll() is None
    assert ddb.get_item(TableName="busy", Key={"pk": {"S": "k"}})["Item"]
