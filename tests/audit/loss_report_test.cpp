// The loss table loaded with only what it needs (audit/loss_report.hpp) against the same table over
// frames loaded whole (what `gridaudit loss --json` printed before issue 17): byte-identical JSON
// on generated utilities of 120 days (the month before is the window) and 430 days (the same month
// a year earlier in the look-back window), at every level, by node and by unit, for the last month
// and earlier ones; the daily window is short where it can be, and a region whose usage at the
// window's start could differ is loaded whole.
#include "audit/loss_report.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "audit/audit_session.hpp"
#include "generator/synthetic_utility.hpp"
#include "ingest/import_folder.hpp"

namespace gridaudit {
namespace {

namespace fs = std::filesystem;

class LossReportTest : public ::testing::Test {
protected:
    struct Utility {
        std::unique_ptr<Store> store;
        std::vector<RegionFrame> whole;  // every region loaded whole, as AuditSession::load does by default
        CivilDate first, last;           // stored daily range
    };

    static void SetUpTestSuite() {
        root_ = fs::temp_directory_path() / ("gridaudit-loss-report-" + std::to_string(::getpid()));
        fs::remove_all(root_);
        for (const int days : {120, 430}) {
            if (auto made = make_utility(days); !made) {
                setup_error_ = made.error().message();
                return;
            }
        }
    }
    static void TearDownTestSuite() {
        utilities_.clear();
        fs::remove_all(root_);
    }
    // A failure here fails every test (an assertion in SetUpTestSuite would only skip them).
    void SetUp() override { ASSERT_EQ(setup_error_, "") << "the suite's setup failed"; }

    static Status make_utility(int days) {
        const fs::path dir = root_ / std::to_string(days);
        GeneratorOptions options;
        options.out = dir / "export";
        options.customers = 500;
        options.days = days;
        options.seed = 17;
        GA_TRY(generate_utility(options));
        Utility utility;
        GA_ASSIGN_OR_RETURN(utility.store, Store::open((dir / "store.db").string()));
        GA_TRY(import_folder(*utility.store, dir / "export", ImportFolderOptions{}));
        GA_ASSIGN_OR_RETURN(const AuditSession session,
                            AuditSession::load(*utility.store, standard_catalogue(), Policy(), AuditSessionOptions{}));
        utility.whole.assign(session.frames().begin(), session.frames().end());
        GA_ASSIGN_OR_RETURN(const auto range, utility.store->daily_range());
        if (!range) return internal_error("the generated utility has no daily data");
        utility.first = range->first;
        utility.last = range->second;
        utilities_.push_back(std::move(utility));
        return {};
    }

    static void expect_same_json(Utility& utility, const LossReportRequest& request) {
        const auto loaded = load_loss_report(*utility.store, Policy(), request);
        ASSERT_TRUE(loaded) << loaded.error().message();
        const LossReport whole = loss_report(utility.whole, Policy(), request);
        EXPECT_EQ(loss_report_json(*loaded, request).dump(), loss_report_json(whole, request).dump());
        EXPECT_EQ(loaded->rows.size(), whole.rows.size());
    }

