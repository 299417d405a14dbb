#!/usr/bin/env bash
# The standard benchmark set (`make bench`): measures the HTTP ceiling of this
# machine, then runs every workload against jormundb once per engine, and
# writes docs/benchmarks.md with each figure also as a ratio of the ceiling
# measured in the same run (nginx when installed, else jormun-http-ceiling).
#
# Environment (all optional):
#   BUILD              build folder holding bin/ (default build-release)
#   BENCH_SECONDS      seconds per workload (default 10)
#   BENCH_ENGINES      engines to measure (default "rocksdb sqlite lmdb"; empty:
#                      the HTTP ceiling only)
#   BENCH_CONNECTIONS  connections of the standard runs (default 64)
#   BENCH_MANY_CONNECTIONS  connections of the run that measures the memory
#                      a connection costs (default 1024)
#   BENCH_KEYS         items preloaded (default 100000)
#   BENCH_REPEATS      runs of each workload a target of issue 6 names; the
#                      report quotes their median (default 3)
#   BENCH_BIG=1        also GetItem on RocksDB with BENCH_BIG_KEYS (default
#                      10,000,000) items, taking turns with GetItem on a
#                      BENCH_KEYS table of the same server, BENCH_REPEATS
#                      rounds: slow (the preload alone takes minutes), and
#                      ~3 GB of disk (lz4)
#   BENCH_SOAK=1       also a soak of BENCH_SOAK_SECONDS (default 600) of
#                      YCSB-A on RocksDB, sampling the server's RSS each minute
#   BENCH_TRANSACTIONS=0  skips the transactions (issue 12): TransactWriteItems
#                      and TransactGetItems on one RocksDB table and over a
#                      RocksDB, an SQLite and an LMDB table, next to PutItem on
#                      the same server (default 1; needs all three plugins)
#   BENCH_WRITES=0     skips the writes side by side (issue 17): PutItem,
#                      UpdateItem, YCSB A and BatchWriteItem on a RocksDB, an
#                      SQLite and an LMDB table of one server, taking turns,
#                      BENCH_REPEATS rounds (default 1; needs all three plugins)
#   BENCH_WRITE_KEYS   items preloaded into each of those tables (default 20000)
#   BENCH_WRITE_ENGINES, BENCH_WRITE_WORKLOADS  narrow those runs (defaults
#                      "rocksdb sqlite lmdb" and "put update ycsb-a batch-write"),
#                      e.g. to measure one share again in less time
#   BENCH_PARTIQL=0    skips PartiQL (issue 14): ExecuteStatement's SELECT of
#                      one item by its full key against GetItem of the same
#                      keys on a RocksDB table, taking turns (default 1)
#   BENCH_STREAMS=0    skips streams (issue 13): PutItem on a RocksDB table
#                      with a NEW_AND_OLD_IMAGES stream against one without,
#                      taking turns, and GetRecords of 1,000 records (default 1)
#   BENCH_TTL=0        skips TTL (issue 13): GetItem on RocksDB while the
#                      sweeper deletes BENCH_TTL_KEYS expired items, against
#                      GetItem on the same server between sweeps (default 1)
#   BENCH_TTL_KEYS     items that expire at once (default 1000000, of 100 bytes)
#   BENCH_TRANSACTION_KEYS  items preloaded into each of the transactions'
#                      tables (default 20000: LMDB syncs every commit, so its
#                      preload alone takes minutes at 100,000)
#   BENCH_TABLES=N     runs only the many-tables benchmark (issue 17):
#                      bench/tables_bench.py with N tables of 10 items on each
#                      of BENCH_ENGINES, one line of figures each, no report
#   BENCH_POSTGRES=1   runs only the postgres engine against pgbench on the same
#                      throwaway PostgreSQL (issue 18): bench/postgres_bench.sh,
#                      its figures printed, no report
#   BENCH_REPLICATION=1  runs only the read replica benchmark (issue 20):
#                      bench/replication_bench.sh, a RocksDB primary and
#                      follower, its figures printed, no report
#   BENCH_BURST=1      runs only reads right after a write burst (issue 17,
#                      target 7): bench/burst_bench.sh on RocksDB, its
#                      figures printed, no report
#   BENCH_REPORT       the markdown written (default docs/benchmarks.md)
#   BENCH_COMMAND      the command quoted in the report (default: this script)
# Exits non-zero if any run had errors or wrong answers; an operation the
# server does not support is reported as such and is not a failure.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-build-release}
BIN=$(cd "$ROOT" && cd "$BUILD/bin" && pwd)
if [ -n "${BENCH_TABLES:-}" ]; then
  for engine in ${BENCH_ENGINES-rocksdb sqlite lmdb}; do
    /usr/bin/python3 "$(dirname "$0")/tables_bench.py" --engine "$engine" \
      --tables "$BENCH_TABLES" --seconds "${BENCH_SECONDS:-10}" \
      --binary "${BUILD:-build-release}/bin/jormundb"
  done
  exit 0
