// The reading-quality rules on a generated utility: generate -> import -> load frames -> audit
// with billing reads -> recall and precision per rule against truth.csv; and VEE of the clean
// generated daily registers yields no exception the generator did not cause.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <set>

#include "analysis/region_vee.hpp"
#include "audit/audit_run.hpp"
#include "audit/truth_score.hpp"
#include "billing_read_loader.hpp"
#include "engine/vee/series_vee.hpp"
#include "engine/vee/usage_derivation.hpp"
#include "frame/frame_loader.hpp"
#include "generator/synthetic_utility.hpp"
#include "ingest/import_folder.hpp"
#include "model/import_contract.hpp"
#include "rules/reading/reading_rules.hpp"

namespace gridaudit {
namespace {

class ReadingRecallTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        if (auto ready = prepare(); !ready) setup_error_ = ready.error().message();
    }
    // A failure here fails every test in SetUp (an assertion in SetUpTestSuite would only mark them
    // skipped, which ctest counts as passing).
    void SetUp() override { ASSERT_EQ(setup_error_, "") << "the suite's setup failed"; }
    static Status prepare() {
        root_ = std::filesystem::temp_directory_path() / ("gridaudit-vee-" + std::to_string(::getpid()));
        std::filesystem::remove_all(root_);
        GeneratorOptions options;
        options.out = root_ / "export";
        options.customers = 1500;
        options.days = 150;
        options.seed = 11;
        options.register_rollovers = true;  // confounders: no rule may take a rollover for a problem
        GA_TRY(generate_utility(options));
        GA_ASSIGN_OR_RETURN(store_, Store::open((root_ / "vee.db").string()));
        GA_ASSIGN_OR_RETURN(const auto report, import_folder(*store_, root_ / "export", ImportFolderOptions{}));
        if (report.problem_count != 0)
            return internal_error("the import has problems: " +
                                  (report.messages.empty() ? "" : report.messages.front()));
        GA_ASSIGN_OR_RETURN(auto frames, load_region_frames(*store_, FrameOptions{}));
        frames_ = std::make_unique<std::vector<RegionFrame>>(std::move(frames));
        GA_ASSIGN_OR_RETURN(auto reads, testing::RegionBillingReads::load(*store_, *frames_));
        reads_ = std::make_unique<testing::RegionBillingReads>(std::move(reads));
        GA_ASSIGN_OR_RETURN(truth_, read_truth(root_ / "export" / "truth.csv"));
        return {};
    }
    static void TearDownTestSuite() {
        reads_.reset();
        frames_.reset();
        store_.reset();
        std::filesystem::remove_all(root_);
    }

    static inline std::string setup_error_;
    static inline std::filesystem::path root_;
    static inline std::unique_ptr<Store> store_;
    static inline std::unique_ptr<std::vector<RegionFrame>> frames_;  // reads_ points into them
    static inline std::unique_ptr<testing::RegionBillingReads> reads_;
    static inline std::vector<TruthRecord> truth_;
};

TEST_F(ReadingRecallTest, EveryReadingRuleFindsItsInjectedAnomaliesAndNothingElse) {
    ASSERT_GT(reads_->size(), 1000u);
    Catalogue catalogue;
    add_reading_rules(catalogue, reads_->source());
    const auto summary = run_audit(*store_, catalogue, Policy(), AuditOptions{});
    ASSERT_TRUE(summary) << summary.error().message();
    const auto scores = score_against_truth(*store_, catalogue, summary->rules_run, summary->findings, truth_);
    ASSERT_TRUE(scores) << scores.error().message();
    std::set<std::string> scored;
    for (const auto& score : *scores) {
        scored.insert(score.rule_id);
        std::printf("%-22s truth %3zu found %3zu recall %.3f precision %.3f\n", score.rule_id.c_str(),
                    score.truth_subjects, score.found_subjects, score.recall(), score.precision());
        EXPECT_GE(score.truth_subjects, 5u) << score.rule_id << ": the generator injected too little to measure";
        EXPECT_EQ(score.recall(), 1.0) << score.rule_id << " found " << score.truth_found << " of " << score.truth_subjects;
        EXPECT_EQ(score.precision(), 1.0) << score.rule_id << ": " << score.true_positives << " of "
                                          << score.found_subjects << " reports are true";
    }
    for (const char* rule :
         {"METER-STOPPED", "METER-REVERSED", "SERV-ESTIMATED-READ", "SERV-MISSED-READ", "SERV-WRONG-READ"})
        EXPECT_TRUE(scored.contains(rule)) << rule;
    // Estimated-read findings carry the reader's and the team's estimation rate.
    for (const auto& finding : summary->findings)
        if (finding.rule_id == "SERV-ESTIMATED-READ") {
            EXPECT_NE(finding.evidence_json.find("team_estimation_rate"), std::string::npos);
        }
}