    static inline std::string setup_error_;
    static inline fs::path root_;
    static inline std::vector<Utility> utilities_;
};

TEST_F(LossReportTest, EqualsTheTableOverFramesLoadedWhole) {
    for (Utility& utility : utilities_) {
        const Period last = Period::of(utility.last);
        for (const BalanceLevel level :
             {BalanceLevel::area, BalanceLevel::feeder, BalanceLevel::bus, BalanceLevel::substation}) {
            for (const bool by_unit : {false, true}) {
                for (const std::optional<Period> period :
                     {std::optional<Period>(), std::optional<Period>(last - 1), std::optional<Period>(last - 2)}) {
                    SCOPED_TRACE(::testing::Message()
                                 << utility.last - utility.first + 1 << " days, " << balance_level_name(level)
                                 << (by_unit ? " by unit " : " by node ") << (period ? period->to_string() : "last"));
                    expect_same_json(utility, LossReportRequest{level, by_unit, period, 0.42});
                }
            }
        }
        const auto report = load_loss_report(*utility.store, Policy(), LossReportRequest{});
        ASSERT_TRUE(report);
        EXPECT_FALSE(report->rows.empty());
        EXPECT_FALSE(report->prices.empty());
    }
}

TEST_F(LossReportTest, AMonthWithoutDataHasNoRowsEitherWay) {
    Utility& utility = utilities_.front();
    for (const Period month : {Period::of(utility.first) - 3, Period::of(utility.last) + 2}) {
        const LossReportRequest request{BalanceLevel::area, false, month, 0};
        const auto loaded = load_loss_report(*utility.store, Policy(), request);
        ASSERT_TRUE(loaded) << loaded.error().message();
        EXPECT_TRUE(loaded->rows.empty()) << month.to_string();
        EXPECT_TRUE(loss_report(utility.whole, Policy(), request).rows.empty()) << month.to_string();
    }
}

TEST_F(LossReportTest, LoadsTheMonthsItNeedsOnly) {
    Utility& utility = utilities_.front();  // 120 days: the year-earlier month is not stored
    const Period last = Period::of(utility.last);
    FrameOptions options = loss_frame_options(last);
    EXPECT_FALSE(options.load_billing_reads);
    options.load_daily = true;  // the loader's own shortening, as load_loss_report's
    options.daily_needed_from = (last - 1).first_day();
    const auto frames = load_region_frames(*utility.store, options);
    ASSERT_TRUE(frames) << frames.error().message();
    ASSERT_EQ(frames->size(), utility.whole.size());
    std::size_t short_windows = 0, bills = 0, whole_bills = 0;
    for (std::size_t r = 0; r < frames->size(); ++r) {
        const RegionFrame& frame = (*frames)[r];
        EXPECT_EQ(frame.customers.size(), utility.whole[r].customers.size());
        EXPECT_TRUE(frame.billing_reads.size() == 0 && frame.payments.size() == 0 && frame.work_orders.size() == 0);
        for (std::size_t b = 0; b < frame.bills.size(); ++b) EXPECT_GE(frame.bills.period[b], last - 12);
        bills += frame.bills.size();
        whole_bills += utility.whole[r].bills.size();
        EXPECT_EQ(frame.daily.first_day + frame.daily.day_count,
                  utility.whole[r].daily.first_day + utility.whole[r].daily.day_count);
        if (frame.daily.first_day == (last - 1).first_day() - options.daily_anchor_days) ++short_windows;
    }
    EXPECT_GT(short_windows, 0u);
    EXPECT_GT(bills, 0u);
    EXPECT_LT(bills, whole_bills);
}

// A register value missing on the window's first day with a value after it: the usage of the
// needed days would be derived from a different previous value, so the region is loaded whole.
TEST_F(LossReportTest, ARegionWhoseUsageCouldDifferIsLoadedWhole) {
    Utility& utility = utilities_.front();
    std::optional<std::pair<std::size_t, std::int32_t>> gap;  // (region, day) of a missing customer value
    for (std::size_t r = 0; r < utility.whole.size() && !gap; ++r) {
        const RegionFrame& frame = utility.whole[r];
        const auto days = frame.daily.day_count;
        for (std::size_t m = 0; m < frame.meters.size() && !gap; ++m) {
            if (frame.meters.installed_on[m] >= frame.daily.first_day) continue;
            if (frame.meters.removed_on[m] && *frame.meters.removed_on[m] <= frame.daily.first_day + days) continue;
            for (std::int32_t d = 40; d < days - 10 && !gap; ++d) {
                const double* row = frame.daily.import_register.data() + m * static_cast<std::size_t>(days);
                if (std::isnan(row[d]) && !std::isnan(row[d + 1])) gap = std::pair{r, d};
            }
        }
    }
    ASSERT_TRUE(gap) << "the generated utility has no missing daily value to test with";
    const RegionFrame& whole = utility.whole[gap->first];
    FrameOptions options;
    options.daily_anchor_days = 1;
    options.daily_needed_from = whole.daily.first_day + (gap->second + 1);
    const auto frames = load_region_frames(*utility.store, options);
    ASSERT_TRUE(frames) << frames.error().message();
    EXPECT_EQ((*frames)[gap->first].daily.first_day, whole.daily.first_day);
    const auto& loaded = (*frames)[gap->first].daily.import_register;
    ASSERT_EQ(loaded.size(), whole.daily.import_register.size());
    for (std::size_t i = 0; i < loaded.size(); ++i)
        EXPECT_TRUE(loaded[i] == whole.daily.import_register[i] ||
                    (std::isnan(loaded[i]) && std::isnan(whole.daily.import_register[i])));
}

}  // namespace
}  // namespace gridaudit