fi
[ "${BENCH_POSTGRES:-0}" = 1 ] && exec bash "$(dirname "$0")/postgres_bench.sh"
[ "${BENCH_REPLICATION:-0}" = 1 ] && exec bash "$(dirname "$0")/replication_bench.sh"
[ "${BENCH_BURST:-0}" = 1 ] && exec bash "$(dirname "$0")/burst_bench.sh"
SECS=${BENCH_SECONDS:-10}
ENGINES=${BENCH_ENGINES-rocksdb sqlite lmdb}
CONNS=${BENCH_CONNECTIONS:-64}
MANY_CONNS=${BENCH_MANY_CONNECTIONS:-1024}
KEYS=${BENCH_KEYS:-100000}
REPEATS=${BENCH_REPEATS:-3}
BIG_KEYS=${BENCH_BIG_KEYS:-10000000}
SOAK_SECONDS=${BENCH_SOAK_SECONDS:-600}
REPORT=${BENCH_REPORT:-$ROOT/docs/benchmarks.md}
COMMAND=${BENCH_COMMAND:-bench/run.sh}
OUT=$ROOT/bench/out
RESULTS=$OUT/results.jsonl
WORK=$(mktemp -d /tmp/jormun-bench.XXXXXX)

SERVER_PID=""
PORT=""
SAMPLER_PID=""
FAILED=0

mkdir -p "$OUT"
: >"$RESULTS"

cleanup() {
  stop_sampler
  stop_server
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

source "$ROOT/bench/server_control.sh"

# A figure that is not a jormun-bench run: record LABEL WORKLOAD KEY VALUE.
record() {
  printf '{"label":"%s","workload":"%s","status":"ok","%s":%s}\n' "$1" "$2" "$3" "$4" >>"$RESULTS"
}

# Samples the server's RSS and its anonymous part every 100 ms into
# $WORK/rss-max and $WORK/anon-max until stopped.
start_sampler() {
  local pid=$1
  echo 0 >"$WORK/rss-max"
  echo 0 >"$WORK/anon-max"
  (
    max=0
    anon_max=0
    while kill -0 "$pid" 2>/dev/null; do
      now=$(rss_kb "$pid")
      anon=$(anon_kb "$pid")
      if [ "${now:-0}" -gt "$max" ]; then max=$now; echo "$max" >"$WORK/rss-max"; fi
      if [ "${anon:-0}" -gt "$anon_max" ]; then anon_max=$anon; echo "$anon_max" >"$WORK/anon-max"; fi
      sleep 0.1
    done
  ) &
  SAMPLER_PID=$!
}

# The memory one more connection costs: the server's anonymous RSS half-way
# through GetItem runs on $CONNS and on $MANY_CONNS connections, with the
# items already cached.
measure_connections() {
  local engine=$1 count secs=4 anon
  for count in "$CONNS" "$MANY_CONNS"; do
    wait_quiet
    "$BIN/jormun-bench" --endpoint "127.0.0.1:$PORT" --workload get --keys "$KEYS" \
      --connections "$count" --seconds "$secs" >/dev/null &
    sleep $((secs / 2))
    anon=$(anon_kb "$SERVER_PID")
    wait $!
    record "$engine|anon-conns-$count" memory rss_kb "$anon"
  done
}

stop_sampler() {
  [ -n "$SAMPLER_PID" ] || return 0
  kill "$SAMPLER_PID" 2>/dev/null
  wait "$SAMPLER_PID" 2>/dev/null
  SAMPLER_PID=""
}

# One jormun-bench run against the current server: bench LABEL ARGS...
# BUSY=1 measures without first waiting for the server to be idle (a run
# whose point is the background work, as during a TTL sweep).
bench() {
  local label=$1
  shift
  [ -n "$SERVER_PID" ] && [ "${BUSY:-0}" != 1 ] && wait_quiet
  "$BIN/jormun-bench" --endpoint "127.0.0.1:$PORT" --label "$label" --json-out "$RESULTS" \
    --connections "$CONNS" --seconds "$SECS" --keys "$KEYS" "$@" >/dev/null
  case $? in
    0) ;;
    2) log "$label: not supported by this server" ;;
    *) log "$label: FAILED"; FAILED=1 ;;
  esac
}