// Property: usage derivation and validation of the generated daily registers find no register
// decrease at all, and zero-consumption runs only where the generator stopped or reversed a meter,
// suspended a customer, or the customer is not active.
TEST_F(ReadingRecallTest, CleanGeneratedRegistersRaiseOnlyExplainedExceptions) {
    std::set<std::string> explained;
    for (const auto& t : truth_)
        if (t.anomaly == "meter_stopped" || t.anomaly == "meter_reversed") explained.insert(t.subject_id);
    std::set<std::string> suspended_customers;
    {
        const TableSpec* orders = find_table("work_orders");
        ASSERT_NE(orders, nullptr);
        const auto rows = store_->read_rows(*orders);
        ASSERT_TRUE(rows);
        std::size_t type = 0, customer = 0;
        for (std::size_t i = 0; i < orders->columns.size(); ++i) {
            if (orders->columns[i].name == "type") type = i;
            if (orders->columns[i].name == "customer_id") customer = i;
        }
        for (const Row& row : *rows) {
            const auto* kind = std::get_if<std::string>(&row.values[type]);
            const auto* id = std::get_if<std::string>(&row.values[customer]);
            if (kind && id && *kind == "suspension") suspended_customers.insert(*id);
        }
    }
    VeeSettings settings;
    settings.enabled.fill(false);
    settings.enabled[static_cast<std::size_t>(VeeCheck::register_decrease)] = true;
    settings.enabled[static_cast<std::size_t>(VeeCheck::zero_consumption)] = true;
    settings.zero_consumption_days = 5;
    std::size_t meters = 0, zero_runs = 0;
    SeriesWorkspace workspace;
    for (const RegionFrame& frame : *frames_) {
        ASSERT_TRUE(frame.has_daily());
        const auto days = static_cast<std::size_t>(frame.daily.day_count);
        for (std::size_t m = 0; m < frame.meters.size(); ++m) {
            if (frame.meters.is_gateway[m]) continue;
            ++meters;
            std::vector<VeeException> exceptions;
            const std::span<const double> row(&frame.daily.import_register[m * days], days);
            const DailyUsage usage = derive_daily_usage(row, std::nan(""), 1.0, settings, 0, exceptions);
            EXPECT_TRUE(exceptions.empty()) << frame.meters.id[m] << ": a generated register went backwards";
            // Only the days the meter is installed count; the usage is validated as a 1-value-a-day series.
            std::vector<std::uint8_t> active(days, 0);
            for (std::size_t d = 0; d < days; ++d) {
                const CivilDate day = frame.daily.first_day + static_cast<std::int32_t>(d);
                active[d] = frame.meters.installed_on[m] < day &&
                            (!frame.meters.removed_on[m] || *frame.meters.removed_on[m] > day);
            }
            std::vector<double> estimate(days);
            std::vector<ValueQuality> quality(days);
            VeeCounts counts;
            validate_and_estimate({usage.kwh, {}, 1, {}, active, {}}, settings, 0,
                                  {estimate, quality, /*method=*/{}}, workspace, exceptions, counts);
            for (const auto& e : exceptions) {
                if (e.check != VeeCheck::zero_consumption) continue;
                ++zero_runs;
                const std::string& customer = frame.customers.id[frame.meters.customer[m].value()];
                const bool inactive = frame.customers.status[frame.meters.customer[m].value()] != "active";
                EXPECT_TRUE(explained.contains(frame.meters.id[m]) || suspended_customers.contains(customer) || inactive)
                    << frame.meters.id[m] << " (customer " << customer << "): " << e.value << " zero days from day "
                    << e.index;
            }
        }
    }
    EXPECT_GT(meters, 1000u);
    EXPECT_GT(zero_runs, 0u) << "the stopped meters at least show zero runs";
}

