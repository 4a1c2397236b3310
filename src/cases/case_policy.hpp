// The `[cases]` section of the policy file: which findings become cases (thresholds by default,
// per inspection area and per rule), the cause each rule's findings are worked under, and the
// deadline of each state in working days on the holiday calendar the PROC rules use.
//
// Keys (docs/cases.md lists them with their defaults):
//   [cases]               min_severity, min_money_at_risk (CNY), min_kwh_at_risk, holidays,
//                         working_days (make-up days), utc_offset_hours
//   [cases.area.<CODE>]   min_severity, min_money_at_risk, min_kwh_at_risk, open (true/false)
//   [cases.rule.<ID>]     the same, and cause (default: the rule id)
//   [cases.deadlines]     one key per state but closed: working days allowed in it
// A rule's key beats its area's, which beats the section's. An unknown key, state or area, or a
// value of the wrong type, is a user error naming it.
// Thread safety: a value type; immutable after construction.
#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/money.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "model/case_record.hpp"
#include "model/finding.hpp"
#include "rules/policy.hpp"
#include "tariff/tariff.hpp"

namespace gridaudit {

// When a finding opens a case: its severity at least min_severity and, where the finding knows
// them, money and kWh at risk at least the minimums (a finding that does not say what is at risk
// is judged on its severity).
struct CaseThreshold {
    Severity min_severity = Severity::high;
    Money min_money_at_risk = Money::from_units(0);
    double min_kwh_at_risk = 0;
    bool open = true;  // false: this area's or rule's findings never open cases by policy
};

class CasePolicy {
public:
    // The defaults: severity high or above, no money or kWh minimum, the published calendar.
    [[nodiscard]] static CasePolicy defaults();
    [[nodiscard]] static Result<CasePolicy> from(const Policy& policy);

    // The threshold that applies to a finding of `rule_id` in `area`.
    [[nodiscard]] CaseThreshold threshold(std::string_view rule_id, InspectionArea area) const;
    [[nodiscard]] bool qualifies(const Finding& finding) const;
    // The cause a rule's findings are worked under (the rule id unless the policy maps it).
    [[nodiscard]] std::string cause_for(std::string_view rule_id) const;

    // Working days allowed in `state` (nullopt for closed).
    [[nodiscard]] std::optional<int> deadline_days(CaseState state) const;
    // The deadline of a case entering `state` at `entered`: that many working days after its local
    // date; nullopt for closed.
    [[nodiscard]] std::optional<CivilDate> due_on(CaseState state, Instant entered) const;
    // The date `days` working days after `from` (a working day counts when it is after `from`).
    [[nodiscard]] CivilDate add_working_days(CivilDate from, int days) const;
    [[nodiscard]] int working_days_between(CivilDate from, CivilDate to) const;
    [[nodiscard]] CivilDate local_date(Instant instant) const;

    [[nodiscard]] const TariffCalendar& calendar() const { return calendar_; }
    [[nodiscard]] double utc_offset_hours() const { return utc_offset_hours_; }

private:
    CaseThreshold defaults_;
    std::map<std::string, CaseThreshold, std::less<>> by_area_;
    std::map<std::string, CaseThreshold, std::less<>> by_rule_;
    std::map<std::string, std::string, std::less<>> causes_;
    std::array<int, case_state_count> deadlines_{};
    TariffCalendar calendar_;
    double utc_offset_hours_ = 8;
};

}  // namespace gridaudit
