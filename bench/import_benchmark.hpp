// `gridaudit bench import`: the foundation's speed targets, measured stage by stage.
//
// Stages (each in its own process, so peak memory is per stage): write the data set; parse and
// validate the export folder (ami_daily.csv dominates); full import into a fresh SQLite store
// (parse, validate, write, commit); load every stored daily series back into a dense matrix.
// The peer, DuckDB's read_csv of the same ami_daily.csv, runs in the same invocation when
// node and bench/node_modules are present (bench/run.sh installs them).
#pragma once

#include <filesystem>
#include <string>

#include "core/result.hpp"

namespace gridaudit {

struct ImportBenchmarkOptions {
    int meters = 100'000;
    int days = 365;
    std::uint64_t seed = 7;
    std::filesystem::path dir;          // working folder; default: a fresh temporary folder
    std::filesystem::path peer_script;  // bench/duckdb_peer.mjs; empty: no peer
    bool keep = false;                  // keep the working folder afterwards
};

// Runs the benchmark, prints a table, returns the exit code.
[[nodiscard]] Result<int> run_import_benchmark(const ImportBenchmarkOptions& options);

}  // namespace gridaudit
