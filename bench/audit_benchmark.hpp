// `gridaudit bench audit`: the inspection catalogue of the service process, the metering devices
// and the master data (areas PROC and METER, MASTER-* included) over a whole synthetic utility.
//
// Preparation (not timed against the target): the generator writes a utility of `customers`
// customers with `days` days of AMI data and it is imported into a SQLite store in the working
// folder (kept with --keep, reused with --reuse). Then one stage in its own process (peak memory
// is its own): load every region into frames, then evaluate the PROC/METER rules on all cores
// (TBB) `repeats` times and keep the best, then the whole catalogue once for comparison. Target
// (issue 6): PROC + METER + MASTER over 1,000,000 customers in under 5 s.
#pragma once

#include <cstdint>
#include <filesystem>

#include "core/result.hpp"

namespace gridaudit {

struct AuditBenchmarkOptions {
    int customers = 1'000'000;
    int days = 35;
    std::uint64_t seed = 1;
    int repeats = 3;
    std::filesystem::path dir;  // working folder; default: a fresh temporary folder
    bool keep = false;          // keep the working folder afterwards
    bool reuse = false;         // use the store already in `dir` (skip generation and import)
};

// Runs the benchmark, prints a table, returns the exit code (0 when the target is met, 1 if not).
[[nodiscard]] Result<int> run_audit_benchmark(const AuditBenchmarkOptions& options);

}  // namespace gridaudit
