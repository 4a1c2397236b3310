// The store's side of access control: users, sessions, login attempts and the audit log, behind
// a backend-neutral interface reached from a Store by Store::access().
//
// These are records, not policy: the access layer (src/access/) decides who may log in, hashes
// passwords and tokens, and checks roles and scope. Every write here is one transaction that
// also appends its audit log entry (who, what, when, before, after) from the AuditStamp it is
// given, so a write and its entry commit together; password and token hashes never appear in
// an entry. Times are stored as ISO instants, UTC.
// Thread safety: as its Store, one thread at a time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "store/audit_log_table.hpp"

namespace gridaudit {

struct UserRecord {
    std::int64_t user_id = 0;  // assigned by add_user
    std::string username;
    std::string role;           // a role name of access/role.hpp; the schema refuses others
    std::string unit_id;        // an org_units.unit_id, or "" for the whole utility
    std::string password_hash;  // libsodium's encoded Argon2id string ("$argon2id$v=19$...")
    bool disabled = false;
    Instant created_at;
    Instant password_changed_at;
};

struct SessionRecord {
    std::int64_t session_id = 0;  // assigned by add_session
    std::string token_hash;       // hex of the token's hash; the token itself is never stored
    std::int64_t user_id = 0;
    Instant created_at;
    Instant last_used_at;
    std::int64_t idle_seconds = 0;  // the session ends this long after last_used_at
    Instant expires_at;             // and at the latest here
    std::optional<Instant> revoked_at;
    std::string revoked_why;  // e.g. "logout", "user.disable", "user.passwd"
};

// A session found by its token hash, with its user.
struct SessionWithUser {
    SessionRecord session;
    UserRecord user;
};

enum class LoginOutcome { succeeded, failed, locked };

// One row of org_units: a unit and its parent ("" for a root).
struct OrgUnitLink {
    std::string unit_id;
    std::string parent_id;
};

// Who writes and when: the audit log entry's actor and time.
struct AuditStamp {
    Instant at;
    std::int64_t actor_user_id = 0;  // 0 = the system
    std::string actor = "system";
};

class AccessStore {
public:
    virtual ~AccessStore() = default;

    // Every stored org unit, by id.
    [[nodiscard]] virtual Result<std::vector<OrgUnitLink>> org_units() = 0;

    // --- users --------------------------------------------------------------------------------
    // Adds a user and returns its id; a taken username is a conflict refusal. Audit: "user.add".
    [[nodiscard]] virtual Result<std::int64_t> add_user(const UserRecord& user, const AuditStamp& stamp) = 0;
    [[nodiscard]] virtual Result<std::optional<UserRecord>> user_by_name(std::string_view username) = 0;
    // Every user, by username.
    [[nodiscard]] virtual Result<std::vector<UserRecord>> users() = 0;
    // Writes the role, unit, password hash and disabled flag of the user `user.user_id` (not found
    // otherwise), logging `action` with the user before and after; with `revoke_sessions` every
    // open session of the user is revoked in the same transaction (why = action).
    [[nodiscard]] virtual Status update_user(const UserRecord& user, std::string_view action, bool revoke_sessions,
                                             const AuditStamp& stamp) = 0;

    // --- sessions -----------------------------------------------------------------------------
    // Stores a session and returns its id. Audit: "session.create".
    [[nodiscard]] virtual Result<std::int64_t> add_session(const SessionRecord& session, const AuditStamp& stamp) = 0;
    [[nodiscard]] virtual Result<std::optional<SessionWithUser>> session_by_token_hash(std::string_view token_hash) = 0;
    // Moves a session's last use to `at` (not audited: it is not a change anyone made).
    [[nodiscard]] virtual Status touch_session(std::int64_t session_id, Instant at) = 0;
    // Revokes an open session (an already revoked one is left as it is). Audit: "session.revoke".
    [[nodiscard]] virtual Status revoke_session(std::int64_t session_id, std::string_view why,
                                                const AuditStamp& stamp) = 0;

    // --- login attempts -----------------------------------------------------------------------
    [[nodiscard]] virtual Status record_login_attempt(std::string_view username, Instant at, LoginOutcome outcome) = 0;
    // Times of the failed attempts for `username` at or after `since` and after its last
    // successful login, oldest first.
    [[nodiscard]] virtual Result<std::vector<Instant>> failed_logins_since(std::string_view username,
                                                                           Instant since) = 0;

    // --- audit log ----------------------------------------------------------------------------
    [[nodiscard]] virtual Result<std::vector<AuditLogEntry>> audit_log(const AuditLogFilter& filter) = 0;
};

// The access store of a backend that has none (a test double): every call is an internal error.
// Stateless, so one object may serve every thread.
class UnavailableAccessStore final : public AccessStore {
public:
    Result<std::vector<OrgUnitLink>> org_units() override { return unavailable(); }
    Result<std::int64_t> add_user(const UserRecord&, const AuditStamp&) override { return unavailable(); }
    Result<std::optional<UserRecord>> user_by_name(std::string_view) override { return unavailable(); }
    Result<std::vector<UserRecord>> users() override { return unavailable(); }
    Status update_user(const UserRecord&, std::string_view, bool, const AuditStamp&) override { return unavailable(); }
    Result<std::int64_t> add_session(const SessionRecord&, const AuditStamp&) override { return unavailable(); }
    Result<std::optional<SessionWithUser>> session_by_token_hash(std::string_view) override { return unavailable(); }
    Status touch_session(std::int64_t, Instant) override { return unavailable(); }
    Status revoke_session(std::int64_t, std::string_view, const AuditStamp&) override { return unavailable(); }
    Status record_login_attempt(std::string_view, Instant, LoginOutcome) override { return unavailable(); }
    Result<std::vector<Instant>> failed_logins_since(std::string_view, Instant) override { return unavailable(); }
    Result<std::vector<AuditLogEntry>> audit_log(const AuditLogFilter&) override { return unavailable(); }

private:
    static std::unexpected<Error> unavailable() {
        return internal_error("this store has no users, sessions or audit log");
    }
};

}  // namespace gridaudit