# bench, $REPEATS times under one label: for the figures the targets name,
# the report quotes the median run, as one run on a noisy machine can be off
# by a fifth either way.
bench_repeated() {
  for _ in $(seq 1 "$REPEATS"); do bench "$@"; done
}

# Creates the workload's table and writes its items, without a measured
# run (bench then waits for the background work the load causes).
preload() {
  bench "$@" --create --preload --seconds 0
}

# Throughput of the run labelled $1, for sizing an open-loop rate.
throughput_of() {
  /usr/bin/python3 -c '
import json, sys
rates = [r.get("throughput", 0) for r in map(json.loads, open(sys.argv[1]))
         if r["label"] == sys.argv[2] and r["workload"] != "preload"]
print(int(rates[-1]) if rates else 0)' "$RESULTS" "$1"
}

# A jormundb config whose every table lives on engine $2, written to $1;
# with $3 = durable, every write is synced before its answer.
write_config() {
  local file=$1 engine=$2 durability=${3:-}
  {
    echo "engines:"
    echo "  $engine:"
    echo "    plugin: $engine"
    [ "$durability" = durable ] && echo "    durable: true"
    echo "tables:"
    echo "  default: $engine"
    echo "  rules: []"
  } >"$file"
}

# A jormundb config with a table on each engine, written to $1: tables
# named $2sqlite and $2lmdb on those engines, every other on RocksDB.
write_engines_config() {
  local file=$1 prefix=$2 engine
  {
    echo "engines:"
    for engine in rocksdb sqlite lmdb; do
      echo "  $engine:"
      echo "    plugin: $engine"
    done
    echo "tables:"
    echo "  default: rocksdb"
    echo "  rules:"
    echo "    - {match: \"${prefix}sqlite\", engine: sqlite}"
    echo "    - {match: \"${prefix}lmdb\", engine: lmdb}"
  } >"$file"
}

start_jormundb() {
  local name=$1 config=$2
  rm -rf "$WORK/$name-data"
  start_server "$WORK/$name.log" "$BIN/jormundb" --config "$config" --port 0 \
    --data-dir "$WORK/$name-data" --host 127.0.0.1
}

measure_ceiling() {
  log "HTTP ceiling: jormun-http-ceiling"
  start_server "$WORK/ceiling.log" "$BIN/jormun-http-ceiling" --port 0 || { FAILED=1; return; }
  bench_repeated "ceiling|ping" --workload ping
  bench_repeated "ceiling|ping-1" --workload ping --connections 1
  stop_server
  command -v nginx >/dev/null || return 0
  log "HTTP ceiling: nginx"
  local port
  port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  cat >"$WORK/nginx.conf" <<EOF
worker_processes $(nproc);
daemon off;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 100000000;
  client_body_temp_path $WORK/nginx-body;
  proxy_temp_path $WORK/nginx-proxy;
  fastcgi_temp_path $WORK/nginx-fastcgi;
  uwsgi_temp_path $WORK/nginx-uwsgi;
  scgi_temp_path $WORK/nginx-scgi;
  server {
    listen 127.0.0.1:$port;
    location / { default_type application/x-amz-json-1.0; return 200 '{}'; }
  }
}
EOF
  nginx -p "$WORK" -e "$WORK/nginx-error.log" -c "$WORK/nginx.conf" &
  SERVER_PID=$!
  PORT=$port
  wait_for_port "$port" || { log "nginx did not start: $(tail -3 "$WORK/nginx-error.log")"; stop_server; return 0; }
  bench_repeated "nginx|ping" --workload ping
  bench_repeated "nginx|ping-1" --workload ping --connections 1
  stop_server
}

