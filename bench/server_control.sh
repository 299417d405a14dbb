# Helpers for the benchmark scripts (bench/run.sh, bench/compare_builds.sh):
# starting and stopping the server under test and waiting until it is idle.
# They keep the server's process id in SERVER_PID and its port in PORT.

log() { echo "== $*" >&2; }

# Starts a server in the background: start_server LOG COMMAND... It must log
# "listening on 127.0.0.1:PORT"; sets SERVER_PID and PORT.
start_server() {
  local logfile=$1
  shift
  "$@" >"$logfile" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 3000); do
    PORT=$(grep -o 'listening on 127\.0\.0\.1:[0-9]*' "$logfile" | head -1 | cut -d: -f2)
    [ -n "$PORT" ] && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.01
  done
  echo "$(basename "$0"): the server did not start:" >&2
  cat "$logfile" >&2
  SERVER_PID=""
  return 1
}

# Waits up to 10 s until something accepts connections on 127.0.0.1:$1.
wait_for_port() {
  for _ in $(seq 1 1000); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.01
  done
  return 1
}

stop_server() {
  [ -n "$SERVER_PID" ] || return 0
  kill "$SERVER_PID" 2>/dev/null
  wait "$SERVER_PID" 2>/dev/null
  SERVER_PID=""
}

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
# The anonymous part of the RSS (heap, stacks): what the server itself
# allocated, without file pages it maps (SQLite's memory-mapped files).
anon_kb() { awk '/^RssAnon:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }

# Waits, up to 60 s, until the server uses under 5% of a core over half a
# second. Work an engine does in the background after a workload (RocksDB's
# flushes and compactions) would otherwise be charged to the next workload,
# and each figure would depend on the order of the runs.
wait_quiet() {
  local t0 t1 limit=${1:-60}
  for _ in $(seq 1 $((limit * 2))); do
    t0=$(cpu_ticks "$SERVER_PID")
    sleep 0.5
    t1=$(cpu_ticks "$SERVER_PID")
    [ $((t1 - t0)) -le 2 ] && return 0
  done
  log "the server stayed busy for $limit s; measuring anyway"
}

# The rate of the last run recorded in $RESULTS.
last_rate() {
  tail -1 "$RESULTS" | /usr/bin/python3 -c 'import json, sys; print(int(json.load(sys.stdin)["throughput"]))'
}

# A jormun-bench run of SECONDS against 127.0.0.1:PORT ($CONNS connections
# over $KEYS keys), recorded in $RESULTS under LABEL, its rate printed as
# "LABEL: N/s"; fails when the run did. $LOAD_ON, when set, is a command the
# generator runs under (taskset -c N). bench_rate LABEL PORT SECONDS ARGS...
bench_rate() {
  local label=$1 port=$2 seconds=$3 status
  shift 3
  ${LOAD_ON:-} "$BIN/jormun-bench" --endpoint "127.0.0.1:$port" --label "$label" \
    --json-out "$RESULTS" --connections "$CONNS" --seconds "$seconds" --keys "$KEYS" "$@" \
    >/dev/null 2>&1
  status=$?
  echo "$label: $(last_rate)/s"
  return $status
}
