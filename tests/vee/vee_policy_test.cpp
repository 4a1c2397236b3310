// The [vee] section of gridaudit.toml: thresholds, disabled checks and typos.
#include "rules/reading/vee_policy.hpp"

#include <gtest/gtest.h>

namespace gridaudit {
namespace {

TEST(VeePolicyTest, DefaultsWhenTheSectionIsAbsent) {
    const auto settings = vee_settings_from_policy(Policy());
    ASSERT_TRUE(settings);
    EXPECT_EQ(settings->max_interpolation_values, VeeSettings{}.max_interpolation_values);
    EXPECT_TRUE(settings->on(VeeCheck::spike_history));
}

TEST(VeePolicyTest, ThresholdsAndDisabledChecksAreRead) {
    const auto policy = Policy::parse(
        "[vee]\nmax_interpolation_values = 8\nspike_neighbour_factor = 12.5\ndisabled_checks = [\"spike_history\", \"gap\"]\n",
        "p.toml");
    ASSERT_TRUE(policy) << policy.error().message();
    const auto settings = vee_settings_from_policy(*policy);
    ASSERT_TRUE(settings) << settings.error().message();
    EXPECT_EQ(settings->max_interpolation_values, 8);
    EXPECT_DOUBLE_EQ(settings->spike_neighbour_factor, 12.5);
    EXPECT_FALSE(settings->on(VeeCheck::spike_history));
    EXPECT_FALSE(settings->on(VeeCheck::gap));
    EXPECT_TRUE(settings->on(VeeCheck::negative_consumption));
}

TEST(VeePolicyTest, TyposAreUserErrors) {
    for (const char* text : {"[vee]\nmax_interpolation = 8\n", "[vee]\ndisabled_checks = [\"spikes\"]\n",
                             "[vee]\nlike_days = \"three\"\n", "[vee]\nlike_days = -1\n"}) {
        const auto policy = Policy::parse(text, "p.toml");
        ASSERT_TRUE(policy) << text;
        const auto settings = vee_settings_from_policy(*policy);
        ASSERT_FALSE(settings) << text;
        EXPECT_EQ(settings.error().kind(), ErrorClass::user);
    }
}

TEST(VeePolicyTest, TheDefaultSectionParsesBackToTheDefaults) {
    const auto policy = Policy::parse(vee_policy_toml(), "defaults.toml");
    ASSERT_TRUE(policy) << policy.error().message();
    const auto settings = vee_settings_from_policy(*policy);
    ASSERT_TRUE(settings) << settings.error().message();
    EXPECT_EQ(settings->register_digits, VeeSettings{}.register_digits);
    EXPECT_DOUBLE_EQ(settings->rollover_max_fraction, VeeSettings{}.rollover_max_fraction);
    EXPECT_EQ(settings->enabled, VeeSettings{}.enabled);
}

}  // namespace
}  // namespace gridaudit
