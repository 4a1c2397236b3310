// Names of value qualities and VEE checks (stable: they appear in reports and gridaudit.toml).
#include "engine/vee/vee_types.hpp"

namespace gridaudit {
namespace {

constexpr std::array<std::string_view, vee_check_count> check_names = {
    "gap",          "duplicate",        "register_decrease",          "spike_neighbours",     "spike_history",
    "zero_consumption", "negative_consumption", "high_usage",         "low_usage",            "register_interval_mismatch",
    "inactive_consumption", "prolonged_estimation", "clock_problem",
};

}  // namespace

std::string_view value_quality_name(ValueQuality quality) {
    switch (quality) {
        case ValueQuality::actual: return "actual";
        case ValueQuality::edited: return "edited";
        case ValueQuality::estimated: return "estimated";
        case ValueQuality::missing: return "missing";
    }
    return "missing";
}

std::string_view vee_check_name(VeeCheck check) { return check_names[static_cast<std::size_t>(check)]; }

std::optional<VeeCheck> parse_vee_check(std::string_view name) {
    for (std::size_t i = 0; i < check_names.size(); ++i)
        if (check_names[i] == name) return static_cast<VeeCheck>(i);
    return std::nullopt;
}

std::string_view estimate_method_name(EstimateMethod method) {
    switch (method) {
        case EstimateMethod::none: return "none";
        case EstimateMethod::interpolation: return "interpolation";
        case EstimateMethod::register_spread: return "register_spread";
        case EstimateMethod::like_day: return "like_day";
    }
    return "none";
}

std::optional<EstimateMethod> parse_estimate_method(std::string_view name) {
    for (const auto method : {EstimateMethod::none, EstimateMethod::interpolation, EstimateMethod::register_spread,
                              EstimateMethod::like_day})
        if (estimate_method_name(method) == name) return method;
    return std::nullopt;
}

}  // namespace gridaudit
