// Tests of the TOML policy: values, fallbacks, and errors that name where the problem is.
#include "rules/policy.hpp"

#include <gtest/gtest.h>

namespace gridaudit {
namespace {

TEST(PolicyTest, ReadsRuleTablesAndGeneralSettings) {
    const auto policy = Policy::parse(R"(
[general]
utc_offset_minutes = 480

[rules.METER-ROTATION-OVERDUE]
single_phase_years = 8
long_life_models = ["A", "B"]
enabled = false
)",
                                      "gridaudit.toml");
    ASSERT_TRUE(policy) << policy.error().message();
    EXPECT_EQ(policy->number("general", "utc_offset_minutes", 0), 480);
    EXPECT_EQ(policy->number("rules.METER-ROTATION-OVERDUE", "single_phase_years", 10), 8);
    EXPECT_EQ(policy->number("rules.METER-ROTATION-OVERDUE", "three_phase_years", 6), 6);
    EXPECT_EQ(policy->list("rules.METER-ROTATION-OVERDUE", "long_life_models", {}),
              (std::vector<std::string>{"A", "B"}));
    EXPECT_FALSE(policy->flag("rules.METER-ROTATION-OVERDUE", "enabled", true));
}

TEST(PolicyTest, SyntaxErrorsNameFileLineAndColumn) {
    const auto policy = Policy::parse("[general]\nx = = 3\n", "site.toml");
    ASSERT_FALSE(policy);
    EXPECT_EQ(policy.error().kind(), ErrorClass::user);
    EXPECT_EQ(policy.error().message().rfind("site.toml:2:", 0), 0u) << policy.error().message();
}

TEST(PolicyTest, RejectsValuesItCannotRepresent) {
    const auto mixed = Policy::parse("[rules.X]\nlist = [1, 2]\n", "p.toml");
    ASSERT_FALSE(mixed);
    EXPECT_NE(mixed.error().message().find("only strings"), std::string::npos);
    const auto bare = Policy::parse("threshold = 3\n", "p.toml");
    ASSERT_FALSE(bare);
    EXPECT_NE(bare.error().message().find("must be a table"), std::string::npos);
}

TEST(PolicyTest, MissingFileIsAUserError) {
    const auto policy = Policy::load("/nonexistent/gridaudit.toml");
    ASSERT_FALSE(policy);
    EXPECT_EQ(policy.error().kind(), ErrorClass::user);
}

}  // namespace
}  // namespace gridaudit
