// Tests of the packed daily series: merge rules of later batches and loading the dense matrix.
#include "store/daily_series_table.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "batch_builder.hpp"
#include "store/migrations.hpp"
#include "store/sqlite_store.hpp"
#include "store/store.hpp"
#include "store_backends.hpp"

namespace gridaudit {
namespace {

using namespace gridaudit::testing;

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

template <class Backend>
class DailySeriesTableTest : public StoreBackendTest<Backend> {
protected:
    void SetUp() override {
        StoreBackendTest<Backend>::SetUp();
        if (this->HasFatalFailure()) return;
        store_ = this->open_store();
        ASSERT_NE(store_, nullptr);
        BatchBuilder master("master");
        master.master_data({"M1", "M2", "M3"});
        ASSERT_TRUE(store_->apply_batch(master.batch(), {}).has_value());
    }

    ImportOutcome apply(const BatchBuilder& builder) {
        auto outcome = store_->apply_batch(builder.batch(), {});
        EXPECT_TRUE(outcome.has_value()) << outcome.error().message();
        return outcome.value_or(ImportOutcome{});
    }

    static TableChange daily_change(const ImportOutcome& outcome) {
        for (const auto& change : outcome.changes)
            if (change.table == "ami_daily") return change;
        return TableChange{"none"};
    }

    DailyMatrix load(const std::vector<std::string>& meters, std::string_view first, std::string_view last) {
        auto matrix = store_->load_daily(meters, day(first), day(last));
        EXPECT_TRUE(matrix.has_value()) << matrix.error().message();
        return matrix.value_or(DailyMatrix{});
    }

    std::int64_t stored_meter_days() {
        const auto counts = store_->table_counts().value();
        for (const auto& [table, count] : counts)
            if (table == "ami_daily") return count;
        return -1;
    }