measure_engine() {
  local engine=$1
  write_config "$WORK/$engine.yaml" "$engine"
  write_config "$WORK/$engine-sync.yaml" "$engine" durable

  log "$engine: start-up with an empty data directory"
  if ! "$BIN/jormun-bench" --startup-probe --label "$engine|startup" --json-out "$RESULTS" \
      --startup-log "$WORK/$engine-probe.log" -- "$BIN/jormundb" --config "$WORK/$engine.yaml" \
      --port '{port}' --data-dir "$WORK/$engine-probe-data" --host 127.0.0.1 >/dev/null; then
    log "$engine: the start-up probe failed"
    FAILED=1
  fi

  log "$engine: standard set, $SECS s per workload"
  start_jormundb "$engine" "$WORK/$engine.yaml" || { FAILED=1; return; }
  sleep 0.2
  record "$engine|rss-idle" memory rss_kb "$(rss_kb "$SERVER_PID")"
  record "$engine|anon-idle" memory rss_kb "$(anon_kb "$SERVER_PID")"
  start_sampler "$SERVER_PID"
  preload "$engine|get" --workload get
  bench_repeated "$engine|get" --workload get
  # Right after GetItem warmed the block cache, so that the difference
  # between the two runs is the connections' and not the cache filling up.
  measure_connections "$engine"
  bench_repeated "$engine|get-1" --workload get --connections 1
  local rate
  rate=$(throughput_of "$engine|get")
  [ "$rate" -gt 1 ] && bench "$engine|get-open" --workload get --rate $((rate / 2))
  bench_repeated "$engine|put" --workload put
  bench "$engine|update" --workload update
  bench "$engine|batch-write" --workload batch-write
  bench "$engine|batch-get" --workload batch-get
  bench "$engine|scan" --workload scan
  preload "$engine|query" --workload query
  bench_repeated "$engine|query" --workload query
  for mix in a b c d e f; do
    case $mix in
      a | c) bench_repeated "$engine|ycsb-$mix" --workload "ycsb-$mix" --create ;;
      *) bench "$engine|ycsb-$mix" --workload "ycsb-$mix" --create ;;
    esac
  done
  for kb in 10 50 100; do
    preload "$engine|get-${kb}k" --workload get --table "large$kb" --item-size $((kb * 1024)) \
      --keys 1000
    bench "$engine|get-${kb}k" --workload get --table "large$kb" --item-size $((kb * 1024)) \
      --keys 1000
    bench "$engine|put-${kb}k" --workload put --table "large$kb" --item-size $((kb * 1024)) --keys 1000
  done
  stop_sampler
  record "$engine|rss-load-max" memory rss_kb "$(cat "$WORK/rss-max")"
  record "$engine|anon-load-max" memory rss_kb "$(cat "$WORK/anon-max")"
  record "$engine|rss-after-load" memory rss_kb "$(rss_kb "$SERVER_PID")"
  stop_server
  rm -rf "$WORK/$engine-data"

  log "$engine: durable mode (durable: true)"
  start_jormundb "$engine-sync" "$WORK/$engine-sync.yaml" || { FAILED=1; return; }
  bench_repeated "$engine|durable-put" --workload put --create
  bench_repeated "$engine|durable-put-1" --workload put --connections 1
  stop_server
  rm -rf "$WORK/$engine-sync-data"
}

# Transactions (issue 12) on one server holding a table on each engine:
# first on the RocksDB table alone, then with each call's items spread over
# the three, where a commit syncs an intent and then every engine's batch.
# PutItem on the same RocksDB table is the figure the targets divide by.
measure_transactions() {
  log "transactions: one RocksDB table, then a RocksDB, an SQLite and an LMDB table"
  write_engines_config "$WORK/transactions.yaml" txn_
  start_jormundb transactions "$WORK/transactions.yaml" || { FAILED=1; return; }
  local keys=(--keys "${BENCH_TRANSACTION_KEYS:-20000}")
  preload "transactions|put" --workload put --table txn_rocksdb "${keys[@]}"
  local workload
  for workload in put transact-write-2 transact-write-10 transact-get-10; do
    bench_repeated "transactions|$workload" --workload "$workload" --table txn_rocksdb "${keys[@]}"
  done
  local tables=txn_rocksdb,txn_sqlite,txn_lmdb
  preload "transactions|x3-preload" --workload put --table txn_sqlite,txn_lmdb "${keys[@]}"
  for workload in transact-write-2 transact-write-10 transact-get-10; do
    bench_repeated "transactions|x3-$workload" --workload "$workload" --table "$tables" "${keys[@]}"
  done
  stop_server
  rm -rf "$WORK/transactions-data"
}

