// `gridaudit bench vee`: validation and estimation of 15-minute interval values in memory.
//
// Stages (each in its own process, so peak memory is per stage): synthesize the interval matrix
// (meters x days x 96 values, 1 % of values missing in runs of 1-16, a few meter-estimated and
// clock-adjusted values, daily register deltas); then synthesize it again and validate and
// estimate every value with every check on, on all cores (TBB). The VEE rate is values / (time of
// stage 2 - time of stage 1); stage 2's own rate (synthesis included) is printed too.
#pragma once

#include <cstdint>

#include "core/result.hpp"

namespace gridaudit {

struct VeeBenchmarkOptions {
    int meters = 10'000;
    int days = 31;
    std::uint64_t seed = 7;
    double gap_fraction = 0.01;
};

// Runs the benchmark, prints a table, returns the exit code (0 when the target is met, 1 if not).
[[nodiscard]] Result<int> run_vee_benchmark(const VeeBenchmarkOptions& options);

}  // namespace gridaudit
