// Load series: reading them from CSV, turning them into monthly usage for a tariff, and pricing
// them month by month.
//
// CSV layouts (docs/tariffs.md):
//   one column        hourly average kW, one value per hour from a start date (a header line of
//                     any text, as in the URDB reference files, or none);
//   kw[,kvar]         the same with named columns, optionally reactive (average kvar);
//   start,kwh[,kvarh][,minutes]   timestamped intervals (local clock time "2026-01-01T00:15", an
//                     offset if written is not applied); `kw` may stand for `kwh` (average kW);
//                     without `minutes` the interval length is the most common spacing.
// Read as RFC 4180 CSV (text/csv_reader), fields trimmed of spaces and tabs, blank lines skipped.
// Columns named x_... are ignored. Values are finite and at least 0; intervals rise in time and
// do not overlap (gaps are allowed and make partial months).
// Energy is split onto 15-minute slots by time (an hour across 11:30 gives half to each period);
// the month's maximum demand is the highest interval average kW.
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "tariff/pricing_engine.hpp"

namespace gridaudit {

// One interval in the utility's local clock time.
struct LoadInterval {
    CivilDate day;
    std::int32_t start_minute = 0;  // after local midnight, 0..1439
    std::int32_t minutes = 60;      // 1..1440
    double kwh = 0;
    double kvarh = not_measured;
};

struct LoadSeries {
    std::vector<LoadInterval> intervals;  // in time order, not overlapping
    bool timestamped = false;             // read with timestamps (not a bare hourly list)
    bool has_reactive = false;
};

// The default start of an untimed series: 2018-01-01, a Monday 1 January (NREL SAM's calendar).
[[nodiscard]] CivilDate default_series_start();

// Parses a load CSV. `start` dates an untimed series (default: default_series_start()); giving it
// for a timestamped series is an error. Errors: `file:line:column: column: what is wrong (value)`.
[[nodiscard]] Result<LoadSeries> parse_load_csv(std::string_view content, std::string_view source_name,
                                                std::optional<CivilDate> start);

// An hourly series from `start`: kW (and optional kvar) per hour.
[[nodiscard]] LoadSeries hourly_load(CivilDate start, std::span<const double> kw, std::span<const double> kvar = {});

// Usage of each calendar month the series touches, in order, for pricing under `tariff`.
[[nodiscard]] Result<std::vector<MonthUsage>> monthly_usage(const Tariff& tariff, const LoadSeries& series);

// Prices every month of the series, carrying `state` (tier accumulation, yearly charges) through.
[[nodiscard]] Result<std::vector<MonthBill>> price_load_series(const Tariff& tariff, const CustomerTerms& terms,
                                                               const LoadSeries& series, BillingState state = {});

}  // namespace gridaudit
