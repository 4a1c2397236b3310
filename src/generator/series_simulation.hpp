// Simulation of the synthetic utility's time series and billing, streamed to CSV.
//
// Walks the network substation -> bus -> feeder -> transformer area and simulates each customer
// once: its true daily consumption, what its meters register (theft, stopped meters), the daily
// AMI rows, the month-end billing reads (with the injected estimated and missed reads), its bills
// priced from its tariff, payments and meter events. Each area's gateway then measures what its
// customers really drew plus the area's technical loss; feeders, buses and substations add theirs.
// Only one customer's series and one feeder's area totals are in memory at a time.
// Thread safety: one simulation per plan; not reentrant.
#pragma once

#include "core/progress.hpp"
#include "core/result.hpp"
#include "generator/csv_sink.hpp"
#include "generator/utility_plan.hpp"

namespace gridaudit {

struct SeriesSinks {
    CsvSink register_reads;
    CsvSink ami_daily;
    CsvSink ami_interval;
    CsvSink meter_events;
    CsvSink bills;
    CsvSink payments;
    CsvSink collections;
};

// Writes the series files (collections.csv last, from the payments written). Fills the truth rows
// that depend on simulated values (estimated_read, missed_read, wrong_tariff_category, the billing and
// account anomalies; withdraws those that found no bill) and adds account_collection_mismatch rows.
// `progress` hears the stage "simulating series" with the customers done of all, feeder by feeder.
// REQUIRES: every sink is open with its header written.
[[nodiscard]] Status simulate_series(UtilityPlan& plan, SeriesSinks& sinks,
                                     ProgressObserver& progress = null_progress());

}  // namespace gridaudit
