// Tests of the packed interval series: round trip, merge rules and corrections.
#include "store/interval_series_table.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "batch_builder.hpp"
#include "store/sqlite_store.hpp"

namespace gridaudit {
namespace {

using namespace gridaudit::testing;

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

class IntervalSeriesTableTest : public ::testing::Test {
protected:
    void SetUp() override {
        auto opened = SqliteStore::open(directory_.file("store.db"));
        ASSERT_TRUE(opened.has_value()) << opened.error().message();
        store_ = std::move(*opened);
        BatchBuilder master("master");
        master.master_data({"M1", "M2"});
        ASSERT_TRUE(store_->apply_batch(master.batch(), {}).has_value());
    }

    TableChange apply(const BatchBuilder& builder) {
        auto outcome = store_->apply_batch(builder.batch(), {});
        EXPECT_TRUE(outcome.has_value()) << outcome.error().message();
        if (outcome)
            for (const auto& change : outcome->changes)
                if (change.table == "ami_interval") return change;
        return TableChange{"none"};
    }

    IntervalSeriesRows read(std::vector<std::string> meters, std::string_view from, std::string_view to) {
        auto rows = store_->read_interval(meters, *Instant::parse(from), *Instant::parse(to));
        EXPECT_TRUE(rows.has_value()) << rows.error().message();
        return rows.value_or(IntervalSeriesRows{});
    }

