// PostgresCaseStore: the case reads audits and reports make, from the tables of migration 8.
#include "store/postgres_case_store.hpp"

#include <fmt/format.h>

#include "store/postgres_daily_series.hpp"

namespace gridaudit {
namespace {

using Parameters = std::vector<std::optional<std::string>>;

std::unexpected<Error> not_yet() {
    return user_error("cases are not kept on PostgreSQL yet; work cases in a SQLite store (--db FILE.db)");
}

constexpr std::string_view case_columns =
    "SELECT case_id, subject_kind, subject_id, cause, unit_id, state, conclusion, assignee, source, opened_at, "
    "state_entered_at, due_on, version, summary, kwh_at_risk, money_at_risk FROM cases";

Result<Case> read_case(const PostgresResult& result, int r) {
    Case stored;
    stored.case_id = result.int64(r, 0);
    const auto kind = parse_subject_kind(result.text(r, 1));
    const auto state = parse_case_state(result.text(r, 5));
    const auto source = parse_case_source(result.text(r, 8));
    if (!kind || !state || !source)
        return external_error(fmt::format("case {} has a damaged subject kind, state or source", stored.case_id));
    stored.subject_kind = *kind;
    stored.subject_id = result.text(r, 2);
    stored.cause = result.text(r, 3);
    stored.unit_id = result.text(r, 4);
    stored.state = *state;
    if (!result.is_null(r, 6)) {
        const auto conclusion = parse_conclusion(result.text(r, 6));
        if (!conclusion) return external_error(fmt::format("case {} has a damaged conclusion", stored.case_id));
        stored.conclusion = *conclusion;
    }
    stored.assignee = result.text(r, 7);
    stored.source = *source;
    stored.opened_at = result.text(r, 9);
    stored.state_entered_at = result.text(r, 10);
    if (!result.is_null(r, 11)) {
        const auto due = CivilDate::parse(result.text(r, 11));
        if (!due) return external_error(fmt::format("case {} has a damaged due date", stored.case_id));
        stored.due_on = *due;
    }
    stored.version = result.int64(r, 12);
    stored.summary = result.text(r, 13);
    if (!result.is_null(r, 14)) stored.kwh_at_risk = result.float64(r, 14);
    if (!result.is_null(r, 15)) stored.money_at_risk = Money::from_units(result.int64(r, 15));
    return stored;
}

Result<std::vector<Case>> read_cases(const PostgresResult& result) {
    std::vector<Case> cases;
    for (int r = 0; r < result.rows(); ++r) {
        GA_ASSIGN_OR_RETURN(auto found, read_case(result, r));
        cases.push_back(std::move(found));
    }
    return cases;
}

}  // namespace

Result<std::optional<std::string>> PostgresCaseStore::subject_unit(SubjectKind kind, std::string_view subject_id) {
    std::string_view sql;
    switch (kind) {
        case SubjectKind::customer:
            sql = "SELECT coalesce(unit_id, '') FROM customers WHERE customer_id = $1";
            break;
        case SubjectKind::meter:
            sql =
                "SELECT coalesce(c.unit_id, n.unit_id, '') FROM meters m LEFT JOIN customers c ON c.customer_id = "
                "m.customer_id LEFT JOIN network n ON n.node_id = m.node_id WHERE m.meter_id = $1";
            break;
        case SubjectKind::node:
            sql = "SELECT coalesce(unit_id, '') FROM network WHERE node_id = $1";
            break;
    }
    GA_ASSIGN_OR_RETURN(auto result, connection_->query(sql, Parameters{std::string(subject_id)}));
    if (result.rows() == 0) return std::optional<std::string>{};
    return std::optional<std::string>(std::string(result.text(0, 0)));
}

Result<std::optional<std::string>> PostgresCaseStore::customer_of(std::string_view finding_subject_kind,
                                                                  std::string_view subject_id) {
    std::string_view sql;
    if (finding_subject_kind == "bill")
        sql = "SELECT customer_id FROM bills WHERE bill_id = $1";
    else if (finding_subject_kind == "work_order")
        sql = "SELECT customer_id FROM work_orders WHERE order_id = $1 AND customer_id IS NOT NULL";
    else
        return std::optional<std::string>{};
    GA_ASSIGN_OR_RETURN(auto result, connection_->query(sql, Parameters{std::string(subject_id)}));
    if (result.rows() == 0) return std::optional<std::string>{};
    return std::optional<std::string>(std::string(result.text(0, 0)));
}

Result<std::vector<CaseOpened>> PostgresCaseStore::open_cases(std::span<const CaseOpening>, const CaseWriter&) {
    return not_yet();
}

Result<Case> PostgresCaseStore::update_case(const CaseUpdate&, const CaseWriter&) {
    return not_yet();
}

Status PostgresCaseStore::add_comment(std::int64_t, std::string_view, const CaseWriter&) {
    return not_yet();
}

Status PostgresCaseStore::attach_findings(std::int64_t, std::span<const std::int64_t>, const CaseWriter&) {
    return not_yet();
}

Status PostgresCaseStore::dismiss_finding(std::int64_t, std::string_view, const CaseWriter&) {
    return not_yet();
}

Result<std::optional<Case>> PostgresCaseStore::find_case(std::int64_t case_id) {
    GA_ASSIGN_OR_RETURN(auto result, connection_->query(fmt::format("{} WHERE case_id = $1", case_columns),
                                                        Parameters{fmt::format("{}", case_id)}));
    if (result.rows() == 0) return std::optional<Case>();
    GA_ASSIGN_OR_RETURN(auto found, read_case(result, 0));
    return std::optional<Case>(std::move(found));
}

Result<std::vector<Case>> PostgresCaseStore::list_cases(const CaseFilter& filter) {
    const std::string sql = fmt::format(
        "{} WHERE ($1 = '' OR state = $1) AND ($2 = '' OR subject_kind = $2) AND ($3 = '' OR subject_id = $3) AND "
        "($4 = '' OR cause = $4) AND ($5 = '' OR assignee = $5) AND ($6 = 0 OR state <> 'closed') AND "
        "($7::text[] IS NULL OR unit_id = ANY($7::text[])) ORDER BY case_id LIMIT $8 OFFSET $9",
        case_columns);
    const Parameters parameters{
        std::string(filter.state ? case_state_name(*filter.state) : ""),
        std::string(filter.subject_kind ? subject_kind_name(*filter.subject_kind) : ""),
        filter.subject_id,
        filter.cause,
        filter.assignee,
        std::string(filter.open_only ? "1" : "0"),
        filter.unit_ids ? std::optional<std::string>(postgres_text_array(*filter.unit_ids)) : std::nullopt,
        filter.limit == 0 ? std::optional<std::string>() : std::optional<std::string>(fmt::format("{}", filter.limit)),
        fmt::format("{}", filter.offset)};
    GA_ASSIGN_OR_RETURN(auto result, connection_->query(sql, parameters));
    return read_cases(result);
}

Result<std::vector<CaseEvent>> PostgresCaseStore::case_events(std::int64_t) {
    return not_yet();
}

Result<std::vector<CaseEvidence>> PostgresCaseStore::case_evidence(std::int64_t) {
    return not_yet();
}

Result<std::vector<FeeCenterAnomaly>> PostgresCaseStore::case_anomalies(std::int64_t) {
    return not_yet();
}

Result<std::vector<FindingDismissal>> PostgresCaseStore::dismissals() {
    GA_ASSIGN_OR_RETURN(auto result, connection_->query("SELECT finding_id, reason, actor_user_id, actor, at FROM "
                                                        "finding_dismissals ORDER BY finding_id"));
    std::vector<FindingDismissal> dismissals;
    for (int r = 0; r < result.rows(); ++r)
        dismissals.push_back(FindingDismissal{result.int64(r, 0), std::string(result.text(r, 1)), result.int64(r, 2),
                                              std::string(result.text(r, 3)), std::string(result.text(r, 4))});
    return dismissals;
}

Result<std::vector<DuplicateAttempt>> PostgresCaseStore::duplicate_attempts() {
    GA_ASSIGN_OR_RETURN(auto result, connection_->query("SELECT attempt_id, case_id, subject_kind, subject_id, cause, "
                                                        "source, reference, actor, at FROM case_duplicate_attempts "
                                                        "ORDER BY attempt_id"));
    std::vector<DuplicateAttempt> attempts;
    for (int r = 0; r < result.rows(); ++r) {
        DuplicateAttempt attempt;
        attempt.attempt_id = result.int64(r, 0);
        attempt.case_id = result.int64(r, 1);
        const auto kind = parse_subject_kind(result.text(r, 2));
        const auto source = parse_case_source(result.text(r, 5));
        if (!kind || !source) return external_error(fmt::format("duplicate attempt {} is damaged", attempt.attempt_id));
        attempt.subject_kind = *kind;
        attempt.subject_id = result.text(r, 3);
        attempt.cause = result.text(r, 4);
        attempt.source = *source;
        attempt.reference = result.text(r, 6);
        attempt.actor = result.text(r, 7);
        attempt.at = result.text(r, 8);
        attempts.push_back(std::move(attempt));
    }
    return attempts;
}

Result<std::vector<FindingHandling>> PostgresCaseStore::finding_handling() {
    GA_ASSIGN_OR_RETURN(
        auto result,
        connection_->query("SELECT f.finding_id, f.rule_id, f.area, f.subject_kind, f.subject_id, f.period, "
                           "f.severity, r.at, (SELECT max(l.case_id) FROM case_findings l WHERE l.finding_id = "
                           "f.finding_id), EXISTS (SELECT 1 FROM finding_dismissals d WHERE d.finding_id = "
                           "f.finding_id) FROM findings f JOIN audit_runs r ON r.run_id = f.first_run_id "
                           "WHERE f.active = 1 ORDER BY f.finding_id"));
    std::vector<FindingHandling> handled;
    for (int r = 0; r < result.rows(); ++r) {
        FindingHandling handling;
        handling.finding_id = result.int64(r, 0);
        handling.rule_id = result.text(r, 1);
        const auto area = parse_inspection_area(result.text(r, 2));
        const auto severity = parse_severity(result.text(r, 6));
        if (!area || !severity)
            return external_error(fmt::format("finding {} has a damaged area or severity", handling.finding_id));
        handling.area = *area;
        handling.subject_kind = result.text(r, 3);
        handling.subject_id = result.text(r, 4);
        handling.period = result.text(r, 5);
        handling.severity = *severity;
        handling.first_seen_at = result.text(r, 7);
        if (!result.is_null(r, 8)) handling.case_id = result.int64(r, 8);
        handling.dismissed = result.text(r, 9) == "t";
        handled.push_back(std::move(handling));
    }
    return handled;
}

}  // namespace gridaudit
