// Validated rows of an import batch, as the ingest layer hands them to the store.
//
// Master data and documents travel as generic rows (one FieldValue per contract column, in the
// contract's column order); the bulk time series travel as columns, so that tens of millions of
// values never become per-row objects. Thread safety: plain data.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "core/money.hpp"
#include "core/time.hpp"
#include "model/import_contract.hpp"

namespace gridaudit {

// Missing value, text/code/ratio/flags, integer, decimal, money, date, period, instant.
using FieldValue = std::variant<std::monostate, std::string, std::int64_t, double, Money, CivilDate, Period, Instant>;

// One valid row: values[i] belongs to spec->columns[i].
struct Row {
    std::vector<FieldValue> values;
    std::uint32_t line = 0;  // line of the CSV where the row starts (for messages)
};

struct TableRows {
    const TableSpec* spec = nullptr;
    std::vector<Row> rows;
};

// Interval flag bits, in the order of the ami_interval.csv `flags` codes.
enum IntervalFlag : std::uint8_t {
    interval_estimated = 1u << 0,
    interval_power_out = 1u << 1,
    interval_clock_adjusted = 1u << 2,
    interval_overflow = 1u << 3,
    interval_partial = 1u << 4,
    interval_tamper = 1u << 5,
};

// ami_daily.csv rows as columns. meter[i] indexes meter_ids. NaN marks an empty register.
struct DailySeriesRows {
    std::vector<std::string> meter_ids;
    std::vector<std::uint32_t> meter;
    std::vector<std::int32_t> day;  // CivilDate::days_since_epoch
    std::vector<double> import_register;
    std::vector<double> export_register;
    [[nodiscard]] std::size_t size() const { return day.size(); }
};

// ami_interval.csv rows as columns. NaN marks a missing kWh value.
struct IntervalSeriesRows {
    std::vector<std::string> meter_ids;
    std::vector<std::uint32_t> meter;
    std::vector<std::int64_t> start;  // Instant::unix_seconds
    std::vector<std::uint16_t> minutes;
    std::vector<double> kwh;
    std::vector<std::uint8_t> flags;  // IntervalFlag bits
    [[nodiscard]] std::size_t size() const { return start.size(); }
};

// One tariff file, stored verbatim.
struct TariffDocument {
    std::string id;
    std::string file;  // name inside tariffs/
    std::string json;
    std::string effective_from;  // the document's "effective_from" (YYYY-MM-DD), "" when it has none
};

// Everything of one export folder that passed validation.
struct ValidatedBatch {
    std::string source;        // folder imported
    std::string content_hash;  // hex digest of every file's bytes: the same export has the same hash
    std::vector<TableRows> tables;  // master data and events, in contract order
    DailySeriesRows daily;
    IntervalSeriesRows interval;
    std::vector<TariffDocument> tariffs;
    std::size_t rows_rejected = 0;
};

}  // namespace gridaudit
