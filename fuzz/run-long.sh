#!/usr/bin/env bash
# The long fuzzing run (`make fuzz FUZZ_RUNS=10000000`): builds the libFuzzer targets in build/fuzz
# as fuzz/run-briefly.sh does, runs each target for RUNS executions (-runs=) from its seed corpus
# fuzz/corpus/<target>/ and its working corpus build/fuzz/corpus-<target>/, then merges what found
# new coverage into fuzz/corpus/<target>/ (-merge=1: only inputs that add coverage, kept small by
# -max_len), so the repository's corpus grows with each long run; commit it. A crash is saved in
# build/fuzz/artifacts/ and makes the script fail.
#   usage: fuzz/run-long.sh RUNS [TARGET...]   (default: every target)
set -euo pipefail

runs="${1:?usage: fuzz/run-long.sh RUNS [TARGET...]}"
shift
source "$(dirname "$0")/fuzz_build.sh"
targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then
  targets=("${all_targets[@]}")
fi

build_fuzz_targets "${targets[@]}"

export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
mkdir -p "$build/artifacts"
for target in "${targets[@]}"; do
  corpus="$build/corpus-$target"
  seeds="$root/fuzz/corpus/$target"
  mkdir -p "$corpus" "$seeds"
  echo "== $target for $runs runs"
  "$build/fuzz/$target" -runs="$runs" -max_len=4096 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$build/artifacts/$target-" "$corpus" "$seeds"
  echo "== $target: merging new coverage into fuzz/corpus/$target"
  "$build/fuzz/$target" -merge=1 -max_len=4096 -rss_limit_mb=2048 "$seeds" "$corpus" 2>&1 | tail -n 1
done
