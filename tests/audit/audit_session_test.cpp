// The audit session's rule selection (enabled rules, --rule, unknown ids, a policy the catalogue
// rejects) and its run over frames loaded elsewhere, as the benchmark builds it.
#include "audit/audit_session.hpp"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace gridaudit
