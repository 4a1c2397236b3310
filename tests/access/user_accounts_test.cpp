// Tests of managing users: the stored hash is Argon2id and not the password, usernames, units and
// permissions are checked, scope limits whom an actor manages, and every write is logged.
#include "access/user_accounts.hpp"

#include <gtest/gtest.h>

#include "access_fixture.hpp"
#include "support/result_assertions.hpp"

namespace gridaudit {
namespace {

using testing::at;

class UserAccountsTest : public testing::AccessFixture {
protected:
    const Instant now_ = at("2026-12-07T08:00:00Z");
};

TEST_F(UserAccountsTest, AnAddedUserIsStoredWithAnArgon2idHashNotThePassword) {
    ASSERT_OK_AND_ASSIGN(const auto added, add_user(access(), Actor::system(), {"li.na", Role::inspector, "ST1"},
                                                    "river stone 42", now_, settings_));
    EXPECT_EQ(added.username, "li.na");
    EXPECT_EQ(added.role, Role::inspector);
    const auto stored = access().user_by_name("li.na").value().value();
    EXPECT_TRUE(stored.password_hash.starts_with("$argon2id$")) << stored.password_hash;
    EXPECT_EQ(stored.password_hash.find("river stone 42"), std::string::npos);
    EXPECT_EQ(stored.unit_id, "ST1");
    const auto log = access().audit_log({}).value();
    ASSERT_EQ(log.size(), 1u);
    EXPECT_EQ(log[0].action, "user.add");
    EXPECT_EQ(log[0].at, now_);
    EXPECT_EQ(log[0].after_json.find("argon2"), std::string::npos);
    EXPECT_EQ(log[0].after_json.find("river"), std::string::npos);
}

TEST_F(UserAccountsTest, UnknownUnitBadUsernameWeakPasswordAndTakenNameAreRefused) {
    const auto unit =
        add_user(access(), Actor::system(), {"li.na", Role::inspector, "ST9"}, "river stone 42", now_, settings_);
    ASSERT_FALSE(unit.has_value());
    EXPECT_EQ(unit.error().refusal(), Refusal::invalid_input);
    EXPECT_EQ(unit.error().message(), "unit ST9 is not an org unit of the store (org_units.csv)");
    EXPECT_FALSE(
        add_user(access(), Actor::system(), {"Li Na", Role::inspector, ""}, "river stone 42", now_, settings_));
    EXPECT_FALSE(add_user(access(), Actor::system(), {"-li", Role::inspector, ""}, "river stone 42", now_, settings_));
    EXPECT_FALSE(add_user(access(), Actor::system(), {"li.na", Role::inspector, ""}, "short", now_, settings_));
    ASSERT_OK(add_user(access(), Actor::system(), {"li.na", Role::inspector, ""}, "river stone 42", now_, settings_));
    const auto taken =
        add_user(access(), Actor::system(), {"li.na", Role::analyst, ""}, "river stone 42", now_, settings_);
    ASSERT_FALSE(taken.has_value());
    EXPECT_EQ(taken.error().refusal(), Refusal::conflict);
}

TEST_F(UserAccountsTest, OnlyAnAdministratorManagesAndOnlyWithinTheirUnit) {
    ASSERT_OK(add_user(access(), Actor::system(), {"admin.st1", Role::administrator, "ST1"}, "river stone 42", now_,
                       settings_));
    ASSERT_OK(add_user(access(), Actor::system(), {"boss", Role::supervisor, "CO"}, "river stone 42", now_, settings_));
    const Actor station_admin = actor_of(access().user_by_name("admin.st1").value().value()).value();
    const Actor supervisor = actor_of(access().user_by_name("boss").value().value()).value();

    const auto by_supervisor =
        add_user(access(), supervisor, {"x1", Role::clerk, "ST1"}, "river stone 42", now_, settings_);
    ASSERT_FALSE(by_supervisor.has_value());
    EXPECT_EQ(by_supervisor.error().refusal(), Refusal::forbidden);

    ASSERT_OK(add_user(access(), station_admin, {"team.clerk", Role::clerk, "T11"}, "river stone 42", now_, settings_));
    const auto sibling =
        add_user(access(), station_admin, {"x2", Role::clerk, "ST2"}, "river stone 42", now_, settings_);
    ASSERT_FALSE(sibling.has_value());
    EXPECT_EQ(sibling.error().refusal(), Refusal::forbidden);
    EXPECT_FALSE(add_user(access(), station_admin, {"x3", Role::clerk, ""}, "river stone 42", now_, settings_));

    ASSERT_OK_AND_ASSIGN(const auto seen, list_users(access(), station_admin));
    ASSERT_EQ(seen.size(), 2u);
    EXPECT_EQ(seen[0].username, "admin.st1");
    EXPECT_EQ(seen[1].username, "team.clerk");
    EXPECT_EQ(list_users(access(), Actor::system()).value().size(), 3u);
    const auto disable_boss = set_user_disabled(access(), station_admin, "boss", true, now_);
    ASSERT_FALSE(disable_boss.has_value());
    EXPECT_EQ(disable_boss.error().refusal(), Refusal::forbidden);
    const auto nobody = set_user_disabled(access(), Actor::system(), "nobody", true, now_);
    ASSERT_FALSE(nobody.has_value());
    EXPECT_EQ(nobody.error().refusal(), Refusal::not_found);
}

TEST_F(UserAccountsTest, AUserChangesTheirOwnPasswordButNotAnothersAndEveryWriteIsLogged) {
    ASSERT_OK(add_user(access(), Actor::system(), {"boss", Role::supervisor, "CO"}, "river stone 42", now_, settings_));
    ASSERT_OK(
        add_user(access(), Actor::system(), {"li.na", Role::inspector, "ST1"}, "river stone 42", now_, settings_));
    const Actor supervisor = actor_of(access().user_by_name("boss").value().value()).value();
    const auto wrong =
        change_own_password(access(), supervisor, "river stone 4", "lake stone 43", now_ + 60, settings_);
    ASSERT_FALSE(wrong.has_value());
    EXPECT_EQ(wrong.error().message(), "the current password is wrong");
    ASSERT_OK(change_own_password(access(), supervisor, "river stone 42", "lake stone 43", now_ + 60, settings_));
    EXPECT_TRUE(verify_password(access().user_by_name("boss").value()->password_hash, "lake stone 43"));
    // Not even their own password without the current one, nor another's.
    EXPECT_FALSE(change_password(access(), supervisor, "boss", "lake stone 44", now_ + 60, settings_));
    EXPECT_FALSE(change_password(access(), supervisor, "li.na", "lake stone 43", now_ + 60, settings_));
    ASSERT_OK(set_user_disabled(access(), Actor::system(), "li.na", true, now_ + 120));
    ASSERT_OK(set_user_disabled(access(), Actor::system(), "li.na", false, now_ + 180));
    const auto log = access().audit_log({}).value();
    ASSERT_EQ(log.size(), 5u);
    EXPECT_EQ(log[2].action, "user.passwd");
    EXPECT_EQ(log[2].actor, "boss");
    EXPECT_EQ(log[3].action, "user.disable");
    EXPECT_EQ(log[4].action, "user.enable");
    EXPECT_EQ(log[4].actor, "system");
    EXPECT_FALSE(access().user_by_name("li.na").value()->disabled);
}

}  // namespace
}  // namespace gridaudit
