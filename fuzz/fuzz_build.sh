# Sourced by run-briefly.sh and run-long.sh: the fuzz targets, and their build in build/fuzz
# (clang-19, ASan + UBSan), configured on first use. Defines root, build, all_targets, build_fuzz_targets.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$root/build/fuzz"
all_targets=(fuzz_csv_reader fuzz_row_validation fuzz_tariff_loader fuzz_urdb_import fuzz_calendar_json
  fuzz_load_series fuzz_policy_toml fuzz_api_bodies fuzz_fee_center_csv fuzz_sgcc_file)

# build_fuzz_targets TARGET...: configures build/fuzz if needed and builds the named targets.
build_fuzz_targets() {
  if [[ ! -f "$build/build.ninja" ]]; then
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++-19 \
      -DGRIDAUDIT_FUZZERS=ON -DGRIDAUDIT_TESTS=OFF -DGRIDAUDIT_BENCHMARKS=OFF \
      -DCMAKE_CXX_FLAGS="-fsanitize=address,undefined -fno-omit-frame-pointer" >/dev/null
  fi
  ninja -C "$build" -j2 "$@"
}
