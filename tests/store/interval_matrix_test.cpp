// Tests of Store::load_intervals: stored intervals read back into the dense 15-minute matrix over
// civil days at a UTC offset (5-minute sums, 30/60-minute and off-grid intervals reported).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "batch_builder.hpp"
#include "store_backends.hpp"
#include "store/store.hpp"

namespace gridaudit {
namespace {

using namespace gridaudit::testing;

constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr int china = 480;  // +08:00

template <class Backend>
class IntervalMatrixTest : public StoreBackendTest<Backend> {
protected:
    void SetUp() override {
        StoreBackendTest<Backend>::SetUp();
        if (this->HasFatalFailure()) return;
        store_ = this->open_store();
        ASSERT_NE(store_, nullptr);
        BatchBuilder master("master");
        master.master_data({"M1", "M2", "M3"});
        ASSERT_TRUE(store_->apply_batch(master.batch(), {}).has_value());
        BatchBuilder intervals("intervals");
        intervals.interval("M1", "2026-10-31T00:00:00+08:00", 15, 0.75, interval_estimated)
            .interval("M1", "2026-10-31T00:15:00+08:00", 15, nan, interval_power_out)
            .interval("M1", "2026-10-31T23:45:00+08:00", 15, 1.25)
            .interval("M1", "2026-10-31T01:00:00+08:00", 60, 4.0)                      // coarse
            .interval("M1", "2026-10-31T02:00:00+08:00", 5, 0.125)                     // three parts
            .interval("M1", "2026-10-31T02:05:00+08:00", 5, 0.25, interval_power_out)  // of slot 8
            .interval("M1", "2026-10-31T02:10:00+08:00", 5, 0.5)
            .interval("M1", "2026-10-31T03:00:00+08:00", 5, 0.25)  // two of three
            .interval("M1", "2026-10-31T03:05:00+08:00", 5, 0.25)  // parts: missing
            .interval("M1", "2026-10-31T04:07:00+08:00", 15, 0.5)  // off the grid
            .interval("M1", "2026-11-01T00:00:00+08:00", 15, 9.0)  // the next day
            .interval("M2", "2026-10-30T16:00:00Z", 15, 0.5);      // 10-31 00:00 local
        auto outcome = store_->apply_batch(intervals.batch(), {});
        ASSERT_TRUE(outcome.has_value()) << outcome.error().message();
    }

    IntervalMatrix load(std::vector<std::string> meters, std::string_view first, std::string_view last,
                        int offset = china) {
        auto matrix = store_->load_intervals(meters, *CivilDate::parse(first), *CivilDate::parse(last), offset);
        EXPECT_TRUE(matrix.has_value()) << matrix.error().message();
        return matrix.value_or(IntervalMatrix{});
    }

