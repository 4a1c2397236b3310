// Who acts: the user behind a request or command, with the role and org unit that decide what
// they may do and see.
// Thread safety: a value.
#pragma once

#include <cstdint>
#include <string>

#include "access/role.hpp"
#include "store/access_store.hpp"

namespace gridaudit {

struct Actor {
    std::int64_t user_id = 0;
    std::string username;
    Role role = Role::clerk;
    std::string unit_id;  // "" = the whole utility

    // The operator running a command on the machine (gridaudit cases ..., user add): user id 0,
    // "system", an administrator over the whole utility.
    [[nodiscard]] static Actor system() { return Actor{0, "system", Role::administrator, ""}; }

    // The actor and time an audit log entry records for a write by this actor at `at`.
    [[nodiscard]] AuditStamp stamp(Instant at) const { return AuditStamp{at, user_id, username}; }
};

}  // namespace gridaudit
