// `gridaudit bench api`: the HTTP API under load. Preparation (not timed against the target): the
// generator's utility of `customers` x `days` (the demo's size by default) imported and audited
// into a SQLite store in the working folder (kept with --keep, reused with --reuse). Then one stage
// in its own process (its peak memory is the server's): the server started in-process on a free
// port, the findings read once (the load of the regions, printed apart), then wrk (Debian's,
// /usr/bin/wrk) for `seconds` with a Lua script that rotates the read routes (finding lists with
// filters, sorts and pages, single findings) with the bearer token; requests/s, p50/p99 latency and
// errors as wrk counts them. Target (issue 14): reads >= 2,000 requests/s with p99 < 50 ms and no
// errors on this machine (2 cores).
#pragma once

#include <cstdint>
#include <filesystem>

#include "core/result.hpp"

namespace gridaudit {

struct ApiBenchmarkOptions {
    int customers = 10'000;
    int days = 730;
    std::uint64_t seed = 1;
    int seconds = 10;           // of wrk per load
    int connections = 8;        // wrk connections (the server gets as many worker threads)
    int wrk_threads = 1;        // wrk's own threads
    std::filesystem::path dir;  // working folder; default: a fresh temporary folder
    bool keep = false;
    bool reuse = false;
};

// Runs the benchmark, prints its figures, returns the exit code (0 when the targets are met).
[[nodiscard]] Result<int> run_api_benchmark(const ApiBenchmarkOptions& options);

}  // namespace gridaudit
