// The case routes of the closed loop: list (scoped, filtered, sorted, paged), open from findings or
// by the policy, show with events and evidence, transition (409 on an illegal or stale one), assign,
// attach evidence, comment, and dismiss a finding. Each calls cases/case_workflow.hpp, as
// `gridaudit cases` does, with the signed-in actor and the server's now. See api_handlers.hpp.
#include <fmt/format.h>

#include <algorithm>

#include "cases/case_json.hpp"
#include "cases/case_workflow.hpp"
#include "server/api_bodies.hpp"
#include "server/api_errors.hpp"
#include "server/api_handlers.hpp"
#include "text/printable_text.hpp"

namespace gridaudit {
namespace {

constexpr std::string_view case_sort_fields[] = {"id", "opened_at", "due_on", "state", "money_at_risk", "kwh_at_risk"};

std::string names_of_states() {
    std::string names;
    for (std::size_t i = 0; i < case_state_count; ++i) {
        if (i > 0) names += ", ";
        names += case_state_name(static_cast<CaseState>(i));
    }
    return names;
}

std::string names_of_conclusions() {
    std::string names;
    for (std::size_t i = 0; i < conclusion_count; ++i) {
        if (i > 0) names += ", ";
        names += conclusion_name(static_cast<Conclusion>(i));
    }
    return names;
}

Result<CaseState> state_field(std::string_view field, std::string_view name) {
    const auto state = parse_case_state(name);
    if (!state)
        return field_error(field, fmt::format("must be a state: {} ({})", names_of_states(), printable_value(name)));
    return *state;
}

Result<CaseWorkflow> workflow(ApiContext& context) {
    return CaseWorkflow::open(context.store, *context.case_policy);
}

// -1, 0, 1 as a is before, level with or after b under one ascending key.
int compare_cases(const Case& a, const Case& b, std::string_view field) {
    const auto three_way = [](const auto& l, const auto& r) { return l < r ? -1 : (r < l ? 1 : 0); };
    if (field == "opened_at") return three_way(a.opened_at, b.opened_at);
    if (field == "due_on") {
        // A case without a deadline after every deadline.
        if (a.due_on.has_value() != b.due_on.has_value()) return a.due_on ? -1 : 1;
        return a.due_on ? three_way(*a.due_on, *b.due_on) : 0;
    }
    if (field == "state") return three_way(static_cast<int>(a.state), static_cast<int>(b.state));
    if (field == "money_at_risk") {
        if (a.money_at_risk.has_value() != b.money_at_risk.has_value()) return a.money_at_risk ? 1 : -1;
        return a.money_at_risk ? three_way(a.money_at_risk->units(), b.money_at_risk->units()) : 0;
    }
    if (field == "kwh_at_risk") return three_way(a.kwh_at_risk.value_or(-1e300), b.kwh_at_risk.value_or(-1e300));
    return three_way(a.case_id, b.case_id);
}

// The case's detail as GET /api/cases/{id} answers it (after a write: what the write made).
Result<ApiResponse> detail_response(CaseWorkflow& cases, ApiContext& context, std::int64_t case_id, int status = 200) {
    GA_ASSIGN_OR_RETURN(const CaseDetail detail, cases.show(context.caller(), case_id));
    return ApiResponse::json(case_detail_to_json(detail), status);
}

// --- routes -------------------------------------------------------------------------------------

Result<ApiResponse> case_list(const QueryParameters& query, ApiContext& context) {
    CaseFilter filter;
    if (const auto state = query.text("state")) {
        GA_ASSIGN_OR_RETURN(filter.state, state_field("state", *state));
    }
    if (const auto kind = query.text("subject_kind")) {
        filter.subject_kind = parse_subject_kind(*kind);
        if (!filter.subject_kind)
            return field_error("subject_kind",
                               fmt::format("must be customer, meter or node ({})", printable_value(*kind)));
    }
    filter.subject_id = std::string(query.text("subject_id").value_or(""));
    filter.cause = std::string(query.text("cause").value_or(""));
    filter.assignee = std::string(query.text("assignee").value_or(""));
    GA_ASSIGN_OR_RETURN(const auto open, query.boolean("open"));
    filter.open_only = open.value_or(false);
    GA_ASSIGN_OR_RETURN(const PageRequest page, page_request(query));
    GA_ASSIGN_OR_RETURN(const std::vector<SortKey> sort, sort_request(query, case_sort_fields, "id"));
    GA_ASSIGN_OR_RETURN(CaseWorkflow cases, workflow(context));
    GA_ASSIGN_OR_RETURN(std::vector<Case> listed, cases.list(context.caller(), filter));
    if (open && !*open) std::erase_if(listed, [](const Case& c) { return c.state != CaseState::closed; });
    std::stable_sort(listed.begin(), listed.end(), [&](const Case& a, const Case& b) {
        for (const SortKey& key : sort) {
            const int order = compare_cases(a, b, key.field);
            if (order != 0) return key.descending ? order > 0 : order < 0;
        }
        return a.case_id < b.case_id;
    });
    nlohmann::json items = nlohmann::json::array();
    const std::size_t end = std::min(listed.size(), page.offset() + static_cast<std::size_t>(page.page_size));
    for (std::size_t i = page.offset(); i < end; ++i) items.push_back(case_to_json(listed[i]));
    return ApiResponse::json(page_document(page, listed.size(), std::move(items)));
}

Result<ApiResponse> get_cases(const ApiRequest& request, const QueryParameters& query, ApiContext& context) {
    return remembered_read(request, context, ReadBasis::cases,
                           [&]() -> Result<ApiResponse> { return case_list(query, context); });
}

Result<ApiResponse> post_cases(const ApiRequest& request, const QueryParameters&, ApiContext& context) {
    GA_ASSIGN_OR_RETURN(const OpenCasesBody body, parse_open_cases_body(request.body));
    GA_ASSIGN_OR_RETURN(CaseWorkflow cases, workflow(context));
    OpeningReport report;
    if (body.by_policy) {
        OpenOptions options;
        options.limit = body.limit;
        GA_ASSIGN_OR_RETURN(report, cases.open_by_policy(context.caller(), context.now, options));
    } else {
        GA_ASSIGN_OR_RETURN(report, cases.open_for_findings(context.caller(), body.finding_ids, context.now));
    }
    return ApiResponse::json(opening_report_to_json(report), report.opened > 0 ? 201 : 200);
}

Result<ApiResponse> get_case(const ApiRequest& request, const QueryParameters&, ApiContext& context) {
    GA_ASSIGN_OR_RETURN(const std::int64_t id, id_parameter(request));
    return remembered_read(request, context, ReadBasis::cases, [&]() -> Result<ApiResponse> {
        GA_ASSIGN_OR_RETURN(CaseWorkflow cases, workflow(context));
        return detail_response(cases, context, id);
    });
}

Result<ApiResponse> post_transition(const ApiRequest& request, const QueryParameters&, ApiContext& context) {
    GA_ASSIGN_OR_RETURN(const std::int64_t id, id_parameter(request));
    GA_ASSIGN_OR_RETURN(const TransitionBody body, parse_transition_body(request.body));
    TransitionRequest transition;
    transition.case_id = id;
    transition.expected_version = body.version;
    GA_ASSIGN_OR_RETURN(transition.to, state_field("to", body.to));
    transition.note = body.note;
    if (body.conclusion) {
        transition.conclusion = parse_conclusion(*body.conclusion);
        if (!transition.conclusion)
            return field_error("conclusion", fmt::format("must be one of {} ({})", names_of_conclusions(),
                                                         printable_value(*body.conclusion)));
    }
    GA_ASSIGN_OR_RETURN(CaseWorkflow cases, workflow(context));
    GA_ASSIGN_OR_RETURN(const Case changed, cases.transition(context.caller(), transition, context.now));
    return ApiResponse::json(case_to_json(changed));
}

Result<ApiResponse> post_assign(const ApiRequest& request, const QueryParameters&, ApiContext& context) {
    GA_ASSIGN_OR_RETURN(const std::int64_t id, id_parameter(request));
    GA_ASSIGN_OR_RETURN(const AssignBody body, parse_assign_body(request.body));
    GA_ASSIGN_OR_RETURN(CaseWorkflow cases, workflow(context));
    GA_ASSIGN_OR_RETURN(const Case changed,
                        cases.assign(context.caller(), id, body.version, body.assignee, body.note, context.now));
    return ApiResponse::json(case_to_json(changed));
}

Result<ApiResponse> post_evidence(const ApiRequest& request, const QueryParameters&, ApiContext& context) {
    GA_ASSIGN_OR_RETURN(const std::int64_t id, id_parameter(request));
    GA_ASSIGN_OR_RETURN(const EvidenceBody body, parse_evidence_body(request.body));
    GA_ASSIGN_OR_RETURN(CaseWorkflow cases, workflow(context));
    GA_TRY(cases.attach_evidence(context.caller(), id, body.finding_ids, context.now));
    return detail_response(cases, context, id);
}

Result<ApiResponse> post_comment(const ApiRequest& request, const QueryParameters&, ApiContext& context) {
    GA_ASSIGN_OR_RETURN(const std::int64_t id, id_parameter(request));
    GA_ASSIGN_OR_RETURN(const CommentBody body, parse_comment_body(request.body));
    GA_ASSIGN_OR_RETURN(CaseWorkflow cases, workflow(context));
    GA_TRY(cases.comment(context.caller(), id, body.note, context.now));
    return detail_response(cases, context, id, 201);
}

Result<ApiResponse> post_dismissal(const ApiRequest& request, const QueryParameters&, ApiContext& context) {
    GA_ASSIGN_OR_RETURN(const std::int64_t id, id_parameter(request));
    GA_ASSIGN_OR_RETURN(const DismissalBody body, parse_dismissal_body(request.body));
    GA_ASSIGN_OR_RETURN(CaseWorkflow cases, workflow(context));
    GA_TRY(cases.dismiss(context.caller(), id, body.reason, context.now));
    return ApiResponse::json({{"finding_id", id}, {"dismissed", true}, {"reason", body.reason}}, 201);
}

}  // namespace

std::vector<RouteHandler> case_handlers() {
    using enum HttpMethod;
    return {
        {get, "/api/cases", get_cases},
        {post, "/api/cases", post_cases},
        {get, "/api/cases/{id}", get_case},
        {post, "/api/cases/{id}/transitions", post_transition},
        {post, "/api/cases/{id}/assign", post_assign},
        {post, "/api/cases/{id}/evidence", post_evidence},
        {post, "/api/cases/{id}/comments", post_comment},
        {post, "/api/findings/{id}/dismissal", post_dismissal},
    };
}

}  // namespace gridaudit
