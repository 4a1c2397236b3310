// SqliteCaseStore: the cases tables of migration 8, each write in one transaction with its
// audit-log entries.
#include "store/sqlite_case_store.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "store/case_write_rows.hpp"

namespace gridaudit {
namespace {

constexpr std::string_view case_columns =
    "SELECT case_id, subject_kind, subject_id, cause, unit_id, state, conclusion, assignee, source, opened_at, "
    "state_entered_at, due_on, version, summary, kwh_at_risk, money_at_risk FROM cases";

Result<Case> read_case(const SqliteStatement& select) {
    Case stored;
    stored.case_id = select.column_int64(0);
    const auto kind = parse_subject_kind(select.column_text(1));
    const auto state = parse_case_state(select.column_text(5));
    const auto source = parse_case_source(select.column_text(8));
    if (!kind || !state || !source)
        return external_error(fmt::format("case {} has a damaged subject kind, state or source", stored.case_id));
    stored.subject_kind = *kind;
    stored.subject_id = select.column_text(2);
    stored.cause = select.column_text(3);
    stored.unit_id = select.column_text(4);
    stored.state = *state;
    if (!select.column_is_null(6)) {
        const auto conclusion = parse_conclusion(select.column_text(6));
        if (!conclusion) return external_error(fmt::format("case {} has a damaged conclusion", stored.case_id));
        stored.conclusion = *conclusion;
    }
    stored.assignee = select.column_text(7);
    stored.source = *source;
    stored.opened_at = select.column_text(9);
    stored.state_entered_at = select.column_text(10);
    if (!select.column_is_null(11)) {
        const auto due = CivilDate::parse(select.column_text(11));
        if (!due) return external_error(fmt::format("case {} has a damaged due date", stored.case_id));
        stored.due_on = *due;
    }
    stored.version = select.column_int64(12);
    stored.summary = select.column_text(13);
    if (!select.column_is_null(14)) stored.kwh_at_risk = select.column_double(14);
    if (!select.column_is_null(15)) stored.money_at_risk = Money::from_units(select.column_int64(15));
    return stored;
}

// The case as the audit log records it before and after a write.
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

Result<std::optional<Case>> select_case(SqliteConnection& connection, std::int64_t case_id) {
    GA_ASSIGN_OR_RETURN(auto select, connection.prepare(fmt::format("{} WHERE case_id = ?1", case_columns)));
    select.bind_int64(1, case_id);
    GA_ASSIGN_OR_RETURN(const bool has_row, select.step());
    if (!has_row) return std::optional<Case>{};
    GA_ASSIGN_OR_RETURN(auto found, read_case(select));
    return std::optional<Case>(std::move(found));
}

Result<Case> existing_case(SqliteConnection& connection, std::int64_t case_id) {
    GA_ASSIGN_OR_RETURN(auto found, select_case(connection, case_id));
    if (!found) return refusal_error(Refusal::not_found, fmt::format("no case {}", case_id));
    return std::move(*found);
}

Status require_finding(SqliteConnection& connection, std::int64_t finding_id) {
    GA_ASSIGN_OR_RETURN(auto select, connection.prepare("SELECT count(*) FROM findings WHERE finding_id = ?1"));
    select.bind_int64(1, finding_id);
    GA_ASSIGN_OR_RETURN(const bool has_row, select.step());
    if (!has_row || select.column_int64(0) == 0)
        return refusal_error(Refusal::not_found, fmt::format("no finding {}", finding_id));
    return {};
}

// Links the findings to the case (each once), with an evidence event for each new link.
Status link_findings(SqliteConnection& connection, std::int64_t case_id, std::span<const std::int64_t> finding_ids,
                     const CaseWriter& writer) {
    GA_ASSIGN_OR_RETURN(auto insert, connection.prepare("INSERT OR IGNORE INTO case_findings (case_id, finding_id, "
                                                        "attached_at, attached_by) VALUES (?1, ?2, ?3, ?4)"));
    for (const std::int64_t finding_id : finding_ids) {
        GA_TRY(require_finding(connection, finding_id));
        insert.bind_int64(1, case_id);
        insert.bind_int64(2, finding_id);
        insert.bind_text(3, writer.at);
        insert.bind_text(4, writer.name);
        GA_TRY(insert.run());
        if (connection.changes() == 1)
            GA_TRY(insert_case_event(connection, case_id, writer, "evidence", "", "",
                                     fmt::format("finding {}", finding_id)));
    }
    return {};
}

Result<std::optional<std::int64_t>> open_case_of(SqliteConnection& connection, const CaseOpening& opening) {
    GA_ASSIGN_OR_RETURN(auto select, connection.prepare("SELECT case_id FROM cases WHERE subject_kind = ?1 AND "
                                                        "subject_id = ?2 AND cause = ?3 AND state <> 'closed'"));
    select.bind_text(1, subject_kind_name(opening.subject_kind));
    select.bind_text(2, opening.subject_id);
    select.bind_text(3, opening.cause);
    GA_ASSIGN_OR_RETURN(const bool has_row, select.step());
    if (!has_row) return std::optional<std::int64_t>{};
    return std::optional<std::int64_t>(select.column_int64(0));
}

void bind_optional_kwh(SqliteStatement& statement, int index, const std::optional<double>& kwh) {
    if (kwh)
        statement.bind_double(index, *kwh);
    else
        statement.bind_null(index);
}

void bind_optional_money(SqliteStatement& statement, int index, const std::optional<Money>& money) {
    if (money)
        statement.bind_int64(index, money->units());
    else
        statement.bind_null(index);
}

Result<std::int64_t> insert_case(SqliteConnection& connection, const CaseOpening& opening, const CaseWriter& writer) {
    GA_ASSIGN_OR_RETURN(auto insert,
                        connection.prepare("INSERT INTO cases (subject_kind, subject_id, cause, unit_id, state, "
                                           "conclusion, assignee, source, opened_at, state_entered_at, due_on, "
                                           "version, summary, kwh_at_risk, money_at_risk) VALUES (?1, ?2, ?3, ?4, "
                                           "'new', NULL, '', ?5, ?6, ?6, ?7, 1, ?8, ?9, ?10)"));
    const std::string due = opening.due_on ? opening.due_on->to_string() : std::string();
    insert.bind_text(1, subject_kind_name(opening.subject_kind));
    insert.bind_text(2, opening.subject_id);
    insert.bind_text(3, opening.cause);
    insert.bind_text(4, opening.unit_id);
    insert.bind_text(5, case_source_name(opening.source));
    insert.bind_text(6, writer.at);
    if (opening.due_on)
        insert.bind_text(7, due);
    else
        insert.bind_null(7);
    insert.bind_text(8, opening.summary);
    bind_optional_kwh(insert, 9, opening.kwh_at_risk);
    bind_optional_money(insert, 10, opening.money_at_risk);
    GA_TRY(insert.run());
    return connection.last_insert_rowid();
}

// A joining opening raises what the case puts at risk to the larger of the two.
Status raise_risk(SqliteConnection& connection, std::int64_t case_id, const CaseOpening& opening) {
    if (!opening.kwh_at_risk && !opening.money_at_risk) return {};
    GA_ASSIGN_OR_RETURN(auto update,
                        connection.prepare("UPDATE cases SET kwh_at_risk = max(coalesce(kwh_at_risk, ?2), "
                                           "coalesce(?2, kwh_at_risk)), money_at_risk = max(coalesce(money_at_risk, "
                                           "?3), coalesce(?3, money_at_risk)) WHERE case_id = ?1"));
    update.bind_int64(1, case_id);
    bind_optional_kwh(update, 2, opening.kwh_at_risk);
    bind_optional_money(update, 3, opening.money_at_risk);
    return update.run();
}

Status insert_anomaly(SqliteConnection& connection, std::int64_t case_id, const FeeCenterAnomaly& anomaly,
                      const CaseWriter& writer) {
    GA_ASSIGN_OR_RETURN(auto insert,
                        connection.prepare("INSERT INTO fee_center_anomalies (case_id, subject_kind, subject_id, kind, "
                                           "description, amount, found_on, source, imported_at) "
                                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"));
    const std::string found_on = anomaly.found_on.to_string();
    insert.bind_int64(1, case_id);
    insert.bind_text(2, subject_kind_name(anomaly.subject_kind));
    insert.bind_text(3, anomaly.subject_id);
    insert.bind_text(4, anomaly.kind);
    insert.bind_text(5, anomaly.description);
    insert.bind_int64(6, anomaly.amount.units());
    insert.bind_text(7, found_on);
    insert.bind_text(8, anomaly.source);
    insert.bind_text(9, writer.at);
    GA_TRY(insert.run());
    return insert_case_event(connection, case_id, writer, "anomaly", "", "",
                             fmt::format("fee center anomaly {} ({})", connection.last_insert_rowid(), anomaly.source));
}

Status insert_duplicate_attempt(SqliteConnection& connection, std::int64_t case_id, const CaseOpening& opening,
                                const CaseWriter& writer) {
    GA_ASSIGN_OR_RETURN(auto insert,
                        connection.prepare("INSERT INTO case_duplicate_attempts (case_id, subject_kind, subject_id, "
                                           "cause, source, reference, actor_user_id, actor, at) "
                                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"));
    insert.bind_int64(1, case_id);
    insert.bind_text(2, subject_kind_name(opening.subject_kind));
    insert.bind_text(3, opening.subject_id);
    insert.bind_text(4, opening.cause);
    insert.bind_text(5, case_source_name(opening.source));
    insert.bind_text(6, opening.reference);
    insert.bind_int64(7, writer.user_id);
    insert.bind_text(8, writer.name);
    insert.bind_text(9, writer.at);
    GA_TRY(insert.run());
    return insert_case_event(connection, case_id, writer, "duplicate", "", "",
                             fmt::format("a second case was attempted ({})", opening.reference));
}

Result<CaseOpened> open_one(SqliteConnection& connection, const CaseOpening& opening, const CaseWriter& writer) {
    if (opening.subject_id.empty()) return user_error("a case needs a subject id");
    if (!is_case_cause(opening.cause))
        return user_error(fmt::format("'{}' is not a cause (1 to 64 of A-Z a-z 0-9 _ - .)", opening.cause));
    CaseOpened outcome;
    GA_ASSIGN_OR_RETURN(const auto open, open_case_of(connection, opening));
    if (open) {
        outcome.case_id = *open;
        GA_TRY(raise_risk(connection, *open, opening));
        if (opening.duplicate_if_open) {
            GA_TRY(insert_duplicate_attempt(connection, *open, opening, writer));
            outcome.duplicate = true;
        }
    } else {
        GA_ASSIGN_OR_RETURN(outcome.case_id, insert_case(connection, opening, writer));
        outcome.opened = true;
        GA_TRY(insert_case_event(connection, outcome.case_id, writer, "opened", "", "new", opening.summary));
        GA_ASSIGN_OR_RETURN(const Case opened, existing_case(connection, outcome.case_id));
        GA_TRY(append_case_write_log(connection, writer, "case.open", "case", std::to_string(outcome.case_id), "",
                                     case_json(opened)));
    }
    GA_TRY(link_findings(connection, outcome.case_id, opening.finding_ids, writer));
    if (opening.anomaly) GA_TRY(insert_anomaly(connection, outcome.case_id, *opening.anomaly, writer));
    if (!outcome.opened && (opening.anomaly || !opening.finding_ids.empty() || outcome.duplicate))
        GA_TRY(append_case_write_log(
            connection, writer, outcome.duplicate ? "case.duplicate_attempt" : "case.attach", "case",
            std::to_string(outcome.case_id), "",
            nlohmann::json{{"finding_ids", opening.finding_ids}, {"reference", opening.reference}}.dump(
                -1, ' ', false, nlohmann::json::error_handler_t::replace)));
    return outcome;
}

}  // namespace

Result<std::optional<std::string>> SqliteCaseStore::subject_unit(SubjectKind kind, std::string_view subject_id) {
    std::string_view sql;
    switch (kind) {
        case SubjectKind::customer:
            sql = "SELECT coalesce(unit_id, '') FROM customers WHERE customer_id = ?1";
            break;
        case SubjectKind::meter:
            sql =
                "SELECT coalesce(c.unit_id, n.unit_id, '') FROM meters m LEFT JOIN customers c ON c.customer_id = "
                "m.customer_id LEFT JOIN network n ON n.node_id = m.node_id WHERE m.meter_id = ?1";
            break;
        case SubjectKind::node:
            sql = "SELECT coalesce(unit_id, '') FROM network WHERE node_id = ?1";
            break;
    }
    GA_ASSIGN_OR_RETURN(auto select, connection_->prepare(sql));
    select.bind_text(1, subject_id);
    GA_ASSIGN_OR_RETURN(const bool has_row, select.step());
    if (!has_row) return std::optional<std::string>{};
    return std::optional<std::string>(std::string(select.column_text(0)));
}

Result<std::optional<std::string>> SqliteCaseStore::customer_of(std::string_view finding_subject_kind,
                                                                std::string_view subject_id) {
    std::string_view sql;
    if (finding_subject_kind == "bill")
        sql = "SELECT customer_id FROM bills WHERE bill_id = ?1";
    else if (finding_subject_kind == "work_order")
        sql = "SELECT customer_id FROM work_orders WHERE order_id = ?1 AND customer_id IS NOT NULL";
    else
        return std::optional<std::string>{};
    GA_ASSIGN_OR_RETURN(auto select, connection_->prepare(sql));
    select.bind_text(1, subject_id);
    GA_ASSIGN_OR_RETURN(const bool has_row, select.step());
    if (!has_row) return std::optional<std::string>{};
    return std::optional<std::string>(std::string(select.column_text(0)));
}

Result<std::vector<CaseOpened>> SqliteCaseStore::open_cases(std::span<const CaseOpening> openings,
                                                            const CaseWriter& writer) {
    GA_ASSIGN_OR_RETURN(auto transaction, SqliteTransaction::begin_immediate(*connection_));
    std::vector<CaseOpened> outcomes;
    outcomes.reserve(openings.size());
    for (const auto& opening : openings) {
        GA_ASSIGN_OR_RETURN(auto outcome, open_one(*connection_, opening, writer));
        outcomes.push_back(outcome);
    }
    GA_TRY(transaction.commit());
    return outcomes;
}

Result<Case> SqliteCaseStore::update_case(const CaseUpdate& update, const CaseWriter& writer) {
    GA_ASSIGN_OR_RETURN(auto transaction, SqliteTransaction::begin_immediate(*connection_));
    GA_ASSIGN_OR_RETURN(const Case before, existing_case(*connection_, update.case_id));
    if (before.version != update.expected_version)
        return refusal_error(Refusal::conflict,
                             fmt::format("case {} is at version {}, not {}: it changed since it was read",
                                         update.case_id, before.version, update.expected_version));
    GA_ASSIGN_OR_RETURN(auto write, connection_->prepare("UPDATE cases SET state = ?3, conclusion = ?4, assignee = ?5, "
                                                         "state_entered_at = ?6, due_on = ?7, version = version + 1 "
                                                         "WHERE case_id = ?1 AND version = ?2"));
    const std::string due = update.due_on ? update.due_on->to_string() : std::string();
    write.bind_int64(1, update.case_id);
    write.bind_int64(2, update.expected_version);
    write.bind_text(3, case_state_name(update.state));
    if (update.conclusion)
        write.bind_text(4, conclusion_name(*update.conclusion));
    else
        write.bind_null(4);
    write.bind_text(5, update.assignee);
    write.bind_text(6, update.state_entered_at.empty() ? before.state_entered_at : update.state_entered_at);
    if (update.due_on)
        write.bind_text(7, due);
    else
        write.bind_null(7);
    GA_TRY(write.run());
    if (connection_->changes() != 1)
        return refusal_error(Refusal::conflict, fmt::format("case {} changed since it was read", update.case_id));
    GA_TRY(insert_case_event(*connection_, update.case_id, writer, update.event_kind, case_state_name(before.state),
                             case_state_name(update.state), update.note));
    GA_ASSIGN_OR_RETURN(Case after, existing_case(*connection_, update.case_id));
    GA_TRY(append_case_write_log(*connection_, writer, fmt::format("case.{}", update.event_kind), "case",
                                 std::to_string(update.case_id), case_json(before), case_json(after)));
    GA_TRY(transaction.commit());
    return after;
}

Status SqliteCaseStore::add_comment(std::int64_t case_id, std::string_view note, const CaseWriter& writer) {
    GA_ASSIGN_OR_RETURN(auto transaction, SqliteTransaction::begin_immediate(*connection_));
    GA_ASSIGN_OR_RETURN(const Case found, existing_case(*connection_, case_id));
    GA_TRY(insert_case_event(*connection_, case_id, writer, "comment", "", "", note));
    GA_TRY(append_case_write_log(
        *connection_, writer, "case.comment", "case", std::to_string(case_id), "",
        nlohmann::json{{"note", note}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)));
    return transaction.commit();
}

Status SqliteCaseStore::attach_findings(std::int64_t case_id, std::span<const std::int64_t> finding_ids,
                                        const CaseWriter& writer) {
    GA_ASSIGN_OR_RETURN(auto transaction, SqliteTransaction::begin_immediate(*connection_));
    GA_ASSIGN_OR_RETURN(const Case found, existing_case(*connection_, case_id));
    GA_TRY(link_findings(*connection_, case_id, finding_ids, writer));
    GA_TRY(append_case_write_log(
        *connection_, writer, "case.attach", "case", std::to_string(case_id), "",
        nlohmann::json{{"finding_ids", std::vector<std::int64_t>(finding_ids.begin(), finding_ids.end())}}.dump()));
    return transaction.commit();
}

Status SqliteCaseStore::dismiss_finding(std::int64_t finding_id, std::string_view reason, const CaseWriter& writer) {
    GA_ASSIGN_OR_RETURN(auto transaction, SqliteTransaction::begin_immediate(*connection_));
    GA_TRY(require_finding(*connection_, finding_id));
    GA_ASSIGN_OR_RETURN(auto dismissed,
                        connection_->prepare("SELECT count(*) FROM finding_dismissals WHERE finding_id = ?1"));
    dismissed.bind_int64(1, finding_id);
    GA_ASSIGN_OR_RETURN(const bool has_count, dismissed.step());
    if (has_count && dismissed.column_int64(0) > 0)
        return refusal_error(Refusal::conflict, fmt::format("finding {} is already dismissed", finding_id));
    GA_ASSIGN_OR_RETURN(auto linked,
                        connection_->prepare("SELECT min(case_id) FROM case_findings WHERE finding_id = ?1"));
    linked.bind_int64(1, finding_id);
    GA_ASSIGN_OR_RETURN(const bool has_link, linked.step());
    if (has_link && !linked.column_is_null(0))
        return refusal_error(Refusal::conflict, fmt::format("finding {} is evidence of case {}: it cannot be dismissed",
                                                            finding_id, linked.column_int64(0)));
    GA_ASSIGN_OR_RETURN(auto insert, connection_->prepare("INSERT INTO finding_dismissals (finding_id, reason, "
                                                          "actor_user_id, actor, at) VALUES (?1, ?2, ?3, ?4, ?5)"));
    insert.bind_int64(1, finding_id);
    insert.bind_text(2, reason);
    insert.bind_int64(3, writer.user_id);
    insert.bind_text(4, writer.name);
    insert.bind_text(5, writer.at);
    GA_TRY(insert.run());
    GA_TRY(append_case_write_log(
        *connection_, writer, "finding.dismiss", "finding", std::to_string(finding_id), "",
        nlohmann::json{{"reason", reason}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)));
    return transaction.commit();
}

Result<std::optional<Case>> SqliteCaseStore::find_case(std::int64_t case_id) {
    return select_case(*connection_, case_id);
}

Result<std::vector<Case>> SqliteCaseStore::list_cases(const CaseFilter& filter) {
    std::string sql = fmt::format(
        "{} WHERE (?1 = '' OR state = ?1) AND (?2 = '' OR subject_kind = ?2) AND "
        "(?3 = '' OR subject_id = ?3) AND (?4 = '' OR cause = ?4) AND "
        "(?5 = '' OR assignee = ?5) AND (?6 = 0 OR state <> 'closed') AND "
        "(?7 IS NULL OR unit_id IN (SELECT value FROM json_each(?7))) "
        "ORDER BY case_id LIMIT ?8 OFFSET ?9",
        case_columns);
    GA_ASSIGN_OR_RETURN(auto select, connection_->prepare(sql));
    const std::string units =
        filter.unit_ids
            ? nlohmann::json(*filter.unit_ids).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
            : std::string();
    select.bind_text(1, filter.state ? case_state_name(*filter.state) : std::string_view(""));
    select.bind_text(2, filter.subject_kind ? subject_kind_name(*filter.subject_kind) : std::string_view(""));
    // An empty std::string's data() may be null, which SQLite binds as NULL: bind "" literally.
    select.bind_text(3, filter.subject_id.empty() ? std::string_view("") : filter.subject_id);
    select.bind_text(4, filter.cause.empty() ? std::string_view("") : filter.cause);
    select.bind_text(5, filter.assignee.empty() ? std::string_view("") : filter.assignee);
    select.bind_int64(6, filter.open_only ? 1 : 0);
    if (filter.unit_ids)
        select.bind_text(7, units);
    else
        select.bind_null(7);
    select.bind_int64(8, filter.limit == 0 ? -1 : static_cast<std::int64_t>(filter.limit));
    select.bind_int64(9, static_cast<std::int64_t>(filter.offset));
    return read_all_rows<Case>(select, read_case);
}

Result<std::vector<CaseEvent>> SqliteCaseStore::case_events(std::int64_t case_id) {
    GA_ASSIGN_OR_RETURN(auto select, connection_->prepare("SELECT event_id, case_id, at, actor_user_id, actor, kind, "
                                                          "from_state, to_state, note FROM case_events "
                                                          "WHERE case_id = ?1 ORDER BY event_id"));
    select.bind_int64(1, case_id);
    return read_all_rows<CaseEvent>(select, [](const SqliteStatement& row) -> Result<CaseEvent> {
        return CaseEvent{row.column_int64(0),
                         row.column_int64(1),
                         std::string(row.column_text(2)),
                         row.column_int64(3),
                         std::string(row.column_text(4)),
                         std::string(row.column_text(5)),
                         std::string(row.column_text(6)),
                         std::string(row.column_text(7)),
                         std::string(row.column_text(8))};
    });
}

Result<std::vector<CaseEvidence>> SqliteCaseStore::case_evidence(std::int64_t case_id) {
    GA_ASSIGN_OR_RETURN(auto select,
                        connection_->prepare("SELECT l.case_id, l.finding_id, l.attached_at, l.attached_by, f.rule_id, "
                                             "f.area, f.subject_kind, f.subject_id, f.period, f.severity, f.summary, "
                                             "f.evidence, f.kwh_at_risk, f.money_at_risk, f.first_run_id, "
                                             "f.last_run_id, f.active FROM case_findings l JOIN findings f "
                                             "ON f.finding_id = l.finding_id WHERE l.case_id = ?1 "
                                             "ORDER BY l.finding_id"));
    select.bind_int64(1, case_id);
    return read_all_rows<CaseEvidence>(select, [](const SqliteStatement& row) -> Result<CaseEvidence> {
        CaseEvidence evidence;
        evidence.case_id = row.column_int64(0);
        evidence.finding_id = row.column_int64(1);
        evidence.attached_at = row.column_text(2);
        evidence.attached_by = row.column_text(3);
        Finding& finding = evidence.finding;
        finding.rule_id = row.column_text(4);
        const auto area = parse_inspection_area(row.column_text(5));
        const auto severity = parse_severity(row.column_text(9));
        if (!area || !severity)
            return external_error(fmt::format("finding {} has a damaged area or severity", evidence.finding_id));
        finding.area = *area;
        finding.subject_kind = row.column_text(6);
        finding.subject_id = row.column_text(7);
        finding.period = row.column_text(8);
        finding.severity = *severity;
        finding.summary = row.column_text(10);
        finding.evidence_json = row.column_text(11);
        if (!row.column_is_null(12)) finding.kwh_at_risk = row.column_double(12);
        if (!row.column_is_null(13)) finding.money_at_risk = Money::from_units(row.column_int64(13));
        evidence.first_run_id = row.column_int64(14);
        evidence.last_run_id = row.column_int64(15);
        evidence.active = row.column_int64(16) != 0;
        return evidence;
    });
}

Result<std::vector<FeeCenterAnomaly>> SqliteCaseStore::case_anomalies(std::int64_t case_id) {
    GA_ASSIGN_OR_RETURN(auto select,
                        connection_->prepare("SELECT anomaly_id, case_id, subject_kind, subject_id, kind, "
                                             "description, amount, found_on, source, imported_at FROM "
                                             "fee_center_anomalies WHERE case_id = ?1 ORDER BY anomaly_id"));
    select.bind_int64(1, case_id);
    return read_all_rows<FeeCenterAnomaly>(select, [](const SqliteStatement& row) -> Result<FeeCenterAnomaly> {
        FeeCenterAnomaly anomaly;
        anomaly.anomaly_id = row.column_int64(0);
        anomaly.case_id = row.column_int64(1);
        const auto kind = parse_subject_kind(row.column_text(2));
        const auto found_on = CivilDate::parse(row.column_text(7));
        if (!kind || !found_on)
            return external_error(fmt::format("fee center anomaly {} is damaged", anomaly.anomaly_id));
        anomaly.subject_kind = *kind;
        anomaly.subject_id = row.column_text(3);
        anomaly.kind = row.column_text(4);
        anomaly.description = row.column_text(5);
        anomaly.amount = Money::from_units(row.column_int64(6));
        anomaly.found_on = *found_on;
        anomaly.source = row.column_text(8);
        anomaly.imported_at = row.column_text(9);
        return anomaly;
    });
}

Result<std::vector<FindingDismissal>> SqliteCaseStore::dismissals() {
    GA_ASSIGN_OR_RETURN(auto select, connection_->prepare("SELECT finding_id, reason, actor_user_id, actor, at FROM "
                                                          "finding_dismissals ORDER BY finding_id"));
    return read_all_rows<FindingDismissal>(select, [](const SqliteStatement& row) -> Result<FindingDismissal> {
        return FindingDismissal{row.column_int64(0), std::string(row.column_text(1)), row.column_int64(2),
                                std::string(row.column_text(3)), std::string(row.column_text(4))};
    });
}

Result<std::vector<DuplicateAttempt>> SqliteCaseStore::duplicate_attempts() {
    GA_ASSIGN_OR_RETURN(auto select, connection_->prepare("SELECT attempt_id, case_id, subject_kind, subject_id, "
                                                          "cause, source, reference, actor, at FROM "
                                                          "case_duplicate_attempts ORDER BY attempt_id"));
    return read_all_rows<DuplicateAttempt>(select, [](const SqliteStatement& row) -> Result<DuplicateAttempt> {
        DuplicateAttempt attempt;
        attempt.attempt_id = row.column_int64(0);
        attempt.case_id = row.column_int64(1);
        const auto kind = parse_subject_kind(row.column_text(2));
        const auto source = parse_case_source(row.column_text(5));
        if (!kind || !source) return external_error(fmt::format("duplicate attempt {} is damaged", attempt.attempt_id));
        attempt.subject_kind = *kind;
        attempt.subject_id = row.column_text(3);
        attempt.cause = row.column_text(4);
        attempt.source = *source;
        attempt.reference = row.column_text(6);
        attempt.actor = row.column_text(7);
        attempt.at = row.column_text(8);
        return attempt;
    });
}

Result<std::vector<FindingHandling>> SqliteCaseStore::finding_handling() {
    GA_ASSIGN_OR_RETURN(
        auto select,
        connection_->prepare("SELECT f.finding_id, f.rule_id, f.area, f.subject_kind, f.subject_id, f.period, "
                             "f.severity, r.at, (SELECT max(l.case_id) FROM case_findings l WHERE l.finding_id = "
                             "f.finding_id), EXISTS (SELECT 1 FROM finding_dismissals d WHERE d.finding_id = "
                             "f.finding_id) FROM findings f JOIN audit_runs r ON r.run_id = f.first_run_id "
                             "WHERE f.active = 1 ORDER BY f.finding_id"));
    return read_all_rows<FindingHandling>(select, [](const SqliteStatement& row) -> Result<FindingHandling> {
        FindingHandling handling;
        handling.finding_id = row.column_int64(0);
        handling.rule_id = row.column_text(1);
        const auto area = parse_inspection_area(row.column_text(2));
        const auto severity = parse_severity(row.column_text(6));
        if (!area || !severity)
            return external_error(fmt::format("finding {} has a damaged area or severity", handling.finding_id));
        handling.area = *area;
        handling.subject_kind = row.column_text(3);
        handling.subject_id = row.column_text(4);
        handling.period = row.column_text(5);
        handling.severity = *severity;
        handling.first_seen_at = row.column_text(7);
        if (!row.column_is_null(8)) handling.case_id = row.column_int64(8);
        handling.dismissed = row.column_int64(9) != 0;
        return handling;
    });
}

}  // namespace gridaudit
