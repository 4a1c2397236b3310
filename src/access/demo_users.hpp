// The demo store's users: one per role, with generated passwords, so the closed loop can be tried
// at once after `gridaudit demo` (docs/users.md).
//
// Units are chosen from the store's org tree, whatever its ids: the administrator has the whole
// utility; the supervisor, analyst and clerk the "county", the child of a root unit with the most
// units below it; the inspector one station, the county's child with the most units below it (so
// the inspector shows the scope: they see that station's cases only). Ties go to the smaller id.
// Thread safety: as the AccessStore passed in.
#pragma once

#include <string>
#include <vector>

#include "access/authentication.hpp"
#include "access/role.hpp"
#include "core/result.hpp"
#include "store/access_store.hpp"

namespace gridaudit {

struct DemoUser {
    std::string username;  // "demo.<role>", "demo.admin" for the administrator
    Role role = Role::clerk;
    std::string unit_id;   // "" = the whole utility
    std::string password;  // in clear, to print once; the store holds its hash
};

// Adds the five demo users (as the system actor) and returns them with their passwords. A store
// that already has one of the usernames is a conflict refusal.
[[nodiscard]] Result<std::vector<DemoUser>> add_demo_users(AccessStore& store, Instant now,
                                                           const AccessSettings& settings = {});

}  // namespace gridaudit
