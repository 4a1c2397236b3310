// Adding, listing, disabling users and setting passwords, with permission and scope checks.
#include "access/user_accounts.hpp"

#include <fmt/format.h>

#include "access/org_scope.hpp"
#include "access/permission.hpp"
#include "text/printable_text.hpp"

namespace gridaudit {
namespace {

constexpr std::size_t max_username_length = 64;

Result<UserSummary> summary_of(const UserRecord& user) {
    GA_ASSIGN_OR_RETURN(const Actor actor, actor_of(user));
    return UserSummary{user.user_id,    user.username,           actor.role, user.unit_id, user.disabled,
                       user.created_at, user.password_changed_at};
}

// The stored user `username`, which `by` may manage.
Result<UserRecord> managed_user(AccessStore& store, const Actor& by, std::string_view username) {
    GA_ASSIGN_OR_RETURN(auto user, store.user_by_name(username));
    if (!user) return refusal_error(Refusal::not_found, fmt::format("no user named {}", printable_value(username)));
    GA_TRY(require_permission(by, Permission::manage_users));
    GA_ASSIGN_OR_RETURN(const OrgScope scope, OrgScope::load(store));
    if (!scope.covers(by, user->unit_id))
        return refusal_error(Refusal::forbidden,
                             fmt::format("{} (unit {}) may not manage {}, a user outside their unit", by.username,
                                         by.unit_id, user->username));
    return std::move(*user);
}

}  // namespace

Status check_username(std::string_view username) {
    if (username.empty()) return user_error("the username is empty");
    if (username.size() > max_username_length)
        return user_error(fmt::format("the username is longer than {} characters", max_username_length));
    for (const char c : username) {
        const bool allowed = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
        if (!allowed)
            return user_error(fmt::format("the username {} has a character other than a-z, 0-9, '.', '_' and '-'",
                                          printable_value(username)));
    }
    if (username.front() == '.' || username.front() == '_' || username.front() == '-')
        return user_error(fmt::format("the username {} does not start with a letter or digit", username));
    return {};
}

Result<UserSummary> add_user(AccessStore& store, const Actor& by, const NewUser& user, std::string_view password,
                             Instant now, const AccessSettings& settings) {
    GA_TRY(require_permission(by, Permission::manage_users));
    GA_TRY(check_username(user.username));
    GA_ASSIGN_OR_RETURN(const OrgScope scope, OrgScope::load(store));
    if (!user.unit_id.empty() && !scope.contains(user.unit_id))
        return user_error(
            fmt::format("unit {} is not an org unit of the store (org_units.csv)", printable_value(user.unit_id)));
    if (!scope.covers(by, user.unit_id))
        return refusal_error(Refusal::forbidden,
                             fmt::format("{} (unit {}) may not add a user to {}, outside their unit", by.username,
                                         by.unit_id, user.unit_id.empty() ? "the whole utility" : user.unit_id));
    GA_TRY(check_password_policy(password));
    UserRecord record;
    record.username = user.username;
    record.role = role_name(user.role);
    record.unit_id = user.unit_id;
    GA_ASSIGN_OR_RETURN(record.password_hash, hash_password(password, settings.password_cost));
    record.created_at = now;
    record.password_changed_at = now;
    GA_ASSIGN_OR_RETURN(record.user_id, store.add_user(record, by.stamp(now)));
    return summary_of(record);
}

Result<std::vector<UserSummary>> list_users(AccessStore& store, const Actor& by) {
    GA_TRY(require_permission(by, Permission::manage_users));
    GA_ASSIGN_OR_RETURN(const OrgScope scope, OrgScope::load(store));
    GA_ASSIGN_OR_RETURN(const auto users, store.users());
    std::vector<UserSummary> summaries;
    for (const auto& user : users) {
        if (!scope.covers(by, user.unit_id)) continue;
        GA_ASSIGN_OR_RETURN(auto summary, summary_of(user));
        summaries.push_back(std::move(summary));
    }
    return summaries;
}

Status set_user_disabled(AccessStore& store, const Actor& by, std::string_view username, bool disabled, Instant now) {
    GA_TRY(require_permission(by, Permission::manage_users));
    GA_ASSIGN_OR_RETURN(auto user, managed_user(store, by, username));
    if (user.disabled == disabled) return {};
    user.disabled = disabled;
    return store.update_user(user, disabled ? "user.disable" : "user.enable", disabled, by.stamp(now));
}

Status change_password(AccessStore& store, const Actor& by, std::string_view username, std::string_view password,
                       Instant now, const AccessSettings& settings) {
    GA_ASSIGN_OR_RETURN(auto user, managed_user(store, by, username));
    GA_TRY(check_password_policy(password));
    GA_ASSIGN_OR_RETURN(user.password_hash, hash_password(password, settings.password_cost));
    user.password_changed_at = now;
    return store.update_user(user, "user.passwd", true, by.stamp(now));
}

Status change_own_password(AccessStore& store, const Actor& by, std::string_view current_password,
                           std::string_view new_password, Instant now, const AccessSettings& settings) {
    GA_ASSIGN_OR_RETURN(auto user, store.user_by_name(by.username));
    if (!user || user->user_id != by.user_id || user->disabled)
        return refusal_error(Refusal::unauthenticated, "the user is unknown or disabled; log in again");
    if (!verify_password(user->password_hash, current_password)) return user_error("the current password is wrong");
    GA_TRY(check_password_policy(new_password));
    GA_ASSIGN_OR_RETURN(user->password_hash, hash_password(new_password, settings.password_cost));
    user->password_changed_at = now;
    return store.update_user(*user, "user.passwd", true, by.stamp(now));
}

}  // namespace gridaudit
