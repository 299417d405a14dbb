#!/usr/bin/env bash
# Read replicas (issue 20): a RocksDB primary keeping a replication log and
# one follower on RocksDB, on this machine. Each round measures, in turn:
#   - GetItem on the idle follower (nothing to apply);
#   - GetItem on the follower while the standard PutItem load (jormun-bench
#     --workload put, BENCH_CONNECTIONS connections) runs on the primary and
#     the follower applies it;
#   - the replication lag under that load, as bench/replication_lag.py sees
#     it (a probe PutItem on the primary, then GetItem on the follower until
#     it is there).
# Prints each run and the medians. bench/run.sh calls it when
# BENCH_REPLICATION=1. Primary, follower and both load generators share the
# machine's cores: on a small box the follower's reads lose to the
# primary's load for CPU, not only to applying it.
#
# With BENCH_PIN=1 (the default where there are two cores or more and
# taskset exists), the primary and its PutItem load run on CPU 0, the
# follower and its GetItem load on CPU 1: the follower's core then does only
# its reads and its applying, as on a machine of its own, instead of losing
# to the primary's load whatever applying costs. BENCH_PIN=0 lets them share.
#
# Environment: BUILD (default build-release), BENCH_SECONDS (10),
# BENCH_CONNECTIONS (64), BENCH_KEYS (100000), BENCH_REPEATS (3), BENCH_PIN.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=$(cd "$ROOT/${BUILD:-build-release}/bin" && pwd)
SECS=${BENCH_SECONDS:-10}
CONNS=${BENCH_CONNECTIONS:-64}
KEYS=${BENCH_KEYS:-100000}
REPEATS=${BENCH_REPEATS:-3}
WORK=$(mktemp -d /tmp/jormun-replication-bench.XXXXXX)
RESULTS=$WORK/results.jsonl
PRIMARY_PID="" PRIMARY_PORT="" FOLLOWER_PID="" FOLLOWER_PORT=""

source "$ROOT/bench/server_control.sh"

ON_PRIMARY="" ON_FOLLOWER=""
if [ "${BENCH_PIN:-1}" = 1 ] && [ "$(nproc)" -ge 2 ] && command -v taskset >/dev/null; then
  ON_PRIMARY="taskset -c 0" ON_FOLLOWER="taskset -c 1"
fi

cleanup() {
  for pid in $FOLLOWER_PID $PRIMARY_PID; do
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for tool in jormundb jormun-bench; do
  [ -x "$BIN/$tool" ] || { echo "replication_bench.sh: $BIN/$tool is missing; build first" >&2; exit 1; }
done

# config FILE LINE: a RocksDB server's config whose replication section is
# LINE.
config() {
  printf 'engines:\n  rocksdb:\n    plugin: rocksdb\ntables:\n  default: rocksdb\nreplication:\n  %s\n' \
    "$2" >"$1"
}

config "$WORK/primary.yaml" "log: true"
start_server "$WORK/primary.log" $ON_PRIMARY "$BIN/jormundb" --config "$WORK/primary.yaml" \
  --port 0 --data-dir "$WORK/primary" || exit 1
PRIMARY_PID=$SERVER_PID PRIMARY_PORT=$PORT
log "primary on port $PRIMARY_PORT: preloading $KEYS items"
"$BIN/jormun-bench" --endpoint "127.0.0.1:$PRIMARY_PORT" --workload get --create --preload \
  --keys "$KEYS" --seconds 0 >/dev/null 2>&1 || { echo "preload failed" >&2; exit 1; }

config "$WORK/follower.yaml" "follow: http://127.0.0.1:$PRIMARY_PORT"
start_server "$WORK/follower.log" $ON_FOLLOWER "$BIN/jormundb" --config "$WORK/follower.yaml" \
  --port 0 --data-dir "$WORK/follower" || exit 1
FOLLOWER_PID=$SERVER_PID FOLLOWER_PORT=$PORT
log "follower on port $FOLLOWER_PORT: waiting for it to catch up"
# Caught up once a probe written now is readable there.
/usr/bin/python3 "$ROOT/bench/replication_lag.py" --primary "127.0.0.1:$PRIMARY_PORT" \
  --follower "127.0.0.1:$FOLLOWER_PORT" --seconds 0 >/dev/null || exit 1

# The follower's GetItem load runs on the follower's side (bench_rate).
LOAD_ON=$ON_FOLLOWER

for round in $(seq 1 "$REPEATS"); do
  SERVER_PID=$FOLLOWER_PID wait_quiet
  SERVER_PID=$PRIMARY_PID wait_quiet
  bench_rate "follower GetItem, idle" "$FOLLOWER_PORT" "$SECS" --workload get
  $ON_PRIMARY "$BIN/jormun-bench" --endpoint "127.0.0.1:$PRIMARY_PORT" --workload put --keys "$KEYS" \
    --connections "$CONNS" --seconds $((SECS + 2)) >/dev/null 2>&1 &
  load=$!
  sleep 1
  bench_rate "follower GetItem, applying PutItem load" "$FOLLOWER_PORT" "$SECS" --workload get
  wait "$load"
  SERVER_PID=$FOLLOWER_PID wait_quiet
  $ON_PRIMARY "$BIN/jormun-bench" --endpoint "127.0.0.1:$PRIMARY_PORT" --workload put --keys "$KEYS" \
    --connections "$CONNS" --seconds $((SECS + 2)) >/dev/null 2>&1 &
  load=$!
  sleep 1
  /usr/bin/python3 "$ROOT/bench/replication_lag.py" --primary "127.0.0.1:$PRIMARY_PORT" \
    --follower "127.0.0.1:$FOLLOWER_PORT" --seconds "$SECS" \
    --label "replication lag under PutItem load" | tee -a "$RESULTS"
  wait "$load"
done

/usr/bin/python3 - "$RESULTS" <<'PY'
import json, statistics, sys
runs = [json.loads(l) for l in open(sys.argv[1])]
def median(label, field):
    return statistics.median(r[field] for r in runs if r["label"] == label)
idle = median("follower GetItem, idle", "throughput")
busy = median("follower GetItem, applying PutItem load", "throughput")
print(f"medians: follower GetItem idle {idle:.0f}/s, applying {busy:.0f}/s ({busy / idle:.0%}); "
      f"lag p50 {median('replication lag under PutItem load', 'p50_ms')} ms, "
      f"p99 {median('replication lag under PutItem load', 'p99_ms')} ms")
PY
