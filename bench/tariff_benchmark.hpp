// `gridaudit bench tariff`: recompute one year of monthly bills for many customers in memory.
//
// A deterministic data set of customers x 12 months over a mix of tariffs parsed from GridAudit
// tariff documents held in the benchmark (residential yearly tiers with the year-to-date position
// carried month to month, commercial time-of-use peak/flat/valley with a summer critical peak,
// large-industrial two-part per kVA of capacity and per kW of contracted demand with the
// power-factor adjustment, agricultural flat), priced customer-month by customer-month with
// price_month on all cores (oneTBB over customers, one reused MonthBill per thread).
//
// Stages (each in its own process, so peak memory is per stage): build the data set; build it again
// and price every customer-month. The pricing is timed inside the second stage. A checksum of all
// totals (independent of the order and the number of threads) keeps the work from being optimised
// away and shows that 1 and N threads agree. Thread safety: call from one thread.
#pragma once

#include <cstdint>

#include "core/result.hpp"

namespace gridaudit {

struct TariffBenchmarkOptions {
    int customers = 1'000'000;
    int threads = 0;  // 0: all cores
    std::uint64_t seed = 11;
};

// Runs the benchmark, prints a table, returns the exit code (0 when the target of 1,000,000 x 12
// bills in under 10 s, i.e. 1.2 M bills/s, is met; 1 if not).
[[nodiscard]] Result<int> run_tariff_benchmark(const TariffBenchmarkOptions& options);

}  // namespace gridaudit
