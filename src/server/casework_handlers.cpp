// The casework routes of the closed loop: a case's back-billing (computed from its evidence and the
// facts found on site, approved by a supervisor), the payments against its notice, its printable
// documents, the month's feedback to the fee center as CSV, the fee center's anomaly CSV imported
// as cases, and the KPIs. Each calls what `gridaudit cases` and `gridaudit kpis` call
// (cases/back_billing, cases/case_documents, cases/kpis, cases/fee_center_csv), with the signed-in
// actor and the server's now. See api_handlers.hpp.
#include <fmt/format.h>

#include "cases/back_billing.hpp"
#include "cases/case_documents.hpp"
#include "cases/case_json.hpp"
#include "cases/case_workflow.hpp"
#include "cases/fee_center_csv.hpp"
#include "cases/kpis.hpp"
#include "server/api_bodies.hpp"
#include "server/api_errors.hpp"
#include "server/api_handlers.hpp"
#include "text/printable_text.hpp"

namespace gridaudit {
namespace {

// What the documents may use besides themselves: their inline style sheet.
constexpr const char* document_security_policy =
    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";

// The name the fee center's anomaly CSV goes by in its error messages ("body:3:41: amount: ...").
constexpr std::string_view import_body_name = "body";

// The objects a casework request works through, over the request's store.
struct Casework {
    CaseWorkflow workflow;
    CaseRecovery recovery;

