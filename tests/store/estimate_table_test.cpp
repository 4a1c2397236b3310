// Tests of VEE estimates in the store: replaced by a later VEE run over the same days, kept
// outside them, and deleted by an import that brings the actual value of their meter-day.
#include <fmt/format.h>
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

template <class Backend>
class EstimateTableTest : public StoreBackendTest<Backend> {
protected:
    void SetUp() override {
        StoreBackendTest<Backend>::SetUp();
        if (this->HasFatalFailure()) return;
        store_ = this->open_store();
        ASSERT_NE(store_, nullptr);
        BatchBuilder master("master");
        master.master_data({"M1", "M2"});
        ASSERT_TRUE(store_->apply_batch(master.batch(), {}).has_value());
    }

    std::vector<std::string> stored() {
        std::vector<std::string> lines;
        const auto estimates = store_->daily_estimates();
        EXPECT_TRUE(estimates.has_value());
        for (const auto& e : estimates.value_or(std::vector<DailyEstimate>{}))
            lines.push_back(fmt::format("{} {} {:.1f} {}", e.meter_id, e.day.to_string(), e.kwh, e.method));
        return lines;
    }

    std::unique_ptr<Store> store_;
};
TYPED_TEST_SUITE(EstimateTableTest, StoreBackends, BackendName);

TYPED_TEST(EstimateTableTest, ARunReplacesTheEstimatesOfItsDaysOnly) {
    ASSERT_EQ(this->store_->replace_daily_estimates(day("2026-10-01"), day("2026-10-31"),
                                              {{"M1", day("2026-10-03"), 4.5, "interpolation"},
                                               {"M1", day("2026-10-04"), 4.0, "interpolation"},
                                               {"M2", day("2026-10-20"), 7.0, "like_day"}})
                  .value(),
              3u);
    // A second run over the second half of the month: October 20 is actual now, the 25th is missing.
    ASSERT_EQ(this->store_->replace_daily_estimates(day("2026-10-16"), day("2026-10-31"),
                                              {{"M2", day("2026-10-25"), 6.5, "like_day"},
                                               {"M2", day("2026-11-02"), 1.0, "like_day"},
                                               {"M1", day("2026-10-26"), nan, "like_day"}})
                  .value(),
              1u);
    EXPECT_EQ(this->stored(), (std::vector<std::string>{"M1 2026-10-03 4.5 interpolation", "M1 2026-10-04 4.0 interpolation",
                                                  "M2 2026-10-25 6.5 like_day"}));
}

TYPED_TEST(EstimateTableTest, AnImportOfTheActualValueReplacesTheEstimate) {
    ASSERT_TRUE(this->store_
                    ->replace_daily_estimates(day("2026-10-01"), day("2026-10-31"),
                                              {{"M1", day("2026-10-03"), 4.5, "interpolation"},
                                               {"M1", day("2026-10-04"), 4.0, "interpolation"}})
                    .has_value());
    BatchBuilder late("late");
    late.daily("M1", "2026-10-03", 1234.5, 0).daily("M1", "2026-10-04", nan, 0);  // the 4th still not collected
    ASSERT_TRUE(this->store_->apply_batch(late.batch(), {}).has_value());
    EXPECT_EQ(this->stored(), (std::vector<std::string>{"M1 2026-10-04 4.0 interpolation"}));
}

TYPED_TEST(EstimateTableTest, IntervalEstimatesAreReplacedByARunAndByTheActualInterval) {
    const std::int64_t day = Instant::parse("2026-10-03T00:00:00+08:00")->unix_seconds();
    ASSERT_EQ(this->store_->replace_interval_estimates(day, day + 86'400,
                                                 {{"M1", day + 900, 0.25, "interpolation"},
                                                  {"M1", day + 1800, 0.30, "interpolation"},
                                                  {"M2", day + 86'400, 1.0, "like_day"}})  // outside: ignored
                  .value(),
              2u);
    BatchBuilder late("late intervals");
    late.interval("M1", "2026-10-03T00:15:00+08:00", 15, 0.27, 0);
    ASSERT_TRUE(this->store_->apply_batch(late.batch(), {}).has_value());
    const auto remaining = this->store_->interval_estimates();
    ASSERT_TRUE(remaining.has_value());
    ASSERT_EQ(remaining->size(), 1u);
    EXPECT_EQ((*remaining)[0].start, day + 1800);
    EXPECT_EQ((*remaining)[0].method, "interpolation");
    // A second run over the day replaces what is left.
    ASSERT_EQ(this->store_->replace_interval_estimates(day, day + 86'400, {}).value(), 0u);
    EXPECT_TRUE(this->store_->interval_estimates().value().empty());
}

}  // namespace
}  // namespace gridaudit
