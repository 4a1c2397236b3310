// The --policy option shared by the commands that run rules.
#pragma once

#include <string>

#include "core/result.hpp"
#include "rules/policy.hpp"

namespace gridaudit {

// The policy in `path`, or the built-in defaults when `path` is empty.
[[nodiscard]] inline Result<Policy> load_policy_option(const std::string& path) {
    if (path.empty()) return Policy();
    return Policy::load(path);
}

}  // namespace gridaudit
