// What each role may do: the one role-permission table that the case workflow, the user
// commands and the HTTP API ask (docs/users.md prints it).
//
// Permissions say what kind of act a role may perform; the org-unit scope (access/org_scope.hpp)
// says on which units. The administrator may do everything (the operator's role; Actor::system()).
// Thread safety: pure functions over constants.
#pragma once

#include <array>
#include <string_view>

#include "access/actor.hpp"
#include "access/role.hpp"
#include "core/result.hpp"

namespace gridaudit {

enum class Permission {
    read_findings,         // list and show findings
    read_cases,            // list and show cases, their events and documents
    read_kpis,             // KPIs and assessment
    open_case,             // open a case from findings or a fee-center anomaly
    dismiss_finding,       // dismiss a finding with a reason instead of opening a case
    assign_case,           // assign or reassign a case
    work_case,             // move a case through online and on-site check, comment, attach evidence
    conclude_case,         // record a case's conclusion
    return_conclusion,     // send a concluded case back for another check
    approve_back_billing,  // approve a case's back-billing amount
    record_payment,        // record a payment against a case's notice
    manage_users,          // add, disable users, set their passwords
    read_audit_log,        // read the audit log
};

inline constexpr std::array<Permission, 13> all_permissions{
    Permission::read_findings,     Permission::read_cases,
    Permission::read_kpis,         Permission::open_case,
    Permission::dismiss_finding,   Permission::assign_case,
    Permission::work_case,         Permission::conclude_case,
    Permission::return_conclusion, Permission::approve_back_billing,
    Permission::record_payment,    Permission::manage_users,
    Permission::read_audit_log,
};

// "read_findings", "open_case", ... (the enumerator's name).
[[nodiscard]] std::string_view permission_name(Permission permission);

// Whether `role` may do `permission` (the table of docs/users.md).
[[nodiscard]] bool may(Role role, Permission permission);

// A forbidden refusal naming the actor, role and permission unless the actor's role may.
[[nodiscard]] Status require_permission(const Actor& actor, Permission permission);

}  // namespace gridaudit
