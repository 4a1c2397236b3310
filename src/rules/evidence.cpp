// The Evidence builder and the check of a finding's evidence against its rule (see evidence.hpp).
#include "rules/evidence.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace gridaudit {
namespace {

bool declares(const RuleInfo& rule, std::string_view field) {
    return std::ranges::find(rule.evidence_fields, field) != rule.evidence_fields.end();
}

}  // namespace

nlohmann::json& Evidence::slot(std::string_view field) {
    assert(declares(*rule_, field) && "the rule writes an evidence field it does not declare in evidence_fields");
    return value_[std::string(field)];
}

nlohmann::json Evidence::number_or_null(double value) {
    return std::isnan(value) ? nlohmann::json() : nlohmann::json(value);
}

Evidence& Evidence::number(std::string_view field, double value) {
    slot(field) = number_or_null(value);
    return *this;
}

Evidence& Evidence::number(std::string_view field, std::optional<double> value) {
    slot(field) = value ? number_or_null(*value) : nlohmann::json();
    return *this;
}

Evidence& Evidence::integer(std::string_view field, std::int64_t value) {
    slot(field) = value;
    return *this;
}

Evidence& Evidence::flag(std::string_view field, bool value) {
    slot(field) = value;
    return *this;
}

Evidence& Evidence::text(std::string_view field, std::string_view value) {
    slot(field) = value;
    return *this;
}

Evidence& Evidence::date(std::string_view field, CivilDate value) {
    slot(field) = value.to_string();
    return *this;
}

Evidence& Evidence::date(std::string_view field, const std::optional<CivilDate>& value) {
    slot(field) = value ? nlohmann::json(value->to_string()) : nlohmann::json();
    return *this;
}

Evidence& Evidence::money(std::string_view field, Money value, int decimals) {
    slot(field) = value.to_string(decimals);
    return *this;
}

Evidence& Evidence::texts(std::string_view field, std::span<const std::string> values) {
    slot(field) = std::vector<std::string>(values.begin(), values.end());
    return *this;
}

Evidence& Evidence::null(std::string_view field) {
    slot(field) = nullptr;
    return *this;
}

Evidence& Evidence::json(std::string_view field, nlohmann::json value) {
    slot(field) = std::move(value);
    return *this;
}

std::vector<std::string> undeclared_evidence_fields(const RuleInfo& rule, std::string_view evidence_json) {
    if (evidence_json.empty()) return {};  // a finding without evidence
    const auto parsed = nlohmann::json::parse(evidence_json, nullptr, false);
    if (!parsed.is_object()) return {"(not a JSON object)"};
    std::vector<std::string> undeclared;
    for (const auto& [field, value] : parsed.items())
        if (!declares(rule, field)) undeclared.push_back(field);
    return undeclared;
}

}  // namespace gridaudit
