// SHARE-DUPLICATE: a second case attempted for a subject and cause that had an open case (the fee
// center and the audit, or two analysts, finding the same thing): the attempt joined the open
// case, and the finding shows where the work would have overlapped ("nothing is worked twice").
#include <fmt/format.h>

#include "rules/evidence.hpp"
#include "rules/share/share_rules.hpp"

namespace gridaudit {
namespace {

class ShareDuplicateRule final : public Rule {
public:
    ShareDuplicateRule() {
        info_.id = "SHARE-DUPLICATE";
        info_.area = InspectionArea::SHARE;
        info_.title = "Second case attempted for a subject and cause";
        info_.description =
            "A case was requested (a fee-center anomaly, an analyst's choice of findings) for a customer, meter or "
            "node that already had an open case of the same cause. The request joined the open case as evidence "
            "instead of opening a second; the finding shows the overlap so the two sources can coordinate.";
        info_.evidence_fields = {"attempt_id", "case_id",   "subject_kind", "subject_id", "cause",
                                 "source",     "reference", "actor",        "at"};
    }

    const RuleInfo& info() const override { return info_; }

    void evaluate(const RuleContext&, const RuleSettings&, std::vector<Finding>&) const override {}

    void evaluate_utility(const UtilityContext& context, const RuleSettings&,
                          std::vector<Finding>& findings) const override {
        if (!context.cases) return;
        for (const DuplicateAttempt& a : context.cases->duplicate_attempts) {
            Finding finding = finding_of(info_, "duplicate_attempt", std::to_string(a.attempt_id));
            finding.severity = Severity::low;
            finding.summary = fmt::format("a second case for {} {} ({}) was attempted by {} ({}) on {}: joined case {}",
                                          subject_kind_name(a.subject_kind), a.subject_id, a.cause,
                                          case_source_name(a.source), a.reference, a.at.substr(0, 10), a.case_id);
            finding.evidence_json = Evidence(info_)
                                        .integer("attempt_id", a.attempt_id)
                                        .integer("case_id", a.case_id)
                                        .text("subject_kind", subject_kind_name(a.subject_kind))
                                        .text("subject_id", a.subject_id)
                                        .text("cause", a.cause)
                                        .text("source", case_source_name(a.source))
                                        .text("reference", a.reference)
                                        .text("actor", a.actor)
                                        .text("at", a.at)
                                        .dump();
            findings.push_back(std::move(finding));
        }
    }

private:
    RuleInfo info_;
};

}  // namespace

std::unique_ptr<Rule> make_share_duplicate_rule() {
    return std::make_unique<ShareDuplicateRule>();
}

}  // namespace gridaudit
