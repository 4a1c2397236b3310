// SHARE-CASE-OVERDUE: an open case still in a state past that state's deadline. The deadline is
// the case's due_on, set when it entered the state from the [cases] policy's working days
// (docs/cases.md); the rule counts how many working days late it is on its own calendar.
#include <fmt/format.h>

#include "rules/evidence.hpp"
#include "rules/process/process_scope.hpp"
#include "rules/share/share_rules.hpp"

namespace gridaudit {
namespace {

class ShareCaseOverdueRule final : public Rule {
public:
    ShareCaseOverdueRule() {
        info_.id = "SHARE-CASE-OVERDUE";
        info_.area = InspectionArea::SHARE;
        info_.title = "Case past its deadline";
        info_.description =
            "An open case (any state but closed) whose current state's deadline has passed on the audit day by at "
            "least one working day: "
            "nobody assigned it, checked it online or on site, concluded, back-billed or recovered it in the "
            "working days the [cases.deadlines] policy allows that state. High when it is late by more than "
            "high_after_working_days.";
        info_.parameters = {
            {"high_after_working_days", 5.0, "working days", "Lateness from which the finding is high."},
        };
        for (auto& parameter : calendar_parameters()) info_.parameters.push_back(std::move(parameter));
        info_.evidence_fields = {"case_id",  "state",   "entered",      "due_on",     "working_days_late",
                                 "assignee", "unit_id", "subject_kind", "subject_id", "cause"};
    }

    const RuleInfo& info() const override { return info_; }

    void evaluate(const RuleContext&, const RuleSettings&, std::vector<Finding>&) const override {}

    void evaluate_utility(const UtilityContext& context, const RuleSettings& settings,
                          std::vector<Finding>& findings) const override {
        if (!context.cases) return;
        const auto calendar = settings_calendar(info_, settings, findings);
        if (!calendar) return;
        const int high_after = static_cast<int>(settings.number("high_after_working_days"));
        for (const Case& c : context.cases->open_cases) {
            if (c.state == CaseState::closed || !c.due_on || *c.due_on >= context.as_of) continue;
            // Late by the working days after the deadline: none yet while they are all holidays.
            const int late = working_days_between(*calendar, *c.due_on, context.as_of);
            if (late < 1) continue;
            Finding finding = finding_of(info_, "case", std::to_string(c.case_id));
            finding.severity = late > high_after ? Severity::high : Severity::medium;
            finding.summary =
                fmt::format("case {} ({} {} {}) in {} since {}, due {}: {} working day{} late{}", c.case_id,
                            subject_kind_name(c.subject_kind), c.subject_id, c.cause, case_state_name(c.state),
                            c.state_entered_at.substr(0, 10), c.due_on->to_string(), late, late == 1 ? "" : "s",
                            c.assignee.empty() ? ", unassigned" : ", assigned to " + c.assignee);
            finding.money_at_risk = c.money_at_risk;
            finding.kwh_at_risk = c.kwh_at_risk;
            finding.evidence_json = Evidence(info_)
                                        .integer("case_id", c.case_id)
                                        .text("state", case_state_name(c.state))
                                        .text("entered", c.state_entered_at)
                                        .date("due_on", *c.due_on)
                                        .integer("working_days_late", late)
                                        .text("assignee", c.assignee)
                                        .text("unit_id", c.unit_id)
                                        .text("subject_kind", subject_kind_name(c.subject_kind))
                                        .text("subject_id", c.subject_id)
                                        .text("cause", c.cause)
                                        .dump();
            findings.push_back(std::move(finding));
        }
    }

private:
    RuleInfo info_;
};

}  // namespace

std::unique_ptr<Rule> make_share_case_overdue_rule() {
    return std::make_unique<ShareCaseOverdueRule>();
}

}  // namespace gridaudit
