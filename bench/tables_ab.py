#!/usr/bin/env python3
"""Two builds compared on many tables (issue 17, target 3): loads N tables of
10 items once (with --new), then starts --old and --new in turn on that data
directory, --rounds times each, interleaved; each run touches every table once,
then measures GetItem (PutItem with --put) on one table and over random
tables (as tables_bench.py) and the server's CPU time per request (user +
system, from /proc), which a busy machine disturbs less than the rates; with
the restart to the first answer and the RSS once every table was used. One
line per run.

  tables_ab.py --old /tmp/old/bin/jormundb --new build/bin/jormundb \\
      --engine sqlite --tables 2500 --seconds 5 --rounds 3 [--workdir DIR] [--put]

--workdir reuses a data directory loaded by an earlier run (kept at the end).
"""
import argparse
import os
import tempfile
import time

from tables_bench import get_rate, load_tables, open_files, rss_mb, start
from conftest import make_client, write_config  # noqa: E402 (tables_bench's path)


def cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def load(binary, work, engine, names):
    write_config(os.path.join(work, "c.yaml"), engine)
    proc, port, _ = start(binary, os.path.join(work, "c.yaml"), os.path.join(work, "data"),
                          os.path.join(work, "log.load"))
    load_tables(f"http://127.0.0.1:{port}", names)
    proc.terminate()
    proc.wait()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--old", required=True)
    ap.add_argument("--new", required=True)
    ap.add_argument("--engine", default="sqlite")
    ap.add_argument("--tables", type=int, default=2500)
    ap.add_argument("--seconds", type=float, default=5)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--workdir")
    ap.add_argument("--put", action="store_true",
                    help="PutItem (an item as loaded) instead of GetItem")
    a = ap.parse_args()
    names = [f"bench_{i:05d}" for i in range(a.tables)]
    work = a.workdir or tempfile.mkdtemp(prefix="jormun-tables-ab-")
    if not a.workdir:
        load(a.new, work, a.engine, names)
    print("data in", work, flush=True)
    for r in range(a.rounds):
        for name in (["old", "new"] if r % 2 == 0 else ["new", "old"]):
            # A log of its own: start() takes the first port a log names.
            log = os.path.join(work, f"log.{name}.{r}.{time.time()}")
            proc, port, t0 = start(getattr(a, name), os.path.join(work, "c.yaml"),
                                   os.path.join(work, "data"), log)
            ep = f"http://127.0.0.1:{port}"
            c = make_client(ep)
            for n in names:
                c.get_item(TableName=n, Key={"pk": {"S": "k1"}})
                if n == names[0]:
                    restart = time.time() - t0
            rss = rss_mb(proc.pid)
            c0 = cpu_seconds(proc.pid)
            one = get_rate(ep, names[:1], a.seconds, put=a.put)
            c1 = cpu_seconds(proc.pid)
            spread = get_rate(ep, names, a.seconds, put=a.put)
            c2 = cpu_seconds(proc.pid)
            print(f"{name} round={r} one={one:.0f}/s random={spread:.0f}/s "
                  f"ratio={spread / one:.2f} "
                  f"cpu_us_one={1e6 * (c1 - c0) / (one * a.seconds):.0f} "
                  f"cpu_us_random={1e6 * (c2 - c1) / (spread * a.seconds):.0f} "
                  f"files={open_files(proc.pid)} restart={restart:.2f}s "
                  f"rss_after_every_table={rss:.0f}MB", flush=True)
            proc.terminate()
            proc.wait()


if __name__ == "__main__":
    main()
