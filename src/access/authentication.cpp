// Login with its rate limit, session tokens, authentication and logout.
#include "access/authentication.hpp"

#include <fmt/format.h>

namespace gridaudit {
namespace {

std::unexpected<Error> wrong_credentials() {
    return refusal_error(Refusal::unauthenticated, "wrong username or password");
}

// Longer input is not a username of ours; it is cut so that the attempt table stays small.
constexpr std::size_t max_recorded_username_bytes = 128;

struct Authenticated {
    SessionWithUser found;
    Actor actor;
};

Result<Authenticated> open_session(AccessStore& store, std::string_view bearer_token, Instant now,
                                   const AccessSettings& settings) {
    if (!is_session_token(bearer_token))
        return refusal_error(Refusal::unauthenticated, "the session token is malformed; log in again");
    GA_ASSIGN_OR_RETURN(auto found, store.session_by_token_hash(session_token_hash(bearer_token)));
    if (!found) return refusal_error(Refusal::unauthenticated, "no such session; log in again");
    const SessionRecord& session = found->session;
    if (session.revoked_at)
        return refusal_error(Refusal::unauthenticated,
                             fmt::format("the session was ended at {} ({}); log in again",
                                         session.revoked_at->to_string(0), session.revoked_why));
    if (now >= session.expires_at)
        return refusal_error(Refusal::unauthenticated,
                             fmt::format("the session expired at {}; log in again", session.expires_at.to_string(0)));
    const std::int64_t idle_seconds = std::min(session.idle_seconds, settings.session_idle_seconds);
    if (now - session.last_used_at >= idle_seconds)
        return refusal_error(
            Refusal::unauthenticated,
            fmt::format("the session expired after {} minutes without use; log in again", idle_seconds / 60));
    if (found->user.disabled) return refusal_error(Refusal::unauthenticated, "the user is disabled");
    GA_ASSIGN_OR_RETURN(Actor actor, actor_of(found->user));
    return Authenticated{std::move(*found), std::move(actor)};
}

}  // namespace

Result<Actor> actor_of(const UserRecord& user) {
    auto role = parse_role(user.role);
    if (!role) return internal_error(fmt::format("user {} has an unknown role ({})", user.username, user.role));
    return Actor{user.user_id, user.username, *role, user.unit_id};
}

Result<Session> login(AccessStore& store, std::string_view username, std::string_view password, Instant now,
                      const AccessSettings& settings) {
    const std::string_view recorded = username.substr(0, max_recorded_username_bytes);
    GA_ASSIGN_OR_RETURN(const auto failures,
                        store.failed_logins_since(recorded, now + (-settings.failed_login_window_seconds + 1)));
    const auto limit = static_cast<std::size_t>(std::max(settings.max_failed_logins, 1));
    if (failures.size() >= limit) {
        // Unlocked when the failures within the window fall below the limit again.
        const Instant unlocked = failures[failures.size() - limit] + settings.failed_login_window_seconds;
        GA_TRY(store.record_login_attempt(recorded, now, LoginOutcome::locked));
        return refusal_error(
            Refusal::unauthenticated,
            fmt::format("too many failed logins for this username; try again at {}", unlocked.to_string(0)));
    }
    GA_ASSIGN_OR_RETURN(const auto user, store.user_by_name(username));
    bool accepted = false;
    if (user) {
        accepted = verify_password(user->password_hash, password) && !user->disabled;
    } else {
        // The same work as a verification, so that the time taken does not tell the user is unknown.
        (void)hash_password(password, settings.password_cost);
    }
    if (!accepted) {
        GA_TRY(store.record_login_attempt(recorded, now, LoginOutcome::failed));
        return wrong_credentials();
    }
    GA_ASSIGN_OR_RETURN(Actor actor, actor_of(*user));
    if (password_hash_needs_rehash(user->password_hash, settings.password_cost)) {
        // The password is at hand only now: store it hashed at the configured cost.
        UserRecord rehashed = *user;
        GA_ASSIGN_OR_RETURN(rehashed.password_hash, hash_password(password, settings.password_cost));
        GA_TRY(store.update_user(rehashed, "user.rehash", false, actor.stamp(now)));
    }
    GA_ASSIGN_OR_RETURN(std::string token, new_session_token());
    SessionRecord session;
    session.token_hash = session_token_hash(token);
    session.user_id = user->user_id;
    session.created_at = now;
    session.last_used_at = now;
    session.idle_seconds = settings.session_idle_seconds;
    session.expires_at = now + settings.session_lifetime_seconds;
    GA_TRY(store.record_login_attempt(recorded, now, LoginOutcome::succeeded));
    GA_ASSIGN_OR_RETURN(const std::int64_t session_id, store.add_session(session, actor.stamp(now)));
    return Session{std::move(token), session_id, std::move(actor), session.expires_at};
}

Result<Actor> authenticate(AccessStore& store, std::string_view bearer_token, Instant now,
                           const AccessSettings& settings) {
    GA_ASSIGN_OR_RETURN(auto authenticated, open_session(store, bearer_token, now, settings));
    const SessionRecord& session = authenticated.found.session;
    if (now - session.last_used_at >= settings.last_use_resolution_seconds)
        GA_TRY(store.touch_session(session.session_id, now));
    return std::move(authenticated.actor);
}

Result<std::int64_t> audit_log_head(AccessStore& store) {
    AuditLogFilter newest;
    newest.limit = 1;
    GA_ASSIGN_OR_RETURN(const std::vector<AuditLogEntry> entries, store.audit_log(newest));
    return entries.empty() ? std::int64_t{0} : entries.back().entry_id;
}

Result<Actor> SessionCache::authenticate(AccessStore& store, std::string_view bearer_token, Instant now,
                                         std::int64_t audit_head, const AccessSettings& settings) {
    if (!is_session_token(bearer_token)) return gridaudit::authenticate(store, bearer_token, now, settings);
    std::string hash = session_token_hash(bearer_token);
    {
        std::lock_guard lock(mutex_);
        if (const auto found = entries_.find(hash); found != entries_.end() && found->second.audit_head == audit_head) {
            const Entry& entry = found->second;
            const std::int64_t idle_seconds = std::min(entry.idle_seconds, settings.session_idle_seconds);
            const std::int64_t unused = now - entry.last_used_at;
            if (now < entry.expires_at && unused < idle_seconds && unused < settings.last_use_resolution_seconds)
                return entry.actor;
        }
    }
    // The store decides (and moves the last use), as authenticate does.
    GA_ASSIGN_OR_RETURN(auto authenticated, open_session(store, bearer_token, now, settings));
    const SessionRecord& session = authenticated.found.session;
    Instant last_used_at = session.last_used_at;
    if (now - session.last_used_at >= settings.last_use_resolution_seconds) {
        GA_TRY(store.touch_session(session.session_id, now));
        last_used_at = now;
    }
    std::lock_guard lock(mutex_);
    if (entries_.size() >= capacity_) {
        std::erase_if(entries_, [&](const auto& kept) { return now >= kept.second.expires_at; });
        if (entries_.size() >= capacity_) entries_.clear();
    }
    entries_.insert_or_assign(std::move(hash), Entry{authenticated.actor, last_used_at, session.expires_at,
                                                     session.idle_seconds, audit_head});
    return std::move(authenticated.actor);
}

std::size_t SessionCache::size() const {
    std::lock_guard lock(mutex_);
    return entries_.size();
}

Status logout(AccessStore& store, std::string_view bearer_token, Instant now, const AccessSettings& settings) {
    GA_ASSIGN_OR_RETURN(const auto authenticated, open_session(store, bearer_token, now, settings));
    return store.revoke_session(authenticated.found.session.session_id, "logout", authenticated.actor.stamp(now));
}

}  // namespace gridaudit
