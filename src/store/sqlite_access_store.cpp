// SqliteAccessStore: users, sessions and login attempts in SQLite, each write with its audit log
// entry in one transaction.
#include "store/sqlite_access_store.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace gridaudit {
namespace {

constexpr std::string_view user_columns =
    "user_id, username, role, coalesce(unit_id, ''), password_hash, disabled, created_at, password_changed_at";

constexpr std::string_view session_columns =
    "session_id, token_hash, user_id, created_at, last_used_at, idle_seconds, expires_at, revoked_at, "
    "coalesce(revoked_why, '')";

Result<Instant> instant_column(const SqliteStatement& statement, int column) {
    const auto text = statement.column_text(column);
    const auto instant = Instant::parse(text);
    if (!instant) return internal_error(fmt::format("the store holds a malformed time ({})", text));
    return *instant;
}

// Reads the user of user_columns starting at `first`.
Result<UserRecord> read_user(const SqliteStatement& statement, int first = 0) {
    UserRecord user;
    user.user_id = statement.column_int64(first);
    user.username = statement.column_text(first + 1);
    user.role = statement.column_text(first + 2);
    user.unit_id = statement.column_text(first + 3);
    user.password_hash = statement.column_text(first + 4);
    user.disabled = statement.column_int64(first + 5) != 0;
    GA_ASSIGN_OR_RETURN(user.created_at, instant_column(statement, first + 6));
    GA_ASSIGN_OR_RETURN(user.password_changed_at, instant_column(statement, first + 7));
    return user;
}

Result<SessionRecord> read_session(const SqliteStatement& statement, int first = 0) {
    SessionRecord session;
    session.session_id = statement.column_int64(first);
    session.token_hash = statement.column_text(first + 1);
    session.user_id = statement.column_int64(first + 2);
    GA_ASSIGN_OR_RETURN(session.created_at, instant_column(statement, first + 3));
    GA_ASSIGN_OR_RETURN(session.last_used_at, instant_column(statement, first + 4));
    session.idle_seconds = statement.column_int64(first + 5);
    GA_ASSIGN_OR_RETURN(session.expires_at, instant_column(statement, first + 6));
    if (!statement.column_is_null(first + 7)) {
        GA_ASSIGN_OR_RETURN(const Instant revoked_at, instant_column(statement, first + 7));
        session.revoked_at = revoked_at;
    }
    session.revoked_why = statement.column_text(first + 8);
    return session;
}

// A user as the audit log shows it: never the password hash.
nlohmann::json user_json(const UserRecord& user) {
    return nlohmann::json{{"username", user.username},
                          {"role", user.role},
                          {"unit_id", user.unit_id},
                          {"disabled", user.disabled},
                          {"password_changed_at", user.password_changed_at.to_string(0)}};
}

// A session as the audit log shows it: never the token hash.
nlohmann::json session_json(const SessionRecord& session) {
    nlohmann::json json{{"user_id", session.user_id},
                        {"created_at", session.created_at.to_string(0)},
                        {"idle_seconds", session.idle_seconds},
                        {"expires_at", session.expires_at.to_string(0)}};
    if (session.revoked_at) {
        json["revoked_at"] = session.revoked_at->to_string(0);
        json["revoked_why"] = session.revoked_why;
    }
    return json;
}

// Usernames are validated by the access layer; the store still never fails on odd bytes.
std::string dump(const nlohmann::json& json) {
    return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

AuditLogEntry entry_of(const AuditStamp& stamp, std::string_view action, std::string_view object_kind,
                       std::string object_id) {
    AuditLogEntry entry;
    entry.at = stamp.at;
    entry.actor_user_id = stamp.actor_user_id;
    entry.actor = stamp.actor;
    entry.action = action;
    entry.object_kind = object_kind;
    entry.object_id = std::move(object_id);
    return entry;
}

void bind_unit(SqliteStatement& statement, int index, const std::string& unit_id) {
    if (unit_id.empty())
        statement.bind_null(index);
    else
        statement.bind_text(index, unit_id);
}

std::string_view outcome_name(LoginOutcome outcome) {
    switch (outcome) {
        case LoginOutcome::succeeded:
            return "succeeded";
        case LoginOutcome::failed:
            return "failed";
        case LoginOutcome::locked:
            return "locked";
    }
    return "failed";
}

Result<std::optional<UserRecord>> user_by_id(SqliteConnection& connection, std::int64_t user_id) {
    GA_ASSIGN_OR_RETURN(auto select,
                        connection.prepare(fmt::format("SELECT {} FROM users WHERE user_id = ?1", user_columns)));
    select.bind_int64(1, user_id);
    GA_ASSIGN_OR_RETURN(const bool found, select.step());
    if (!found) return std::optional<UserRecord>();
    GA_ASSIGN_OR_RETURN(auto user, read_user(select));
    return std::optional<UserRecord>(std::move(user));
}

Result<std::optional<SessionRecord>> session_by_id(SqliteConnection& connection, std::int64_t session_id) {
    GA_ASSIGN_OR_RETURN(
        auto select, connection.prepare(fmt::format("SELECT {} FROM sessions WHERE session_id = ?1", session_columns)));
    select.bind_int64(1, session_id);
    GA_ASSIGN_OR_RETURN(const bool found, select.step());
    if (!found) return std::optional<SessionRecord>();
    GA_ASSIGN_OR_RETURN(auto session, read_session(select));
    return std::optional<SessionRecord>(std::move(session));
}

}  // namespace

Result<std::vector<OrgUnitLink>> SqliteAccessStore::org_units() {
    GA_ASSIGN_OR_RETURN(auto select, connection_.prepare("SELECT unit_id, coalesce(parent_id, '') FROM org_units "
                                                         "ORDER BY unit_id"));
    std::vector<OrgUnitLink> units;
    for (;;) {
        GA_ASSIGN_OR_RETURN(const bool has_row, select.step());
        if (!has_row) break;
        units.push_back({std::string(select.column_text(0)), std::string(select.column_text(1))});
    }
    return units;
}

Result<std::int64_t> SqliteAccessStore::add_user(const UserRecord& user, const AuditStamp& stamp) {
    GA_ASSIGN_OR_RETURN(auto transaction, SqliteTransaction::begin_immediate(connection_));
    GA_ASSIGN_OR_RETURN(auto insert,
                        connection_.prepare("INSERT INTO users (username, role, unit_id, password_hash, disabled, "
                                            "created_at, password_changed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
    const std::string created_at = user.created_at.to_string(0);
    const std::string changed_at = user.password_changed_at.to_string(0);
    insert.bind_text(1, user.username);
    insert.bind_text(2, user.role);
    bind_unit(insert, 3, user.unit_id);
    insert.bind_text(4, user.password_hash);
    insert.bind_int64(5, user.disabled ? 1 : 0);
    insert.bind_text(6, created_at);
    insert.bind_text(7, changed_at);
    if (auto inserted = insert.run(); !inserted) {
        if (insert.failed_on_duplicate_key())
            return refusal_error(Refusal::conflict, fmt::format("a user named {} already exists", user.username));
        return std::unexpected(inserted.error());
    }
    const std::int64_t user_id = connection_.last_insert_rowid();
    AuditLogEntry entry = entry_of(stamp, "user.add", "user", std::to_string(user_id));
    entry.after_json = dump(user_json(user));
    GA_TRY(append_audit_log(connection_, entry));
    if (auto committed = transaction.commit(); !committed) {
        if (committed.error().kind() == ErrorClass::user)
            return refusal_error(Refusal::not_found, fmt::format("no org unit {} in the store", user.unit_id));
        return std::unexpected(committed.error());
    }
    return user_id;
}

Result<std::optional<UserRecord>> SqliteAccessStore::user_by_name(std::string_view username) {
    GA_ASSIGN_OR_RETURN(auto select,
                        connection_.prepare(fmt::format("SELECT {} FROM users WHERE username = ?1", user_columns)));
    select.bind_text(1, username);
    GA_ASSIGN_OR_RETURN(const bool found, select.step());
    if (!found) return std::optional<UserRecord>();
    GA_ASSIGN_OR_RETURN(auto user, read_user(select));
    return std::optional<UserRecord>(std::move(user));
}

Result<std::vector<UserRecord>> SqliteAccessStore::users() {
    GA_ASSIGN_OR_RETURN(auto select,
                        connection_.prepare(fmt::format("SELECT {} FROM users ORDER BY username", user_columns)));
    std::vector<UserRecord> users;
    for (;;) {
        GA_ASSIGN_OR_RETURN(const bool has_row, select.step());
        if (!has_row) break;
        GA_ASSIGN_OR_RETURN(auto user, read_user(select));
        users.push_back(std::move(user));
    }
    return users;
}

Status SqliteAccessStore::update_user(const UserRecord& user, std::string_view action, bool revoke_sessions,
                                      const AuditStamp& stamp) {
    GA_ASSIGN_OR_RETURN(auto transaction, SqliteTransaction::begin_immediate(connection_));
    GA_ASSIGN_OR_RETURN(const auto before, user_by_id(connection_, user.user_id));
    if (!before) return refusal_error(Refusal::not_found, fmt::format("no user with id {}", user.user_id));
    GA_ASSIGN_OR_RETURN(auto update,
                        connection_.prepare("UPDATE users SET role = ?2, unit_id = ?3, password_hash = ?4, "
                                            "disabled = ?5, password_changed_at = ?6 WHERE user_id = ?1"));
    const std::string changed_at = user.password_changed_at.to_string(0);
    update.bind_int64(1, user.user_id);
    update.bind_text(2, user.role);
    bind_unit(update, 3, user.unit_id);
    update.bind_text(4, user.password_hash);
    update.bind_int64(5, user.disabled ? 1 : 0);
    update.bind_text(6, changed_at);
    GA_TRY(update.run());
    std::int64_t revoked = 0;
    if (revoke_sessions) {
        GA_ASSIGN_OR_RETURN(auto revoke, connection_.prepare("UPDATE sessions SET revoked_at = ?2, revoked_why = ?3 "
                                                             "WHERE user_id = ?1 AND revoked_at IS NULL"));
        const std::string at = stamp.at.to_string(0);
        revoke.bind_int64(1, user.user_id);
        revoke.bind_text(2, at);
        revoke.bind_text(3, action);
        GA_TRY(revoke.run());
        revoked = connection_.changes();
    }
    UserRecord after = user;
    after.username = before->username;  // usernames do not change
    AuditLogEntry entry = entry_of(stamp, action, "user", std::to_string(user.user_id));
    entry.before_json = dump(user_json(*before));
    auto after_json = user_json(after);
    if (revoke_sessions) after_json["sessions_revoked"] = revoked;
    entry.after_json = dump(after_json);
    GA_TRY(append_audit_log(connection_, entry));
    if (auto committed = transaction.commit(); !committed) {
        if (committed.error().kind() == ErrorClass::user)
            return refusal_error(Refusal::not_found, fmt::format("no org unit {} in the store", user.unit_id));
        return std::unexpected(committed.error());
    }
    return {};
}

Result<std::int64_t> SqliteAccessStore::add_session(const SessionRecord& session, const AuditStamp& stamp) {
    GA_ASSIGN_OR_RETURN(auto transaction, SqliteTransaction::begin_immediate(connection_));
    GA_ASSIGN_OR_RETURN(auto insert, connection_.prepare("INSERT INTO sessions (token_hash, user_id, created_at, "
                                                         "last_used_at, idle_seconds, expires_at) "
                                                         "VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
    const std::string created_at = session.created_at.to_string(0);
    const std::string last_used_at = session.last_used_at.to_string(0);
    const std::string expires_at = session.expires_at.to_string(0);
    insert.bind_text(1, session.token_hash);
    insert.bind_int64(2, session.user_id);
    insert.bind_text(3, created_at);
    insert.bind_text(4, last_used_at);
    insert.bind_int64(5, session.idle_seconds);
    insert.bind_text(6, expires_at);
    GA_TRY(insert.run());
    const std::int64_t session_id = connection_.last_insert_rowid();
    AuditLogEntry entry = entry_of(stamp, "session.create", "session", std::to_string(session_id));
    entry.after_json = dump(session_json(session));
    GA_TRY(append_audit_log(connection_, entry));
    GA_TRY(transaction.commit());
    return session_id;
}

Result<std::optional<SessionWithUser>> SqliteAccessStore::session_by_token_hash(std::string_view token_hash) {
    GA_ASSIGN_OR_RETURN(
        auto select,
        connection_.prepare("SELECT s.session_id, s.token_hash, s.user_id, s.created_at, s.last_used_at, "
                            "s.idle_seconds, s.expires_at, s.revoked_at, coalesce(s.revoked_why, ''), "
                            "u.user_id, u.username, u.role, coalesce(u.unit_id, ''), u.password_hash, u.disabled, "
                            "u.created_at, u.password_changed_at "
                            "FROM sessions AS s JOIN users AS u ON u.user_id = s.user_id WHERE s.token_hash = ?1"));
    select.bind_text(1, token_hash);
    GA_ASSIGN_OR_RETURN(const bool found, select.step());
    if (!found) return std::optional<SessionWithUser>();
    SessionWithUser both;
    GA_ASSIGN_OR_RETURN(both.session, read_session(select, 0));
    GA_ASSIGN_OR_RETURN(both.user, read_user(select, 9));
    return std::optional<SessionWithUser>(std::move(both));
}

Status SqliteAccessStore::touch_session(std::int64_t session_id, Instant at) {
    GA_ASSIGN_OR_RETURN(auto update,
                        connection_.prepare("UPDATE sessions SET last_used_at = ?2 WHERE session_id = ?1"));
    const std::string text = at.to_string(0);
    update.bind_int64(1, session_id);
    update.bind_text(2, text);
    return update.run();
}

Status SqliteAccessStore::revoke_session(std::int64_t session_id, std::string_view why, const AuditStamp& stamp) {
    GA_ASSIGN_OR_RETURN(auto transaction, SqliteTransaction::begin_immediate(connection_));
    GA_ASSIGN_OR_RETURN(const auto before, session_by_id(connection_, session_id));
    if (!before) return refusal_error(Refusal::not_found, fmt::format("no session with id {}", session_id));
    if (before->revoked_at) return {};
    GA_ASSIGN_OR_RETURN(auto update, connection_.prepare("UPDATE sessions SET revoked_at = ?2, revoked_why = ?3 "
                                                         "WHERE session_id = ?1"));
    const std::string at = stamp.at.to_string(0);
    update.bind_int64(1, session_id);
    update.bind_text(2, at);
    update.bind_text(3, why);
    GA_TRY(update.run());
    SessionRecord after = *before;
    after.revoked_at = stamp.at;
    after.revoked_why = why;
    AuditLogEntry entry = entry_of(stamp, "session.revoke", "session", std::to_string(session_id));
    entry.before_json = dump(session_json(*before));
    entry.after_json = dump(session_json(after));
    GA_TRY(append_audit_log(connection_, entry));
    return transaction.commit();
}

Status SqliteAccessStore::record_login_attempt(std::string_view username, Instant at, LoginOutcome outcome) {
    GA_ASSIGN_OR_RETURN(auto insert,
                        connection_.prepare("INSERT INTO login_attempts (username, at, outcome) VALUES (?1, ?2, ?3)"));
    const std::string text = at.to_string(0);
    insert.bind_text(1, username);
    insert.bind_text(2, text);
    insert.bind_text(3, outcome_name(outcome));
    return insert.run();
}

Result<std::vector<Instant>> SqliteAccessStore::failed_logins_since(std::string_view username, Instant since) {
    GA_ASSIGN_OR_RETURN(
        auto select,
        connection_.prepare("SELECT at FROM login_attempts WHERE username = ?1 AND outcome = 'failed' AND at >= ?2 "
                            "AND at > coalesce((SELECT max(at) FROM login_attempts WHERE username = ?1 "
                            "AND outcome = 'succeeded'), '') ORDER BY at"));
    const std::string text = since.to_string(0);
    select.bind_text(1, username);
    select.bind_text(2, text);
    std::vector<Instant> failures;
    for (;;) {
        GA_ASSIGN_OR_RETURN(const bool has_row, select.step());
        if (!has_row) break;
        GA_ASSIGN_OR_RETURN(const Instant at, instant_column(select, 0));
        failures.push_back(at);
    }
    return failures;
}

Result<std::vector<AuditLogEntry>> SqliteAccessStore::audit_log(const AuditLogFilter& filter) {
    return read_audit_log(connection_, filter);
}

}  // namespace gridaudit
