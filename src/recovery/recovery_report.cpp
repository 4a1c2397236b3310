// Rendering a Recovery as an itemised text notice or as JSON.
#include "recovery/recovery_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

namespace gridaudit {

std::string recovery_text(const Recovery& r) {
    std::string out = fmt::format("{}\n{}\n", r.title, r.article);
    out += "Inputs:\n";
    for (const auto& [name, value] : r.inputs) out += fmt::format("  {:<24} {}\n", name, value);
    out += "Computation:\n";
    std::size_t width = 0;
    for (const auto& s : r.steps) width = std::max(width, s.name.size());
    for (const auto& s : r.steps)
        out += fmt::format("  {:<{}} = {:<40} = {}{}{}\n", s.name, width, s.formula, s.value, s.unit.empty() ? "" : " ",
                           s.unit);
    out += fmt::format("Amounts (each rounded once to {} decimals, {}):\n", r.decimals, rounding_name(r.rounding));
    for (const auto& a : r.amounts)
        out += fmt::format("  {:<24} {:>16} {}   (exact {})\n", a.name, a.rounded.to_string(r.decimals), r.currency,
                           a.exact.to_string());
    out += fmt::format("  {:<24} {:>16} {}\n", "total", r.total.to_string(r.decimals), r.currency);
    for (const auto& note : r.notes) out += fmt::format("Note: {}\n", note);
    for (const auto& warning : r.warnings) out += fmt::format("Warning: {}\n", warning);
    return out;
}

std::string recovery_json(const Recovery& r) {
    nlohmann::ordered_json json;
    json["computation"] = r.computation;
    json["article"] = r.article;
    json["title"] = r.title;
    json["currency"] = r.currency;
    json["rounding"] = {{"decimals", r.decimals}, {"mode", std::string(rounding_name(r.rounding))}};
    nlohmann::ordered_json inputs = nlohmann::ordered_json::object();
    for (const auto& [name, value] : r.inputs) inputs[name] = value;
    json["inputs"] = inputs;
    nlohmann::ordered_json steps = nlohmann::ordered_json::array();
    for (const auto& s : r.steps)
        steps.push_back({{"name", s.name}, {"formula", s.formula}, {"value", s.value}, {"unit", s.unit}});
    json["steps"] = steps;
    json["energy_kwh"] = r.energy_kwh ? nlohmann::ordered_json(r.energy_kwh->to_string()) : nlohmann::ordered_json();
    nlohmann::ordered_json amounts = nlohmann::ordered_json::array();
    for (const auto& a : r.amounts)
        amounts.push_back(
            {{"name", a.name}, {"exact", a.exact.to_string()}, {"rounded", a.rounded.to_string(r.decimals)}});
    json["amounts"] = amounts;
    json["total"] = r.total.to_string(r.decimals);
    json["notes"] = r.notes;
    json["warnings"] = r.warnings;
    return json.dump(2);
}

}  // namespace gridaudit
