"""Time to Live on read replicas (docs/replication.md): a follower deletes
nothing itself (the primary's deletions arrive in its log); once promoted,
it sweeps expired items like any primary, without a restart."""
import signal
import time

import pytest

from conftest import create_table_with_gsi as create
from raw_http import call
from replication_servers import follower_server, primary_server, stop_all, wait_caught_up

pytestmark = pytest.mark.once

# A promoted follower sweeps every second; this is only how long the test
# waits before failing.
SWEEP_WAIT_SECONDS = 30


def test_a_promoted_follower_sweeps_expired_items(workdir):
    # The primary sweeps at its start, then once a day: none of the items
    # below is deleted by it.
    p = primary_server(workdir, extra="ttl:\n  sweep_interval_seconds: 86400\n").start()
    f = None
    try:
        pddb = p.client()
        create(pddb, "items")
        pddb.update_time_to_live(TableName="items", TimeToLiveSpecification={
            "Enabled": True, "AttributeName": "expires"})
        past = str(int(time.time()) - 3600)
        for i in range(5):
            pddb.put_item(TableName="items", Item={"pk": {"S": f"old{i}"}, "g": {"S": "x"},
                                                   "expires": {"N": past}})
        pddb.put_item(TableName="items", Item={"pk": {"S": "kept"}, "g": {"S": "x"}})
        f = follower_server(workdir, "lmdb", p)
        with open(f.config_path, "a") as cfg:
            cfg.write("ttl:\n  sweep_interval_seconds: 1\n")
        f.start()
        wait_caught_up(p, f, ["items"])
        time.sleep(2)  # two of the follower's sweep intervals: it deletes nothing
        fddb = f.client()
        assert fddb.scan(TableName="items")["Count"] == 6
        p.stop(signal.SIGKILL)
        st, _, out = call(f, "JormunPromote", {})
        assert st == 200, out
        deadline = time.time() + SWEEP_WAIT_SECONDS
        while fddb.scan(TableName="items")["Count"] > 1 and time.time() < deadline:
            time.sleep(0.2)
        items = fddb.scan(TableName="items")["Items"]
        assert [it["pk"]["S"] for it in items] == ["kept"]
    finally:
        stop_all(*(s for s in (f, p) if s))
