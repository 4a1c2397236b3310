// Parsing of the `[vee]` policy section (see vee_policy.hpp).
#include "rules/reading/vee_policy.hpp"

#include <fmt/format.h>

#include <cmath>
#include <variant>

namespace gridaudit {
namespace {

struct NumberKey {
    const char* name;
    const char* description;
    double VeeSettings::*real = nullptr;
    int VeeSettings::*whole = nullptr;
};

const std::vector<NumberKey>& number_keys() {
    static const std::vector<NumberKey> keys = {
        {"spike_neighbour_factor", "a value above this x the mean of its two neighbours is a spike",
         &VeeSettings::spike_neighbour_factor},
        {"spike_history_factor", "a value above this x the mean of the same interval on other days is a spike",
         &VeeSettings::spike_history_factor},
        {"spike_min_value", "values below this (register units) are never spikes", &VeeSettings::spike_min_value},
        {"zero_consumption_days", "zero days in a row on an active meter", nullptr, &VeeSettings::zero_consumption_days},
        {"high_usage_factor", "a day above this x the average daily usage is high", &VeeSettings::high_usage_factor},
        {"low_usage_factor", "a day below this x the average daily usage is low", &VeeSettings::low_usage_factor},
        {"usage_min_average", "below this average daily usage, high/low is not judged",
         &VeeSettings::usage_min_average},
        {"register_tolerance", "allowed |register delta - interval sum|, absolute", &VeeSettings::register_tolerance},
        {"register_tolerance_fraction", "... plus this fraction of the delta",
         &VeeSettings::register_tolerance_fraction},
        {"prolonged_estimation_values", "meter-estimated values in a row", nullptr,
         &VeeSettings::prolonged_estimation_values},
        {"max_interpolation_values", "gaps up to this many values are interpolated linearly", nullptr,
         &VeeSettings::max_interpolation_values},
        {"like_days", "same day-type days averaged for longer gaps", nullptr, &VeeSettings::like_days},
        {"like_day_search_days", "how far to look for them, each side", nullptr, &VeeSettings::like_day_search_days},
        {"register_digits", "integer digits of a register (rollover at 10^digits)", nullptr,
         &VeeSettings::register_digits},
        {"rollover_max_fraction", "a decrease is a rollover when the wrapped advance is below this x 10^digits",
         &VeeSettings::rollover_max_fraction},
    };
    return keys;
}

}  // namespace

Result<VeeSettings> vee_settings_from_policy(const Policy& policy) {
    VeeSettings settings;
    const auto section = policy.values().find("vee");
    if (section == policy.values().end()) return settings;
    for (const auto& [key, value] : section->second) {
        if (key == "disabled_checks") {
            const auto* names = std::get_if<std::vector<std::string>>(&value);
            if (!names) return user_error("[vee] disabled_checks must be a list of check names");
            for (const std::string& name : *names) {
                const auto check = parse_vee_check(name);
                if (!check) return user_error(fmt::format("[vee] disabled_checks: unknown check '{}'", name));
                settings.enabled[static_cast<std::size_t>(*check)] = false;
            }
            continue;
        }
        const NumberKey* found = nullptr;
        for (const NumberKey& candidate : number_keys())
            if (key == candidate.name) found = &candidate;
        if (!found) return user_error(fmt::format("[vee] unknown key '{}'", key));
        const auto* number = std::get_if<double>(&value);
        if (!number || !std::isfinite(*number) || *number < 0)
            return user_error(fmt::format("[vee] {} must be a non-negative number", key));
        if (found->real) settings.*(found->real) = *number;
        else settings.*(found->whole) = static_cast<int>(std::lround(*number));
    }
    return settings;
}

std::string vee_policy_toml() {
    const VeeSettings defaults;
    std::string text = "[vee]\n# Checks switched off, by name: gap, duplicate, register_decrease, spike_neighbours,\n"
                       "# spike_history, zero_consumption, negative_consumption, high_usage, low_usage,\n"
                       "# register_interval_mismatch, inactive_consumption, prolonged_estimation, clock_problem.\n"
                       "disabled_checks = []\n";
    for (const NumberKey& key : number_keys()) {
        const double value = key.real ? defaults.*(key.real) : static_cast<double>(defaults.*(key.whole));
        text += fmt::format("# {}\n{} = {}\n", key.description, key.name, value);
    }
    return text;
}

}  // namespace gridaudit
