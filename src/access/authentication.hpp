// Logging in and out, and who a bearer token belongs to.
//
// login checks a username and password and opens a session: a random token handed to the client
// once and stored only as its hash, ending after an idle time or at an absolute lifetime,
// whichever comes first, or when revoked (logout; the user disabled or their password changed).
// Failed logins are rate-limited per username, whether or not the user exists: after
// max_failed_logins failures within failed_login_window_seconds the username is locked until
// the oldest of them leaves the window, and a refusal says when to try again. Every refusal is
// Refusal::unauthenticated, and none tells whether the username exists. "now" is always given.
// A server authenticates through a SessionCache, which answers a known token from memory while the
// audit log shows no write since the session was read (every revocation is logged).
// Thread safety: the functions as the AccessStore passed in (one thread per store); settings are
// values; a SessionCache may be used from any number of threads, each with its own store.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "access/actor.hpp"
#include "access/secrets.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "store/access_store.hpp"

namespace gridaudit {

struct AccessSettings {
    PasswordCost password_cost = PasswordCost::interactive();
    std::int64_t session_idle_seconds = 2 * 3600;      // a session unused this long ends
    std::int64_t session_lifetime_seconds = 8 * 3600;  // and every session ends this long after login
    int max_failed_logins = 5;
    std::int64_t failed_login_window_seconds = 15 * 60;
    // A session's last use is written when it is this much older than now, not on every request,
    // so reads stay reads; the idle end is therefore exact to within this interval.
    std::int64_t last_use_resolution_seconds = 60;
};

struct Session {
    std::string token;  // give it to the client once; it is not stored anywhere
    std::int64_t session_id = 0;
    Actor actor;
    Instant expires_at;  // the absolute end; the idle end moves with use
};

// Opens a session for `username` when `password` is theirs and the user is not disabled and not
// locked by failed attempts. Records the attempt; the new session is in the audit log. A stored
// hash made with another cost than settings.password_cost is replaced by one made with it
// ("user.rehash" in the audit log), so raising the cost reaches every user at their next login.
[[nodiscard]] Result<Session> login(AccessStore& store, std::string_view username, std::string_view password,
                                    Instant now, const AccessSettings& settings = {});

// The actor of an open session, or an unauthenticated refusal (malformed, unknown, expired or
// revoked token, disabled user).
[[nodiscard]] Result<Actor> authenticate(AccessStore& store, std::string_view bearer_token, Instant now,
                                         const AccessSettings& settings = {});

// Ends the session of `bearer_token` (unauthenticated refusal unless it is open).
[[nodiscard]] Status logout(AccessStore& store, std::string_view bearer_token, Instant now,
                            const AccessSettings& settings = {});

// The actor of a stored user (internal error for a role the schema should have refused).
[[nodiscard]] Result<Actor> actor_of(const UserRecord& user);

// The id of the audit log's newest entry (0 when it is empty): it changes with every logged write,
// which is every write but a session's last use.
[[nodiscard]] Result<std::int64_t> audit_log_head(AccessStore& store);

// A process's memory of the sessions it authenticated, so that a request with a known token costs
// no query. An entry answers only while the audit log's head is the one read before the session
// was (a logout, a revocation, a disabled user or a changed password or role is a logged write, from
// this process or another), and only while the session's absolute and idle ends, checked against
// `now` as authenticate checks them, are ahead and its last use needs no update; otherwise the
// store decides, as authenticate does, and the entry is renewed. Refusals are never kept. Holds at
// most `capacity` sessions (the expired are dropped first, then all). Keeps token hashes, never tokens.
class SessionCache {
public:
    explicit SessionCache(std::size_t capacity = 10'000) : capacity_(capacity) {}

    // As authenticate(store, bearer_token, now, settings). REQUIRES: `audit_head` is
    // audit_log_head(store) read before this call, in the same request.
    [[nodiscard]] Result<Actor> authenticate(AccessStore& store, std::string_view bearer_token, Instant now,
                                             std::int64_t audit_head, const AccessSettings& settings = {});
    // How many sessions it holds (for tests).
    [[nodiscard]] std::size_t size() const;

private:
    struct Entry {
        Actor actor;
        Instant last_used_at;
        Instant expires_at;
        std::int64_t idle_seconds = 0;
        std::int64_t audit_head = 0;
    };
    std::size_t capacity_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, Entry> entries_;  // by the token's hash
};

}  // namespace gridaudit
