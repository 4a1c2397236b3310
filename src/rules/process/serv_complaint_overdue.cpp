// SERV-COMPLAINT-OVERDUE: a complaint or metering dispute not answered within its time limit in
// working days (REFERENCE.md section 7: a metering complaint is answered in 5).
#include <fmt/format.h>

#include <algorithm>

#include "rules/evidence.hpp"
#include "rules/process/process_rules.hpp"
#include "rules/process/process_scope.hpp"

namespace gridaudit {
namespace {

class ServComplaintOverdueRule final : public Rule {
public:
    ServComplaintOverdueRule() {
        info_.id = "SERV-COMPLAINT-OVERDUE";
        info_.area = InspectionArea::SERV;
        info_.title = "Complaint answered late";
        info_.description =
            "A complaint or metering dispute (work orders of the listed types) answered (closed) more working "
            "days after its acceptance than the time limit allows, or still open on the audit day beyond it. "
            "Working days follow the holiday and make-up-day calendar of the parameters, as in "
            "PROC-STEP-OVERDUE.";
        info_.parameters = {
            {"limit_days", 5.0, "working days", "Time to answer a complaint (REFERENCE.md section 7)."},
            {"order_types", std::vector<std::string>{"complaint"}, "", "Work-order types that are complaints."},
        };
        for (auto& parameter : calendar_parameters()) info_.parameters.push_back(std::move(parameter));
        info_.evidence_fields = {"accepted", "answered", "open", "working_days", "limit", "customer_id"};
        info_.truth_anomalies = {"complaint_overdue"};
    }

    const RuleInfo& info() const override { return info_; }

    void evaluate(const RuleContext& context, const RuleSettings& settings,
                  std::vector<Finding>& findings) const override {
        const WorkOrderColumns& orders = context.frame.work_orders;
        if (orders.size() == 0) return;
        const auto calendar = settings_calendar(info_, settings, findings);
        if (!calendar) return;
        const auto& types = settings.list("order_types");
        const auto limit = static_cast<int>(settings.number("limit_days"));
        const double offset = settings.number("utc_offset_hours");
        for (std::size_t o = 0; o < orders.size(); ++o) {
            if (std::find(types.begin(), types.end(), orders.type[o]) == types.end()) continue;
            const CivilDate accepted = local_date(orders.accepted_at[o], offset);
            if (accepted > context.as_of) continue;
            std::optional<CivilDate> answered;
            if (orders.closed_at[o] && local_date(*orders.closed_at[o], offset) <= context.as_of)
                answered = local_date(*orders.closed_at[o], offset);
            const int days = working_days_between(*calendar, accepted, answered.value_or(context.as_of));
            if (days <= limit) continue;
            Finding finding = work_order_finding(info_, orders, o);
            finding.severity = days >= 2 * limit ? Severity::high : Severity::medium;
            finding.summary = fmt::format("complaint {}{} accepted {} {} after {} working days (limit {})", orders.id[o],
                                          orders.customer_id[o].empty() ? "" : " of customer " + orders.customer_id[o],
                                          accepted.to_string(), answered ? "answered" : "still open", days, limit);
            finding.evidence_json = Evidence(info_)
                                        .date("accepted", accepted)
                                        .text("answered", answered ? answered->to_string() : "")  // "" while open
                                        .flag("open", !answered.has_value())
                                        .integer("working_days", days)
                                        .integer("limit", limit)
                                        .text("customer_id", orders.customer_id[o])
                                        .dump();
            findings.push_back(std::move(finding));
        }
    }

private:
    RuleInfo info_;
};

}  // namespace

std::unique_ptr<Rule> make_serv_complaint_overdue_rule() { return std::make_unique<ServComplaintOverdueRule>(); }

}  // namespace gridaudit
