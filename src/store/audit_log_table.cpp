// Appending to and reading the append-only audit log.
#include "store/audit_log_table.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace gridaudit {
namespace {

Status check_json_object(std::string_view text, std::string_view which, const AuditLogEntry& entry) {
    if (text.empty()) return {};
    const auto json = nlohmann::json::parse(text, nullptr, false);
    if (json.is_discarded() || !json.is_object())
        return internal_error(fmt::format("audit log entry {} {} {}: the {} state is not a JSON object", entry.action,
                                          entry.object_kind, entry.object_id, which));
    return {};
}

void bind_optional_text(SqliteStatement& statement, int index, const std::string& text) {
    if (text.empty())
        statement.bind_null(index);
    else
        statement.bind_text(index, text);
}

}  // namespace

Status append_audit_log(SqliteConnection& connection, const AuditLogEntry& entry) {
    GA_TRY(check_json_object(entry.before_json, "before", entry));
    GA_TRY(check_json_object(entry.after_json, "after", entry));
    GA_ASSIGN_OR_RETURN(auto insert, connection.prepare("INSERT INTO audit_log (at, actor_user_id, actor, action, "
                                                        "object_kind, object_id, before_json, after_json) "
                                                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"));
    const std::string at = entry.at.to_string(0);
    insert.bind_text(1, at);
    insert.bind_int64(2, entry.actor_user_id);
    insert.bind_text(3, entry.actor);
    insert.bind_text(4, entry.action);
    insert.bind_text(5, entry.object_kind);
    insert.bind_text(6, entry.object_id);
    bind_optional_text(insert, 7, entry.before_json);
    bind_optional_text(insert, 8, entry.after_json);
    return insert.run();
}

Result<std::vector<AuditLogEntry>> read_audit_log(SqliteConnection& connection, const AuditLogFilter& filter) {
    GA_ASSIGN_OR_RETURN(auto select,
                        connection.prepare("SELECT entry_id, at, actor_user_id, actor, action, object_kind, object_id, "
                                           "coalesce(before_json, ''), coalesce(after_json, '') FROM ("
                                           "SELECT * FROM audit_log WHERE (?1 IS NULL OR object_kind = ?1) "
                                           "AND (?2 IS NULL OR object_id = ?2) AND (?3 IS NULL OR actor_user_id = ?3) "
                                           "ORDER BY entry_id DESC LIMIT ?4) ORDER BY entry_id"));
    if (filter.object_kind) select.bind_text(1, *filter.object_kind);
    if (filter.object_id) select.bind_text(2, *filter.object_id);
    if (filter.actor_user_id) select.bind_int64(3, *filter.actor_user_id);
    select.bind_int64(4, static_cast<std::int64_t>(filter.limit));
    std::vector<AuditLogEntry> entries;
    for (;;) {
        GA_ASSIGN_OR_RETURN(const bool has_row, select.step());
        if (!has_row) break;
        AuditLogEntry entry;
        entry.entry_id = select.column_int64(0);
        const auto at = Instant::parse(select.column_text(1));
        if (!at)
            return internal_error(
                fmt::format("audit log entry {} has a malformed time ({})", entry.entry_id, select.column_text(1)));
        entry.at = *at;
        entry.actor_user_id = select.column_int64(2);
        entry.actor = select.column_text(3);
        entry.action = select.column_text(4);
        entry.object_kind = select.column_text(5);
        entry.object_id = select.column_text(6);
        entry.before_json = select.column_text(7);
        entry.after_json = select.column_text(8);
        entries.push_back(std::move(entry));
    }
    return entries;
}

}  // namespace gridaudit
