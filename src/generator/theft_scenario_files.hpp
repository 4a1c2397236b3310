// The interval theft scenario (theft_scenario.hpp) written as an ordinary export folder, so that
// `gridaudit import` and `gridaudit suspects` / `gridaudit eval` run on it as a user would
// (docs/generator.md, "The interval theft scenario as files"): network.csv (one substation, bus
// and feeder above the areas, each area with its gateway meter), customers.csv, meters.csv,
// ami_daily.csv (every meter's midnight register, from 0 on the first day), ami_interval.csv
// (the area meters' and interval customers' half-hours, each written as two 15-minute halves,
// the interval the store places) and theft_truth.csv (audit/theft_truth.hpp's columns).
// Thread safety: writes files; one call per folder at a time.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "generator/theft_scenario.hpp"

namespace gridaudit {

struct TheftScenarioFile {
    std::string file;
    std::uint64_t rows = 0;
    std::uint64_t bytes = 0;
};

struct TheftScenarioFilesSummary {
    std::size_t areas = 0;
    std::size_t customers = 0;
    std::size_t interval_customers = 0;
    std::size_t tampered = 0;
    std::vector<TheftScenarioFile> files;
};

// Customer ids of the files: area a (0-based), customer c of it (0-based).
[[nodiscard]] std::string theft_scenario_customer_id(std::size_t area, std::size_t customer);
[[nodiscard]] std::string theft_scenario_area_id(std::size_t area);

// Creates `folder` (or replaces an earlier scenario in it: a folder holding theft_truth.csv); a
// non-empty folder of anything else is refused.
[[nodiscard]] Result<TheftScenarioFilesSummary> write_theft_scenario_files(const TheftScenario& scenario,
                                                                           const std::filesystem::path& folder);

// The scenario's customers in the public SGCC theft-data layout (ingest/sgcc_file.hpp): CONS_NO
// as customers.csv's ids, FLAG 1 for the tampered, one column per day named `YYYY/M/D` in an
// order shuffled by `seed`, each metered day's kWh (3 decimals) or, for `blank_share` of the
// values, a blank. What SGCC lacks, the area meter and the intervals, is left out.
// REQUIRES: 0 <= blank_share < 1.
[[nodiscard]] std::string theft_scenario_sgcc_csv(const TheftScenario& scenario, std::uint64_t seed,
                                                  double blank_share);

}  // namespace gridaudit
