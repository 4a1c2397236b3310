// Role names and their parser.
#include "access/role.hpp"

#include <fmt/format.h>

#include "text/printable_text.hpp"

namespace gridaudit {

std::string_view role_name(Role role) {
    switch (role) {
        case Role::clerk:
            return "clerk";
        case Role::analyst:
            return "analyst";
        case Role::inspector:
            return "inspector";
        case Role::supervisor:
            return "supervisor";
        case Role::administrator:
            return "administrator";
    }
    return "clerk";
}

std::string_view role_title(Role role) {
    switch (role) {
        case Role::clerk:
            return "fee-center clerk";
        case Role::analyst:
            return "analyst";
        case Role::inspector:
            return "inspector";
        case Role::supervisor:
            return "supervisor";
        case Role::administrator:
            return "administrator";
    }
    return "fee-center clerk";
}

Result<Role> parse_role(std::string_view name) {
    for (const Role role : all_roles)
        if (role_name(role) == name) return role;
    return user_error(
        fmt::format("unknown role ({}); the roles are clerk, analyst, inspector, supervisor, administrator",
                    printable_value(name)));
}

}  // namespace gridaudit
