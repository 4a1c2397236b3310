// Tests of the [access] policy section: defaults, each setting, and refusals naming the key.
#include "access/access_policy.hpp"

#include <gtest/gtest.h>

namespace gridaudit {
namespace {

Result<AccessSettings> settings_of(std::string_view toml) {
    auto policy = Policy::parse(toml, "policy.toml");
    if (!policy) return std::unexpected(policy.error());
    return access_settings_from_policy(*policy);
}

TEST(AccessPolicyTest, WithoutTheSectionTheDefaultsHold) {
    const auto settings = settings_of("[general]\n").value();
    EXPECT_EQ(settings.session_idle_seconds, 2 * 3600);
    EXPECT_EQ(settings.session_lifetime_seconds, 8 * 3600);
    EXPECT_EQ(settings.max_failed_logins, 5);
    EXPECT_EQ(settings.failed_login_window_seconds, 15 * 60);
    EXPECT_EQ(settings.password_cost.memlimit, PasswordCost::interactive().memlimit);
}

TEST(AccessPolicyTest, EachSettingIsRead) {
    const auto settings = settings_of(
                              "[access]\nsession_idle_minutes = 30\nsession_lifetime_hours = 12\n"
                              "max_failed_logins = 3\nfailed_login_window_minutes = 60\n")
                              .value();
    EXPECT_EQ(settings.session_idle_seconds, 30 * 60);
    EXPECT_EQ(settings.session_lifetime_seconds, 12 * 3600);
    EXPECT_EQ(settings.max_failed_logins, 3);
    EXPECT_EQ(settings.failed_login_window_seconds, 3600);
}

TEST(AccessPolicyTest, UnknownKeysAndBadValuesAreRefusedNamingThem) {
    const auto unknown = settings_of("[access]\nsession_minutes = 30\n");
    ASSERT_FALSE(unknown.has_value());
    EXPECT_NE(unknown.error().message().find("'session_minutes'"), std::string::npos) << unknown.error().message();
    for (const auto* bad :
         {"[access]\nmax_failed_logins = 0\n", "[access]\nmax_failed_logins = 2.5\n",
          "[access]\nsession_idle_minutes = \"30\"\n", "[access]\nsession_lifetime_hours = 100000\n"}) {
        const auto refused = settings_of(bad);
        ASSERT_FALSE(refused.has_value()) << bad;
        EXPECT_NE(refused.error().message().find("must be a whole number"), std::string::npos)
            << refused.error().message();
    }
}

}  // namespace
}  // namespace gridaudit
