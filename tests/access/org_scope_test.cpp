// Tests of the org-unit scope over a small tree:
//   CO (county company)
//   +-- ST1 (station) +-- T11 (team)
//   +-- ST2 (station)
#include "access/org_scope.hpp"

#include <gtest/gtest.h>

namespace gridaudit {
namespace {

OrgScope tree() {
    return OrgScope::from_units({{"CO", ""}, {"ST1", "CO"}, {"ST2", "CO"}, {"T11", "ST1"}});
}

Actor of_unit(std::string unit) {
    return Actor{7, "zhang", Role::supervisor, std::move(unit)};
}

TEST(OrgScopeTest, AUserCoversTheirUnitAndTheUnitsBelowIt) {
    const OrgScope scope = tree();
    const Actor station = of_unit("ST1");
    EXPECT_TRUE(scope.covers(station, "ST1"));
    EXPECT_TRUE(scope.covers(station, "T11"));
    EXPECT_FALSE(scope.covers(station, "ST2"));  // sibling
    EXPECT_FALSE(scope.covers(station, "CO"));   // parent
    EXPECT_FALSE(scope.covers(station, "X9"));   // unknown
    EXPECT_FALSE(scope.covers(station, ""));     // a record without a unit
    EXPECT_TRUE(scope.covers(of_unit("CO"), "T11"));
}

TEST(OrgScopeTest, TheWholeUtilityCoversEverything) {
    const OrgScope scope = tree();
    for (const auto* unit : {"CO", "ST2", "T11", "X9", ""}) EXPECT_TRUE(scope.covers(Actor::system(), unit)) << unit;
    EXPECT_FALSE(scope.units_of(Actor::system()).has_value());
}

TEST(OrgScopeTest, UnitsOfAnActorAreItsSubtreeSorted) {
    const OrgScope scope = tree();
    EXPECT_EQ(scope.units_of(of_unit("ST1")).value(), (std::vector<std::string>{"ST1", "T11"}));
    EXPECT_EQ(scope.units_within("CO"), (std::vector<std::string>{"CO", "ST1", "ST2", "T11"}));
    EXPECT_TRUE(scope.units_within("X9").empty());
    EXPECT_TRUE(scope.contains("T11"));
    EXPECT_FALSE(scope.contains("X9"));
}

TEST(OrgScopeTest, RequireRefusesOutsideTheScopeAsForbidden) {
    const OrgScope scope = tree();
    EXPECT_TRUE(scope.require(of_unit("ST1"), "T11").has_value());
    const auto refused = scope.require(of_unit("ST1"), "ST2");
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().refusal(), Refusal::forbidden);
    EXPECT_EQ(refused.error().message(), "zhang (unit ST1) may not act on unit ST2: it is outside their unit");
}

TEST(OrgScopeTest, ACycleInTheParentLinksEndsTheWalk) {
    const OrgScope scope = OrgScope::from_units({{"A", "B"}, {"B", "A"}, {"C", ""}});
    EXPECT_FALSE(scope.covers(of_unit("C"), "A"));
    EXPECT_TRUE(scope.covers(of_unit("B"), "A"));
    EXPECT_EQ(scope.units_within("A"), (std::vector<std::string>{"A", "B"}));
}

}  // namespace
}  // namespace gridaudit
