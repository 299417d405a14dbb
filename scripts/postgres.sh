#!/usr/bin/env bash
# A throwaway PostgreSQL for the tests of the postgres engine.
#
#   scripts/postgres.sh start DIR   initdb into DIR/data (first time only),
#                                   start postgres listening on a unix socket
#                                   in DIR and on 127.0.0.1 at a free port,
#                                   wait until it answers, and print what a
#                                   client needs: PGHOST=... PGPORT=...
#                                   PGUSER=... PGDATABASE=... lines, the last
#                                   JORMUN_PG_CONNINFO=... (also in DIR/env).
#   scripts/postgres.sh stop DIR    stop it (fast shutdown) by the PID in
#                                   DIR/data/postmaster.pid; keeps DIR, so a
#                                   later start comes back on the same data
#                                   and port.
#   scripts/postgres.sh run CMD...  start one in a temporary folder, run CMD
#                                   with the PG* variables and
#                                   JORMUN_PG_CONNINFO exported (libpq, and so
#                                   the engine without options, connects to
#                                   it), stop it, remove the folder; exits
#                                   with CMD's status. ctest runs the engine
#                                   kit this way.
#
# PostgreSQL refuses to run as root: as root, DIR is handed to the
# unprivileged `postgres` user (Debian's package makes it) and the server
# runs as that user through runuser. The database cluster uses an ICU
# collation (en-US), not C, so the tests also show that the engine's key
# order does not depend on the collation (bytea compares bytes). fsync is
# off: the tests kill jormundb, never the machine, and CI time counts.
set -euo pipefail

usage() { echo "usage: $0 start|stop DIR | run CMD..." >&2; exit 2; }
cmd=${1:-}
[ "$cmd" = run ] && [ $# -ge 2 ] && {
  shift
  dir=$(mktemp -d "${TMPDIR:-/tmp}/jormun-pg-XXXXXX")
  trap 'bash "$0" stop "$dir"; rm -rf "$dir"' EXIT
  set -a
  # shellcheck disable=SC1090
  . <(bash "$0" start "$dir")
  set +a
  status=0
  "$@" || status=$?
  exit "$status"
}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || usage

bindir=""
for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
  [ -x "$d/postgres" ] && { bindir=$d; break; }
done
[ -n "$bindir" ] || bindir=$(dirname "$(command -v postgres || command -v initdb)")

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$cmd" in
start)
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    as_owner "$bindir/initdb" -D "$dir/data" -U jormun -A trust --no-sync \
      --encoding=UTF8 --locale=C.UTF-8 --locale-provider=icu --icu-locale=en-US \
      >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
  fi
  if [ ! -f "$dir/port" ]; then
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' \
      >"$dir/port"
  fi
  port=$(cat "$dir/port")
  # setsid: the server outlives this script and is not in its process
  # group, so a job control signal to the caller does not reach it.
  as_owner setsid "$bindir/postgres" -D "$dir/data" -k "$dir" -h 127.0.0.1 -p "$port" \
    -c fsync=off -c full_page_writes=off -c max_connections=400 \
    -c shared_buffers=64MB -c logging_collector=off \
    >>"$dir/postgres.log" 2>&1 </dev/null &
  for _ in $(seq 1 300); do
    if "$bindir/pg_isready" -q -h "$dir" -p "$port"; then
      {
        echo "PGHOST=$dir"
        echo "PGPORT=$port"
        echo "PGUSER=jormun"
        echo "PGDATABASE=postgres"
        echo "JORMUN_PG_CONNINFO=host=$dir port=$port user=jormun dbname=postgres"
      } | tee "$dir/env"
      exit 0
    fi
    sleep 0.1
  done
  echo "postgres did not start:" >&2
  cat "$dir/postgres.log" >&2
  exit 1
  ;;
stop)
  pidfile="$dir/data/postmaster.pid"
  [ -f "$pidfile" ] || exit 0
  pid=$(head -1 "$pidfile")
  # SIGINT is PostgreSQL's fast shutdown: sessions are ended, not waited for.
  kill -INT "$pid" 2>/dev/null || exit 0
  for _ in $(seq 1 300); do
    kill -0 "$pid" 2>/dev/null || exit 0
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  ;;
*)
  usage
  ;;
esac