// VEE over every region's daily registers: no register decreases in generated data, every missing
// day estimated or counted as left missing, estimates only where the raw value is missing.
TEST_F(ReadingRecallTest, RegionVeeEstimatesEveryMissingDay) {
    std::uint64_t values = 0, missing = 0, estimated = 0, rollovers = 0;
    for (const RegionFrame& frame : *frames_) {
        const RegionVeeResult result =
            run_region_vee(frame, VeeSettings{}, frame.daily.first_day, frame.daily.first_day + (frame.daily.day_count - 1));
        EXPECT_EQ(result.counts.exceptions[static_cast<std::size_t>(VeeCheck::register_decrease)], 0u);
        ASSERT_EQ(result.usage.size(), result.meters * static_cast<std::size_t>(frame.daily.day_count));
        const auto days = static_cast<std::size_t>(frame.daily.day_count);
        std::size_t row = 0;
        for (std::size_t m = 0; m < frame.meters.size(); ++m) {
            if (frame.meters.is_gateway[m]) continue;
            for (std::size_t d = 0; d < days; ++d) {
                const std::size_t i = row * days + d;
                if (!std::isnan(result.usage[i])) {
                    EXPECT_TRUE(std::isnan(result.estimate[i]));
                    EXPECT_EQ(result.quality[i], ValueQuality::actual);
                    continue;
                }
                EXPECT_EQ(std::isnan(result.estimate[i]), result.quality[i] == ValueQuality::missing);
                // Days the meter was installed on, after the frame's first day (which has no earlier value).
                const CivilDate day = frame.daily.first_day + static_cast<std::int32_t>(d);
                if (d == 0 || frame.meters.installed_on[m] >= day ||
                    (frame.meters.removed_on[m] && *frame.meters.removed_on[m] <= day))
                    continue;
                ++missing;
                estimated += result.quality[i] == ValueQuality::estimated;
            }
            ++row;
        }
        values += result.counts.values;
        rollovers += result.rollovers;
    }
    EXPECT_GT(values, 100000u);
    EXPECT_GT(missing, 0u);
    EXPECT_EQ(estimated, missing) << "every missing day of an installed meter is estimated";
    std::uint64_t injected = 0;
    for (const auto& t : truth_) injected += t.anomaly == "register_rollover";
    EXPECT_GE(injected, 3u);
    EXPECT_EQ(rollovers, injected) << "each injected rollover is derived as an advance, none as a decrease";
}

// Billing-period usage from the stored reads equals the generator's bill: over meter exchanges
// (old meter to its removal read + new meter from its installation read) and over register
// rollovers (6 digits), each stretch times the recorded multiplier.
TEST_F(ReadingRecallTest, PeriodUsageMatchesTheBillsOverExchangesAndRollovers) {
    auto column_of = [](const TableSpec& spec, std::string_view name) {
        for (std::size_t i = 0; i < spec.columns.size(); ++i)
            if (spec.columns[i].name == name) return i;
        return spec.columns.size();
    };
    // Reads of the total register: meter -> day -> value.
    const TableSpec& reads_spec = *find_table("register_reads");
    const auto read_rows = store_->read_rows(reads_spec);
    ASSERT_TRUE(read_rows);
    std::map<std::string, std::map<CivilDate, double>> reads;
    for (const Row& row : *read_rows) {
        if (std::get<std::string>(row.values[column_of(reads_spec, "register")]) != "total") continue;
        reads[std::get<std::string>(row.values[column_of(reads_spec, "meter_id")])]
             [std::get<CivilDate>(row.values[column_of(reads_spec, "read_on")])] =
                 std::get<double>(row.values[column_of(reads_spec, "value")]);
    }
    const TableSpec& bills_spec = *find_table("bills");
    const auto bill_rows = store_->read_rows(bills_spec);
    ASSERT_TRUE(bill_rows);
    std::map<std::pair<std::string, std::int32_t>, double> billed;
    for (const Row& row : *bill_rows)
        billed[{std::get<std::string>(row.values[column_of(bills_spec, "customer_id")]),
                std::get<Period>(row.values[column_of(bills_spec, "period")]).index()}] =
            std::get<double>(row.values[column_of(bills_spec, "kwh_total")]);
    std::set<std::string> rolling;
    for (const auto& t : truth_)
        if (t.anomaly == "register_rollover") rolling.insert(t.subject_id);

    int exchanges = 0, rollovers = 0;
    for (const RegionFrame& frame : *frames_) {
        // Meters of each customer, in installation order.
        std::map<std::uint32_t, std::vector<std::size_t>> meters_of;
        for (std::size_t m = 0; m < frame.meters.size(); ++m)
            if (frame.meters.customer[m].valid()) meters_of[frame.meters.customer[m].value()].push_back(m);
        for (auto& [customer, meters] : meters_of) {
            const bool exchanged = meters.size() == 2;
            const bool rolls = meters.size() == 1 && rolling.contains(frame.meters.id[meters[0]]);
            if (!exchanged && !rolls) continue;
            std::sort(meters.begin(), meters.end(),
                      [&](std::size_t a, std::size_t b) { return frame.meters.installed_on[a] < frame.meters.installed_on[b]; });
            // The month of the exchange, or every billed month of a rolling register.
            std::vector<Period> months;
            if (exchanged) {
                months.push_back(Period::of(frame.meters.installed_on[meters[1]]));
            } else {
                for (const auto& [day, value] : reads[frame.meters.id[meters[0]]])
                    if (day == Period::of(day).last_day()) months.push_back(Period::of(day));
            }
            for (const Period month : months) {
                const CivilDate start = month.first_day() - 1, end = month.last_day();
                std::vector<RegisterSegment> segments;
                bool complete = true;
                for (const std::size_t m : meters) {
                    const auto& r = reads[frame.meters.id[m]];
                    const CivilDate from = std::max(start, frame.meters.installed_on[m]);
                    const CivilDate to = frame.meters.removed_on[m] ? std::min(end, *frame.meters.removed_on[m]) : end;
                    if (from > to) continue;
                    if (!r.contains(from) || !r.contains(to)) complete = false;
                    else
                        segments.push_back({r.at(from), r.at(to), frame.meters.multiplier[m], 6, ValueQuality::actual,
                                            ValueQuality::actual});
                }
                const auto bill = billed.find({frame.customers.id[customer], month.index()});
                if (!complete || segments.empty() || bill == billed.end()) continue;
                const PeriodUsage usage = period_usage(segments, 0.1);
                EXPECT_FALSE(usage.decrease);
                EXPECT_NEAR(usage.kwh, bill->second, 0.011 * frame.meters.multiplier[meters.back()])
                    << frame.customers.id[customer] << " " << month.to_string();
                if (exchanged) ++exchanges;
                if (usage.rollover) ++rollovers;
            }
        }
    }
    EXPECT_GE(exchanges, 3) << "meter exchanges inside a billed month";
    EXPECT_GE(rollovers, 3) << "billed months across a register rollover";
}