    std::unique_ptr<Store> store_;
};
TYPED_TEST_SUITE(IntervalMatrixTest, StoreBackends, BackendName);

TYPED_TEST(IntervalMatrixTest, EveryMeterWithIntervalsOverOneLocalDay) {
    const IntervalMatrix matrix = this->load({}, "2026-10-31", "2026-10-31");
    ASSERT_EQ(matrix.meter_ids, (std::vector<std::string>{"M1", "M2"}));  // M3 has none
    ASSERT_EQ(matrix.day_count, 1);
    ASSERT_EQ(matrix.kwh.size(), 2u * 96);
    EXPECT_EQ(matrix.kwh_at(0, 0, 0), 0.75);
    EXPECT_EQ(matrix.flags_at(0, 0, 0), interval_estimated);
    EXPECT_TRUE(std::isnan(matrix.kwh_at(0, 0, 1)));
    EXPECT_EQ(matrix.flags_at(0, 0, 1), interval_power_out);
    EXPECT_EQ(matrix.kwh_at(0, 0, 95), 1.25);  // 23:45 local is 15:45 UTC: the same row as 00:00
    EXPECT_EQ(matrix.kwh_at(0, 0, 8), 0.875);  // 0.125 + 0.25 + 0.5
    EXPECT_EQ(matrix.flags_at(0, 0, 8), interval_power_out);
    EXPECT_TRUE(std::isnan(matrix.kwh_at(0, 0, 12)));  // only two 5-minute parts
    EXPECT_TRUE(std::isnan(matrix.kwh_at(0, 0, 4)));   // the 60-minute interval is not spread
    EXPECT_TRUE(std::isnan(matrix.kwh_at(0, 0, 16)));  // nor the off-grid one placed
    EXPECT_EQ(matrix.coarse_intervals, (std::vector<std::uint32_t>{1, 0}));
    ASSERT_EQ(matrix.off_grid_start.size(), 1u);
    EXPECT_EQ(matrix.off_grid_meter[0], 0u);
    EXPECT_EQ(matrix.off_grid_start[0], Instant::parse("2026-10-31T04:07:00+08:00")->unix_seconds());
    // Stored intervals of the day, also those not placed; the next day's 9.0 is outside.
    EXPECT_EQ(matrix.stored, (std::vector<std::uint16_t>{10, 1}));
    EXPECT_EQ(matrix.kwh_at(1, 0, 0), 0.5);
    std::size_t present = 0;
    for (const double value : matrix.kwh) present += std::isnan(value) ? 0 : 1;
    EXPECT_EQ(present, 4u);  // M1: slots 0, 8, 95; M2: slot 0
}

TYPED_TEST(IntervalMatrixTest, ListedMetersInTheirOrderOverSeveralDays) {
    const IntervalMatrix matrix = this->load({"M3", "M1"}, "2026-10-31", "2026-11-02");
    ASSERT_EQ(matrix.meter_ids, (std::vector<std::string>{"M3", "M1"}));
    ASSERT_EQ(matrix.day_count, 3);
    EXPECT_FALSE(matrix.has_intervals(0));
    EXPECT_TRUE(matrix.has_intervals(1));
    for (const double value : matrix.meter_kwh(0)) EXPECT_TRUE(std::isnan(value));
    EXPECT_EQ(matrix.kwh_at(1, 0, 95), 1.25);
    EXPECT_EQ(matrix.kwh_at(1, 1, 0), 9.0);
    EXPECT_EQ(matrix.stored[3 + 1], 1u);  // M1, 2026-11-01
    EXPECT_EQ(matrix.stored[3 + 2], 0u);
    EXPECT_EQ(matrix.coarse_intervals, (std::vector<std::uint32_t>{0, 1}));
    ASSERT_EQ(matrix.off_grid_meter, (std::vector<std::uint32_t>{1}));
}

TYPED_TEST(IntervalMatrixTest, DaysFollowTheUtcOffset) {
    // At UTC, local 2026-10-31 00:00 +08:00 is 2026-10-30 16:00: slot 64 of the 30th.
    const IntervalMatrix matrix = this->load({"M1", "M2"}, "2026-10-30", "2026-10-30", 0);
    ASSERT_EQ(matrix.day_count, 1);
    EXPECT_EQ(matrix.kwh_at(0, 0, 64), 0.75);
    EXPECT_EQ(matrix.kwh_at(1, 0, 64), 0.5);
    EXPECT_TRUE(std::isnan(matrix.kwh_at(0, 0, 63)));
    // 2026-10-31 23:45 +08:00 is 15:45 UTC on the 31st: not in this day.
    EXPECT_EQ(matrix.stored[0], 9u);                   // M1's intervals from 00:00 to 04:07 local
    EXPECT_TRUE(std::isnan(matrix.kwh_at(0, 0, 76)));  // 03:00 local, two 5-minute parts of three
}

TYPED_TEST(IntervalMatrixTest, EmptyRangesAndBadOffsets) {
    EXPECT_EQ(this->load({}, "2026-12-01", "2026-12-31").meter_count(), 0u);
    const IntervalMatrix none = this->load({"M2"}, "2026-12-01", "2026-12-02");
    ASSERT_EQ(none.meter_count(), 1u);
    EXPECT_FALSE(none.has_intervals(0));
    EXPECT_EQ(this->load({}, "2026-11-02", "2026-11-01").day_count, 0);
    const auto bad = this->store_->load_intervals({}, *CivilDate::parse("2026-10-31"), *CivilDate::parse("2026-10-31"), 2000);
    ASSERT_FALSE(bad.has_value());
    EXPECT_EQ(bad.error().kind(), ErrorClass::user);
}

}  // namespace
}  // namespace gridaudit
