// People on PostgreSQL, as far as they go yet: the org-unit tree the KPIs and scopes read. Users,
// sessions, login attempts and the audit log (gridaudit user, gridaudit serve's sign-in) are
// refused as a user error naming the SQLite store, which has them (docs/storage.md, "PostgreSQL").
// Thread safety: as PostgresStore, one thread at a time.
#pragma once

#include "store/access_store.hpp"
#include "store/postgres_connection.hpp"

namespace gridaudit {

class PostgresAccessStore final : public AccessStore {
public:
    explicit PostgresAccessStore(PostgresConnection& connection) : connection_(&connection) {}

    Result<std::vector<OrgUnitLink>> org_units() override;
    Result<std::int64_t> add_user(const UserRecord& user, const AuditStamp& stamp) override;
    Result<std::optional<UserRecord>> user_by_name(std::string_view username) override;
    Result<std::vector<UserRecord>> users() override;
    Status update_user(const UserRecord& user, std::string_view action, bool revoke_sessions,
                       const AuditStamp& stamp) override;
    Result<std::int64_t> add_session(const SessionRecord& session, const AuditStamp& stamp) override;
    Result<std::optional<SessionWithUser>> session_by_token_hash(std::string_view token_hash) override;
    Status touch_session(std::int64_t session_id, Instant at) override;
    Status revoke_session(std::int64_t session_id, std::string_view why, const AuditStamp& stamp) override;
    Status record_login_attempt(std::string_view username, Instant at, LoginOutcome outcome) override;
    Result<std::vector<Instant>> failed_logins_since(std::string_view username, Instant since) override;
    Result<std::vector<AuditLogEntry>> audit_log(const AuditLogFilter& filter) override;

private:
    PostgresConnection* connection_;
};

}  // namespace gridaudit
