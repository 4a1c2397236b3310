// `gridaudit bench scale`: the commands a user runs, end to end from the store, at utility size
// (issue 17), beside the DuckDB peer answering the same question in the same run.
//
// Preparation (kept in --dir and reused with --reuse, as it takes minutes at 100,000 customers):
// generate `customers` x `days`, import into dir/gridaudit.db, and (with a peer script) read the
// same daily registers, meters, customers and network into the DuckDB file dir/peer.duckdb. Then
// each stage runs as its own cold process, timed from start to exit with its peak resident memory
// (wait4): `gridaudit loss --level area --period MONTH --json` exactly as a user runs it (this
// binary), `gridaudit audit --json` (every enabled rule, the run recorded in the store),
// `gridaudit vee --period MONTH --dry-run --json`, `gridaudit report --period MONTH --out
// dir/report.html`, and the peer's area balance of the same month. Targets (issue 17): loss within
// 1x of DuckDB, audit under 5 s. Thread safety: call from one thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "core/result.hpp"

namespace gridaudit {

struct ScaleBenchmarkOptions {
    int customers = 100'000;
    int days = 365;
    std::uint64_t seed = 1;
    std::string period;         // YYYY-MM; default: the last month of the generated data
    std::filesystem::path dir;  // working folder; default: a fresh temporary folder
    bool keep = false;          // keep the working folder afterwards (always with --dir)
    bool reuse = false;         // use the store (and peer file) already in `dir`
    std::string peer_script;    // bench/duckdb_scale_peer.mjs; none: GridAudit only
    int threads = 2;            // the peer's threads
};

// Runs the benchmark, prints a table of stage, time and peak memory; 0 when the targets are met
// (the loss target only with a peer to compare with), 1 when not.
[[nodiscard]] Result<int> run_scale_benchmark(const ScaleBenchmarkOptions& options);

}  // namespace gridaudit
