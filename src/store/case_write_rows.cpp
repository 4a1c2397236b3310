// The audit-log entry and case event of a case write (see case_write_rows.hpp).
#include "store/case_write_rows.hpp"

#include <fmt/format.h>

#include "store/audit_log_table.hpp"

namespace gridaudit {

Status append_case_write_log(SqliteConnection& connection, const CaseWriter& writer, std::string_view action,
                             std::string_view object_kind, std::string_view object_id, std::string_view before_json,
                             std::string_view after_json) {
    const auto at = Instant::parse(writer.at);
    if (!at) return internal_error(fmt::format("a case write at '{}', not an ISO instant", writer.at));
    AuditLogEntry entry;
    entry.at = *at;
    entry.actor_user_id = writer.user_id;
    entry.actor = writer.name;
    entry.action = action;
    entry.object_kind = object_kind;
    entry.object_id = object_id;
    entry.before_json = before_json;
    entry.after_json = after_json;
    return append_audit_log(connection, entry);
}

Status insert_case_event(SqliteConnection& connection, std::int64_t case_id, const CaseWriter& writer,
                         std::string_view kind, std::string_view from_state, std::string_view to_state,
                         std::string_view note) {
    GA_ASSIGN_OR_RETURN(auto insert, connection.prepare("INSERT INTO case_events (case_id, at, actor_user_id, actor, "
                                                        "kind, from_state, to_state, note) "
                                                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"));
    insert.bind_int64(1, case_id);
    insert.bind_text(2, writer.at);
    insert.bind_int64(3, writer.user_id);
    insert.bind_text(4, writer.name);
    insert.bind_text(5, kind);
    insert.bind_text(6, from_state);
    insert.bind_text(7, to_state);
    insert.bind_text(8, note);
    return insert.run();
}

}  // namespace gridaudit
