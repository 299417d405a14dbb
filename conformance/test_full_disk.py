"""A full disk, on every engine: writes are refused with a 500 that says so,
reads go on, writes resume by themselves once space is freed, and after a
restart every acknowledged write is there.

The data directory lives on a small tmpfs of its own (the tests run as
root). A ballast file takes part of it first; deleting it is the operator
freeing space.
"""
import base64
import os
import signal
import subprocess
import time
import uuid

import pytest
from botocore.exceptions import ClientError

from conftest import Server, create_hash_table

# RocksDB takes writes again only once the disk has room for a memtable
# flush (its SstFileManager's reserve: write_buffer_mb, 64 MB by default),
# so the ballast, the space freed, is larger than that.
TMPFS_MB = 80
BALLAST_MB = 72
VALUE_BYTES = 16 * 1024
TABLE = "full"


def write_config(path, engine):
    lines = ["engines:", f"  {engine}:", f"    plugin: {engine}",
             "tables:", f"  default: {engine}", "  rules: []"]
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


@pytest.fixture
def small_disk(workdir):
    mount = os.path.join(workdir, "tmpfs-" + uuid.uuid4().hex[:8])
    os.mkdir(mount)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={TMPFS_MB}m", "tmpfs", mount],
                   check=True)
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", mount], check=False)
        os.rmdir(mount)


def put(ddb, i):
    # Random bytes in base64: no engine compresses them away.
    value = base64.b64encode(os.urandom(VALUE_BYTES * 3 // 4)).decode()
    ddb.put_item(TableName=TABLE, Item={"pk": {"S": f"k{i:05}"}, "v": {"S": value}})
    return value


def test_full_disk_refuses_writes_serves_reads_and_recovers(workdir, engine, small_disk):
    if engine == "postgres":
        pytest.skip("the postgres engine keeps its data in the database, not on this disk")
    with open(os.path.join(small_disk, "ballast"), "wb") as f:
        f.write(os.urandom(BALLAST_MB << 20))
    config = os.path.join(workdir, f"config-full-{engine}.yaml")
    write_config(config, engine)
    srv = Server(os.path.join(small_disk, "data"), config)
    srv.log_path = os.path.join(workdir, f"full-disk-{engine}-{uuid.uuid4().hex[:6]}.log")
    srv.start()
    try:
        ddb = srv.client()
        create_hash_table(ddb, TABLE)
        acked = {}

        # Fill until refused.
        refusal = None
        for i in range(TMPFS_MB * 1024 * 1024 // VALUE_BYTES * 2):
            try:
                acked[i] = put(ddb, i)
            except ClientError as e:
                refusal = e.response
                break
        assert refusal is not None, "the disk never filled"
        assert refusal["ResponseMetadata"]["HTTPStatusCode"] == 500
        assert refusal["Error"]["Code"] == "InternalServerError"
        assert "disk full" in refusal["Error"]["Message"]
        assert len(acked) > 10
        with open(srv.log_path) as f:
            log = f.read()
        assert "disk full" in log
        if engine == "rocksdb":
            # RocksDB reports the failure through the host's services: the
            # server's log names it, in the server's own line form.
            assert "engine background error" in log and "rocksdb" in log

        # Still refused, and reads still served.
        with pytest.raises(ClientError) as again:
            put(ddb, len(acked))
        assert again.value.response["Error"]["Code"] == "InternalServerError"
        some = min(acked)
        got = ddb.get_item(TableName=TABLE, Key={"pk": {"S": f"k{some:05}"}})["Item"]
        assert got["v"]["S"] == acked[some]
        last = max(acked)
        items = ddb.query(TableName=TABLE, KeyConditionExpression="pk = :k",
                          ExpressionAttributeValues={":k": {"S": f"k{last:05}"}})["Items"]
        assert [it["v"]["S"] for it in items] == [acked[last]]

        # Freeing space lets writes resume without a restart. The engine may
        # take a moment to notice; a client retries, as an SDK does on 500.
        os.remove(os.path.join(small_disk, "ballast"))
        next_i = max(acked) + 1
        deadline = time.time() + 30
        while True:
            try:
                acked[next_i] = put(ddb, next_i)
                break
            except ClientError as e:
                assert e.response["Error"]["Code"] == "InternalServerError"
                assert time.time() < deadline, "writes never resumed after freeing space"
                time.sleep(0.2)
        for i in range(next_i + 1, next_i + 5):
            acked[i] = put(ddb, i)

        # Every acknowledged write survives a restart.
        srv.stop(signal.SIGTERM)
        srv.start()
        ddb = srv.client()
        for i, value in acked.items():
            item = ddb.get_item(TableName=TABLE, Key={"pk": {"S": f"k{i:05}"}}).get("Item")
            assert item is not None, f"acknowledged item k{i:05} lost"
            assert item["v"]["S"] == value
        acked[max(acked) + 1] = put(ddb, max(acked) + 1)
    finally:
        srv.stop()
