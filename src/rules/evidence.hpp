// The evidence of a finding: a JSON object of the values that support it, written through typed setters
// and checked against the fields its rule declares (RuleInfo::evidence_fields, listed in docs/rules.md).
//
// What "checked" means: every field a rule writes is one it declares. A declared field may be absent
// from a finding (a rule declares the fields of each of its kinds of finding: METER-OWNERSHIP's
// `same_as` only when a meter is registered twice), but an undeclared one is a programmer error:
// - the setters assert it (a debug or test build stops at the rule and field);
// - `undeclared_evidence_fields` finds it in a finding's JSON, whatever wrote it, and the rule case
//   runner (every case in tests/cases/) and the end-to-end test (every finding of a generated utility)
//   fail on it.
// Missing values are null, never 0: NaN and an empty optional are written as null. The text is
// nlohmann's compact dump of an object, keys in byte order, so it does not depend on the order of
// the setters.
//
// Thread safety: a value; not shared between threads while written.
// REQUIRES: the RuleInfo outlives the Evidence.
#pragma once

#include <concepts>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/money.hpp"
#include "core/time.hpp"
#include "model/finding.hpp"
#include "rules/rule.hpp"

namespace gridaudit {

class Evidence {
public:
    explicit Evidence(const RuleInfo& rule) : rule_(&rule) {}

    // REQUIRES (every setter): `field` is one of the rule's evidence_fields.
    // A measurement; NaN (missing) is null. Integers go through integer(), so that 3 stays 3, not 3.0.
    Evidence& number(std::string_view field, double value);
    Evidence& number(std::string_view field, std::optional<double> value);
    template <std::integral T>
    Evidence& number(std::string_view field, T value) = delete;
    Evidence& integer(std::string_view field, std::int64_t value);
    Evidence& flag(std::string_view field, bool value);
    Evidence& text(std::string_view field, std::string_view value);
    Evidence& date(std::string_view field, CivilDate value);
    Evidence& date(std::string_view field, const std::optional<CivilDate>& value);
    // Money as its decimal text ("680.15"), never a double.
    Evidence& money(std::string_view field, Money value, int decimals = 2);
    Evidence& texts(std::string_view field, std::span<const std::string> values);
    Evidence& null(std::string_view field);
    // A nested object or array the typed setters do not cover (a bill's registers, a ticket's steps);
    // build its numbers with number_or_null.
    Evidence& json(std::string_view field, nlohmann::json value);

    [[nodiscard]] static nlohmann::json number_or_null(double value);
    [[nodiscard]] std::string dump() const { return value_.dump(); }

private:
    nlohmann::json& slot(std::string_view field);
    [[maybe_unused]] const RuleInfo* rule_;  // read by an assert only: unused when NDEBUG
    nlohmann::json value_ = nlohmann::json::object();
};

// The fields of `evidence_json` (a finding's evidence) that `rule` does not declare, in the JSON's
// order; a text that is not a JSON object is reported as the one field "(not a JSON object)".
[[nodiscard]] std::vector<std::string> undeclared_evidence_fields(const RuleInfo& rule, std::string_view evidence_json);

}  // namespace gridaudit
