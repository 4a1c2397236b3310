// The POST routes' JSON bodies (see api_bodies.hpp).
#include "server/api_bodies.hpp"

#include <fmt/format.h>

#include "server/api_errors.hpp"
#include "server/request_parsing.hpp"
#include "text/printable_text.hpp"

namespace gridaudit {
namespace {

constexpr std::int64_t max_id = std::int64_t{1} << 53;  // ids a JavaScript client keeps exactly

// A text that must say something: not empty or only spaces.
Result<std::string> some_text(const JsonBody& body, std::string_view name, std::size_t max_bytes) {
    GA_ASSIGN_OR_RETURN(std::string text, body.text(name, max_bytes));
    if (text.find_first_not_of(" \t\r\n") == std::string::npos) return field_error(name, "must not be empty");
    return text;
}

template <class Body>
std::function<Status(std::string_view)> checked(Result<Body> (*parse)(std::string_view)) {
    return [parse](std::string_view text) -> Status {
        GA_TRY(parse(text));
        return {};
    };
}

}  // namespace

Result<LoginBody> parse_login_body(std::string_view text) {
    constexpr std::string_view fields[] = {"username", "password"};
    GA_ASSIGN_OR_RETURN(const JsonBody body, JsonBody::parse(text, fields));
    LoginBody login;
    GA_ASSIGN_OR_RETURN(login.username, some_text(body, "username", 200));
    GA_ASSIGN_OR_RETURN(login.password, body.text("password", 1000));
    return login;
}

Result<OpenCasesBody> parse_open_cases_body(std::string_view text) {
    constexpr std::string_view fields[] = {"findings", "by_policy", "limit"};
    GA_ASSIGN_OR_RETURN(const JsonBody body, JsonBody::parse(text, fields));
    OpenCasesBody open;
    if (body.has("by_policy")) {
        const nlohmann::json& flag = body.document().at("by_policy");
        if (!flag.is_boolean()) return field_error("by_policy", "must be true or false");
        open.by_policy = flag.get<bool>();
    }
    if (open.by_policy) {
        if (body.has("findings")) return field_error("findings", "must not be given with by_policy");
        GA_ASSIGN_OR_RETURN(const auto limit, body.optional_integer("limit", 0, 100'000));
        open.limit = static_cast<std::size_t>(limit.value_or(0));
        return open;
    }
    if (body.has("limit")) return field_error("limit", "is only for by_policy");
    GA_ASSIGN_OR_RETURN(open.finding_ids, body.integer_list("findings", max_findings_per_body, 1, max_id));
    return open;
}

Result<TransitionBody> parse_transition_body(std::string_view text) {
    constexpr std::string_view fields[] = {"to", "version", "note", "conclusion"};
    GA_ASSIGN_OR_RETURN(const JsonBody body, JsonBody::parse(text, fields));
    TransitionBody transition;
    GA_ASSIGN_OR_RETURN(transition.to, some_text(body, "to", 40));
    GA_ASSIGN_OR_RETURN(transition.version, body.integer("version", 1, max_id));
    GA_ASSIGN_OR_RETURN(const auto note, body.optional_text("note", max_note_bytes));
    transition.note = note.value_or("");
    GA_ASSIGN_OR_RETURN(transition.conclusion, body.optional_text("conclusion", 40));
    return transition;
}

Result<AssignBody> parse_assign_body(std::string_view text) {
    constexpr std::string_view fields[] = {"assignee", "version", "note"};
    GA_ASSIGN_OR_RETURN(const JsonBody body, JsonBody::parse(text, fields));
    AssignBody assign;
    GA_ASSIGN_OR_RETURN(assign.assignee, some_text(body, "assignee", 200));
    GA_ASSIGN_OR_RETURN(assign.version, body.integer("version", 1, max_id));
    GA_ASSIGN_OR_RETURN(const auto note, body.optional_text("note", max_note_bytes));
    assign.note = note.value_or("");
    return assign;
}

Result<EvidenceBody> parse_evidence_body(std::string_view text) {
    constexpr std::string_view fields[] = {"findings"};
    GA_ASSIGN_OR_RETURN(const JsonBody body, JsonBody::parse(text, fields));
    EvidenceBody evidence;
    GA_ASSIGN_OR_RETURN(evidence.finding_ids, body.integer_list("findings", max_findings_per_body, 1, max_id));
    return evidence;
}

Result<CommentBody> parse_comment_body(std::string_view text) {
    constexpr std::string_view fields[] = {"note"};
    GA_ASSIGN_OR_RETURN(const JsonBody body, JsonBody::parse(text, fields));
    CommentBody comment;
    GA_ASSIGN_OR_RETURN(comment.note, some_text(body, "note", max_note_bytes));
    return comment;
}

Result<DismissalBody> parse_dismissal_body(std::string_view text) {
    constexpr std::string_view fields[] = {"reason"};
    GA_ASSIGN_OR_RETURN(const JsonBody body, JsonBody::parse(text, fields));
    DismissalBody dismissal;
    GA_ASSIGN_OR_RETURN(dismissal.reason, some_text(body, "reason", max_note_bytes));
    return dismissal;
}

Result<BackBillingBody> parse_back_billing_body(std::string_view text) {
    constexpr std::string_view fields[] = {"version", "facts"};
    GA_ASSIGN_OR_RETURN(const JsonBody body, JsonBody::parse(text, fields));
    BackBillingBody billing;
    GA_ASSIGN_OR_RETURN(billing.version, body.integer("version", 1, max_id));
    if (body.has("facts")) {
        const nlohmann::json& facts = body.document().at("facts");
        if (!facts.is_object())
            return field_error("facts", "must be an object of calculator arguments ({\"capacity_kw\": \"3\"})");
        auto parsed = parse_back_billing_facts(facts.dump());
        if (!parsed) {
            std::string_view what = parsed.error().message();
            if (what.starts_with("facts: ")) what.remove_prefix(7);
            return field_error("facts", what);
        }
        billing.facts = std::move(*parsed);
    }
    return billing;
}

Result<ApprovalBody> parse_approval_body(std::string_view text) {
    constexpr std::string_view fields[] = {"version"};
    GA_ASSIGN_OR_RETURN(const JsonBody body, JsonBody::parse(text, fields));
    ApprovalBody approval;
    GA_ASSIGN_OR_RETURN(approval.version, body.integer("version", 1, max_id));
    return approval;
}

Result<PaymentBody> parse_payment_body(std::string_view text) {
    constexpr std::string_view fields[] = {"amount", "paid_on", "reference"};
    GA_ASSIGN_OR_RETURN(const JsonBody body, JsonBody::parse(text, fields));
    PaymentBody payment;
    GA_ASSIGN_OR_RETURN(const std::string amount, body.text("amount", 40));
    const auto parsed = Money::parse(amount);
    const std::size_t point = amount.find('.');
    const bool two_decimals = point == std::string::npos || amount.size() - point - 1 <= 2;
    if (!parsed || parsed->units() <= 0 || !two_decimals || amount.front() == '+')
        return field_error("amount", fmt::format("must be an amount above 0 with at most two decimals, as text "
                                                 "(\"1234.56\") ({})",
                                                 printable_value(amount)));
    payment.amount = *parsed;
    GA_ASSIGN_OR_RETURN(const auto paid_on, body.optional_date("paid_on"));
    if (!paid_on) return field_error("paid_on", "is required: the day paid, YYYY-MM-DD");
    payment.paid_on = *paid_on;
    GA_ASSIGN_OR_RETURN(const auto reference, body.optional_text("reference", max_note_bytes));
    payment.reference = reference.value_or("");
    return payment;
}

std::vector<BodyParser> body_parsers() {
    return {
        {"POST /api/login", checked(parse_login_body)},
        {"POST /api/cases", checked(parse_open_cases_body)},
        {"POST /api/cases/{id}/transitions", checked(parse_transition_body)},
        {"POST /api/cases/{id}/assign", checked(parse_assign_body)},
        {"POST /api/cases/{id}/evidence", checked(parse_evidence_body)},
        {"POST /api/cases/{id}/comments", checked(parse_comment_body)},
        {"POST /api/findings/{id}/dismissal", checked(parse_dismissal_body)},
        {"POST /api/cases/{id}/back-billing", checked(parse_back_billing_body)},
        {"POST /api/cases/{id}/back-billing/approve", checked(parse_approval_body)},
        {"POST /api/cases/{id}/payments", checked(parse_payment_body)},
    };
}

}  // namespace gridaudit
