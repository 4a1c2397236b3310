// SHARE-UNHANDLED: a finding nobody acted on: active, of a listed severity, neither evidence of a
// case nor dismissed, first produced more than the allowed working days before the audit day
// ("nothing is dropped").
#include <fmt/format.h>

#include <algorithm>

#include "rules/evidence.hpp"
#include "rules/process/process_scope.hpp"
#include "rules/share/share_rules.hpp"

namespace gridaudit {
namespace {

class ShareUnhandledRule final : public Rule {
public:
    ShareUnhandledRule() {
        info_.id = "SHARE-UNHANDLED";
        info_.area = InspectionArea::SHARE;
        info_.title = "Finding left without case or dismissal";
        info_.description =
            "A finding of a listed severity that the audit still produces, first produced more than "
            "limit_days working days before the audit day, that is neither evidence of a case nor dismissed "
            "with a reason. Findings of the SHARE rules themselves, and about subjects a case cannot have "
            "(collections, policies), are not counted. Open cases by policy (`gridaudit cases open`), by "
            "choice, or dismiss the finding.";
        info_.parameters = {
            {"limit_days", 5.0, "working days", "Time to open a case for a finding or dismiss it."},
            {"severities", std::vector<std::string>{"high", "critical"}, "",
             "Severities of the findings that must be handled."},
        };
        for (auto& parameter : calendar_parameters()) info_.parameters.push_back(std::move(parameter));
        info_.evidence_fields = {"finding_id", "rule_id",  "subject_kind", "subject_id",
                                 "period",     "severity", "first_seen",   "working_days_waiting"};
    }

    const RuleInfo& info() const override { return info_; }

    void evaluate(const RuleContext&, const RuleSettings&, std::vector<Finding>&) const override {}

    void evaluate_utility(const UtilityContext& context, const RuleSettings& settings,
                          std::vector<Finding>& findings) const override {
        if (!context.cases) return;
        const auto calendar = settings_calendar(info_, settings, findings);
        if (!calendar) return;
        const int allowed = static_cast<int>(settings.number("limit_days"));
        const auto& severities = settings.list("severities");
        const double offset = settings.number("utc_offset_hours");
        for (const FindingHandling& h : context.cases->findings) {
            if (h.case_id || h.dismissed || h.area == InspectionArea::SHARE) continue;
            if (h.subject_kind == "collection" || h.subject_kind == "policy") continue;
            if (std::find(severities.begin(), severities.end(), severity_name(h.severity)) == severities.end())
                continue;
            const auto seen_at = Instant::parse(h.first_seen_at);
            if (!seen_at) continue;
            const CivilDate seen = local_date(*seen_at, offset);
            const int waiting = working_days_between(*calendar, seen, context.as_of);
            if (waiting <= allowed) continue;
            Finding finding = finding_of(info_, "finding", std::to_string(h.finding_id));
            finding.severity = Severity::medium;
            finding.summary = fmt::format(
                "finding {} ({} on {} {}) first produced {}: no case or dismissal after {} "
                "working days (allowed {})",
                h.finding_id, h.rule_id, h.subject_kind, h.subject_id, seen.to_string(), waiting, allowed);
            finding.evidence_json = Evidence(info_)
                                        .integer("finding_id", h.finding_id)
                                        .text("rule_id", h.rule_id)
                                        .text("subject_kind", h.subject_kind)
                                        .text("subject_id", h.subject_id)
                                        .text("period", h.period)
                                        .text("severity", severity_name(h.severity))
                                        .date("first_seen", seen)
                                        .integer("working_days_waiting", waiting)
                                        .dump();
            findings.push_back(std::move(finding));
        }
    }

private:
    RuleInfo info_;
};

}  // namespace

std::unique_ptr<Rule> make_share_unhandled_rule() {
    return std::make_unique<ShareUnhandledRule>();
}

}  // namespace gridaudit
