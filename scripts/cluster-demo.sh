#!/usr/bin/env bash
# Several jormundb front ends over one PostgreSQL database, to try scale-out.
#
#   scripts/cluster-demo.sh start [N]   start a throwaway PostgreSQL
#                                       (scripts/postgres.sh) and N front ends
#                                       (default 2) of build/bin/jormundb on
#                                       free loopback ports, each with a
#                                       generated config and a data directory
#                                       of its own; the last line printed is
#                                       JORMUN_ENDPOINTS=url1,url2,...
#   scripts/cluster-demo.sh stop        stop the front ends and the database
#                                       by PID and remove the folder.
#
# The folder is $JORMUN_CLUSTER_DIR (default /tmp/jormun-cluster); in it
# fe<i>.yaml, fe<i>.pid, fe<i>.log and fe<i>/ (the front end's data_dir) for
# each front end, and pg/ for the database. When JORMUN_PG_CONNINFO is set
# (a database is already running, as in the conformance run), no PostgreSQL
# is started: the front ends use that database in a schema of their own.
# JORMUN_BIN overrides the jormundb binary; JORMUN_CLUSTER_POOL_SIZE sets
# each front end's pool of database connections (the engine's default: 8),
# JORMUN_CLUSTER_POLL_MS and JORMUN_CLUSTER_LEASE_MS the cluster's poll_ms
# and lease_ms (default 200 and 10000).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
dir=${JORMUN_CLUSTER_DIR:-/tmp/jormun-cluster}
bin=${JORMUN_BIN:-$root/build/bin/jormundb}

stop() {
  [ -d "$dir" ] || return 0
  for pidfile in "$dir"/fe*.pid; do
    [ -f "$pidfile" ] || continue
    pid=$(cat "$pidfile")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$pidfile"
  done
  [ -d "$dir/pg" ] && bash "$root/scripts/postgres.sh" stop "$dir/pg" >/dev/null 2>&1 || true
  rm -rf "$dir"
}

# Starts front end $1 from its config; prints its URL once it listens.
start_front_end() {
  local i=$1 log="$dir/fe$1.log"
  : >"$log"
  setsid "$bin" --config "$dir/fe$i.yaml" >>"$log" 2>&1 </dev/null &
  echo $! >"$dir/fe$i.pid"
  for _ in $(seq 1 300); do
    port=$(grep -o 'listening on 127\.0\.0\.1:[0-9]*' "$log" | tail -1 | cut -d: -f2 || true)
    if [ -n "$port" ]; then echo "http://127.0.0.1:$port"; return 0; fi
    kill -0 "$(cat "$dir/fe$i.pid")" 2>/dev/null || break
    sleep 0.1
  done
  echo "front end $i did not start:" >&2
  cat "$log" >&2
  return 1
}

case "${1:-}" in
start)
  n=${2:-2}
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 start [N]" >&2; exit 2; }
  [ -x "$bin" ] || { echo "no $bin: run make build first" >&2; exit 1; }
  stop
  mkdir -p "$dir"
  conninfo=${JORMUN_PG_CONNINFO:-}
  if [ -z "$conninfo" ]; then
    bash "$root/scripts/postgres.sh" start "$dir/pg" >"$dir/pg.env"
    conninfo=$(sed -n 's/^JORMUN_PG_CONNINFO=//p' "$dir/pg.env")
  fi
  # A schema per cluster: clusters sharing a database do not see each other.
  schema="cluster_$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')"
  urls=()
  for i in $(seq 1 "$n"); do
    cat >"$dir/fe$i.yaml" <<EOF
server:
  host: 127.0.0.1
  port: 0
  data_dir: $dir/fe$i
engines:
  pg:
    plugin: postgres
    options:
      conninfo: "$conninfo"
      schema: $schema
      pool_size: "${JORMUN_CLUSTER_POOL_SIZE:-8}"
tables:
  default: pg
cluster:
  engine: pg
  poll_ms: ${JORMUN_CLUSTER_POLL_MS:-200}
  lease_ms: ${JORMUN_CLUSTER_LEASE_MS:-10000}
EOF
    urls+=("$(start_front_end "$i")")
  done
  echo "JORMUN_ENDPOINTS=$(IFS=,; echo "${urls[*]}")"
  ;;
stop)
  stop
  ;;
*)
  echo "usage: $0 start [N] | stop" >&2
  exit 2
  ;;
esac
