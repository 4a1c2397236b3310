#!/usr/bin/env bash
# Builds the libFuzzer targets in build/fuzz (clang-19, ASan + UBSan) and runs each for a few
# seconds from its seed corpus in fuzz/corpus/<target>/. New inputs go to build/fuzz/corpus-<target>/
# (the seeds in the repository are not touched); a crash is saved in build/fuzz/artifacts/ and
# makes the script fail.
#   usage: fuzz/run-briefly.sh [SECONDS_PER_TARGET]   (default 20)
set -euo pipefail

seconds="${1:-20}"
source "$(dirname "$0")/fuzz_build.sh"
targets=("${all_targets[@]}")

build_fuzz_targets "${targets[@]}"

export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
mkdir -p "$build/artifacts"
for target in "${targets[@]}"; do
  corpus="$build/corpus-$target"
  mkdir -p "$corpus"
  echo "== $target for ${seconds}s"
  "$build/fuzz/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$build/artifacts/$target-" "$corpus" "$root/fuzz/corpus/$target"
done
