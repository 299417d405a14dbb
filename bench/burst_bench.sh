#!/usr/bin/env bash
# Reads right after a write burst (issue 17, target 7), on RocksDB: each
# round measures GetItem at rest (the server quiet, compactions done), then
# runs BENCH_BURST_SECONDS of PutItem at BENCH_CONNECTIONS connections over
# the same keys and measures GetItem straight after it, without waiting for
# the flushes and compactions the burst left. Prints each run and the
# medians, and the ratio the target is about (after the burst / at rest).
# bench/run.sh calls it when BENCH_BURST=1.
#
# Environment: BUILD (default build-release), BENCH_SECONDS (10, each GetItem
# run), BENCH_BURST_SECONDS (10), BENCH_CONNECTIONS (64), BENCH_KEYS
# (100000), BENCH_REPEATS (3).
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=$(cd "$ROOT/${BUILD:-build-release}/bin" && pwd)
SECS=${BENCH_SECONDS:-10}
BURST=${BENCH_BURST_SECONDS:-10}
CONNS=${BENCH_CONNECTIONS:-64}
KEYS=${BENCH_KEYS:-100000}
REPEATS=${BENCH_REPEATS:-3}
WORK=$(mktemp -d /tmp/jormun-burst-bench.XXXXXX)
RESULTS=$WORK/results.jsonl
SERVER_PID="" PORT=""

source "$ROOT/bench/server_control.sh"
trap 'stop_server; rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM

for tool in jormundb jormun-bench; do
  [ -x "$BIN/$tool" ] || { echo "burst_bench.sh: $BIN/$tool is missing; build first" >&2; exit 1; }
done

printf 'engines:\n  rocksdb:\n    plugin: rocksdb\ntables:\n  default: rocksdb\n' \
  >"$WORK/rocksdb.yaml"
start_server "$WORK/server.log" "$BIN/jormundb" --config "$WORK/rocksdb.yaml" \
  --port 0 --data-dir "$WORK/data" || exit 1
log "server on port $PORT: preloading $KEYS items"
"$BIN/jormun-bench" --endpoint "127.0.0.1:$PORT" --workload get --create --preload \
  --keys "$KEYS" --seconds 0 >/dev/null 2>&1 || { echo "preload failed" >&2; exit 1; }

# run LABEL SECONDS ARGS...: bench_rate on the server; a run with errors
# ends the benchmark.
run() {
  bench_rate "$1" "$PORT" "${@:2}" || { echo "burst_bench.sh: $1 had errors" >&2; exit 1; }
}

for round in $(seq 1 "$REPEATS"); do
  wait_quiet 120
  run "GetItem at rest" "$SECS" --workload get
  run "PutItem burst" "$BURST" --workload put
  run "GetItem after the burst" "$SECS" --workload get
done

/usr/bin/python3 - "$RESULTS" <<'PY'
import json, statistics, sys
runs = [json.loads(l) for l in open(sys.argv[1])]
def median(label):
    return statistics.median(r["throughput"] for r in runs if r["label"] == label)
rest, after = median("GetItem at rest"), median("GetItem after the burst")
print(f"medians: GetItem at rest {rest:.0f}/s, after the burst {after:.0f}/s "
      f"({after / rest:.0%}); PutItem burst {median('PutItem burst'):.0f}/s")
PY
