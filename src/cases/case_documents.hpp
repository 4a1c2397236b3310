// The written documents of a case (issue 14), as printable self-contained HTML pages in the
// report's house style: the inspection notice (稽查通知单) with its rectification deadline, the
// on-site record (现场稽查记录), the back-billing notice (追补电费通知单, itemised with the articles
// the calculator cites) and the written feedback to the fee center (稽查结果反馈单); and the
// feedback of a month as a CSV the fee center loads (columns in docs/cases.md).
// Thread safety: the render functions are pure; CaseDocuments uses its Store (one thread).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "access/actor.hpp"
#include "cases/back_billing.hpp"
#include "cases/case.hpp"
#include "cases/case_policy.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "rules/policy.hpp"

namespace gridaudit {

enum class CaseDocumentKind { notice, onsite, back_billing, feedback };

// "notice", "onsite", "back-billing", "feedback".
[[nodiscard]] std::string_view case_document_kind_name(CaseDocumentKind kind);
[[nodiscard]] std::optional<CaseDocumentKind> parse_case_document_kind(std::string_view name);

// The `[documents]` policy section: rectification_working_days (10), the working days a
// customer has to rectify what the inspection notice names; issuer (the unit's name printed as
// the sender, default "Inspection team (稽查队)").
struct DocumentSettings {
    int rectification_working_days = 10;
    std::string issuer = "Inspection team (稽查队)";

    [[nodiscard]] static Result<DocumentSettings> from(const Policy& policy);
};

// What a document shows: the case with its history and evidence, and its back-billing when it has
// one.
struct CaseDocumentInput {
    CaseDetail detail;
    std::optional<BackBillingView> billing;
    // The subject's name as the store has it (a customer's; a meter's customer's, or for a gateway
    // its node's; a node's); "" when none. Printed beside the id, HTML-escaped like every text.
    std::string subject_name;
};

// The name `subject_name` holds, read from the store's customers, meters and network.
[[nodiscard]] Result<std::string> case_subject_name(Store& store, SubjectKind kind, std::string_view subject_id);

// REQUIRES: kind back_billing only with input.billing set.
[[nodiscard]] std::string render_case_document(CaseDocumentKind kind, const CaseDocumentInput& input,
                                               const CasePolicy& policy, const DocumentSettings& settings, Instant now);

// One row of the fee center's feedback CSV.
struct FeedbackRow {
    Case c;
    std::string concluded_on;  // YYYY-MM-DD of the (last) conclusion
    std::vector<std::int64_t> anomaly_ids;
    std::optional<BackBillingView> billing;
};

// The header and rows (RFC 4180, CRLF-free: one "\n" per record), money as plain decimals in CNY.
[[nodiscard]] std::string feedback_csv(const std::vector<FeedbackRow>& rows);
// The columns of the feedback CSV, in order.
[[nodiscard]] const std::vector<std::string_view>& feedback_csv_columns();

class CaseDocuments {
public:
    // REQUIRES: `store`, `workflow` and `recovery` (over the same store) outlive this object.
    CaseDocuments(Store& store, CaseWorkflow& workflow, CaseRecovery& recovery, DocumentSettings settings)
        : store_(&store), workflow_(&workflow), recovery_(&recovery), settings_(std::move(settings)) {}

    // A case's document (read_cases permission, the case in scope). A back-billing notice needs a
    // computed back-billing (not_found otherwise); before approval it is marked as a draft.
    [[nodiscard]] Result<std::string> document(const Actor& actor, std::int64_t case_id, CaseDocumentKind kind,
                                               Instant now);
    // The feedback rows of the cases in the actor's units concluded in `period`, by case id.
    [[nodiscard]] Result<std::vector<FeedbackRow>> feedback(const Actor& actor, Period period);

private:
    Store* store_;
    CaseWorkflow* workflow_;
    CaseRecovery* recovery_;
    DocumentSettings settings_;
};

}  // namespace gridaudit
