// `gridaudit bench suspects`: the suspect ranking (analysis/suspect_ranking.hpp) of every customer
// of synthetic transformer areas of 200 customers, in memory: daily data (1,000,000 customers x
// 365 days by default, target < 20 s) and half-hour intervals for the area meter and every
// customer (100,000 x 30 days x 48, target < 10 s); and the learned model (analysis/suspect_model.hpp)
// trained with its default parameters on 100,000 labelled customers' features (target < 60 s). Each stage runs in its own process (peak
// memory its own); the areas are synthesized inside the ranking loop, one per task, so the
// synthesis is timed alone first and the ranking's time is the difference.
// Thread safety: call from one thread (it uses TBB's threads inside).
#pragma once

#include <cstdint>

#include "core/result.hpp"

namespace gridaudit {

struct SuspectsBenchmarkOptions {
    int daily_customers = 1'000'000;
    int daily_days = 365;
    int interval_customers = 100'000;
    int interval_days = 30;
    int training_customers = 100'000;  // labelled customers the model is trained on (30 daily days each)
    std::uint64_t seed = 11;
};

// Prints a table; returns 0 when both targets are met, 1 if not.
[[nodiscard]] Result<int> run_suspects_benchmark(const SuspectsBenchmarkOptions& options);

}  // namespace gridaudit
