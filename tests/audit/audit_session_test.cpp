// The audit session's rule selection (enabled rules, --rule, unknown ids, a policy the catalogue
// rejects) and its run over frames loaded elsewhere, as the benchmark builds it, with the progress
// it reports.
#include "audit/audit_session.hpp"

#include <gtest/gtest.h>

#include <mutex>
#include <string>
#include <vector>

namespace gridaudit {
namespace {

TEST(AuditSessionTest, SelectsTheEnabledRulesInCatalogueOrder) {
    const Catalogue& catalogue = standard_catalogue();
    const auto every = select_enabled_rules(catalogue, Policy(), {});
    ASSERT_TRUE(every) << every.error().message();
    EXPECT_EQ(every->rules.size(), catalogue.rules().size());
    EXPECT_EQ(every->settings.size(), every->rules.size());
    EXPECT_EQ(every->ids().front(), catalogue.rules().front()->info().id);

    const auto policy = Policy::parse("[rules.LOSS-SUSPECT]\nenabled = false\n", "policy.toml");
    ASSERT_TRUE(policy) << policy.error().message();
    const auto without = select_enabled_rules(catalogue, *policy, {});
    ASSERT_TRUE(without);
    EXPECT_EQ(without->rules.size(), catalogue.rules().size() - 1);
    for (const auto& id : without->ids()) EXPECT_NE(id, "LOSS-SUSPECT");

    const std::vector<std::string> only = {"METER-STOPPED", "LOSS-AREA-HIGH"};
    const auto two = select_enabled_rules(catalogue, Policy(), only);
    ASSERT_TRUE(two);
    EXPECT_EQ(two->rules.size(), 2u);
    EXPECT_EQ(two->only(1).ids(), std::vector<std::string>{two->ids()[1]});
}

TEST(AuditSessionTest, AnUnknownRuleOrAPolicyTheCatalogueRejectsIsAUserError) {
    const std::vector<std::string> unknown = {"METER-NO-SUCH-RULE"};
    const auto selection = select_enabled_rules(standard_catalogue(), Policy(), unknown);
    ASSERT_FALSE(selection);
    EXPECT_EQ(selection.error().kind(), ErrorClass::user);
    EXPECT_NE(selection.error().message().find("METER-NO-SUCH-RULE"), std::string::npos);
    const auto policy = Policy::parse("[rules.LOSS-AREA-HIGH]\nhigh_rat = 0.1\n", "policy.toml");
    ASSERT_TRUE(policy);
    EXPECT_FALSE(select_enabled_rules(standard_catalogue(), *policy, {}));
}

TEST(AuditSessionTest, RunsItsSelectionOrAnotherOverItsFrames) {
    std::vector<RegionFrame> frames(2);
    frames[0].substation_id = "S1";
    frames[1].substation_id = "S2";
    const auto selection =
        select_rules(standard_catalogue(), Policy(), [](const RuleInfo& info) { return info.id == "METER-STOPPED"; });
    ASSERT_EQ(selection.rules.size(), 1u);
    const AuditSession session(std::move(frames), CollectionColumns{}, standard_catalogue(), Policy(), selection);
    EXPECT_EQ(session.frames().size(), 2u);
    EXPECT_EQ(session.selection().ids(), std::vector<std::string>{"METER-STOPPED"});
    const CivilDate as_of = CivilDate::from_ymd(2026, 10, 31);
    EXPECT_TRUE(session.run(as_of, std::nullopt).empty());  // empty regions: nothing to find
    EXPECT_EQ(session.run(selection, as_of, std::nullopt).size(), session.run(as_of, std::nullopt).size());
}

// Every stage begun and the units done in it; advance() may come from several threads.
class RecordedProgress final : public ProgressObserver {
public:
    struct Stage {
        std::string name, unit;
        std::uint64_t total = 0, done = 0;
    };
    void stage(std::string_view name, std::string_view unit, std::uint64_t total) override {
        const std::lock_guard lock(mutex_);
        stages.push_back({std::string(name), std::string(unit), total, 0});
    }
    void advance(std::uint64_t done) override {
        const std::lock_guard lock(mutex_);
        stages.back().done += done;
    }
    std::vector<Stage> stages;

private:
    std::mutex mutex_;
};

TEST(AuditSessionTest, ReportsEveryRegionDoneAndThenTheUtilityWideRules) {
    std::vector<RegionFrame> frames(3);
    for (std::size_t i = 0; i < frames.size(); ++i) frames[i].substation_id = "S" + std::to_string(i);
    const auto selection = select_rules(standard_catalogue(), Policy(), [](const RuleInfo& info) {
        return info.id == "METER-STOPPED" || info.id == "LOSS-AREA-HIGH";
    });
    ASSERT_EQ(selection.rules.size(), 2u);
    const AuditSession session(std::move(frames), CollectionColumns{}, standard_catalogue(), Policy(), selection);
    RecordedProgress progress;
    EXPECT_TRUE(session.run(CivilDate::from_ymd(2026, 10, 31), std::nullopt, progress).empty());
    ASSERT_EQ(progress.stages.size(), 2u);
    EXPECT_EQ(progress.stages[0].name, "running rules");
    EXPECT_EQ(progress.stages[0].unit, "regions");
    EXPECT_EQ(progress.stages[0].total, 3u);
    EXPECT_EQ(progress.stages[0].done, 3u);
    EXPECT_EQ(progress.stages[1].name, "utility-wide rules");
    EXPECT_EQ(progress.stages[1].total, 2u);
    EXPECT_EQ(progress.stages[1].done, 2u);
}

}  // namespace
}  // namespace gridaudit