# The write workloads on one server holding a table on each engine, the
# engines taking turns within each round: the ratios between engines the
# targets of issue 17 name then come from the same minutes of a noisy
# machine, not from runs minutes apart.
measure_writes() {
  log "writes side by side: a RocksDB, an SQLite and an LMDB table"
  write_engines_config "$WORK/writes.yaml" w_
  start_jormundb writes "$WORK/writes.yaml" || { FAILED=1; return; }
  local keys=(--keys "${BENCH_WRITE_KEYS:-20000}") engine workload round
  local engines=${BENCH_WRITE_ENGINES:-rocksdb sqlite lmdb}
  for engine in $engines; do
    preload "writes|$engine-put" --workload put --table "w_$engine" "${keys[@]}"
  done
  for round in $(seq 1 "$REPEATS"); do
    for workload in ${BENCH_WRITE_WORKLOADS:-put update ycsb-a batch-write}; do
      for engine in $engines; do
        bench "writes|$engine-$workload" --workload "$workload" --table "w_$engine" "${keys[@]}"
      done
    done
  done
  stop_server
  rm -rf "$WORK/writes-data"
}

# PartiQL (issue 14): the same items of one ranged RocksDB table read by
# GetItem and by `SELECT * FROM "t" WHERE pk = ? AND sk = ?`, taking turns
# within each round so that both figures come from the same minutes.
measure_partiql() {
  log "partiql: SELECT by full key against GetItem, RocksDB"
  write_config "$WORK/partiql.yaml" rocksdb
  start_jormundb partiql "$WORK/partiql.yaml" || { FAILED=1; return; }
  preload "partiql|get-key" --workload get-key
  local round workload
  for round in $(seq 1 "$REPEATS"); do
    for workload in get-key select-key; do
      bench "partiql|$workload" --workload "$workload"
    done
  done
  stop_server
  rm -rf "$WORK/partiql-data"
}

# Streams (issue 13) on one RocksDB server: PutItem on a table with a
# NEW_AND_OLD_IMAGES stream and on one without, taking turns; then
# GetRecords of the first 1,000 records of a stream of 512-byte items
# (1,000 of them fit DynamoDB's 1 MB answer), timed on one connection by the
# client and by the server (its access log's latency, what CloudWatch's
# SuccessfulRequestLatency measures); the access log costs the PutItem
# rounds the same on both tables.
measure_streams() {
  log "streams: PutItem with and without a NEW_AND_OLD_IMAGES stream, GetRecords of 1,000"
  write_config "$WORK/streams.yaml" rocksdb
  printf 'server:\n  access_log: true\n  log_format: json\n' >>"$WORK/streams.yaml"
  start_jormundb streams "$WORK/streams.yaml" || { FAILED=1; return; }
  local calls=("$ROOT/bench/stream_ttl_calls.py" --endpoint "127.0.0.1:$PORT")
  /usr/bin/python3 "${calls[@]}" create-table s_streamed NEW_AND_OLD_IMAGES || { FAILED=1; stop_server; return; }
  preload "streams|put-plain" --workload put --table s_plain --create
  preload "streams|put-streamed" --workload put --table s_streamed
  local round table
  for round in $(seq 1 "$REPEATS"); do
    for table in plain streamed; do
      bench "streams|put-$table" --workload put --table "s_$table"
    done
  done
  /usr/bin/python3 "${calls[@]}" create-table s_records NEW_AND_OLD_IMAGES || { FAILED=1; stop_server; return; }
  preload "streams|records" --workload put --table s_records --keys 1000 --item-size 512
  /usr/bin/python3 "${calls[@]}" --server-log "$WORK/streams.log" \
    get-records s_records 1000 300 "streams|get-records" "$RESULTS" >/dev/null || FAILED=1
  stop_server
  rm -rf "$WORK/streams-data"
}

