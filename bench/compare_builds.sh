#!/usr/bin/env bash
# Compares two builds of jormundb on RocksDB in one session, to tell a change
# from the machine's drift: GetItem, PutItem and UpdateItem ADD (or the
# jormun-bench workloads BENCH_WORKLOADS names), each build in turn on a
# fresh data directory, BENCH_REPEATS rounds; prints the median throughput of
# each workload per build. The load generator is the second
# build's for both, so both get the same requests.
#
#   bench/compare_builds.sh OLD_BIN_DIR NEW_BIN_DIR
#
# Environment: BENCH_WORKLOADS, BENCH_SECONDS (default 10), BENCH_REPEATS (3), BENCH_KEYS
# (100000), BENCH_CONNECTIONS (64), BENCH_RESULTS (JSON lines kept; default a
# temporary file). Exits non-zero if a run had errors or wrong answers.
set -uo pipefail

[ $# = 2 ] || { echo "usage: $0 OLD_BIN_DIR NEW_BIN_DIR" >&2; exit 64; }
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OLD=$(cd "$1" && pwd)
NEW=$(cd "$2" && pwd)
SECS=${BENCH_SECONDS:-10}
REPEATS=${BENCH_REPEATS:-3}
KEYS=${BENCH_KEYS:-100000}
WORKLOADS=${BENCH_WORKLOADS:-get put update}
CONNS=${BENCH_CONNECTIONS:-64}
WORK=$(mktemp -d /tmp/jormun-compare.XXXXXX)
RESULTS=${BENCH_RESULTS:-$WORK/results.jsonl}
SERVER_PID=""
PORT=""
FAILED=0

source "$ROOT/bench/server_control.sh"
trap 'stop_server; rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM

cat >"$WORK/rocksdb.yaml" <<EOF
engines:
  rocksdb:
    plugin: rocksdb
tables:
  default: rocksdb
  rules: []
EOF

bench() {
  wait_quiet
  "$NEW/jormun-bench" --endpoint "127.0.0.1:$PORT" --json-out "$RESULTS" \
    --connections "$CONNS" --seconds "$SECS" --keys "$KEYS" "$@" >/dev/null ||
    { log "$*: FAILED"; FAILED=1; }
}

for round in $(seq 1 "$REPEATS"); do
  for build in old new; do
    bin=$OLD
    [ $build = new ] && bin=$NEW
    log "round $round: $build ($bin)"
    rm -rf "$WORK/data"
    start_server "$WORK/$build.log" "$bin/jormundb" --config "$WORK/rocksdb.yaml" --port 0 \
      --data-dir "$WORK/data" --host 127.0.0.1 || exit 1
    bench --label "$build|get" --workload get --create --preload --seconds 0
    for workload in $WORKLOADS; do bench --label "$build|$workload" --workload $workload; done
    stop_server
  done
done

/usr/bin/python3 - "$RESULTS" $WORKLOADS <<'EOF'
import json, statistics, sys
runs = {}
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r["workload"] != "preload":
        runs.setdefault(r["label"], []).append(r["throughput"])
print("| workload | old ops/s (runs) | new ops/s (runs) | new / old |")
print("|---|--:|--:|--:|")
for workload in sys.argv[2:]:
    old, new = runs.get(f"old|{workload}", []), runs.get(f"new|{workload}", [])
    if not old or not new:
        continue
    a, b = statistics.median(old), statistics.median(new)
    each = lambda xs: ", ".join(f"{x:,.0f}" for x in xs)
    print(f"| {workload} | {a:,.0f} ({each(old)}) | {b:,.0f} ({each(new)}) | {b / a:.2f} |")
EOF
exit "$FAILED"
