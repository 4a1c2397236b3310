// PostgresAccessStore: the org-unit tree; users, sessions and the audit log are not there yet.
#include "store/postgres_access_store.hpp"

namespace gridaudit {
namespace {

std::unexpected<Error> not_yet() {
    return user_error(
        "users, sessions and the audit log are not kept on PostgreSQL yet; use a SQLite store (--db FILE.db)");
}

}  // namespace

Result<std::vector<OrgUnitLink>> PostgresAccessStore::org_units() {
    GA_ASSIGN_OR_RETURN(auto result, connection_->query("SELECT unit_id, coalesce(parent_id, '') FROM org_units "
                                                        "ORDER BY unit_id COLLATE \"C\""));
    std::vector<OrgUnitLink> units;
    for (int r = 0; r < result.rows(); ++r)
        units.push_back({std::string(result.text(r, 0)), std::string(result.text(r, 1))});
    return units;
}

Result<std::int64_t> PostgresAccessStore::add_user(const UserRecord&, const AuditStamp&) {
    return not_yet();
}
Result<std::optional<UserRecord>> PostgresAccessStore::user_by_name(std::string_view) {
    return not_yet();
}
Result<std::vector<UserRecord>> PostgresAccessStore::users() {
    return not_yet();
}
Status PostgresAccessStore::update_user(const UserRecord&, std::string_view, bool, const AuditStamp&) {
    return not_yet();
}
Result<std::int64_t> PostgresAccessStore::add_session(const SessionRecord&, const AuditStamp&) {
    return not_yet();
}
Result<std::optional<SessionWithUser>> PostgresAccessStore::session_by_token_hash(std::string_view) {
    return not_yet();
}
Status PostgresAccessStore::touch_session(std::int64_t, Instant) {
    return not_yet();
}
Status PostgresAccessStore::revoke_session(std::int64_t, std::string_view, const AuditStamp&) {
    return not_yet();
}
Status PostgresAccessStore::record_login_attempt(std::string_view, Instant, LoginOutcome) {
    return not_yet();
}
Result<std::vector<Instant>> PostgresAccessStore::failed_logins_since(std::string_view, Instant) {
    return not_yet();
}
Result<std::vector<AuditLogEntry>> PostgresAccessStore::audit_log(const AuditLogFilter&) {
    return not_yet();
}

}  // namespace gridaudit
