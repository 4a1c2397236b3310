// `gridaudit bench loss`: the energy balance and the culprit ranking at utility scale, against
// DuckDB doing the same aggregation and correlation on the same data.
//
// The data set is a formula both sides evaluate identically (bench/duckdb_loss_peer.mjs repeats
// it in SQL and prints the grand total to prove it): customers x days of float kWh, 100
// customers per area, 5 areas per feeder, 10 feeders per bus, 2 buses per substation; every
// 20th area has a customer registering 40 % of its consumption from day 200.
#pragma once

#include <filesystem>

#include "core/result.hpp"

namespace gridaudit {

struct LossBenchmarkOptions {
    int customers = 1'000'000;
    int days = 365;
    std::filesystem::path peer_script;  // bench/duckdb_loss_peer.mjs; empty: no peer
    int repeats = 3;                    // best of
};

// Runs the benchmark, prints a table, returns the exit code.
[[nodiscard]] Result<int> run_loss_benchmark(const LossBenchmarkOptions& options);

}  // namespace gridaudit