# TTL (issue 13) on one RocksDB server sweeping every second at its default
# rate (ttl.max_deletes_per_second): GetItem on a table of its own while the
# sweeper deletes the expired items of another, against GetItem on the same
# server with TTL disabled, taking turns. The items' expiry lies an hour in
# the past, so all of them are due the moment TTL is enabled on their table.
measure_ttl() {
  local expiring=${BENCH_TTL_KEYS:-1000000}
  log "ttl: GetItem during a sweep of $expiring expired items, RocksDB"
  write_config "$WORK/ttl.yaml" rocksdb
  # The rounds turn TTL on and off again at once: no cooldown between changes.
  printf 'ttl:\n  sweep_interval_seconds: 1\n  change_cooldown_seconds: 0\n' >>"$WORK/ttl.yaml"
  start_jormundb ttl "$WORK/ttl.yaml" || { FAILED=1; return; }
  local calls=("$ROOT/bench/stream_ttl_calls.py" --endpoint "127.0.0.1:$PORT")
  preload "ttl|get-idle" --workload get
  preload "ttl|expiring" --workload put --table t_expiring --create --keys "$expiring" \
    --item-size 100 --expires-at $(($(date +%s) - 3600))
  local round
  for round in $(seq 1 "$REPEATS"); do
    bench "ttl|get-idle" --workload get
    /usr/bin/python3 "${calls[@]}" ttl t_expiring expires on || { FAILED=1; break; }
    sleep 2  # the next sweep starts within the second
    BUSY=1 bench "ttl|get-sweeping" --workload get
    /usr/bin/python3 "${calls[@]}" ttl t_expiring expires off || { FAILED=1; break; }
  done
  /usr/bin/python3 "${calls[@]}" count t_expiring "ttl|left" "$RESULTS" >/dev/null || FAILED=1
  record "ttl|expiring" ttl items "$expiring"
  stop_server
  rm -rf "$WORK/ttl-data"
}

measure_big() {
  log "rocksdb: GetItem with $BIG_KEYS items"
  write_config "$WORK/big.yaml" rocksdb
  start_jormundb big "$WORK/big.yaml" || { FAILED=1; return; }
  # The base of the ratio on the same server, taking turns with the big
  # table: the same minutes, the same shared block cache.
  preload "rocksdb|get-big-base" --workload get --table bench_small
  preload "rocksdb|get-big" --workload get --keys "$BIG_KEYS"
  # Compacting ten million items takes minutes on two cores.
  wait_quiet 900
  for _ in $(seq 1 "$REPEATS"); do
    bench "rocksdb|get-big-base" --workload get --table bench_small
    bench "rocksdb|get-big" --workload get --keys "$BIG_KEYS"
  done
  stop_server
  rm -rf "$WORK/big-data"
}

measure_soak() {
  log "rocksdb: soak, $SOAK_SECONDS s of YCSB-A"
  write_config "$WORK/soak.yaml" rocksdb
  start_jormundb soak "$WORK/soak.yaml" || { FAILED=1; return; }
  preload "rocksdb|soak-preload" --workload ycsb-a
  local minute=0
  while [ $((minute * 60)) -lt "$SOAK_SECONDS" ]; do
    minute=$((minute + 1))
    bench "rocksdb|soak-$minute" --workload ycsb-a --seconds 60
    record "rocksdb|soak-rss-$minute" memory rss_kb "$(rss_kb "$SERVER_PID")"
  done
  stop_server
  rm -rf "$WORK/soak-data"
}

tools="jormun-bench jormun-http-ceiling"
TRANSACTIONS=${BENCH_TRANSACTIONS:-1}
WRITES=${BENCH_WRITES:-1}
PARTIQL=${BENCH_PARTIQL:-1}
STREAMS=${BENCH_STREAMS:-1}
TTL=${BENCH_TTL:-1}
# Any measurement beyond the HTTP ceiling needs the server.
for flag in "${ENGINES:+1}" "$TRANSACTIONS" "$WRITES" "$PARTIQL" "$STREAMS" "$TTL"; do
  [ "$flag" = 1 ] && tools="$tools jormundb" && break
done
for tool in $tools; do
  [ -x "$BIN/$tool" ] || { echo "run.sh: $BIN/$tool is missing; build first" >&2; exit 1; }
done

measure_ceiling
for engine in $ENGINES; do measure_engine "$engine"; done
[ "$TRANSACTIONS" = 1 ] && measure_transactions
[ "$WRITES" = 1 ] && measure_writes
[ "$PARTIQL" = 1 ] && measure_partiql
[ "$STREAMS" = 1 ] && measure_streams
[ "$TTL" = 1 ] && measure_ttl
[ "${BENCH_BIG:-0}" = 1 ] && measure_big
[ "${BENCH_SOAK:-0}" = 1 ] && measure_soak

/usr/bin/python3 "$ROOT/bench/write_report.py" --results "$RESULTS" --out "$REPORT" \
  --command "$COMMAND" --seconds "$SECS" --connections "$CONNS" --keys "$KEYS" \
  --findings "$ROOT/bench/findings.md" || FAILED=1
log "wrote $REPORT (raw results: $RESULTS)"
exit "$FAILED"
