// The roles a GridAudit user has, and their names as stored, typed and printed.
//
// A fee-center clerk (电费管理中心) shares anomalies and records payments; an analyst turns findings
// into cases and checks them online; an inspector (稽查队) checks on site and concludes; a
// supervisor assigns, returns conclusions and approves back-billing; an administrator manages
// users. What each may do is the table in access/permission.hpp (docs/users.md).
// Thread safety: pure functions over constants.
#pragma once

#include <array>
#include <string_view>

#include "core/result.hpp"

namespace gridaudit {

enum class Role { clerk, analyst, inspector, supervisor, administrator };

inline constexpr std::array<Role, 5> all_roles{Role::clerk, Role::analyst, Role::inspector, Role::supervisor,
                                               Role::administrator};

// "clerk", "analyst", "inspector", "supervisor", "administrator".
[[nodiscard]] std::string_view role_name(Role role);
// What the role is, in words, e.g. "fee-center clerk".
[[nodiscard]] std::string_view role_title(Role role);
// One of the names of role_name; anything else is an invalid-input refusal naming the roles.
[[nodiscard]] Result<Role> parse_role(std::string_view name);

}  // namespace gridaudit