    TemporaryDirectory directory_;
    std::unique_ptr<SqliteStore> store_;
};

TEST_F(IntervalSeriesTableTest, IntervalsReadBackAsImportedAcrossUtcDays) {
    BatchBuilder builder("intervals");
    // Local midnight at +08:00 is 16:00 UTC the day before: one local day spans two UTC days.
    builder.interval("M1", "2026-10-31T23:45:00+08:00", 15, 1.25)
        .interval("M1", "2026-10-31T00:00:00+08:00", 15, 0.75, interval_estimated | interval_power_out)
        .interval("M1", "2026-10-31T00:15:00+08:00", 15, nan, interval_power_out)
        .interval("M1", "2026-10-31T01:00:00+08:00", 60, -0.5)
        .interval("M2", "2026-10-31T00:00:00Z", 5, 0.001);
    const auto change = apply(builder);
    EXPECT_EQ(change.inserted, 5u);

    const auto rows = read({}, "2026-10-30T00:00:00Z", "2026-11-01T00:00:00Z");
    ASSERT_EQ(rows.size(), 5u);
    ASSERT_EQ(rows.meter_ids, (std::vector<std::string>{"M1", "M2"}));
    const std::int64_t expected_start[] = {
        Instant::parse("2026-10-31T00:00:00+08:00")->unix_seconds(),
        Instant::parse("2026-10-31T00:15:00+08:00")->unix_seconds(),
        Instant::parse("2026-10-31T01:00:00+08:00")->unix_seconds(),
        Instant::parse("2026-10-31T23:45:00+08:00")->unix_seconds(),
        Instant::parse("2026-10-31T00:00:00Z")->unix_seconds(),
    };
    const std::uint16_t expected_minutes[] = {15, 15, 60, 15, 5};
    const double expected_kwh[] = {0.75, nan, -0.5, 1.25, 0.001};
    const std::uint8_t expected_flags[] = {interval_estimated | interval_power_out, interval_power_out, 0, 0, 0};
    for (std::size_t i = 0; i < 5; ++i) {
        EXPECT_EQ(rows.meter[i], i < 4 ? 0u : 1u) << i;
        EXPECT_EQ(rows.start[i], expected_start[i]) << i;
        EXPECT_EQ(rows.minutes[i], expected_minutes[i]) << i;
        if (std::isnan(expected_kwh[i]))
            EXPECT_TRUE(std::isnan(rows.kwh[i])) << i;
        else
            EXPECT_EQ(rows.kwh[i], expected_kwh[i]) << i;
        EXPECT_EQ(rows.flags[i], expected_flags[i]) << i;
    }
    const auto counts = store_->table_counts().value();
    const auto interval_count =
        std::find_if(counts.begin(), counts.end(), [](const auto& entry) { return entry.first == "ami_interval"; });
    ASSERT_NE(interval_count, counts.end());
    EXPECT_EQ(interval_count->second, 5);
}

TEST_F(IntervalSeriesTableTest, ReadingSelectsMetersAndATimeWindow) {
    BatchBuilder builder("intervals");
    for (int quarter = 0; quarter < 96; ++quarter) {
        const auto start = Instant::parse("2026-10-31T00:00:00Z")->unix_seconds() + quarter * 900;
        builder.interval("M1", Instant::from_unix_seconds(start).to_string(0), 15, quarter * 0.01);
        builder.interval("M2", Instant::from_unix_seconds(start).to_string(0), 15, 1.0);
    }
    apply(builder);
    const auto rows = read({"M1"}, "2026-10-31T01:00:00Z", "2026-10-31T02:00:00Z");
    ASSERT_EQ(rows.size(), 4u);
    EXPECT_EQ(rows.meter_ids, (std::vector<std::string>{"M1"}));
    EXPECT_EQ(rows.kwh[0], 4 * 0.01);
    EXPECT_EQ(rows.kwh[3], 7 * 0.01);
}

TEST_F(IntervalSeriesTableTest, LaterIntervalsAppendAndIdenticalOnesAreUnchanged) {
    BatchBuilder first("first");
    first.interval("M1", "2026-10-31T00:00:00Z", 15, 0.5).interval("M1", "2026-10-31T00:15:00Z", 15, 0.25);
    EXPECT_EQ(apply(first).inserted, 2u);
    BatchBuilder second("second");
    second.interval("M1", "2026-10-31T00:15:00Z", 15, 0.25).interval("M1", "2026-10-31T00:30:00Z", 15, 0.125);
    const auto change = apply(second);
    EXPECT_EQ(change.inserted, 1u);
    EXPECT_EQ(change.unchanged, 1u);
    EXPECT_EQ(read({"M1"}, "2026-10-31T00:00:00Z", "2026-11-01T00:00:00Z").size(), 3u);
    EXPECT_TRUE(store_->corrections("ami_interval").value().empty());
}

TEST_F(IntervalSeriesTableTest, ChangedValuesAreCorrectionsAndEmptyKwhNeverOverwrites) {
    BatchBuilder first("first");
    first.interval("M1", "2026-10-31T00:00:00Z", 15, 0.5).interval("M1", "2026-10-31T00:15:00Z", 15, 0.25);
    apply(first);
    BatchBuilder second("second");
    second.interval("M1", "2026-10-31T00:00:00Z", 15, 0.75, interval_estimated)
        .interval("M1", "2026-10-31T00:15:00Z", 15, nan);
    const auto change = apply(second);
    EXPECT_EQ(change.corrected, 1u);
    EXPECT_EQ(change.unchanged, 1u);
    const auto corrections = store_->corrections("ami_interval").value();
    ASSERT_EQ(corrections.size(), 2u);
    EXPECT_EQ(corrections[0].row_key, "M1|2026-10-31T00:00:00Z");
    EXPECT_EQ(corrections[0].column, "kwh");
    EXPECT_EQ(corrections[0].old_value, "0.5");
    EXPECT_EQ(corrections[0].new_value, "0.75");
    EXPECT_EQ(corrections[1].column, "flags");
    EXPECT_EQ(corrections[1].old_value, "");
    EXPECT_EQ(corrections[1].new_value, "estimated");
    const auto rows = read({"M1"}, "2026-10-31T00:00:00Z", "2026-11-01T00:00:00Z");
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows.kwh[0], 0.75);
    EXPECT_EQ(rows.flags[0], interval_estimated);
    EXPECT_EQ(rows.kwh[1], 0.25);
}

}  // namespace
}  // namespace gridaudit
