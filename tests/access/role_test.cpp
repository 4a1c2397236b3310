// Tests of role names and the role-permission table.
#include "access/role.hpp"

#include <gtest/gtest.h>

#include "access/permission.hpp"

namespace gridaudit {
namespace {

TEST(RoleTest, EveryNameParsesBackToItsRole) {
    for (const Role role : all_roles) EXPECT_EQ(parse_role(role_name(role)).value(), role);
    EXPECT_EQ(role_name(Role::clerk), "clerk");
    EXPECT_EQ(role_title(Role::clerk), "fee-center clerk");
}

TEST(RoleTest, AnUnknownRoleIsInvalidInputNamingTheRoles) {
    const auto parsed = parse_role("Inspector");
    ASSERT_FALSE(parsed.has_value());
    EXPECT_EQ(parsed.error().refusal(), Refusal::invalid_input);
    EXPECT_NE(parsed.error().message().find("(Inspector)"), std::string::npos) << parsed.error().message();
    EXPECT_NE(parsed.error().message().find("supervisor"), std::string::npos);
}

TEST(PermissionTest, TheTableSeparatesTheDutiesOfTheLoop) {
    EXPECT_TRUE(may(Role::clerk, Permission::open_case));
    EXPECT_TRUE(may(Role::clerk, Permission::record_payment));
    EXPECT_FALSE(may(Role::clerk, Permission::conclude_case));
    EXPECT_TRUE(may(Role::analyst, Permission::dismiss_finding));
    EXPECT_FALSE(may(Role::analyst, Permission::conclude_case));
    EXPECT_TRUE(may(Role::inspector, Permission::conclude_case));
    EXPECT_FALSE(may(Role::inspector, Permission::approve_back_billing));
    EXPECT_FALSE(may(Role::inspector, Permission::dismiss_finding));
    EXPECT_TRUE(may(Role::supervisor, Permission::approve_back_billing));
    EXPECT_TRUE(may(Role::supervisor, Permission::return_conclusion));
    EXPECT_FALSE(may(Role::supervisor, Permission::manage_users));
    for (const Permission permission : all_permissions) {
        EXPECT_TRUE(may(Role::administrator, permission)) << permission_name(permission);
        if (permission != Permission::read_findings && permission != Permission::read_cases) continue;
        for (const Role role : all_roles) EXPECT_TRUE(may(role, permission)) << role_name(role);
    }
    for (const Role role : all_roles) {
        if (role == Role::administrator) continue;
        EXPECT_FALSE(may(role, Permission::manage_users)) << role_name(role);
    }
}

TEST(PermissionTest, ARefusalIsForbiddenAndNamesActorRoleAndPermission) {
    const Actor inspector{4, "li.na", Role::inspector, "ST1"};
    EXPECT_TRUE(require_permission(inspector, Permission::work_case).has_value());
    const auto refused = require_permission(inspector, Permission::approve_back_billing);
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().refusal(), Refusal::forbidden);
    EXPECT_EQ(refused.error().message(), "li.na (inspector) may not approve_back_billing");
    EXPECT_TRUE(require_permission(Actor::system(), Permission::manage_users).has_value());
}

}  // namespace
}  // namespace gridaudit
