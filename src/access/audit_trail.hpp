// Reading the audit log as an actor (gridaudit user log, and the HTTP API).
//
// Needs Permission::read_audit_log. An actor of the whole utility reads every entry; an actor of a
// unit reads the entries written by users of their scope (not the system's), so the filter's
// limit applies before that narrowing and may return fewer entries.
// Thread safety: as the AccessStore passed in.
#pragma once

#include <vector>

#include "access/actor.hpp"
#include "core/result.hpp"
#include "store/access_store.hpp"

namespace gridaudit {

[[nodiscard]] Result<std::vector<AuditLogEntry>> read_audit_trail(AccessStore& store, const Actor& by,
                                                                  const AuditLogFilter& filter);

}  // namespace gridaudit
