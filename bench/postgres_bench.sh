#!/usr/bin/env bash
# The postgres engine against PostgreSQL itself (issue 18): a throwaway
# PostgreSQL (scripts/postgres.sh), pgbench's select-only (-S) and
# simple-update (-N) runs on it, then GetItem and PutItem through one
# jormundb whose tables live on that database, at the same client count, in
# the same minutes, and then through two front ends of a cluster over the
# same database (scripts/cluster-demo.sh), each driven by its own client
# with half the connections. Rounds alternate pgbench and jormundb so that a noisy
# machine weighs on both alike; the lines printed are each run and the
# medians. bench/run.sh calls it when BENCH_POSTGRES=1.
#
# Environment: BUILD (default build-release), BENCH_SECONDS (10),
# BENCH_CONNECTIONS (64), BENCH_KEYS (100000), BENCH_REPEATS (3).
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=$(cd "$ROOT/${BUILD:-build-release}/bin" && pwd)
SECS=${BENCH_SECONDS:-10}
CONNS=${BENCH_CONNECTIONS:-64}
KEYS=${BENCH_KEYS:-100000}
REPEATS=${BENCH_REPEATS:-3}
WORK=$(mktemp -d /tmp/jormun-pgbench.XXXXXX)
chmod 755 "$WORK"  # PostgreSQL runs as its own user under it
RESULTS=$WORK/results.jsonl
SERVER_PID=""
PORT=""

source "$ROOT/bench/server_control.sh"

cleanup() {
  stop_server
  bash "$ROOT/scripts/postgres.sh" stop "$WORK/pg" >/dev/null 2>&1
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for tool in jormundb jormun-bench; do
  [ -x "$BIN/$tool" ] || { echo "postgres_bench.sh: $BIN/$tool is missing; build first" >&2; exit 1; }
done
command -v pgbench >/dev/null || PATH=$PATH:$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)

set -a
# shellcheck disable=SC1090
. <(bash "$ROOT/scripts/postgres.sh" start "$WORK/pg")
set +a
log "PostgreSQL on port $PGPORT; pgbench scale 10 (1,000,000 accounts)"
pgbench -i -q -s 10 >"$WORK/pgbench-init.log" 2>&1 || { cat "$WORK/pgbench-init.log" >&2; exit 1; }

# pgbench's rate without connection set-up: pgbench_rate LABEL ARGS...
pgbench_rate() {
  local label=$1 tps
  shift
  tps=$(pgbench -n -M prepared -c "$CONNS" -j 2 -T "$SECS" "$@" 2>&1 |
    awk '/^tps = / {print int($3)}')
  printf '{"label":"%s","throughput":%s}\n' "$label" "${tps:-0}" >>"$RESULTS"
  echo "$label: ${tps:-0}/s"
}

# jormun-bench against the server, once it is quiet: jormun_rate LABEL ARGS...
jormun_rate() {
  local label=$1
  shift
  wait_quiet
  bench_rate "$label" "$PORT" "$SECS" "$@"
}

# The connection pool as large as the clients, as pgbench has one
# connection per client.
cat >"$WORK/jormun.yaml" <<EOF
engines:
  postgres:
    plugin: postgres
    options: {pool_size: "$CONNS"}
tables:
  default: postgres
  rules: []
EOF
start_server "$WORK/jormundb.log" "$BIN/jormundb" --config "$WORK/jormun.yaml" --port 0 \
  --data-dir "$WORK/data" --host 127.0.0.1 || exit 1
log "jormundb on port $PORT; preloading $KEYS items"
"$BIN/jormun-bench" --endpoint "127.0.0.1:$PORT" --label preload --workload get \
  --create --preload --seconds 0 --keys "$KEYS" >/dev/null || exit 1

for round in $(seq 1 "$REPEATS"); do
  log "round $round of $REPEATS"
  pgbench_rate "pgbench -S" -S
  jormun_rate "GetItem" --workload get
  pgbench_rate "pgbench -N" -N
  jormun_rate "PutItem" --workload put
done

stop_server

# Two front ends: the table made through the first, used through both once
# the second has seen it (its catalog poll is 200 ms).
export JORMUN_BIN=$BIN/jormundb JORMUN_CLUSTER_DIR=$WORK/cluster
export JORMUN_CLUSTER_POOL_SIZE=$((CONNS / 2))
endpoints=$(bash "$ROOT/scripts/cluster-demo.sh" start 2 | sed -n 's/^JORMUN_ENDPOINTS=//p')
IFS=, read -r -a fronts <<<"${endpoints//http:\/\//}"
[ "${#fronts[@]}" = 2 ] || { log "the cluster did not start"; exit 1; }
log "two front ends: ${fronts[*]}"
"$BIN/jormun-bench" --endpoint "${fronts[0]}" --label preload --workload get \
  --create --preload --seconds 0 --keys "$KEYS" >/dev/null || exit 1
sleep 1
# Both clients at once; their rates add up under one label.
two_fronts() {
  local label=$1 i
  shift
  for i in 0 1; do
    "$BIN/jormun-bench" --endpoint "${fronts[$i]}" --label "$label" --json-out "$WORK/two-$i.jsonl" \
      --connections $((CONNS / 2)) --seconds "$SECS" --keys "$KEYS" "$@" >/dev/null 2>&1 &
  done
  wait
  /usr/bin/python3 -c '
import json, sys
total = sum(json.loads(open(f).readlines()[-1])["throughput"] for f in sys.argv[2:])
print(json.dumps({"label": sys.argv[1], "throughput": total}))' "$label" "$WORK"/two-[01].jsonl >>"$RESULTS"
  echo "$label: $(last_rate)/s"
}
for round in $(seq 1 "$REPEATS"); do
  log "two front ends, round $round of $REPEATS"
  pgbench_rate "pgbench -S" -S
  two_fronts "GetItem x2" --workload get
  pgbench_rate "pgbench -N" -N
  two_fronts "PutItem x2" --workload put
done
bash "$ROOT/scripts/cluster-demo.sh" stop

/usr/bin/python3 - "$RESULTS" <<'EOF'
import json, statistics, sys
runs = {}
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r.get("workload") != "preload" and r["label"] != "preload":
        runs.setdefault(r["label"], []).append(r["throughput"])
med = {k: statistics.median(v) for k, v in runs.items()}
for label, rates in runs.items():
    print(f"{label:12} median {med[label]:>9,.0f}/s  runs " + ", ".join(f"{x:,.0f}" for x in rates))
for ours, theirs in (("GetItem", "pgbench -S"), ("PutItem", "pgbench -N"),
                     ("GetItem x2", "pgbench -S"), ("PutItem x2", "pgbench -N")):
    if med.get(theirs):
        print(f"{ours} / {theirs}: {med.get(ours, 0) / med[theirs]:.2f} (target 0.50)")
for op in ("GetItem", "PutItem"):
    if med.get(op):
        print(f"{op}, two front ends / one: {med.get(op + ' x2', 0) / med[op]:.2f} (target >= 1)")
EOF
