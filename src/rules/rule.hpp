// The inspection-rule interface: a rule turns a loaded region into findings with evidence.
//
// A rule declares its id, inspection area, title, a description a supervisor understands, its
// parameters with defaults (overridable in the policy file under [rules.<ID>]) and which kinds
// of injected anomaly in the generator's truth.csv it is meant to find (for measuring recall and
// precision). Rules know nothing of where rows came from. Thread safety: evaluate() is const and
// may run on several regions at once.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/region_analyses.hpp"
#include "core/time.hpp"
#include "frame/case_columns.hpp"
#include "frame/region_frame.hpp"
#include "model/finding.hpp"
#include "rules/policy.hpp"

namespace gridaudit {

// The currency of every amount findings and command output print ("1,590.08 CNY"); JSON and
// evidence give plain decimal strings in it. One utility bills in one currency.
inline constexpr std::string_view money_currency = "CNY";

struct RuleParameter {
    std::string name;
    PolicyValue default_value;
    std::string unit;
    std::string description;
};

struct RuleInfo {
    std::string id;  // "METER-ROTATION-OVERDUE"
    InspectionArea area = InspectionArea::METER;
    std::string title;
    std::string description;
    std::vector<RuleParameter> parameters;
    std::vector<std::string> evidence_fields;
    std::vector<std::string> truth_anomalies;  // truth.csv anomaly kinds this rule should find
};

// A rule's parameter values: the policy's where set, the rule's defaults otherwise.
class RuleSettings {
public:
    RuleSettings(const RuleInfo& info, const Policy& policy);
    [[nodiscard]] bool enabled() const { return enabled_; }
    // REQUIRES: `name` is a declared parameter of the matching type.
    [[nodiscard]] double number(std::string_view name) const;
    [[nodiscard]] const std::vector<std::string>& list(std::string_view name) const;
    [[nodiscard]] bool flag(std::string_view name) const;

private:
    const PolicyValue& value(std::string_view name) const;
    std::vector<std::pair<std::string, PolicyValue>> values_;
    bool enabled_ = true;
};

struct RuleContext {
    const RegionFrame& frame;
    CivilDate as_of;               // "today" for the audit: injected, never the wall clock
    std::optional<Period> period;  // the billing month audited, when the rule is periodic
    // The analyses the rules of this region share (the loss balance, ...), made for `frame` by
    // whoever runs them and alive while they run (the audit runner makes one per region); not
    // owned. nullptr: each rule computes what it needs itself.
    RegionAnalyses* analyses = nullptr;
};

// The whole utility at once, for the few checks whose data spans regions (the daily collection
// totals against the payments of every region).
struct UtilityContext {
    std::span<const RegionFrame> frames;
    const CollectionColumns& collections;
    CivilDate as_of;
    std::optional<Period> period;
    // The closed loop's cases (the SHARE rules); nullptr when the audit did not load them.
    const CaseColumns* cases = nullptr;
};

// A finding of the rule `info` about one subject ("meter", "customer", "node", "work_order",
// "collection", "policy"); the caller adds severity, summary, evidence and what is at risk.
[[nodiscard]] Finding finding_of(const RuleInfo& info, std::string subject_kind, std::string subject_id);

class Rule {
public:
    virtual ~Rule() = default;
    [[nodiscard]] virtual const RuleInfo& info() const = 0;
    // Per region; called for every region, possibly on several threads at once.
    virtual void evaluate(const RuleContext& context, const RuleSettings& settings,
                          std::vector<Finding>& findings) const = 0;
    // Once per audit, after the regions; most rules check nothing here.
    virtual void evaluate_utility(const UtilityContext& /*context*/, const RuleSettings& /*settings*/,
                                  std::vector<Finding>& /*findings*/) const {}
};

}  // namespace gridaudit
