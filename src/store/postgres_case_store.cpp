// PostgresCaseStore: the case reads audits and reports make, from the tables of migration 8.
#include "store/postgres_case_store.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "store/postgres_daily_series.hpp"
#include "store/postgres_store.hpp"

namespace gridaudit {
namespace {

using Parameters = std::vector<std::optional<std::string>>;

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

std::string number(std::int64_t value) {
    return fmt::format("{}", value);
}

// The case as the audit log records it before and after a write (as SqliteCaseStore's).
std::string case_json(const Case& c) {
    nlohmann::json json{{"case_id", c.case_id},
                        {"subject_kind", subject_kind_name(c.subject_kind)},
                        {"subject_id", c.subject_id},
                        {"cause", c.cause},
                        {"unit_id", c.unit_id},
                        {"state", case_state_name(c.state)},
                        {"conclusion", c.conclusion ? nlohmann::json(conclusion_name(*c.conclusion)) : nullptr},
                        {"assignee", c.assignee},
                        {"source", case_source_name(c.source)},
                        {"due_on", c.due_on ? nlohmann::json(c.due_on->to_string()) : nullptr},
                        {"version", c.version}};
    return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string json_text(const nlohmann::json& json) {
    return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// A case write: one transaction under the store's write lock, so openings of one subject and
// dismissals of one finding from several processes follow one another as on SQLite.
Result<PostgresTransaction> begin_case_write(PostgresConnection& connection) {
    GA_ASSIGN_OR_RETURN(auto transaction, PostgresTransaction::begin(connection));
    GA_TRY(connection.execute(fmt::format("SELECT pg_advisory_xact_lock({})", postgres_write_lock)));
    return transaction;
}

Status append_write_log(PostgresConnection& connection, const CaseWriter& writer, std::string_view action,
                        std::string_view object_kind, std::string_view object_id, std::string_view before_json,
                        std::string_view after_json) {
    if (!Instant::parse(writer.at))
        return internal_error(fmt::format("a case write at '{}', not an ISO instant", writer.at));
    const auto optional_text = [](std::string_view text) {
        return text.empty() ? std::nullopt : std::optional<std::string>(std::string(text));
    };
    GA_TRY(connection.query(
        "INSERT INTO audit_log (at, actor_user_id, actor, action, object_kind, object_id, "
        "before_json, after_json) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        Parameters{writer.at, number(writer.user_id), writer.name, std::string(action), std::string(object_kind),
                   std::string(object_id), optional_text(before_json), optional_text(after_json)}));
    return {};
}

Status insert_event(PostgresConnection& connection, std::int64_t case_id, const CaseWriter& writer,
                    std::string_view kind, std::string_view from_state, std::string_view to_state,
                    std::string_view note) {
    GA_TRY(
        connection.query("INSERT INTO case_events (case_id, at, actor_user_id, actor, kind, from_state, to_state, "
                         "note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                         Parameters{number(case_id), writer.at, number(writer.user_id), writer.name, std::string(kind),
                                    std::string(from_state), std::string(to_state), std::string(note)}));
    return {};
}

Result<std::optional<Case>> select_case(PostgresConnection& connection, std::int64_t case_id) {
    GA_ASSIGN_OR_RETURN(
        auto result, connection.query(fmt::format("{} WHERE case_id = $1", case_columns), Parameters{number(case_id)}));
    if (result.rows() == 0) return std::optional<Case>();
    GA_ASSIGN_OR_RETURN(auto found, read_case(result, 0));
    return std::optional<Case>(std::move(found));
}

Result<Case> existing_case(PostgresConnection& connection, std::int64_t case_id) {
    GA_ASSIGN_OR_RETURN(auto found, select_case(connection, case_id));
    if (!found) return refusal_error(Refusal::not_found, fmt::format("no case {}", case_id));
    return std::move(*found);
}

Status require_finding(PostgresConnection& connection, std::int64_t finding_id) {
    GA_ASSIGN_OR_RETURN(const auto count, connection.query_int64("SELECT count(*) FROM findings WHERE finding_id = $1",
                                                                 Parameters{number(finding_id)}));
    if (count == 0) return refusal_error(Refusal::not_found, fmt::format("no finding {}", finding_id));
    return {};
}

// Links the findings to the case (each once), with an evidence event for each new link.
Status link_findings(PostgresConnection& connection, std::int64_t case_id, std::span<const std::int64_t> finding_ids,
                     const CaseWriter& writer) {
    for (const std::int64_t finding_id : finding_ids) {
        GA_TRY(require_finding(connection, finding_id));
        GA_ASSIGN_OR_RETURN(auto inserted,
                            connection.query("INSERT INTO case_findings (case_id, finding_id, attached_at, "
                                             "attached_by) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                                             Parameters{number(case_id), number(finding_id), writer.at, writer.name}));
        if (inserted.affected() == 1)
            GA_TRY(
                insert_event(connection, case_id, writer, "evidence", "", "", fmt::format("finding {}", finding_id)));
    }
    return {};
}

std::optional<std::string> kwh_parameter(const std::optional<double>& kwh) {
    return kwh ? std::optional<std::string>(fmt::format("{}", *kwh)) : std::nullopt;
}

std::optional<std::string> money_parameter(const std::optional<Money>& money) {
    return money ? std::optional<std::string>(number(money->units())) : std::nullopt;
}

Result<CaseOpened> open_one(PostgresConnection& connection, const CaseOpening& opening, const CaseWriter& writer) {
    if (opening.subject_id.empty()) return user_error("a case needs a subject id");
    if (!is_case_cause(opening.cause))
        return user_error(fmt::format("'{}' is not a cause (1 to 64 of A-Z a-z 0-9 _ - .)", opening.cause));
    const std::string kind(subject_kind_name(opening.subject_kind));
    CaseOpened outcome;
    GA_ASSIGN_OR_RETURN(auto open, connection.query("SELECT case_id FROM cases WHERE subject_kind = $1 AND "
                                                    "subject_id = $2 AND cause = $3 AND state <> 'closed'",
                                                    Parameters{kind, opening.subject_id, opening.cause}));
    if (open.rows() > 0) {
        outcome.case_id = open.int64(0, 0);
        if (opening.kwh_at_risk || opening.money_at_risk)
            GA_TRY(
                connection.query("UPDATE cases SET kwh_at_risk = greatest(coalesce(kwh_at_risk, $2::float8), "
                                 "coalesce($2::float8, kwh_at_risk)), money_at_risk = "
                                 "greatest(coalesce(money_at_risk, $3::bigint), coalesce($3::bigint, "
                                 "money_at_risk)) WHERE case_id = $1",
                                 Parameters{number(outcome.case_id), kwh_parameter(opening.kwh_at_risk),
                                            money_parameter(opening.money_at_risk)}));
        if (opening.duplicate_if_open) {
            GA_TRY(
                connection.query("INSERT INTO case_duplicate_attempts (case_id, subject_kind, subject_id, cause, "
                                 "source, reference, actor_user_id, actor, at) VALUES ($1, $2, $3, $4, $5, $6, $7, "
                                 "$8, $9)",
                                 Parameters{number(outcome.case_id), kind, opening.subject_id, opening.cause,
                                            std::string(case_source_name(opening.source)), opening.reference,
                                            number(writer.user_id), writer.name, writer.at}));
            GA_TRY(insert_event(connection, outcome.case_id, writer, "duplicate", "", "",
                                fmt::format("a second case was attempted ({})", opening.reference)));
            outcome.duplicate = true;
        }
    } else {
        GA_ASSIGN_OR_RETURN(
            outcome.case_id,
            connection.query_int64(
                "INSERT INTO cases (subject_kind, subject_id, cause, unit_id, state, conclusion, assignee, source, "
                "opened_at, state_entered_at, due_on, version, summary, kwh_at_risk, money_at_risk) VALUES ($1, $2, "
                "$3, $4, 'new', NULL, '', $5, $6, $6, $7, 1, $8, $9, $10) RETURNING case_id",
                Parameters{kind, opening.subject_id, opening.cause, opening.unit_id,
                           std::string(case_source_name(opening.source)), writer.at,
                           opening.due_on ? std::optional<std::string>(opening.due_on->to_string()) : std::nullopt,
                           opening.summary, kwh_parameter(opening.kwh_at_risk),
                           money_parameter(opening.money_at_risk)}));
        outcome.opened = true;
        GA_TRY(insert_event(connection, outcome.case_id, writer, "opened", "", "new", opening.summary));
        GA_ASSIGN_OR_RETURN(const Case opened, existing_case(connection, outcome.case_id));
        GA_TRY(
            append_write_log(connection, writer, "case.open", "case", number(outcome.case_id), "", case_json(opened)));
    }
    GA_TRY(link_findings(connection, outcome.case_id, opening.finding_ids, writer));
    if (opening.anomaly) {
        const FeeCenterAnomaly& anomaly = *opening.anomaly;
        GA_ASSIGN_OR_RETURN(
            const auto anomaly_id,
            connection.query_int64(
                "INSERT INTO fee_center_anomalies (case_id, subject_kind, subject_id, kind, "
                "description, amount, found_on, source, imported_at) VALUES ($1, $2, $3, $4, $5, "
                "$6, $7, $8, $9) RETURNING anomaly_id",
                Parameters{number(outcome.case_id), std::string(subject_kind_name(anomaly.subject_kind)),
                           anomaly.subject_id, anomaly.kind, anomaly.description, number(anomaly.amount.units()),
                           anomaly.found_on.to_string(), anomaly.source, writer.at}));
        GA_TRY(insert_event(connection, outcome.case_id, writer, "anomaly", "", "",
                            fmt::format("fee center anomaly {} ({})", anomaly_id, anomaly.source)));
    }
    if (!outcome.opened && (opening.anomaly || !opening.finding_ids.empty() || outcome.duplicate))
        GA_TRY(append_write_log(
            connection, writer, outcome.duplicate ? "case.duplicate_attempt" : "case.attach", "case",
            number(outcome.case_id), "",
            json_text(nlohmann::json{{"finding_ids", opening.finding_ids}, {"reference", opening.reference}})));
    return outcome;
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

Result<std::vector<CaseOpened>> PostgresCaseStore::open_cases(std::span<const CaseOpening> openings,
                                                              const CaseWriter& writer) {
    GA_ASSIGN_OR_RETURN(auto transaction, begin_case_write(*connection_));
    std::vector<CaseOpened> outcomes;
    outcomes.reserve(openings.size());
    for (const auto& opening : openings) {
        GA_ASSIGN_OR_RETURN(auto outcome, open_one(*connection_, opening, writer));
        outcomes.push_back(outcome);
    }
    GA_TRY(transaction.commit());
    return outcomes;
}

Result<Case> PostgresCaseStore::update_case(const CaseUpdate& update, const CaseWriter& writer) {
    GA_ASSIGN_OR_RETURN(auto transaction, begin_case_write(*connection_));
    GA_ASSIGN_OR_RETURN(const Case before, existing_case(*connection_, update.case_id));
    if (before.version != update.expected_version)
        return refusal_error(Refusal::conflict,
                             fmt::format("case {} is at version {}, not {}: it changed since it was read",
                                         update.case_id, before.version, update.expected_version));
    GA_ASSIGN_OR_RETURN(
        auto written,
        connection_->query(
            "UPDATE cases SET state = $3, conclusion = $4, assignee = $5, state_entered_at = $6, "
            "due_on = $7, version = version + 1 WHERE case_id = $1 AND version = $2",
            Parameters{
                number(update.case_id), number(update.expected_version), std::string(case_state_name(update.state)),
                update.conclusion ? std::optional<std::string>(std::string(conclusion_name(*update.conclusion)))
                                  : std::nullopt,
                update.assignee, update.state_entered_at.empty() ? before.state_entered_at : update.state_entered_at,
                update.due_on ? std::optional<std::string>(update.due_on->to_string()) : std::nullopt}));
    if (written.affected() != 1)
        return refusal_error(Refusal::conflict, fmt::format("case {} changed since it was read", update.case_id));
    GA_TRY(insert_event(*connection_, update.case_id, writer, update.event_kind, case_state_name(before.state),
                        case_state_name(update.state), update.note));
    GA_ASSIGN_OR_RETURN(Case after, existing_case(*connection_, update.case_id));
    GA_TRY(append_write_log(*connection_, writer, fmt::format("case.{}", update.event_kind), "case",
                            number(update.case_id), case_json(before), case_json(after)));
    GA_TRY(transaction.commit());
    return after;
}

Status PostgresCaseStore::add_comment(std::int64_t case_id, std::string_view note, const CaseWriter& writer) {
    GA_ASSIGN_OR_RETURN(auto transaction, begin_case_write(*connection_));
    GA_ASSIGN_OR_RETURN(const Case found, existing_case(*connection_, case_id));
    GA_TRY(insert_event(*connection_, case_id, writer, "comment", "", "", note));
    GA_TRY(append_write_log(*connection_, writer, "case.comment", "case", number(case_id), "",
                            json_text(nlohmann::json{{"note", note}})));
    return transaction.commit();
}

Status PostgresCaseStore::attach_findings(std::int64_t case_id, std::span<const std::int64_t> finding_ids,
                                          const CaseWriter& writer) {
    GA_ASSIGN_OR_RETURN(auto transaction, begin_case_write(*connection_));
    GA_ASSIGN_OR_RETURN(const Case found, existing_case(*connection_, case_id));
    GA_TRY(link_findings(*connection_, case_id, finding_ids, writer));
    GA_TRY(append_write_log(
        *connection_, writer, "case.attach", "case", number(case_id), "",
        nlohmann::json{{"finding_ids", std::vector<std::int64_t>(finding_ids.begin(), finding_ids.end())}}.dump()));
    return transaction.commit();
}

Status PostgresCaseStore::dismiss_finding(std::int64_t finding_id, std::string_view reason, const CaseWriter& writer) {
    GA_ASSIGN_OR_RETURN(auto transaction, begin_case_write(*connection_));
    GA_TRY(require_finding(*connection_, finding_id));
    GA_ASSIGN_OR_RETURN(const auto dismissed,
                        connection_->query_int64("SELECT count(*) FROM finding_dismissals WHERE finding_id = $1",
                                                 Parameters{number(finding_id)}));
    if (dismissed > 0)
        return refusal_error(Refusal::conflict, fmt::format("finding {} is already dismissed", finding_id));
    GA_ASSIGN_OR_RETURN(auto linked, connection_->query("SELECT min(case_id) FROM case_findings WHERE finding_id = $1",
                                                        Parameters{number(finding_id)}));
    if (linked.rows() > 0 && !linked.is_null(0, 0))
        return refusal_error(Refusal::conflict, fmt::format("finding {} is evidence of case {}: it cannot be dismissed",
                                                            finding_id, linked.int64(0, 0)));
    GA_TRY(connection_->query(
        "INSERT INTO finding_dismissals (finding_id, reason, actor_user_id, actor, at) VALUES "
        "($1, $2, $3, $4, $5)",
        Parameters{number(finding_id), std::string(reason), number(writer.user_id), writer.name, writer.at}));
    GA_TRY(append_write_log(*connection_, writer, "finding.dismiss", "finding", number(finding_id), "",
                            json_text(nlohmann::json{{"reason", reason}})));
    return transaction.commit();
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

Result<std::vector<CaseEvent>> PostgresCaseStore::case_events(std::int64_t case_id) {
    GA_ASSIGN_OR_RETURN(auto result, connection_->query("SELECT event_id, case_id, at, actor_user_id, actor, kind, "
                                                        "from_state, to_state, note FROM case_events WHERE case_id = "
                                                        "$1 ORDER BY event_id",
                                                        Parameters{number(case_id)}));
    std::vector<CaseEvent> events;
    for (int r = 0; r < result.rows(); ++r)
        events.push_back(CaseEvent{result.int64(r, 0), result.int64(r, 1), std::string(result.text(r, 2)),
                                   result.int64(r, 3), std::string(result.text(r, 4)), std::string(result.text(r, 5)),
                                   std::string(result.text(r, 6)), std::string(result.text(r, 7)),
                                   std::string(result.text(r, 8))});
    return events;
}

Result<std::vector<CaseEvidence>> PostgresCaseStore::case_evidence(std::int64_t case_id) {
    GA_ASSIGN_OR_RETURN(auto result,
                        connection_->query("SELECT l.case_id, l.finding_id, l.attached_at, l.attached_by, f.rule_id, "
                                           "f.area, f.subject_kind, f.subject_id, f.period, f.severity, f.summary, "
                                           "f.evidence, f.kwh_at_risk, f.money_at_risk, f.first_run_id, "
                                           "f.last_run_id, f.active FROM case_findings l JOIN findings f "
                                           "ON f.finding_id = l.finding_id WHERE l.case_id = $1 "
                                           "ORDER BY l.finding_id",
                                           Parameters{number(case_id)}));
    std::vector<CaseEvidence> evidence_list;
    for (int r = 0; r < result.rows(); ++r) {
        CaseEvidence evidence;
        evidence.case_id = result.int64(r, 0);
        evidence.finding_id = result.int64(r, 1);
        evidence.attached_at = result.text(r, 2);
        evidence.attached_by = result.text(r, 3);
        Finding& finding = evidence.finding;
        finding.rule_id = result.text(r, 4);
        const auto area = parse_inspection_area(result.text(r, 5));
        const auto severity = parse_severity(result.text(r, 9));
        if (!area || !severity)
            return external_error(fmt::format("finding {} has a damaged area or severity", evidence.finding_id));
        finding.area = *area;
        finding.subject_kind = result.text(r, 6);
        finding.subject_id = result.text(r, 7);
        finding.period = result.text(r, 8);
        finding.severity = *severity;
        finding.summary = result.text(r, 10);
        finding.evidence_json = result.text(r, 11);
        if (!result.is_null(r, 12)) finding.kwh_at_risk = result.float64(r, 12);
        if (!result.is_null(r, 13)) finding.money_at_risk = Money::from_units(result.int64(r, 13));
        evidence.first_run_id = result.int64(r, 14);
        evidence.last_run_id = result.int64(r, 15);
        evidence.active = result.int64(r, 16) != 0;
        evidence_list.push_back(std::move(evidence));
    }
    return evidence_list;
}

Result<std::vector<FeeCenterAnomaly>> PostgresCaseStore::case_anomalies(std::int64_t case_id) {
    GA_ASSIGN_OR_RETURN(auto result, connection_->query("SELECT anomaly_id, case_id, subject_kind, subject_id, kind, "
                                                        "description, amount, found_on, source, imported_at FROM "
                                                        "fee_center_anomalies WHERE case_id = $1 ORDER BY anomaly_id",
                                                        Parameters{number(case_id)}));
    std::vector<FeeCenterAnomaly> anomalies;
    for (int r = 0; r < result.rows(); ++r) {
        FeeCenterAnomaly anomaly;
        anomaly.anomaly_id = result.int64(r, 0);
        anomaly.case_id = result.int64(r, 1);
        const auto kind = parse_subject_kind(result.text(r, 2));
        const auto found_on = CivilDate::parse(result.text(r, 7));
        if (!kind || !found_on)
            return external_error(fmt::format("fee center anomaly {} is damaged", anomaly.anomaly_id));
        anomaly.subject_kind = *kind;
        anomaly.subject_id = result.text(r, 3);
        anomaly.kind = result.text(r, 4);
        anomaly.description = result.text(r, 5);
        anomaly.amount = Money::from_units(result.int64(r, 6));
        anomaly.found_on = *found_on;
        anomaly.source = result.text(r, 8);
        anomaly.imported_at = result.text(r, 9);
        anomalies.push_back(std::move(anomaly));
    }
    return anomalies;
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
