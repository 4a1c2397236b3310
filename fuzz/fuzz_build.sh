# Sourced by run-briefly.sh and run-long.sh: the fuzz targets, and their build in build/fuzz
# (clang-19, ASan + UBSan), configured on first use. Defines root, build, all_targets, build_fuzz_targets.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$root/build/fuzz"
all_targets=(fuzz_csv_reader fuzz_row_validation fuzz_tariff_loader fuzz_urdb_import fuzz_calendar_json
  fuzz_load_series fuzz_policy_toml fuzz_api_bodies fuzz_fee_center_csv fuzz_sgcc_file)

# build_fuzz_targets TARGET...: configures build/fuzz if needed and builds the named targets.
build_fuzz_targets() {
  # Configured every time (a no-op when nothing changed) so that a changed flag reaches an existing
  # build/fuzz. -Wno-deprecated-declarations: libstdc++ 12's std::stable_sort calls
  # std::get_temporary_buffer, which clang-19 in C++23 reports as deprecated at every instantiation
  # in our code; g++ (the test build, which must stay warning-free) still reports our own.
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++-19 \
    -DGRIDAUDIT_FUZZERS=ON -DGRIDAUDIT_TESTS=OFF -DGRIDAUDIT_BENCHMARKS=OFF \
    -DCMAKE_CXX_FLAGS="-fsanitize=address,undefined -fno-omit-frame-pointer -Wno-deprecated-declarations" >/dev/null
  ninja -C "$build" -j2 "$@"
}
