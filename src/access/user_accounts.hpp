// Managing users: add, list, disable and enable, set a password. What `gridaudit user` and the
// HTTP API call; each takes the acting user and "now", and each write is in the audit log.
//
// Managing users needs Permission::manage_users, and an actor manages only users of their own
// org-unit scope (a user of the whole utility, unit "", only from the whole utility). Any user
// may change their own password by giving the current one (change_own_password), so that a
// borrowed session cannot take over the account. Disabling a user or changing their password
// revokes every session of theirs. Usernames are 1 to 64 characters of a-z, 0-9, '.', '_' and '-', starting
// with a letter or digit.
// Thread safety: as the AccessStore passed in.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "access/actor.hpp"
#include "access/authentication.hpp"
#include "access/role.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "store/access_store.hpp"

namespace gridaudit {

struct NewUser {
    std::string username;
    Role role = Role::clerk;
    std::string unit_id;  // "" = the whole utility
};

// A user as shown to people: never the password hash.
struct UserSummary {
    std::int64_t user_id = 0;
    std::string username;
    Role role = Role::clerk;
    std::string unit_id;
    bool disabled = false;
    Instant created_at;
    Instant password_changed_at;
};

// Invalid input unless `username` is a valid username (see above).
[[nodiscard]] Status check_username(std::string_view username);

// Adds a user with `password` (checked against the policy, stored hashed). An unknown unit is
// invalid input naming it; a taken username a conflict.
[[nodiscard]] Result<UserSummary> add_user(AccessStore& store, const Actor& by, const NewUser& user,
                                           std::string_view password, Instant now, const AccessSettings& settings = {});

// The users within the actor's scope, by username.
[[nodiscard]] Result<std::vector<UserSummary>> list_users(AccessStore& store, const Actor& by);

// Disables (or with `disabled` false enables) a user; disabling revokes their sessions.
[[nodiscard]] Status set_user_disabled(AccessStore& store, const Actor& by, std::string_view username, bool disabled,
                                       Instant now);

// Sets a user's password and revokes their sessions (needs manage_users and the user in scope).
[[nodiscard]] Status change_password(AccessStore& store, const Actor& by, std::string_view username,
                                     std::string_view password, Instant now, const AccessSettings& settings = {});

// Sets the actor's own password when `current_password` is theirs (else an invalid-input refusal,
// "the current password is wrong"), and revokes their sessions, this one too.
[[nodiscard]] Status change_own_password(AccessStore& store, const Actor& by, std::string_view current_password,
                                         std::string_view new_password, Instant now,
                                         const AccessSettings& settings = {});

}  // namespace gridaudit