    std::unique_ptr<Store> store_;
};
TYPED_TEST_SUITE(DailySeriesTableTest, StoreBackends, BackendName);

// The value at (meter row, day) must be `expected`, NaN meaning missing.
void expect_value(double actual, double expected, std::string_view what) {
    if (std::isnan(expected))
        EXPECT_TRUE(std::isnan(actual)) << what << ": expected missing, got " << actual;
    else
        EXPECT_EQ(actual, expected) << what;
}

TYPED_TEST(DailySeriesTableTest, LoadsAMatrixAcrossAMonthBoundaryWithGaps) {
    BatchBuilder builder("days");
    builder.daily("M1", "2026-01-30", 100.25, 0)
        .daily("M1", "2026-01-31", 110.5, 0)
        .daily("M1", "2026-02-02", 131.75, 0.5)  // 02-01 never received
        .daily("M2", "2026-01-31", 7.0, nan)     // export not collected
        .daily("M2", "2026-02-01", nan, nan);    // a row with both registers empty
    const auto change = TestFixture::daily_change(this->apply(builder));
    EXPECT_EQ(change.inserted, 5u);
    EXPECT_EQ(this->stored_meter_days(), 5);

    const auto matrix = this->load({}, "2026-01-30", "2026-02-02");
    ASSERT_EQ(matrix.meter_ids, (std::vector<std::string>{"M1", "M2", "M3"}));
    ASSERT_EQ(matrix.day_count, 4);
    EXPECT_EQ(matrix.first_day, day("2026-01-30"));
    const double m1_import[] = {100.25, 110.5, nan, 131.75};
    const double m1_export[] = {0, 0, nan, 0.5};
    const double m2_import[] = {nan, 7.0, nan, nan};
    for (int d = 0; d < 4; ++d) {
        expect_value(matrix.import_at(0, d), m1_import[d], fmt::format("M1 import day {}", d));
        expect_value(matrix.export_at(0, d), m1_export[d], fmt::format("M1 export day {}", d));
        expect_value(matrix.import_at(1, d), m2_import[d], fmt::format("M2 import day {}", d));
        expect_value(matrix.export_at(1, d), nan, fmt::format("M2 export day {}", d));
        expect_value(matrix.import_at(2, d), nan, fmt::format("M3 import day {}", d));
    }
}

TYPED_TEST(DailySeriesTableTest, ClipsStoredMonthsToTheRequestedDays) {
    BatchBuilder builder("days");
    for (int d = 1; d <= 28; ++d) builder.daily("M1", fmt::format("2026-02-{:02}", d), 1000.0 + d, 0);
    this->apply(builder);
    const auto matrix = this->load({"M1"}, "2026-02-10", "2026-02-12");
    ASSERT_EQ(matrix.day_count, 3);
    EXPECT_EQ(matrix.import_at(0, 0), 1010.0);
    EXPECT_EQ(matrix.import_at(0, 2), 1012.0);
    const auto wider = this->load({"M1"}, "2026-01-31", "2026-03-01");
    EXPECT_TRUE(std::isnan(wider.import_at(0, 0)));
    EXPECT_EQ(wider.import_at(0, 1), 1001.0);
    EXPECT_EQ(wider.import_at(0, 28), 1028.0);
    EXPECT_TRUE(std::isnan(wider.import_at(0, 29)));
}

TYPED_TEST(DailySeriesTableTest, LoadsListedMetersInTheGivenOrderWithUnknownOnesMissing) {
    BatchBuilder builder("days");
    builder.daily("M1", "2026-03-01", 1.0, 0).daily("M2", "2026-03-01", 2.0, 0);
    this->apply(builder);
    const auto matrix = this->load({"M2", "M404", "M1"}, "2026-03-01", "2026-03-01");
    ASSERT_EQ(matrix.meter_ids, (std::vector<std::string>{"M2", "M404", "M1"}));
    EXPECT_EQ(matrix.import_at(0, 0), 2.0);
    EXPECT_TRUE(std::isnan(matrix.import_at(1, 0)));
    EXPECT_EQ(matrix.import_at(2, 0), 1.0);
}

TYPED_TEST(DailySeriesTableTest, ALaterBatchOfLaterDaysAppends) {
    BatchBuilder first("first");
    for (int d = 1; d <= 10; ++d) first.daily("M1", fmt::format("2026-04-{:02}", d), 10.0 * d, 0);
    this->apply(first);
    BatchBuilder second("second");
    for (int d = 11; d <= 20; ++d) second.daily("M1", fmt::format("2026-04-{:02}", d), 10.0 * d, 0);
    const auto change = TestFixture::daily_change(this->apply(second));
    EXPECT_EQ(change.inserted, 10u);
    EXPECT_EQ(change.unchanged, 0u);
    EXPECT_EQ(this->stored_meter_days(), 20);
    const auto matrix = this->load({"M1"}, "2026-04-01", "2026-04-20");
    for (int d = 0; d < 20; ++d) EXPECT_EQ(matrix.import_at(0, d), 10.0 * (d + 1)) << d;
    EXPECT_TRUE(this->store_->corrections("ami_daily").value().empty());
}

TYPED_TEST(DailySeriesTableTest, IdenticalDaysUnderANewHashAreUnchanged) {
    BatchBuilder first("first");
    first.daily("M1", "2026-05-01", 1.5, 0).daily("M2", "2026-05-01", 2.5, 0);
    this->apply(first);
    BatchBuilder second("second");
    second.daily("M2", "2026-05-01", 2.5, 0).daily("M1", "2026-05-01", 1.5, 0);
    const auto change = TestFixture::daily_change(this->apply(second));
    EXPECT_EQ(change.inserted, 0u);
    EXPECT_EQ(change.unchanged, 2u);
    EXPECT_EQ(change.corrected, 0u);
    EXPECT_TRUE(this->store_->corrections("ami_daily").value().empty());
}

TYPED_TEST(DailySeriesTableTest, AChangedValueIsACorrection) {
    BatchBuilder first("first");
    first.daily("M1", "2026-05-04", 400.0, 0).daily("M1", "2026-05-05", 500.25, 0);
    this->apply(first);
    BatchBuilder second("second");
    second.daily("M1", "2026-05-05", 501.0, 0.75);
    const auto outcome = this->apply(second);
    const auto change = TestFixture::daily_change(outcome);
    EXPECT_EQ(change.corrected, 1u);
    EXPECT_EQ(change.inserted, 0u);
    const auto corrections = this->store_->corrections("ami_daily").value();
    ASSERT_EQ(corrections.size(), 2u);
    EXPECT_EQ(corrections[0].batch_id, outcome.batch_id);
    EXPECT_EQ(corrections[0].row_key, "M1|2026-05-05");
    EXPECT_EQ(corrections[0].column, "import_register");
    EXPECT_EQ(corrections[0].old_value, "500.25");
    EXPECT_EQ(corrections[0].new_value, "501");
    EXPECT_EQ(corrections[1].column, "export_register");
    EXPECT_EQ(corrections[1].old_value, "0");
    EXPECT_EQ(corrections[1].new_value, "0.75");
    const auto matrix = this->load({"M1"}, "2026-05-04", "2026-05-05");
    EXPECT_EQ(matrix.import_at(0, 0), 400.0);
    EXPECT_EQ(matrix.import_at(0, 1), 501.0);
    EXPECT_EQ(matrix.export_at(0, 1), 0.75);
}

TYPED_TEST(DailySeriesTableTest, AnEmptyValueNeverOverwritesAStoredOne) {
    BatchBuilder first("first");
    first.daily("M1", "2026-06-01", 100.5, nan);
    this->apply(first);
    BatchBuilder second("second");
    second.daily("M1", "2026-06-01", nan, nan);
    EXPECT_EQ(TestFixture::daily_change(this->apply(second)).unchanged, 1u);
    BatchBuilder third("third");
    third.daily("M1", "2026-06-01", nan, 3.0);  // a late export value fills the gap, recorded
    EXPECT_EQ(TestFixture::daily_change(this->apply(third)).corrected, 1u);
    const auto matrix = this->load({"M1"}, "2026-06-01", "2026-06-01");
    EXPECT_EQ(matrix.import_at(0, 0), 100.5);
    EXPECT_EQ(matrix.export_at(0, 0), 3.0);
    const auto corrections = this->store_->corrections("ami_daily").value();
    ASSERT_EQ(corrections.size(), 1u);
    EXPECT_EQ(corrections[0].column, "export_register");
    EXPECT_EQ(corrections[0].old_value, "");
    EXPECT_EQ(corrections[0].new_value, "3");
}

TYPED_TEST(DailySeriesTableTest, RowsInAnyOrderGiveTheSameStore) {
    // Day-major order (as a head-end exports a day at a time) takes the counting sort path.
    BatchBuilder builder("days");
    for (int d = 1; d <= 31; ++d)
        for (const auto* meter : {"M3", "M1", "M2"})
            builder.daily(meter, fmt::format("2026-07-{:02}", d), d * 1.25 + (meter[1] - '0'), 0);
    EXPECT_EQ(TestFixture::daily_change(this->apply(builder)).inserted, 93u);
    const auto matrix = this->load({}, "2026-07-01", "2026-07-31");
    for (std::size_t m = 0; m < 3; ++m)
        for (int d = 0; d < 31; ++d)
            EXPECT_EQ(matrix.import_at(m, d), (d + 1) * 1.25 + static_cast<double>(m + 1)) << m << " " << d;
}

TYPED_TEST(DailySeriesTableTest, DaysYearsApartTakeTheSparsePath) {
    BatchBuilder builder("days");
    builder.daily("M2", "2030-01-01", 3.0, 0).daily("M1", "1999-12-31", 1.0, 0).daily("M1", "2030-01-01", 2.0, 0);
    EXPECT_EQ(TestFixture::daily_change(this->apply(builder)).inserted, 3u);
    EXPECT_EQ(this->load({"M1"}, "1999-12-31", "1999-12-31").import_at(0, 0), 1.0);
    const auto later = this->load({}, "2030-01-01", "2030-01-01");
    EXPECT_EQ(later.import_at(0, 0), 2.0);
    EXPECT_EQ(later.import_at(1, 0), 3.0);
    const auto range = this->store_->daily_range().value();
    ASSERT_TRUE(range.has_value());
    EXPECT_EQ(range->first, day("1999-12-31"));
    EXPECT_EQ(range->second, day("2030-01-01"));
}

TYPED_TEST(DailySeriesTableTest, DailyRangeIsEmptyWithoutData) {
    EXPECT_FALSE(this->store_->daily_range().value().has_value());
}

TYPED_TEST(DailySeriesTableTest, DailyRangeFindsTheFirstAndLastStoredDay) {
    BatchBuilder builder("days");
    builder.daily("M2", "2026-08-17", 1.0, 0).daily("M1", "2026-08-09", 1.0, 0).daily("M1", "2026-10-03", 1.0, 0);
    this->apply(builder);
    const auto range = this->store_->daily_range().value();
    ASSERT_TRUE(range.has_value());
    EXPECT_EQ(range->first, day("2026-08-09"));
    EXPECT_EQ(range->second, day("2026-10-03"));
}

TYPED_TEST(DailySeriesTableTest, TheStoredRangeGrowsWithEachBatch) {
    BatchBuilder first("first");
    first.daily("M1", "2026-08-09", 1.0, 0).daily("M2", "2026-09-30", 1.0, 0);
    this->apply(first);
    BatchBuilder second("second");
    second.daily("M3", "2026-08-02", 1.0, 0).daily("M1", "2026-08-31", 1.0, 0).daily("M1", "2026-10-05", 2.0, 0);
    this->apply(second);
    const auto range = this->store_->daily_range().value();
    ASSERT_TRUE(range.has_value());
    EXPECT_EQ(range->first, day("2026-08-02"));
    EXPECT_EQ(range->second, day("2026-10-05"));
}

TEST(DailyRangeMigrationTest, AnOlderSqliteStoreGetsTheStoredDaysFromItsRows) {
    // SQLite reads the range from ami_daily_months (one row per month, kept by every batch); a store
    // of schema version 10, before it, gets it from ami_daily's rows in migration 11.
    TemporaryDirectory directory;
    auto store = SqliteStore::open(directory.file("store.db")).value();
    BatchBuilder master("master");
    master.master_data({"M1", "M2", "M3"});
    ASSERT_TRUE(store->apply_batch(master.batch(), {}).has_value());
    BatchBuilder days("days");
    days.daily("M3", "2026-08-02", 1.0, 0).daily("M1", "2026-09-30", 1.0, 0).daily("M1", "2026-10-05", 2.0, 0);
    ASSERT_TRUE(store->apply_batch(days.batch(), {}).has_value());
    store.reset();
    {
        auto connection = SqliteConnection::open(directory.file("store.db")).value();
        ASSERT_TRUE(connection
                        .execute("DROP TABLE ami_daily_months; ALTER TABLE findings DROP COLUMN region; "
                                 "PRAGMA user_version = 10;")
                        .has_value());
    }
    store = SqliteStore::open(directory.file("store.db")).value();
    EXPECT_EQ(store->schema_version().value(), latest_schema_version());
    const auto range = store->daily_range().value();
    ASSERT_TRUE(range.has_value());
    EXPECT_EQ(range->first, day("2026-08-02"));
    EXPECT_EQ(range->second, day("2026-10-05"));
}

TYPED_TEST(DailySeriesTableTest, ALoadRangeEndingBeforeItStartsIsAUserError) {
    auto matrix = this->store_->load_daily({}, day("2026-02-02"), day("2026-02-01"));
    ASSERT_FALSE(matrix.has_value());
    EXPECT_EQ(matrix.error().kind(), ErrorClass::user);
}

TYPED_TEST(DailySeriesTableTest, ADailyRowOfAnUnknownMeterFailsTheBatch) {
    BatchBuilder builder("days");
    builder.daily("M1", "2026-01-01", 1.0, 0).daily("M404", "2026-01-01", 1.0, 0);
    auto outcome = this->store_->apply_batch(builder.batch(), {});
    ASSERT_FALSE(outcome.has_value());
    EXPECT_EQ(outcome.error().kind(), ErrorClass::user);
    EXPECT_EQ(this->stored_meter_days(), 0);
}

}  // namespace
}  // namespace gridaudit