// The stored 15-minute intervals through the frame: every generated interval is validated (the
// generator writes whole days on the grid), the intervals add up to the register advances (also
// across rollovers), and every missing interval is estimated.
TEST_F(ReadingRecallTest, RegionVeeValidatesEveryStoredInterval) {
    for (const RegionFrame& frame : *frames_) EXPECT_FALSE(frame.has_intervals());  // off by default
    FrameOptions options;
    options.load_intervals = true;
    auto frames = load_region_frames(*store_, options);
    ASSERT_TRUE(frames) << frames.error().message();
    std::int64_t stored = 0;
    const auto table_counts = store_->table_counts();
    ASSERT_TRUE(table_counts) << table_counts.error().message();
    for (const auto& [table, count] : *table_counts)
        if (table == "ami_interval") stored = count;
    ASSERT_GT(stored, 0);
    std::size_t meters = 0;
    VeeCounts counts;
    std::uint64_t coarse = 0, off_grid = 0;
    for (const RegionFrame& frame : *frames) {
        if (!frame.has_intervals()) continue;
        ASSERT_EQ(frame.interval_meter.size(), frame.intervals.meter_count());
        for (std::size_t r = 0; r < frame.intervals.meter_count(); ++r)
            EXPECT_EQ(frame.meters.id[frame.interval_meter[r].value()], frame.intervals.meter_ids[r]);
        const RegionVeeResult result = run_region_vee(frame, VeeSettings{}, frame.intervals.first_day,
                                                      frame.intervals.first_day + (frame.intervals.day_count - 1));
        meters += result.interval_meters;
        counts.add(result.interval_counts);
        coarse += result.coarse_intervals;
        off_grid += frame.intervals.off_grid_start.size();
    }
    EXPECT_GT(meters, 0u);
    EXPECT_EQ(counts.values, static_cast<std::uint64_t>(stored));
    EXPECT_EQ(coarse + off_grid, 0u);
    EXPECT_GT(counts.missing, 0u);
    EXPECT_EQ(counts.unestimated, 0u);
    EXPECT_EQ(counts.interpolated + counts.register_spread + counts.like_day, counts.missing);
    EXPECT_GT(counts.register_spread, 0u);
    EXPECT_GT(counts.exceptions[static_cast<std::size_t>(VeeCheck::gap)], 0u);
    EXPECT_EQ(counts.exceptions[static_cast<std::size_t>(VeeCheck::register_interval_mismatch)], 0u);
    EXPECT_EQ(counts.exceptions[static_cast<std::size_t>(VeeCheck::clock_problem)], 0u);
    EXPECT_EQ(counts.exceptions[static_cast<std::size_t>(VeeCheck::duplicate)], 0u);
}

}  // namespace
}  // namespace gridaudit
