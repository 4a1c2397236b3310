// The role-permission table.
#include "access/permission.hpp"

#include <fmt/format.h>

namespace gridaudit {

std::string_view permission_name(Permission permission) {
    switch (permission) {
        case Permission::read_findings:
            return "read_findings";
        case Permission::read_cases:
            return "read_cases";
        case Permission::read_kpis:
            return "read_kpis";
        case Permission::open_case:
            return "open_case";
        case Permission::dismiss_finding:
            return "dismiss_finding";
        case Permission::assign_case:
            return "assign_case";
        case Permission::work_case:
            return "work_case";
        case Permission::conclude_case:
            return "conclude_case";
        case Permission::return_conclusion:
            return "return_conclusion";
        case Permission::approve_back_billing:
            return "approve_back_billing";
        case Permission::record_payment:
            return "record_payment";
        case Permission::manage_users:
            return "manage_users";
        case Permission::read_audit_log:
            return "read_audit_log";
    }
    return "unknown";
}

bool may(Role role, Permission permission) {
    if (role == Role::administrator) return true;
    switch (permission) {
        case Permission::read_findings:
        case Permission::read_cases:
        case Permission::read_kpis:
            return true;
        case Permission::open_case:
            return role == Role::clerk || role == Role::analyst || role == Role::supervisor;
        case Permission::dismiss_finding:
            return role == Role::analyst || role == Role::supervisor;
        case Permission::assign_case:
            return role == Role::supervisor;
        case Permission::work_case:
            return role == Role::analyst || role == Role::inspector || role == Role::supervisor;
        case Permission::conclude_case:
            return role == Role::inspector || role == Role::supervisor;
        case Permission::return_conclusion:
        case Permission::approve_back_billing:
            return role == Role::supervisor;
        case Permission::record_payment:
            return role == Role::clerk || role == Role::supervisor;
        case Permission::read_audit_log:
            return role == Role::supervisor;
        case Permission::manage_users:
            return false;
    }
    return false;
}

Status require_permission(const Actor& actor, Permission permission) {
    if (may(actor.role, permission)) return {};
    return refusal_error(Refusal::forbidden, fmt::format("{} ({}) may not {}", actor.username, role_name(actor.role),
                                                         permission_name(permission)));
}

}  // namespace gridaudit
