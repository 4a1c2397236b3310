// Logging in and out, and who a bearer token belongs to.
//
// login checks a username and password and opens a session: a random token handed to the client
// once and stored only as its hash, ending after an idle time or at an absolute lifetime,
// whichever comes first, or when revoked (logout; the user disabled or their password changed).
// Failed logins are rate-limited per username, whether or not the user exists: after
// max_failed_logins failures within failed_login_window_seconds the username is locked until
// the oldest of them leaves the window, and a refusal says when to try again. Every refusal is
// Refusal::unauthenticated, and none tells whether the username exists. "now" is always given.
// Thread safety: as the AccessStore passed in (one thread per store); settings are values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

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

}  // namespace gridaudit
