// The append-only `audit_log` table: who did what to which object, when, and the object before
// and after, as JSON.
//
// The schema's triggers refuse every UPDATE and DELETE of an entry, so an entry once committed
// stays as written. A write and its entry commit together: append_audit_log runs inside the
// caller's transaction (user writes here in store/, case writes in the case store).
// Thread safety: used by one thread with its connection.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "store/sqlite_connection.hpp"

namespace gridaudit {

struct AuditLogEntry {
    std::int64_t entry_id = 0;  // assigned when appended; ignored by append_audit_log
    Instant at;
    std::int64_t actor_user_id = 0;  // 0 = the system (a command run by the operator)
    std::string actor;               // the actor's username, "system" for the system
    std::string action;              // e.g. "user.add", "session.create", "case.transition"
    std::string object_kind;         // e.g. "user", "session", "case"
    std::string object_id;
    std::string before_json;  // the object before the write as a JSON object; "" = none (a creation)
    std::string after_json;   // after the write; "" = none (a deletion)
};

// Which entries to read: every field set narrows the selection.
struct AuditLogFilter {
    std::optional<std::string> object_kind;
    std::optional<std::string> object_id;
    std::optional<std::int64_t> actor_user_id;
    std::size_t limit = 1000;  // the newest `limit` entries, returned oldest first
};

// Appends one entry. A before/after that is not "" must be a JSON object (internal error otherwise).
// REQUIRES: a write transaction is open on `connection` (the entry commits with the caller's write).
[[nodiscard]] Status append_audit_log(SqliteConnection& connection, const AuditLogEntry& entry);

// The selected entries, oldest first.
[[nodiscard]] Result<std::vector<AuditLogEntry>> read_audit_log(SqliteConnection& connection,
                                                                const AuditLogFilter& filter);

}  // namespace gridaudit
