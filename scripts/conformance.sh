#!/usr/bin/env bash
# The conformance suite once per engine, the engines side by side: each run
# starts its own servers on free ports with their own data directories, so
# they share nothing, and most of a run's time is spent waiting on sockets.
# Usage: scripts/conformance.sh PYTHON ENGINE...  Each run's output goes to
# a log, printed when the run ends; the exit status is the first failure's.
set -uo pipefail
python=$1
shift
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
declare -A pids
for engine in "$@"; do
  "$python" -m pytest -q -p no:cacheprovider conformance --engine "$engine" \
    >"$logs/$engine.log" 2>&1 &
  pids[$engine]=$!
done
status=0
for engine in "$@"; do
  wait "${pids[$engine]}"
  rc=$?
  echo "== conformance on $engine (exit $rc)"
  cat "$logs/$engine.log"
  if [ "$rc" -ne 0 ] && [ "$status" -eq 0 ]; then status=$rc; fi
done
exit "$status"