    // REQUIRES: the context outlives the object; the object is not moved (recovery points at workflow).
    explicit Casework(ApiContext& context, CaseWorkflow opened)
        : workflow(std::move(opened)), recovery(context.store, workflow, context.casework->recovery) {}
};

Result<std::unique_ptr<Casework>> casework(ApiContext& context) {
    GA_ASSIGN_OR_RETURN(CaseWorkflow workflow, CaseWorkflow::open(context.store, *context.case_policy));
    return std::make_unique<Casework>(context, std::move(workflow));
}

ApiResponse text_response(std::string body, std::string content_type) {
    ApiResponse response;
    response.content_type = std::move(content_type);
    response.body = std::move(body);
    return response;
}

// --- routes -------------------------------------------------------------------------------------

Result<ApiResponse> post_back_billing(const ApiRequest& request, const QueryParameters&, ApiContext& context) {
    GA_ASSIGN_OR_RETURN(const std::int64_t id, id_parameter(request));
    GA_ASSIGN_OR_RETURN(const BackBillingBody body, parse_back_billing_body(request.body));
    GA_ASSIGN_OR_RETURN(const auto work, casework(context));
    GA_ASSIGN_OR_RETURN(const BackBillingView view,
                        work->recovery.calculate(context.caller(), id, body.version, body.facts, context.now));
    return ApiResponse::json(back_billing_view_json(view));
}

Result<ApiResponse> get_back_billing(const ApiRequest& request, const QueryParameters&, ApiContext& context) {
    GA_ASSIGN_OR_RETURN(const std::int64_t id, id_parameter(request));
    GA_ASSIGN_OR_RETURN(const auto work, casework(context));
    GA_ASSIGN_OR_RETURN(const BackBillingView view, work->recovery.show(context.caller(), id));
    return ApiResponse::json(back_billing_view_json(view));
}

Result<ApiResponse> post_approval(const ApiRequest& request, const QueryParameters&, ApiContext& context) {
    GA_ASSIGN_OR_RETURN(const std::int64_t id, id_parameter(request));
    GA_ASSIGN_OR_RETURN(const ApprovalBody body, parse_approval_body(request.body));
    GA_ASSIGN_OR_RETURN(const auto work, casework(context));
    GA_ASSIGN_OR_RETURN(const BackBillingView view,
                        work->recovery.approve(context.caller(), id, body.version, context.now));
    return ApiResponse::json(back_billing_view_json(view));
}

Result<ApiResponse> post_payment(const ApiRequest& request, const QueryParameters&, ApiContext& context) {
    GA_ASSIGN_OR_RETURN(const std::int64_t id, id_parameter(request));
    GA_ASSIGN_OR_RETURN(const PaymentBody body, parse_payment_body(request.body));
    GA_ASSIGN_OR_RETURN(const auto work, casework(context));
    GA_ASSIGN_OR_RETURN(const PaymentOutcome outcome, work->recovery.pay(context.caller(), id, body.amount,
                                                                         body.paid_on, body.reference, context.now));
    return ApiResponse::json(payment_outcome_json(outcome), 201);
}

Result<ApiResponse> get_payments(const ApiRequest& request, const QueryParameters&, ApiContext& context) {
    GA_ASSIGN_OR_RETURN(const std::int64_t id, id_parameter(request));
    GA_ASSIGN_OR_RETURN(const auto work, casework(context));
    GA_ASSIGN_OR_RETURN(const BackBillingView view, work->recovery.show(context.caller(), id));
    nlohmann::json items = nlohmann::json::array();
    for (const CasePayment& payment : view.payments) items.push_back(case_payment_json(payment));
    const nlohmann::json billing = back_billing_view_json(view);
    return ApiResponse::json({{"case_id", id},
                              {"state", billing.at("state")},
                              {"notice_number", billing.at("notice_number")},
                              {"total", billing.at("total")},
                              {"paid", billing.at("paid")},
                              {"outstanding", billing.at("outstanding")},
                              {"overpaid", billing.at("overpaid")},
                              {"recovered_on", billing.at("recovered_on")},
                              {"payments", std::move(items)}});
}

Result<ApiResponse> get_document(const ApiRequest& request, const QueryParameters&, ApiContext& context) {
    GA_ASSIGN_OR_RETURN(const std::int64_t id, id_parameter(request));
    const std::string_view kind_name = request.path_parameter("kind");
    const auto kind = parse_case_document_kind(kind_name);
    if (!kind)
        return refusal_error(Refusal::not_found,
                             fmt::format("no document {}: the kinds are notice, onsite, back-billing and feedback",
                                         printable_value(kind_name)));
    GA_ASSIGN_OR_RETURN(const auto work, casework(context));
    CaseDocuments documents(context.store, work->workflow, work->recovery, context.casework->documents);
    GA_ASSIGN_OR_RETURN(std::string html, documents.document(context.caller(), id, *kind, context.now));
    ApiResponse response = text_response(std::move(html), "text/html; charset=utf-8");
    response.headers.emplace_back("Content-Security-Policy", document_security_policy);
    return response;
}

Result<ApiResponse> get_feedback(const ApiRequest&, const QueryParameters& query, ApiContext& context) {
    GA_ASSIGN_OR_RETURN(const auto period, query.period("period"));
    if (!period) return field_error("period", "is required: the month, YYYY-MM (cases concluded in it)");
    GA_ASSIGN_OR_RETURN(const auto work, casework(context));
    CaseDocuments documents(context.store, work->workflow, work->recovery, context.casework->documents);
    GA_ASSIGN_OR_RETURN(const std::vector<FeedbackRow> rows, documents.feedback(context.caller(), *period));
    ApiResponse response = text_response(feedback_csv(rows), "text/csv; charset=utf-8");
    response.headers.emplace_back("Content-Disposition",
                                  fmt::format("attachment; filename=\"feedback-{}.csv\"", period->to_string()));
    return response;
}

Result<ApiResponse> post_import(const ApiRequest& request, const QueryParameters&, ApiContext& context) {
    GA_TRY(context.require(Permission::open_case));
    GA_ASSIGN_OR_RETURN(const auto work, casework(context));
    GA_ASSIGN_OR_RETURN(const auto anomalies, parse_fee_center_csv(request.body, import_body_name,
                                                                   work->workflow.policy().local_date(context.now)));
    GA_ASSIGN_OR_RETURN(const OpeningReport report,
                        work->workflow.open_for_anomalies(context.caller(), anomalies, context.now));
    return ApiResponse::json(opening_report_to_json(report), report.opened > 0 ? 201 : 200);
}

Result<ApiResponse> get_kpis(const ApiRequest&, const QueryParameters& query, ApiContext& context) {
    GA_ASSIGN_OR_RETURN(const auto period, query.period("period"));
    if (!period) return field_error("period", "is required: the month, YYYY-MM");
    GA_TRY(context.require(Permission::read_kpis));
    // A unit narrows the report to that unit and the units below it, within the caller's scope.
    Actor viewer = context.caller();
    if (const auto unit = query.text("unit")) {
        if (!context.scope->contains(*unit))
            return field_error("unit", fmt::format("no such org unit ({})", printable_value(*unit)));
        GA_TRY(context.scope->require(viewer, *unit));
        viewer.unit_id = std::string(*unit);
    }
    GA_ASSIGN_OR_RETURN(const KpiReport report, kpis_for(context.store, *context.case_policy,
                                                         context.casework->kpi_weights, *period, context.now, viewer));
    return ApiResponse::json(kpi_report_json(report));
}

}  // namespace

Result<CaseworkSettings> CaseworkSettings::from(const Policy& policy) {
    CaseworkSettings settings;
    GA_ASSIGN_OR_RETURN(settings.recovery, RecoveryPolicy::from(policy));
    GA_ASSIGN_OR_RETURN(settings.kpi_weights, KpiWeights::from(policy));
    GA_ASSIGN_OR_RETURN(settings.documents, DocumentSettings::from(policy));
    return settings;
}

std::vector<RouteHandler> casework_handlers() {
    using enum HttpMethod;
    return {
        {post, "/api/cases/import", post_import},
        {post, "/api/cases/{id}/back-billing", post_back_billing},
        {get, "/api/cases/{id}/back-billing", get_back_billing},
        {post, "/api/cases/{id}/back-billing/approve", post_approval},
        {post, "/api/cases/{id}/payments", post_payment},
        {get, "/api/cases/{id}/payments", get_payments},
        {get, "/api/cases/{id}/documents/{kind}", get_document},
        {get, "/api/feedback", get_feedback},
        {get, "/api/kpis", get_kpis},
    };
}

}  // namespace gridaudit
