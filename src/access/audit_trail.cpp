// The audit log as an actor may read it.
#include "access/audit_trail.hpp"

#include <set>

#include "access/org_scope.hpp"
#include "access/permission.hpp"

namespace gridaudit {

Result<std::vector<AuditLogEntry>> read_audit_trail(AccessStore& store, const Actor& by, const AuditLogFilter& filter) {
    GA_TRY(require_permission(by, Permission::read_audit_log));
    GA_ASSIGN_OR_RETURN(auto entries, store.audit_log(filter));
    if (by.unit_id.empty()) return entries;
    GA_ASSIGN_OR_RETURN(const OrgScope scope, OrgScope::load(store));
    GA_ASSIGN_OR_RETURN(const auto users, store.users());
    std::set<std::int64_t> in_scope;
    for (const auto& user : users)
        if (scope.covers(by, user.unit_id)) in_scope.insert(user.user_id);
    std::erase_if(entries, [&](const AuditLogEntry& entry) { return !in_scope.contains(entry.actor_user_id); });
    return entries;
}

}  // namespace gridaudit
