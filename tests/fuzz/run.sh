#!/usr/bin/env bash
# Runs every fuzz target for FUZZ_SECONDS (default 60) from its seed corpus,
# as many at once as there are cores: tests/fuzz/run.sh BUILD_DIR TARGET...
# New inputs go to a scratch corpus, not to the repo; a crash leaves its input
# in BUILD_DIR/fuzz-crashes/ and fails the run. Replay one with
# BUILD_DIR/bin/<target>_fuzz FILE, then make it a regression test in tests/.
set -uo pipefail
build=$1
shift
seconds=${FUZZ_SECONDS:-60}
here=$(cd "$(dirname "$0")" && pwd)
crashes="$build/fuzz-crashes"
mkdir -p "$crashes"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# -timeout: an input that takes 10 s is a hang; -rss_limit_mb: a leak or an
# allocation the input chose. The corpus is read, never written.
fuzz_one() {
  local target=$1
  mkdir -p "$scratch/$target"
  "$build/bin/${target}_fuzz" -max_total_time="$seconds" -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$crashes/$target-" \
    "$scratch/$target" "$here/corpus/$target" >"$scratch/$target.log" 2>&1
}

report() {
  local target=$1 rc=$2
  echo "== fuzz $target for ${seconds}s (exit $rc)"
  if [ "$rc" -ne 0 ]; then
    tail -n 60 "$scratch/$target.log"
    echo "fuzz $target failed; the input is in $crashes/"
  else
    grep -E '^stat::number_of_executed_units' "$scratch/$target.log"
  fi
}

slots=$(nproc)
declare -A running=()  # pid -> target
status=0
reap() {
  local pid rc
  wait -n -p pid "${!running[@]}"
  rc=$?
  report "${running[$pid]}" "$rc"
  [ "$rc" -ne 0 ] && status=1
  unset "running[$pid]"
}
for target in "$@"; do
  while [ "${#running[@]}" -ge "$slots" ]; do reap; done
  fuzz_one "$target" &
  running[$!]=$target
done
while [ "${#running[@]}" -gt 0 ]; do reap; done
exit "$status"
