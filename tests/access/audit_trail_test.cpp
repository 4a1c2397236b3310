// Tests of reading the audit log as an actor: permission, and the narrowing to the actor's scope.
#include "access/audit_trail.hpp"

#include <gtest/gtest.h>

#include "access/user_accounts.hpp"
#include "access_fixture.hpp"
#include "support/result_assertions.hpp"

namespace gridaudit {
namespace {

using testing::at;

class AuditTrailTest : public testing::AccessFixture {
protected:
    void SetUp() override {
        AccessFixture::SetUp();
        for (const auto& [name, role, unit] :
             {std::tuple{"sup.st1", Role::supervisor, "ST1"}, std::tuple{"insp.t11", Role::inspector, "T11"},
              std::tuple{"insp.st2", Role::inspector, "ST2"}})
            ASSERT_OK(add_user(access(), Actor::system(), {name, role, unit}, password_, now_, settings_));
        for (const auto* name : {"insp.t11", "insp.st2"}) ASSERT_OK(login(access(), name, password_, now_, settings_));
    }
    Actor actor(std::string_view name) { return actor_of(access().user_by_name(name).value().value()).value(); }

    const std::string password_ = "river stone 42";
    const Instant now_ = at("2026-12-07T08:00:00Z");
};

TEST_F(AuditTrailTest, TheWholeUtilityReadsEveryEntry) {
    ASSERT_OK_AND_ASSIGN(const auto entries, read_audit_trail(access(), Actor::system(), {}));
    ASSERT_EQ(entries.size(), 5u);  // three users added, two sessions
    EXPECT_EQ(entries[0].action, "user.add");
}

TEST_F(AuditTrailTest, ASupervisorOfAUnitReadsTheEntriesOfUsersInTheirScope) {
    ASSERT_OK_AND_ASSIGN(const auto entries, read_audit_trail(access(), actor("sup.st1"), {}));
    ASSERT_EQ(entries.size(), 1u);
    EXPECT_EQ(entries[0].actor, "insp.t11");
    EXPECT_EQ(entries[0].action, "session.create");
}

TEST_F(AuditTrailTest, AnInspectorMayNotReadTheLog) {
    const auto refused = read_audit_trail(access(), actor("insp.t11"), {});
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().refusal(), Refusal::forbidden);
}

}  // namespace
}  // namespace gridaudit
