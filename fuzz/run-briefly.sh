#!/usr/bin/env bash
# Builds the libFuzzer targets in build/fuzz (clang-19, ASan + UBSan) and runs each for a few
# seconds from its seed corpus in fuzz/corpus/<target>/. New inputs go to build/fuzz/corpus-<target>/
# (the seeds in the repository are not touched); a crash is saved in build/fuzz/artifacts/ and
# makes the script fail.
#   usage: fuzz/run-briefly.sh [SECONDS_PER_TARGET]   (default 20)
set -euo pipefail

seconds="${1:-20}"
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$root/build/fuzz"
targets=(fuzz_csv_reader fuzz_row_validation fuzz_tariff_loader fuzz_urdb_import fuzz_calendar_json fuzz_load_series
  fuzz_policy_toml)

if [[ ! -f "$build/build.ninja" ]]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++-19 \
    -DGRIDAUDIT_FUZZERS=ON -DGRIDAUDIT_TESTS=OFF -DGRIDAUDIT_BENCHMARKS=OFF \
    -DCMAKE_CXX_FLAGS="-fsanitize=address,undefined -fno-omit-frame-pointer" >/dev/null
fi
ninja -C "$build" -j2 "${targets[@]}"

export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
mkdir -p "$build/artifacts"
for target in "${targets[@]}"; do
  corpus="$build/corpus-$target"
  mkdir -p "$corpus"
  echo "== $target for ${seconds}s"
  "$build/fuzz/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$build/artifacts/$target-" "$corpus" "$root/fuzz/corpus/$target"
done
