// The SQLite implementation of AccessStore, over the connection of a SqliteStore (tables of
// schema migration 7: users, sessions, login_attempts, audit_log).
//
// Each write is one IMMEDIATE transaction holding the write and its audit log entry.
// Thread safety: one thread at a time, with the SqliteStore that owns it.
#pragma once

#include "store/access_store.hpp"
#include "store/sqlite_connection.hpp"

namespace gridaudit {

class SqliteAccessStore final : public AccessStore {
public:
    // REQUIRES: `connection` outlives this object and is migrated to version 7 or later.
    explicit SqliteAccessStore(SqliteConnection& connection) : connection_(connection) {}

    [[nodiscard]] Result<std::vector<OrgUnitLink>> org_units() override;

    [[nodiscard]] Result<std::int64_t> add_user(const UserRecord& user, const AuditStamp& stamp) override;
    [[nodiscard]] Result<std::optional<UserRecord>> user_by_name(std::string_view username) override;
    [[nodiscard]] Result<std::vector<UserRecord>> users() override;
    [[nodiscard]] Status update_user(const UserRecord& user, std::string_view action, bool revoke_sessions,
                                     const AuditStamp& stamp) override;

    [[nodiscard]] Result<std::int64_t> add_session(const SessionRecord& session, const AuditStamp& stamp) override;
    [[nodiscard]] Result<std::optional<SessionWithUser>> session_by_token_hash(std::string_view token_hash) override;
    [[nodiscard]] Status touch_session(std::int64_t session_id, Instant at) override;
    [[nodiscard]] Status revoke_session(std::int64_t session_id, std::string_view why,
                                        const AuditStamp& stamp) override;

    [[nodiscard]] Status record_login_attempt(std::string_view username, Instant at, LoginOutcome outcome) override;
    [[nodiscard]] Result<std::vector<Instant>> failed_logins_since(std::string_view username, Instant since) override;

    [[nodiscard]] Result<std::vector<AuditLogEntry>> audit_log(const AuditLogFilter& filter) override;

private:
    SqliteConnection& connection_;
};

}  // namespace gridaudit
