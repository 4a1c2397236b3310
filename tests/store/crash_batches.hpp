// Test support for the kill -9 tests of the stores (SQLite and PostgreSQL): the state before (base
// meters with five days of readings), the large batch under test (new meters, renamed customers,
// a hundred later days for every meter, corrected first days), and a fingerprint of everything a
// reader can observe, so "before or after, never between" is one comparison.
#pragma once

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "batch_builder.hpp"
#include "store/store.hpp"

namespace gridaudit::testing {

struct CrashBatchSize {
    int base_meters = 0;
    int new_meters = 0;
    int batch_days = 0;  // (base + new meters) x batch_days daily rows in the large batch
};

inline std::string crash_meter_name(int meter) {
    return fmt::format("M{:06}", meter);
}
inline std::string crash_day_name(int offset) {
    return (day("2026-01-01") + offset).to_string();
}
inline double crash_reading(int meter, int offset) {
    return 1000.0 + meter % 997 + offset * 12.25;
}

// Master data of meters [first, last) and their customers, under one substation.
inline void add_crash_master(BatchBuilder& builder, int first, int last) {
    for (int m = first; m < last; ++m) builder.customer("C" + crash_meter_name(m), "N1");
    for (int m = first; m < last; ++m) builder.meter(crash_meter_name(m), "C" + crash_meter_name(m));
}

// The state before: base meters with five days of readings.
inline ValidatedBatch crash_base_batch(const CrashBatchSize& size) {
    BatchBuilder builder("base");
    builder.substation("N1");
    add_crash_master(builder, 0, size.base_meters);
    for (int m = 0; m < size.base_meters; ++m)
        for (int offset = 0; offset < 5; ++offset)
            builder.daily(crash_meter_name(m), crash_day_name(offset), crash_reading(m, offset), 0);
    return builder.batch();
}

// The batch under test: new meters, renamed customers, later days for every meter, and corrected
// readings of the first day for some meters.
inline ValidatedBatch crash_large_batch(const CrashBatchSize& size) {
    BatchBuilder builder("large");
    add_crash_master(builder, size.base_meters, size.base_meters + size.new_meters);
    for (int m = 0; m < std::min(500, size.base_meters); ++m)
        builder.row("customers", {text("C" + crash_meter_name(m)), text("Renamed"), missing(), text("N1"),
                                  text("residential"), missing(), decimal(0.22), decimal(8), text("RES-TIER"),
                                  missing(), text("active"), date("2019-04-01"), missing(), missing()});
    // The daily columns directly, as the ingest layer builds them (no per-row lookups).
    DailySeriesRows& daily = builder.batch().daily;
    const std::int32_t first_day = day("2026-01-01").days_since_epoch();
    const auto add = [&](int meter, int offset, double import_register, double export_register) {
        daily.meter.push_back(static_cast<std::uint32_t>(meter));
        daily.day.push_back(first_day + offset);
        daily.import_register.push_back(import_register);
        daily.export_register.push_back(export_register);
    };
    for (int m = 0; m < size.base_meters + size.new_meters; ++m) {
        daily.meter_ids.push_back(crash_meter_name(m));
        if (m % 20 == 0) add(m, 0, crash_reading(m, 0) + 0.5, 0);
        for (int offset = 5; offset < 5 + size.batch_days; ++offset)
            add(m, offset, crash_reading(m, offset), 0.01 * (m % 3));
    }
    return builder.batch();
}

// Everything a reader can observe, reduced to comparable values.
struct Fingerprint {
    std::vector<std::pair<std::string, std::int64_t>> counts;
    std::size_t batches = 0;
    std::size_t corrections = 0;
    std::uint64_t daily_checksum = 0;
    std::uint64_t customers_checksum = 0;
    bool operator==(const Fingerprint&) const = default;
};

inline std::uint64_t fnv1a(std::uint64_t hash, const void* data, std::size_t size) {
    const auto* bytes = static_cast<const unsigned char*>(data);
    for (std::size_t i = 0; i < size; ++i) hash = (hash ^ bytes[i]) * 1099511628211ull;
    return hash;
}

inline Fingerprint crash_fingerprint(Store& store, const CrashBatchSize& size) {
    Fingerprint result;
    result.counts = store.table_counts().value();
    result.batches = store.batches().value().size();
    result.corrections = store.corrections("").value().size();
    const auto matrix = store.load_daily({}, day("2026-01-01"), day("2026-01-01") + 5 + size.batch_days).value();
    std::uint64_t hash = 14695981039346656037ull;
    for (const auto& id : matrix.meter_ids) hash = fnv1a(hash, id.data(), id.size());
    for (const auto* values : {&matrix.import_register, &matrix.export_register})
        for (double value : *values) {
            if (std::isnan(value)) value = -1;  // one pattern for every missing value
            hash = fnv1a(hash, &value, sizeof value);
        }
    result.daily_checksum = hash;
    hash = 14695981039346656037ull;
    const auto customers = store.read_rows(*find_table("customers")).value();
    for (const auto& row : customers)
        for (const auto& value : row.values)
            if (const auto* text = std::get_if<std::string>(&value)) hash = fnv1a(hash, text->data(), text->size());
    result.customers_checksum = hash;
    return result;
}

}  // namespace gridaudit::testing
