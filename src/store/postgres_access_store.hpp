// People on PostgreSQL (store/access_store.hpp): users, sessions, login attempts and the
// append-only audit log, each write with its audit log entry in one transaction, as in SQLite.
// Concurrent writes of one user or session from several server processes: the row is locked
// (SELECT ... FOR UPDATE) before it is read for the log's "before", so the second writer waits and
// logs the first's result; usernames and token hashes are unique in the schema.
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
