// Capacity-violation penalties of LOSS-DEMAND-ABOVE-CONTRACT's findings (capacity_penalty.hpp).
#include "audit/capacity_penalty.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "recovery/recovery.hpp"
#include "rules/evidence.hpp"

namespace gridaudit {

void attach_capacity_penalties(std::vector<Finding>& findings, const RuleInfo& rule, const RecoveryPolicy& policy) {
    for (Finding& finding : findings) {
        if (finding.rule_id != rule.id) continue;
        const auto given = nlohmann::json::parse(finding.evidence_json, nullptr, false);
        if (!given.is_object()) continue;
        Evidence evidence(rule);
        for (const auto& [field, value] : given.items()) evidence.json(field, value);
        CapacityViolation violation;
        violation.kind = CapacityViolationKind::capacity_above_contract;
        violation.two_part = given.value("two_part", false);
        const double added =
            given.contains("added_kw") && given["added_kw"].is_number() ? given["added_kw"].get<double>() : 0;
        violation.capacity_kw = Quantity::from_double(added).value_or(Quantity());
        violation.months = given.value("months_above", std::int64_t{0});
        if (violation.two_part && given.contains("basic_price") && given["basic_price"].is_string())
            violation.basic_price =
                UnitPrice::parse(given["basic_price"].get<std::string>(), DecimalFit::half_up).value_or(UnitPrice());
        const Result<Recovery> recovery = compute_capacity_violation(violation, policy);
        if (!recovery) {
            evidence.text("penalty_error", recovery.error().message());
            finding.evidence_json = evidence.dump();
            continue;
        }
        const RecoveryAmount* penalty = recovery->amount("penalty");
        const RecoveryAmount* basic = recovery->amount("basic_charge");
        const RecoveryStep* step = recovery->step("penalty");
        evidence.text("penalty_article", recovery->article);
        if (penalty) evidence.money("penalty", penalty->rounded, recovery->decimals);
        if (basic) evidence.money("basic_charge", basic->rounded, recovery->decimals);
        if (step) evidence.text("penalty_formula", step->formula);
        finding.evidence_json = evidence.dump();
        if (penalty) finding.money_at_risk = penalty->rounded;
    }
}

}  // namespace gridaudit
