// The shared LOSS analysis: one derivation and one balance per thresholds for the rules of a region
// (kept in its RegionAnalyses), the same findings with and without it.
#include "analysis/loss_analysis.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "audit/audit_run.hpp"
#include "frame/frame_loader.hpp"
#include "generator/synthetic_utility.hpp"
#include "ingest/import_folder.hpp"
#include "rules/loss/loss_rules.hpp"

namespace gridaudit {
namespace {

// One area with a gateway and two customers, 40 days of registers growing by 10, 4 and 5 kWh a day.
RegionFrame small_frame() {
    RegionFrame frame;
    frame.substation_id = "S1";
    frame.network.id = {"A1"};
    frame.network.parent = {NodeIndex()};
    frame.network.kind = {NodeKind::area};
    frame.network.name = {"Area 1"};
    frame.network.rated_kva = {100};
    frame.network.gateway_meter = {MeterIndex(0)};
    frame.customers.id = {"C1", "C2"};
    frame.customers.node = {NodeIndex(0), NodeIndex(0)};
    MeterColumns& meters = frame.meters;
    meters.id = {"G1", "M1", "M2"};
    meters.customer = {CustomerIndex(), CustomerIndex(0), CustomerIndex(1)};
    meters.node = {NodeIndex(0), NodeIndex(0), NodeIndex(0)};
    meters.is_gateway = {true, false, false};
    meters.multiplier = {1, 1, 1};
    meters.ct_ratio = {1, 1, 1};
    meters.pt_ratio = {1, 1, 1};
    const CivilDate first = CivilDate::from_ymd(2026, 9, 1);
    meters.installed_on = {first - 100, first - 100, first - 100};
    meters.removed_on = {std::nullopt, std::nullopt, std::nullopt};
    frame.daily.meter_ids = meters.id;
    frame.daily.first_day = first;
    frame.daily.day_count = 40;
    const double per_day[] = {10, 4, 5};
    for (std::size_t m = 0; m < 3; ++m)
        for (int d = 0; d < 40; ++d) {
            frame.daily.import_register.push_back(1000 + per_day[m] * d);
            frame.daily.export_register.push_back(std::numeric_limits<double>::quiet_NaN());
        }
    return frame;
}

const CivilDate audit_day = CivilDate::from_ymd(2026, 10, 10);

TEST(LossAnalysisTest, TheCacheGivesTheRulesOfARegionOneAnalysisPerThresholds) {
    const RegionFrame frame = small_frame();
    RegionAnalyses cache(frame);
    const RuleContext context{frame, audit_day, std::nullopt, &cache};
    const LossThresholds thresholds;
    const auto first = shared_loss_analysis(context.analyses, context.frame, thresholds);  // e.g. LOSS-AREA-HIGH
    ASSERT_TRUE(first);
    const auto again = shared_loss_analysis(context.analyses, context.frame, thresholds);  // e.g. LOSS-SUSPECT
    EXPECT_EQ(first.get(), again.get());
    // Other thresholds (a feeder rule's): another balance over the same derived series.
    LossThresholds feeder = thresholds;
    feeder.high_rate = 0.05;
    const auto other = shared_loss_analysis(context.analyses, context.frame, feeder);
    ASSERT_TRUE(other);
    EXPECT_NE(first.get(), other.get());
    EXPECT_EQ(first->series.get(), other->series.get());
    EXPECT_EQ(shared_loss_analysis(context.analyses, context.frame, feeder).get(), other.get());
    // The same as a fresh analysis.
    const auto fresh = analyse_loss(frame, thresholds);
    ASSERT_TRUE(fresh);
    // Day 0 is NaN (no previous register value); compare the rest exactly.
    EXPECT_TRUE(std::isnan(first->balance.daily.supply[0]));
    EXPECT_TRUE(std::equal(fresh->balance.daily.sales.begin() + 1, fresh->balance.daily.sales.end(),
                           first->balance.daily.sales.begin() + 1));
    EXPECT_EQ(fresh->balance.daily.loss_class, first->balance.daily.loss_class);
    EXPECT_EQ(fresh->balance.monthly.loss_class, first->balance.monthly.loss_class);
    EXPECT_DOUBLE_EQ(first->balance.daily.loss(0, 5), 1.0);  // 10 in, 4 + 5 sold
}

TEST(LossAnalysisTest, WithoutACacheEveryCallComputesAfresh) {
    const RegionFrame frame = small_frame();
    const RuleContext context{frame, audit_day, std::nullopt};
    const auto first = shared_loss_analysis(context.analyses, context.frame, LossThresholds{});
    const auto second = shared_loss_analysis(context.analyses, context.frame, LossThresholds{});
    ASSERT_TRUE(first && second);
    EXPECT_NE(first.get(), second.get());
    EXPECT_NE(first->series.get(), second->series.get());
    EXPECT_DOUBLE_EQ(first->balance.daily.loss(0, 5), second->balance.daily.loss(0, 5));
}

TEST(LossAnalysisTest, TwoRegionsHaveTheirOwnAnalysesAndACacheServesOnlyItsFrame) {
    const RegionFrame one = small_frame();
    RegionFrame two = small_frame();
    // The second region's gateway advances 12 a day.
    for (int d = 0; d < 40; ++d) two.daily.import_register[static_cast<std::size_t>(d)] = 1000 + 12.0 * d;
    RegionAnalyses cache_one(one), cache_two(two);
    const auto a = shared_loss_analysis(&cache_one, one, LossThresholds{});
    const auto b = shared_loss_analysis(&cache_two, two, LossThresholds{});
    ASSERT_TRUE(a && b);
    EXPECT_NE(a.get(), b.get());
    EXPECT_DOUBLE_EQ(a->balance.daily.supply[5], 10.0);
    EXPECT_DOUBLE_EQ(b->balance.daily.supply[5], 12.0);
    // Analyses made for another frame is not served from it.
    const auto mismatched =
        shared_loss_analysis(&cache_one, two, LossThresholds{});
    ASSERT_TRUE(mismatched);
    EXPECT_NE(mismatched.get(), a.get());
    EXPECT_DOUBLE_EQ(mismatched->balance.daily.supply[5], 12.0);
    EXPECT_EQ(shared_loss_analysis(&cache_one, one, LossThresholds{}).get(),
              a.get());
}

TEST(LossAnalysisTest, RulesAskingAtOnceGetTheSameAnalysis) {
    const RegionFrame frame = small_frame();
    RegionAnalyses cache(frame);
    const RuleContext context{frame, audit_day, std::nullopt, &cache};
    LossThresholds feeder;
    feeder.high_rate = 0.05;
    std::vector<std::shared_ptr<const LossAnalysis>> got(8);
    {
        std::vector<std::thread> threads;
        for (std::size_t t = 0; t < got.size(); ++t)
            threads.emplace_back([&, t] { got[t] = shared_loss_analysis(context.analyses, context.frame, t % 2 ? feeder : LossThresholds{}); });
        for (auto& thread : threads) thread.join();
    }
    for (std::size_t t = 0; t < got.size(); ++t) {
        ASSERT_TRUE(got[t]);
        EXPECT_EQ(got[t].get(), got[t % 2].get()) << t;
        EXPECT_EQ(got[t]->series.get(), got[0]->series.get()) << t;
    }
    EXPECT_NE(got[0].get(), got[1].get());
}

TEST(LossAnalysisTest, AFrameWithoutDailySeriesHasNoAnalysis) {
    RegionFrame frame = small_frame();
    frame.daily = DailyMatrix{};
    RegionAnalyses cache(frame);
    EXPECT_EQ(shared_loss_analysis(&cache, frame, LossThresholds{}), nullptr);
    EXPECT_EQ(shared_loss_analysis(nullptr, frame, LossThresholds{}), nullptr);
    EXPECT_FALSE(analyse_loss(frame, LossThresholds{}));
}

// An audit of a generated utility: the LOSS findings of evaluate_rules (one cache per region) are
// those of every rule evaluated alone on every region without a cache.
TEST(LossAnalysisTest, AnAuditFindsTheSameWithAndWithoutTheCache) {
    const auto root = std::filesystem::temp_directory_path() / ("gridaudit-loss-cache-" + std::to_string(::getpid()));
    std::filesystem::remove_all(root);
    GeneratorOptions options;
    options.out = root / "export";
    options.customers = 30000;  // two regions (substations of about 20,000 customers)
    options.days = 62;
    options.seed = 3;
    ASSERT_TRUE(generate_utility(options));
    std::vector<RegionFrame> frames;
    {
        auto store = Store::open((root / "loss.db").string());
        ASSERT_TRUE(store) << store.error().message();
        const auto report = import_folder(**store, root / "export", ImportFolderOptions{});
        ASSERT_TRUE(report) << report.error().message();
        auto loaded = load_region_frames(**store, FrameOptions{});
        ASSERT_TRUE(loaded) << loaded.error().message();
        frames = std::move(*loaded);
    }
    std::filesystem::remove_all(root);
    ASSERT_GE(frames.size(), 2u);

    Catalogue catalogue;
    add_loss_rules(catalogue);
    std::vector<const Rule*> rules;
    std::vector<RuleSettings> settings;
    for (const auto& rule : catalogue.rules()) {
        rules.push_back(rule.get());
        settings.emplace_back(rule->info(), Policy());
    }
    const CivilDate as_of = options.last_day;
    const auto with_cache = evaluate_rules(frames, CollectionColumns{}, rules, settings, as_of, std::nullopt);
    std::vector<Finding> without_cache;
    for (const auto& frame : frames) {
        const RuleContext context{frame, as_of, std::nullopt};
        for (std::size_t i = 0; i < rules.size(); ++i) rules[i]->evaluate(context, settings[i], without_cache);
    }
    const auto lines = [](const std::vector<Finding>& findings) {
        std::vector<std::string> out;
        for (const Finding& f : findings)
            out.push_back(fmt::format("{} {} {} {} {} {} {} {}", f.rule_id, f.subject_kind, f.subject_id, f.period,
                                      static_cast<int>(f.severity), f.summary, f.evidence_json,
                                      f.kwh_at_risk ? *f.kwh_at_risk : -1.0));
        std::sort(out.begin(), out.end());
        return out;
    };
    const auto expected = lines(without_cache);
    std::set<std::string> rules_found;
    for (const Finding& f : without_cache) rules_found.insert(f.rule_id);
    EXPECT_GE(rules_found.size(), 3u) << "too few LOSS rules find anything for the comparison to mean much";
    EXPECT_EQ(lines(with_cache), expected);
}

}  // namespace
}  // namespace gridaudit
