// Parsing of the `[access]` policy section (see access_policy.hpp).
#include "access/access_policy.hpp"

#include <fmt/format.h>

#include <cmath>
#include <variant>

namespace gridaudit {
namespace {

struct AccessKey {
    std::string_view name;
    std::int64_t maximum;
    std::int64_t seconds_per_unit;  // 0: a count, not a duration
};

constexpr AccessKey access_keys[] = {
    {"session_idle_minutes", 7 * 24 * 60, 60},
    {"session_lifetime_hours", 30 * 24, 3600},
    {"max_failed_logins", 1000, 0},
    {"failed_login_window_minutes", 24 * 60, 60},
};

}  // namespace

Result<AccessSettings> access_settings_from_policy(const Policy& policy) {
    AccessSettings settings;
    const auto section = policy.values().find("access");
    if (section == policy.values().end()) return settings;
    for (const auto& [key, value] : section->second) {
        const AccessKey* known = nullptr;
        for (const auto& candidate : access_keys)
            if (candidate.name == key) known = &candidate;
        if (!known)
            return user_error(
                fmt::format("policy: [access] has no setting '{}' (session_idle_minutes, "
                            "session_lifetime_hours, max_failed_logins, failed_login_window_minutes)",
                            key));
        const auto* number = std::get_if<double>(&value);
        if (!number || *number != std::floor(*number) || *number < 1 || *number > static_cast<double>(known->maximum))
            return user_error(
                fmt::format("policy: [access] {} must be a whole number from 1 to {}", key, known->maximum));
        const auto whole = static_cast<std::int64_t>(*number);
        if (key == "session_idle_minutes") settings.session_idle_seconds = whole * known->seconds_per_unit;
        if (key == "session_lifetime_hours") settings.session_lifetime_seconds = whole * known->seconds_per_unit;
        if (key == "max_failed_logins") settings.max_failed_logins = static_cast<int>(whole);
        if (key == "failed_login_window_minutes")
            settings.failed_login_window_seconds = whole * known->seconds_per_unit;
    }
    return settings;
}

}  // namespace gridaudit
