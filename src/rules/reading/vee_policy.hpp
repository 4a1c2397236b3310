// The `[vee]` section of gridaudit.toml: thresholds of the VEE checks and the estimation limits.
//
//   [vee]
//   disabled_checks = ["spike_history"]   # names from vee_check_name()
//   spike_neighbour_factor = 8.0
//   max_interpolation_values = 4          # 1 h of 15-minute values
//   ...
// Keys not set keep the VeeSettings defaults; an unknown key, an unknown check name or a value
// of the wrong type is a user error (a typo must not fall back silently). Thread safety: stateless.
#pragma once

#include <string>

#include "core/result.hpp"
#include "engine/vee/vee_types.hpp"
#include "rules/policy.hpp"

namespace gridaudit {

[[nodiscard]] Result<VeeSettings> vee_settings_from_policy(const Policy& policy);

// The `[vee]` section with every default, commented, for config/gridaudit.toml.
[[nodiscard]] std::string vee_policy_toml();

}  // namespace gridaudit
