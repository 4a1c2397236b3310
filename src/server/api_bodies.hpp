// The JSON bodies of the API's POST routes, each read into its own struct by one function that the
// route's handler and the fuzz target (fuzz/fuzz_api_bodies.cpp) both call: only the fields the
// route knows, each of its type and size, a 400 naming the field otherwise.
// Thread safety: stateless functions.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cases/back_billing.hpp"
#include "core/money.hpp"
#include "core/result.hpp"
#include "core/time.hpp"

namespace gridaudit {

inline constexpr std::size_t max_note_bytes = 4000;         // notes, comments, reasons
inline constexpr std::size_t max_findings_per_body = 1000;  // finding ids in one request

// POST /api/login
struct LoginBody {
    std::string username;
    std::string password;
};
[[nodiscard]] Result<LoginBody> parse_login_body(std::string_view text);

// POST /api/cases: open (or join) cases for the chosen findings, or by the policy.
struct OpenCasesBody {
    std::vector<std::int64_t> finding_ids;  // "findings"; empty with by_policy
    bool by_policy = false;                 // "by_policy": the policy selects the findings
    std::size_t limit = 0;                  // "limit" with by_policy: at most this many new cases
};
[[nodiscard]] Result<OpenCasesBody> parse_open_cases_body(std::string_view text);

// POST /api/cases/{id}/transitions
struct TransitionBody {
    std::string to;  // a state name, checked by the workflow
    std::int64_t version = 0;
    std::string note;
    std::optional<std::string> conclusion;  // a conclusion name, entering concluded
};
[[nodiscard]] Result<TransitionBody> parse_transition_body(std::string_view text);

// POST /api/cases/{id}/assign
struct AssignBody {
    std::string assignee;  // a username
    std::int64_t version = 0;
    std::string note;
};
[[nodiscard]] Result<AssignBody> parse_assign_body(std::string_view text);

// POST /api/cases/{id}/evidence
struct EvidenceBody {
    std::vector<std::int64_t> finding_ids;  // "findings"
};
[[nodiscard]] Result<EvidenceBody> parse_evidence_body(std::string_view text);

// POST /api/cases/{id}/comments
struct CommentBody {
    std::string note;
};
[[nodiscard]] Result<CommentBody> parse_comment_body(std::string_view text);

// POST /api/findings/{id}/dismissal
struct DismissalBody {
    std::string reason;
};
[[nodiscard]] Result<DismissalBody> parse_dismissal_body(std::string_view text);

// POST /api/cases/{id}/back-billing
struct BackBillingBody {
    std::int64_t version = 0;
    BackBillingFacts facts;  // "facts": the on-site facts (docs/cases.md); none when absent
};
[[nodiscard]] Result<BackBillingBody> parse_back_billing_body(std::string_view text);

// POST /api/cases/{id}/back-billing/approve
struct ApprovalBody {
    std::int64_t version = 0;
};
[[nodiscard]] Result<ApprovalBody> parse_approval_body(std::string_view text);

// POST /api/cases/{id}/payments
struct PaymentBody {
    Money amount;           // "amount": decimal text above 0, at most two decimals ("1234.56")
    CivilDate paid_on;      // "paid_on": YYYY-MM-DD
    std::string reference;  // "reference": the receipt or a remark (optional), kept as the payment's note
};
[[nodiscard]] Result<PaymentBody> parse_payment_body(std::string_view text);

// Every body parser with its route ("POST /api/login"), for the fuzz target and the tests.
struct BodyParser {
    std::string route;
    std::function<Status(std::string_view)> parse;
};
[[nodiscard]] std::vector<BodyParser> body_parsers();

}  // namespace gridaudit
