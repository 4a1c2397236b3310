// The `[access]` policy section: session lifetimes and the login rate limit (docs/users.md).
//
//   [access]
//   session_idle_minutes = 120        # a session unused this long ends
//   session_lifetime_hours = 8        # every session ends this long after login
//   max_failed_logins = 5             # failures within the window that lock a username
//   failed_login_window_minutes = 15
//
// A key not set keeps its default; an unknown key, or a value that is not a whole number from 1
// up to its maximum, is a user error naming it. The password cost is not configurable: always
// Argon2id at libsodium's INTERACTIVE limits.
// Thread safety: a pure function.
#pragma once

#include "access/authentication.hpp"
#include "core/result.hpp"
#include "rules/policy.hpp"

namespace gridaudit {

[[nodiscard]] Result<AccessSettings> access_settings_from_policy(const Policy& policy);

}  // namespace gridaudit
