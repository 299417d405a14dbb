#!/usr/bin/env python3
"""Many tables per server (issue 17, target 3): creates N tables of 10 items
on one engine, then reports the server's RSS, open files and disk, the time
from a restart to the first answer, RSS and open files after using every
table once, and GetItem per second over random tables against GetItem on one
table. The client is Python (boto3, a few threads), so the GetItem figures are
the client's as much as the server's; their ratio is what the target names.

  tables_bench.py --binary build/bin/jormundb --engine rocksdb --tables 300
"""
import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "conformance"))
from conftest import create_hash_table, make_client, write_config  # noqa: E402


LOADERS = 4


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0


def open_files(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


def disk_mb(path):
    out = subprocess.run(["du", "-sk", path], capture_output=True, text=True).stdout
    return int(out.split()[0]) / 1024


def start(binary, cfg, data, log):
    t0 = time.time()
    proc = subprocess.Popen([binary, "--config", cfg, "--port", "0", "--data-dir", data,
                             "--host", "127.0.0.1"], stdout=open(log, "a"),
                            stderr=subprocess.STDOUT)
    port = None
    while port is None:
        if proc.poll() is not None:
            raise RuntimeError(open(log).read())
        for line in open(log):
            if "listening on 127.0.0.1:" in line:
                port = int(re.search(r"listening on 127\.0\.0\.1:(\d+)", line).group(1))
        time.sleep(0.005)
    return proc, port, t0


def get_rate(endpoint, names, seconds, threads=4, put=False):
    """GetItem (or, with `put`, PutItem of an item as loaded) per second
    over random tables of `names`."""
    count = [0] * threads
    clients = [make_client(endpoint) for _ in range(threads)]  # see LOADERS
    stop = time.time() + seconds

    def run(i):
        c = clients[i]
        rng = random.Random(i)
        while time.time() < stop:
            table, key = rng.choice(names), {"pk": {"S": f"k{rng.randrange(10)}"}}
            if put:
                c.put_item(TableName=table, Item={**key, "v": {"S": "x" * 100}})
            else:
                c.get_item(TableName=table, Key=key)
            count[i] += 1

    ts = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return sum(count) / seconds


def load_tables(endpoint, names):
    """Creates each table of `names` with 10 items of ~100 bytes."""
    # Loaded by a few clients at once (made here: boto3 does not make
    # clients safely from several threads), as a CreateTable rewrites the
    # whole catalog and one client would wait on each in turn.
    clients = [make_client(endpoint) for _ in range(LOADERS)]

    def load(i):
        for n in names[i::LOADERS]:
            create_hash_table(clients[i], n)
            for k in range(10):
                clients[i].put_item(TableName=n,
                                    Item={"pk": {"S": f"k{k}"}, "v": {"S": "x" * 100}})

    loaders = [threading.Thread(target=load, args=(i,)) for i in range(LOADERS)]
    for th in loaders:
        th.start()
    for th in loaders:
        th.join()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default="build/bin/jormundb")
    ap.add_argument("--engine", default="rocksdb")
    ap.add_argument("--tables", type=int, default=300)
    ap.add_argument("--seconds", type=float, default=10)
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="jormun-tables-bench-")
    cfg, data, log = (os.path.join(work, n) for n in ("c.yaml", "data", "log"))
    write_config(cfg, a.engine)
    proc, port, _ = start(a.binary, cfg, data, log)
    ep = f"http://127.0.0.1:{port}"
    names = [f"bench_{i:05d}" for i in range(a.tables)]
    t = time.time()
    load_tables(ep, names)
    load_s = time.time() - t
    r = {"engine": a.engine, "tables": a.tables, "load_s": load_s,
         "rss_loaded_mb": rss_mb(proc.pid), "files_loaded": open_files(proc.pid)}
    proc.terminate()
    proc.wait()
    r["disk_mb"] = disk_mb(data)
    proc, port, t0 = start(a.binary, cfg, data, log + "2")
    ep = f"http://127.0.0.1:{port}"
    c = make_client(ep)
    c.get_item(TableName=random.choice(names), Key={"pk": {"S": "k1"}})
    r["restart_s"] = time.time() - t0
    r["rss_restart_mb"] = rss_mb(proc.pid)
    for n in names:
        c.get_item(TableName=n, Key={"pk": {"S": "k1"}})
    r["rss_all_used_mb"] = rss_mb(proc.pid)
    r["files_all_used"] = open_files(proc.pid)
    r["get_one_table_per_s"] = get_rate(ep, names[:1], a.seconds)
    r["get_random_tables_per_s"] = get_rate(ep, names, a.seconds)
    r["ratio"] = r["get_random_tables_per_s"] / r["get_one_table_per_s"]
    r["rss_end_mb"] = rss_mb(proc.pid)
    r["files_end"] = open_files(proc.pid)
    proc.terminate()
    proc.wait()
    shutil.rmtree(work, ignore_errors=True)
    print(" ".join(f"{k}={v:.2f}" if isinstance(v, float) else f"{k}={v}"
                   for k, v in r.items()))


if __name__ == "__main__":
    main()
