// The synthetic county utility: `gridaudit generate` and `gridaudit demo`.
//
// generate_utility() writes an export folder that follows the import contract exactly
// (src/model/import_contract.cpp) -- org units, staff, network with gateway meters, customers,
// meters, daily and 15-minute AMI data, billing reads, bills priced with the tariff engine, payments,
// daily collections, work orders, meter events and one tariffs/<id>.json per tariff used -- plus
// truth.csv, the anomalies it injected (columns subject_kind,subject_id,anomaly,start,end,magnitude,
// detail). What the utility looks like, every anomaly kind and how it shows in the data are
// documented in docs/generator.md.
//
// Deterministic: the same options give byte-identical files on any platform (own PRNG and
// distributions, fixed-point formatting, no unordered iteration, single-threaded output).
// Memory stays proportional to the number of customers, not to customers x days: series are
// simulated and written one customer at a time.
// Thread safety: generate_utility may run concurrently for different output folders.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/progress.hpp"
#include "core/result.hpp"
#include "core/time.hpp"

namespace gridaudit {

struct GeneratorOptions {
    std::filesystem::path out;
    int customers = 10000;  // 200 .. 2,000,000
    int days = 730;         // 28 .. 1,800 days of AMI data ending on last_day
    std::uint64_t seed = 1;
    CivilDate last_day = CivilDate::from_ymd(2026, 10, 31);
    // Register rollovers (truth `register_rollover`): off by default, because usage computed as a
    // plain register difference goes wrong across them; VEE tests switch them on.
    bool register_rollovers = false;
    // Hears the stages: "planning the utility", "writing master data", "simulating series" (the
    // customers done of all), "writing work orders, tariffs and truth.csv". Never null.
    ProgressObserver* progress = &null_progress();
};

struct GeneratedFile {
    std::string file;  // relative to the output folder: "ami_daily.csv", "tariffs/RES-TIER.json"
    std::uint64_t rows = 0;  // data rows (header excluded); 1 for a JSON document
    std::uint64_t bytes = 0;
};

struct AnomalyCount {
    std::string anomaly;  // truth.csv `anomaly` code
    std::uint64_t count = 0;
};

struct GenerationSummary {
    CivilDate first_day;  // first day of AMI data
    CivilDate last_day;
    std::uint64_t customers = 0;
    std::uint64_t meters = 0;  // customer and gateway meters, removed ones included
    std::uint64_t areas = 0;   // transformer areas
    std::vector<GeneratedFile> files;     // in import-contract order, tariffs, then truth.csv
    std::vector<AnomalyCount> anomalies;  // every kind, in the order of docs/generator.md
    std::uint64_t total_bytes = 0;
};

// Writes the synthetic utility into options.out (created when missing). Refuses (user error)
// an existing non-empty folder that is not an earlier generator output (one holding truth.csv);
// an earlier output is overwritten. Invalid options are a user error; I/O failures external.
[[nodiscard]] Result<GenerationSummary> generate_utility(const GeneratorOptions& options);

// The anomaly codes of truth.csv, in documentation order.
[[nodiscard]] const std::vector<std::string>& synthetic_anomaly_kinds();

}  // namespace gridaudit
