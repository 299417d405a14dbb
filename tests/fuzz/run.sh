#!/usr/bin/env bash
# Runs every fuzz target for FUZZ_SECONDS (default 60) from its seed corpus,
# one after the other: tests/fuzz/run.sh BUILD_DIR TARGET...
# New inputs go to a scratch corpus, not to the repo; a crash leaves its input
# in BUILD_DIR/fuzz-crashes/ and fails the run. Replay one with
# BUILD_DIR/bin/<target>_fuzz FILE, then make it a regression test in tests/.
set -euo pipefail
build=$1
shift
seconds=${FUZZ_SECONDS:-60}
here=$(cd "$(dirname "$0")" && pwd)
crashes="$build/fuzz-crashes"
mkdir -p "$crashes"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
for target in "$@"; do
  echo "== fuzz $target for ${seconds}s"
  mkdir -p "$scratch/$target"
  # -timeout: an input that takes 10 s is a hang; -rss_limit_mb: a leak or
  # an allocation the input chose. The corpus is read, never written.
  if ! "$build/bin/${target}_fuzz" -max_total_time="$seconds" -timeout=10 \
      -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$crashes/$target-" \
      "$scratch/$target" "$here/corpus/$target" >"$scratch/$target.log" 2>&1; then
    tail -n 60 "$scratch/$target.log"
    echo "fuzz $target failed; the input is in $crashes/"
    exit 1
  fi
  grep -E '^stat::number_of_executed_units|^#[0-9]+ *DONE' "$scratch/$target.log" | tail -n 2
done
