// PostgresAccessStore: users, sessions, login attempts and the append-only audit log on PostgreSQL,
// each write with its audit log entry in one transaction (as SqliteAccessStore).
#include "store/postgres_access_store.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace gridaudit {
namespace {

using Parameters = std::vector<std::optional<std::string>>;

constexpr std::string_view user_columns =
    "user_id, username, role, coalesce(unit_id, ''), password_hash, disabled, created_at, password_changed_at";

constexpr std::string_view session_columns =
    "session_id, token_hash, user_id, created_at, last_used_at, idle_seconds, expires_at, revoked_at, "
    "coalesce(revoked_why, '')";

std::string number(std::int64_t value) {
    return fmt::format("{}", value);
}

std::optional<std::string> unit_parameter(const std::string& unit_id) {
    return unit_id.empty() ? std::nullopt : std::optional<std::string>(unit_id);
}

Result<Instant> instant_at(const PostgresResult& result, int row, int column) {
    const auto text = result.text(row, column);
    const auto instant = Instant::parse(text);
    if (!instant) return internal_error(fmt::format("the store holds a malformed time ({})", text));
    return *instant;
}

Result<UserRecord> read_user(const PostgresResult& result, int row, int first = 0) {
    UserRecord user;
    user.user_id = result.int64(row, first);
    user.username = result.text(row, first + 1);
    user.role = result.text(row, first + 2);
    user.unit_id = result.text(row, first + 3);
    user.password_hash = result.text(row, first + 4);
    user.disabled = result.int64(row, first + 5) != 0;
    GA_ASSIGN_OR_RETURN(user.created_at, instant_at(result, row, first + 6));
    GA_ASSIGN_OR_RETURN(user.password_changed_at, instant_at(result, row, first + 7));
    return user;
}

Result<SessionRecord> read_session(const PostgresResult& result, int row, int first = 0) {
    SessionRecord session;
    session.session_id = result.int64(row, first);
    session.token_hash = result.text(row, first + 1);
    session.user_id = result.int64(row, first + 2);
    GA_ASSIGN_OR_RETURN(session.created_at, instant_at(result, row, first + 3));
    GA_ASSIGN_OR_RETURN(session.last_used_at, instant_at(result, row, first + 4));
    session.idle_seconds = result.int64(row, first + 5);
    GA_ASSIGN_OR_RETURN(session.expires_at, instant_at(result, row, first + 6));
    if (!result.is_null(row, first + 7)) {
        GA_ASSIGN_OR_RETURN(const Instant revoked_at, instant_at(result, row, first + 7));
        session.revoked_at = revoked_at;
    }
    session.revoked_why = result.text(row, first + 8);
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

std::string dump(const nlohmann::json& json) {
    return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
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

Status check_json_object(std::string_view text, std::string_view which, const AuditLogEntry& entry) {
    if (text.empty()) return {};
    const auto json = nlohmann::json::parse(text, nullptr, false);
    if (json.is_discarded() || !json.is_object())
        return internal_error(fmt::format("audit log entry {} {} {}: the {} state is not a JSON object", entry.action,
                                          entry.object_kind, entry.object_id, which));
    return {};
}

// Appends one entry inside the caller's transaction.
Status append_entry(PostgresConnection& connection, const AuditStamp& stamp, std::string_view action,
                    std::string_view object_kind, std::string_view object_id, const std::string& before_json,
                    const std::string& after_json) {
    AuditLogEntry entry;
    entry.action = action;
    entry.object_kind = object_kind;
    entry.object_id = object_id;
    GA_TRY(check_json_object(before_json, "before", entry));
    GA_TRY(check_json_object(after_json, "after", entry));
    const auto optional_text = [](const std::string& text) {
        return text.empty() ? std::nullopt : std::optional<std::string>(text);
    };
    GA_TRY(
        connection.query("INSERT INTO audit_log (at, actor_user_id, actor, action, object_kind, object_id, "
                         "before_json, after_json) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                         Parameters{stamp.at.to_string(0), number(stamp.actor_user_id), stamp.actor,
                                    std::string(action), std::string(object_kind), std::string(object_id),
                                    optional_text(before_json), optional_text(after_json)}));
    return {};
}

Result<std::optional<UserRecord>> user_by_id(PostgresConnection& connection, std::int64_t user_id) {
    GA_ASSIGN_OR_RETURN(auto result,
                        connection.query(fmt::format("SELECT {} FROM users WHERE user_id = $1", user_columns),
                                         Parameters{number(user_id)}));
    if (result.rows() == 0) return std::optional<UserRecord>();
    GA_ASSIGN_OR_RETURN(auto user, read_user(result, 0));
    return std::optional<UserRecord>(std::move(user));
}

// A failed COMMIT of a user write: the deferred reference to org_units names a unit not stored.
Status unit_refusal(Status committed, const std::string& unit_id) {
    if (!committed && committed.error().kind() == ErrorClass::user)
        return refusal_error(Refusal::not_found, fmt::format("no org unit {} in the store", unit_id));
    return committed;
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

Result<std::int64_t> PostgresAccessStore::add_user(const UserRecord& user, const AuditStamp& stamp) {
    GA_ASSIGN_OR_RETURN(auto transaction, PostgresTransaction::begin(*connection_));
    auto inserted = connection_->query_int64(
        "INSERT INTO users (username, role, unit_id, password_hash, disabled, created_at, password_changed_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING user_id",
        Parameters{user.username, user.role, unit_parameter(user.unit_id), user.password_hash,
                   number(user.disabled ? 1 : 0), user.created_at.to_string(0), user.password_changed_at.to_string(0)});
    if (!inserted) {
        if (inserted.error().message().find("duplicate key") != std::string::npos)
            return refusal_error(Refusal::conflict, fmt::format("a user named {} already exists", user.username));
        return std::unexpected(inserted.error());
    }
    GA_TRY(append_entry(*connection_, stamp, "user.add", "user", number(*inserted), "", dump(user_json(user))));
    GA_TRY(unit_refusal(transaction.commit(), user.unit_id));
    return *inserted;
}

Result<std::optional<UserRecord>> PostgresAccessStore::user_by_name(std::string_view username) {
    GA_ASSIGN_OR_RETURN(auto result,
                        connection_->query(fmt::format("SELECT {} FROM users WHERE username = $1", user_columns),
                                           Parameters{std::string(username)}));
    if (result.rows() == 0) return std::optional<UserRecord>();
    GA_ASSIGN_OR_RETURN(auto user, read_user(result, 0));
    return std::optional<UserRecord>(std::move(user));
}

Result<std::vector<UserRecord>> PostgresAccessStore::users() {
    GA_ASSIGN_OR_RETURN(auto result, connection_->query(fmt::format(
                                         "SELECT {} FROM users ORDER BY username COLLATE \"C\"", user_columns)));
    std::vector<UserRecord> users;
    for (int r = 0; r < result.rows(); ++r) {
        GA_ASSIGN_OR_RETURN(auto user, read_user(result, r));
        users.push_back(std::move(user));
    }
    return users;
}

Status PostgresAccessStore::update_user(const UserRecord& user, std::string_view action, bool revoke_sessions,
                                        const AuditStamp& stamp) {
    GA_ASSIGN_OR_RETURN(auto transaction, PostgresTransaction::begin(*connection_));
    // The row is locked until COMMIT: a concurrent update of the same user waits and then sees this one.
    GA_TRY(connection_->query("SELECT 1 FROM users WHERE user_id = $1 FOR UPDATE", Parameters{number(user.user_id)}));
    GA_ASSIGN_OR_RETURN(const auto before, user_by_id(*connection_, user.user_id));
    if (!before) return refusal_error(Refusal::not_found, fmt::format("no user with id {}", user.user_id));
    GA_TRY(
        connection_->query("UPDATE users SET role = $2, unit_id = $3, password_hash = $4, disabled = $5, "
                           "password_changed_at = $6 WHERE user_id = $1",
                           Parameters{number(user.user_id), user.role, unit_parameter(user.unit_id), user.password_hash,
                                      number(user.disabled ? 1 : 0), user.password_changed_at.to_string(0)}));
    std::int64_t revoked = 0;
    if (revoke_sessions) {
        GA_ASSIGN_OR_RETURN(auto revoke, connection_->query("UPDATE sessions SET revoked_at = $2, revoked_why = $3 "
                                                            "WHERE user_id = $1 AND revoked_at IS NULL",
                                                            Parameters{number(user.user_id), stamp.at.to_string(0),
                                                                       std::string(action)}));
        revoked = revoke.affected();
    }
    UserRecord after = user;
    after.username = before->username;  // usernames do not change
    auto after_json = user_json(after);
    if (revoke_sessions) after_json["sessions_revoked"] = revoked;
    GA_TRY(append_entry(*connection_, stamp, action, "user", number(user.user_id), dump(user_json(*before)),
                        dump(after_json)));
    return unit_refusal(transaction.commit(), user.unit_id);
}

Result<std::int64_t> PostgresAccessStore::add_session(const SessionRecord& session, const AuditStamp& stamp) {
    GA_ASSIGN_OR_RETURN(auto transaction, PostgresTransaction::begin(*connection_));
    GA_ASSIGN_OR_RETURN(
        const auto session_id,
        connection_->query_int64("INSERT INTO sessions (token_hash, user_id, created_at, last_used_at, "
                                 "idle_seconds, expires_at) VALUES ($1, $2, $3, $4, $5, $6) "
                                 "RETURNING session_id",
                                 Parameters{session.token_hash, number(session.user_id),
                                            session.created_at.to_string(0), session.last_used_at.to_string(0),
                                            number(session.idle_seconds), session.expires_at.to_string(0)}));
    GA_TRY(append_entry(*connection_, stamp, "session.create", "session", number(session_id), "",
                        dump(session_json(session))));
    GA_TRY(transaction.commit());
    return session_id;
}

Result<std::optional<SessionWithUser>> PostgresAccessStore::session_by_token_hash(std::string_view token_hash) {
    GA_ASSIGN_OR_RETURN(
        auto result,
        connection_->query("SELECT s.session_id, s.token_hash, s.user_id, s.created_at, s.last_used_at, "
                           "s.idle_seconds, s.expires_at, s.revoked_at, coalesce(s.revoked_why, ''), "
                           "u.user_id, u.username, u.role, coalesce(u.unit_id, ''), u.password_hash, u.disabled, "
                           "u.created_at, u.password_changed_at "
                           "FROM sessions AS s JOIN users AS u ON u.user_id = s.user_id WHERE s.token_hash = $1",
                           Parameters{std::string(token_hash)}));
    if (result.rows() == 0) return std::optional<SessionWithUser>();
    SessionWithUser both;
    GA_ASSIGN_OR_RETURN(both.session, read_session(result, 0, 0));
    GA_ASSIGN_OR_RETURN(both.user, read_user(result, 0, 9));
    return std::optional<SessionWithUser>(std::move(both));
}

Status PostgresAccessStore::touch_session(std::int64_t session_id, Instant at) {
    GA_TRY(connection_->query("UPDATE sessions SET last_used_at = $2 WHERE session_id = $1",
                              Parameters{number(session_id), at.to_string(0)}));
    return {};
}

Status PostgresAccessStore::revoke_session(std::int64_t session_id, std::string_view why, const AuditStamp& stamp) {
    GA_ASSIGN_OR_RETURN(auto transaction, PostgresTransaction::begin(*connection_));
    GA_ASSIGN_OR_RETURN(auto found, connection_->query(fmt::format("SELECT {} FROM sessions WHERE session_id = $1 "
                                                                   "FOR UPDATE",
                                                                   session_columns),
                                                       Parameters{number(session_id)}));
    if (found.rows() == 0) return refusal_error(Refusal::not_found, fmt::format("no session with id {}", session_id));
    GA_ASSIGN_OR_RETURN(const SessionRecord before, read_session(found, 0));
    if (before.revoked_at) return {};
    GA_TRY(connection_->query("UPDATE sessions SET revoked_at = $2, revoked_why = $3 WHERE session_id = $1",
                              Parameters{number(session_id), stamp.at.to_string(0), std::string(why)}));
    SessionRecord after = before;
    after.revoked_at = stamp.at;
    after.revoked_why = why;
    GA_TRY(append_entry(*connection_, stamp, "session.revoke", "session", number(session_id),
                        dump(session_json(before)), dump(session_json(after))));
    return transaction.commit();
}

Status PostgresAccessStore::record_login_attempt(std::string_view username, Instant at, LoginOutcome outcome) {
    GA_TRY(connection_->query("INSERT INTO login_attempts (username, at, outcome) VALUES ($1, $2, $3)",
                              Parameters{std::string(username), at.to_string(0), std::string(outcome_name(outcome))}));
    return {};
}

Result<std::vector<Instant>> PostgresAccessStore::failed_logins_since(std::string_view username, Instant since) {
    GA_ASSIGN_OR_RETURN(
        auto result,
        connection_->query("SELECT at FROM login_attempts WHERE username = $1 AND outcome = 'failed' AND at >= $2 "
                           "AND at > coalesce((SELECT max(at) FROM login_attempts WHERE username = $1 "
                           "AND outcome = 'succeeded'), '') ORDER BY at",
                           Parameters{std::string(username), since.to_string(0)}));
    std::vector<Instant> failures;
    for (int r = 0; r < result.rows(); ++r) {
        GA_ASSIGN_OR_RETURN(const Instant at, instant_at(result, r, 0));
        failures.push_back(at);
    }
    return failures;
}

Result<std::vector<AuditLogEntry>> PostgresAccessStore::audit_log(const AuditLogFilter& filter) {
    GA_ASSIGN_OR_RETURN(
        auto result,
        connection_->query(
            "SELECT entry_id, at, actor_user_id, actor, action, object_kind, object_id, "
            "coalesce(before_json, ''), coalesce(after_json, '') FROM (SELECT * FROM audit_log WHERE "
            "($1::text IS NULL OR object_kind = $1) AND ($2::text IS NULL OR object_id = $2) AND "
            "($3::bigint IS NULL OR actor_user_id = $3) ORDER BY entry_id DESC LIMIT $4) AS newest "
            "ORDER BY entry_id",
            Parameters{filter.object_kind, filter.object_id,
                       filter.actor_user_id ? std::optional<std::string>(number(*filter.actor_user_id)) : std::nullopt,
                       number(static_cast<std::int64_t>(filter.limit))}));
    std::vector<AuditLogEntry> entries;
    for (int r = 0; r < result.rows(); ++r) {
        AuditLogEntry entry;
        entry.entry_id = result.int64(r, 0);
        const auto at = Instant::parse(result.text(r, 1));
        if (!at)
            return internal_error(
                fmt::format("audit log entry {} has a malformed time ({})", entry.entry_id, result.text(r, 1)));
        entry.at = *at;
        entry.actor_user_id = result.int64(r, 2);
        entry.actor = result.text(r, 3);
        entry.action = result.text(r, 4);
        entry.object_kind = result.text(r, 5);
        entry.object_id = result.text(r, 6);
        entry.before_json = result.text(r, 7);
        entry.after_json = result.text(r, 8);
        entries.push_back(std::move(entry));
    }
    return entries;
}

}  // namespace gridaudit
