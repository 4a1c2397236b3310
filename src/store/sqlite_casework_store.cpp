// SqliteCaseworkStore: back-billings, their items and payments (migration 9), each write in one
// transaction with its case event and audit-log entries.
#include "store/sqlite_casework_store.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "store/case_write_rows.hpp"

namespace gridaudit {
namespace {

std::string dump(const nlohmann::json& json) {
    return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string case_state_json(const Case& c) {
    return dump({{"case_id", c.case_id},
                 {"state", case_state_name(c.state)},
                 {"version", c.version},
                 {"due_on", c.due_on ? nlohmann::json(c.due_on->to_string()) : nullptr}});
}

std::string back_billing_json(const BackBillingRecord& r) {
    nlohmann::json items = nlohmann::json::array();
    for (const auto& item : r.items)
        items.push_back({{"name", item.name}, {"amount", item.amount.to_string(2)}, {"article", item.article}});
    return dump({{"case_id", r.case_id},
                 {"computation", r.computation},
                 {"arguments", nlohmann::json::parse(r.arguments_json, nullptr, false)},
                 {"items", items},
                 {"total", r.total.to_string(2)},
                 {"approved_by", r.approved_by},
                 {"notice_number", r.notice_number}});
}

// Moves a case from `from` to `to` in the caller's transaction: checks the version when one is
// given, writes the case event and the audit-log entry.
Result<Case> move_case(SqliteConnection& connection, CaseStore& cases, const Case& before,
                       std::optional<std::int64_t> expected_version, CaseState to, std::optional<CivilDate> due_on,
                       std::string_view note, const CaseWriter& writer) {
    GA_ASSIGN_OR_RETURN(auto write,
                        connection.prepare("UPDATE cases SET state = ?3, state_entered_at = ?4, due_on = "
                                           "?5, version = version + 1 WHERE case_id = ?1 AND version = ?2"));
    const std::string due = due_on ? due_on->to_string() : std::string();
    write.bind_int64(1, before.case_id);
    write.bind_int64(2, expected_version.value_or(before.version));
    write.bind_text(3, case_state_name(to));
    write.bind_text(4, writer.at);
    if (due_on)
        write.bind_text(5, due);
    else
        write.bind_null(5);
    GA_TRY(write.run());
    if (connection.changes() != 1)
        return refusal_error(Refusal::conflict, fmt::format("case {} changed since it was read", before.case_id));
    GA_TRY(insert_case_event(connection, before.case_id, writer, "transition", case_state_name(before.state),
                             case_state_name(to), note));
    GA_ASSIGN_OR_RETURN(const auto after, cases.find_case(before.case_id));
    if (!after) return internal_error(fmt::format("case {} vanished while it was written", before.case_id));
    GA_TRY(append_case_write_log(connection, writer, "case.transition", "case", std::to_string(before.case_id),
                                 case_state_json(before), case_state_json(*after)));
    return *after;
}

Result<CasePayment> read_payment(const SqliteStatement& row) {
    CasePayment p;
    p.payment_id = row.column_int64(0);
    p.case_id = row.column_int64(1);
    p.notice_number = row.column_text(2);
    p.amount = Money::from_units(row.column_int64(3));
    const auto paid_on = CivilDate::parse(row.column_text(4));
    if (!paid_on) return external_error(fmt::format("payment {} has a damaged date", p.payment_id));
    p.paid_on = *paid_on;
    p.source = row.column_text(5);
    p.reference = row.column_text(6);
    p.note = row.column_text(7);
    p.recorded_at = row.column_text(8);
    p.recorded_by = row.column_text(9);
    return p;
}

Result<Money> paid_against(SqliteConnection& connection, std::int64_t case_id) {
    GA_ASSIGN_OR_RETURN(auto sum,
                        connection.prepare("SELECT coalesce(sum(amount), 0) FROM case_payments WHERE case_id = ?1"));
    sum.bind_int64(1, case_id);
    GA_ASSIGN_OR_RETURN(const bool has_row, sum.step());
    return Money::from_units(has_row ? sum.column_int64(0) : 0);
}

constexpr std::string_view payment_columns =
    "SELECT payment_id, case_id, notice_number, amount, paid_on, source, reference, note, recorded_at, recorded_by "
    "FROM case_payments";

}  // namespace

Status SqliteCaseworkStore::save_back_billing(const BackBillingRecord& record, const CaseWriter& writer) {
    GA_ASSIGN_OR_RETURN(auto transaction, SqliteTransaction::begin_immediate(*connection_));
    GA_ASSIGN_OR_RETURN(const auto found, cases_->find_case(record.case_id));
    if (!found) return refusal_error(Refusal::not_found, fmt::format("no case {}", record.case_id));
    GA_ASSIGN_OR_RETURN(const auto before, back_billing(record.case_id));
    if (before && !before->approved_at.empty())
        return refusal_error(Refusal::conflict, fmt::format("case {}: the back-billing was approved ({}) and is final",
                                                            record.case_id, before->notice_number));
    GA_TRY(connection_->execute(fmt::format("DELETE FROM back_billing_items WHERE case_id = {}", record.case_id)));
    GA_ASSIGN_OR_RETURN(auto write,
                        connection_->prepare("INSERT OR REPLACE INTO back_billings (case_id, computation, article, "
                                             "title, arguments_json, sources_json, recovery_json, energy_kwh, total, "
                                             "computed_at, computed_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
                                             "?10, ?11)"));
    write.bind_int64(1, record.case_id);
    write.bind_text(2, record.computation);
    write.bind_text(3, record.article);
    write.bind_text(4, record.title);
    write.bind_text(5, record.arguments_json);
    write.bind_text(6, record.sources_json);
    write.bind_text(7, record.recovery_json);
    if (record.energy_kwh)
        write.bind_double(8, *record.energy_kwh);
    else
        write.bind_null(8);
    write.bind_int64(9, record.total.units());
    write.bind_text(10, writer.at);
    write.bind_text(11, writer.name);
    GA_TRY(write.run());
    GA_ASSIGN_OR_RETURN(auto item, connection_->prepare("INSERT INTO back_billing_items (case_id, item_no, name, "
                                                        "exact, amount, article) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
    for (std::size_t i = 0; i < record.items.size(); ++i) {
        item.bind_int64(1, record.case_id);
        item.bind_int64(2, static_cast<std::int64_t>(i + 1));
        item.bind_text(3, record.items[i].name);
        item.bind_text(4, record.items[i].exact);
        item.bind_int64(5, record.items[i].amount.units());
        item.bind_text(6, record.items[i].article);
        GA_TRY(item.run());
    }
    GA_TRY(
        insert_case_event(*connection_, record.case_id, writer, "back_billing", "", "",
                          fmt::format("back-billing computed: {} {}", record.computation, record.total.to_string(2))));
    GA_TRY(append_case_write_log(*connection_, writer, before ? "back_billing.recompute" : "back_billing.compute",
                                 "case", std::to_string(record.case_id), before ? back_billing_json(*before) : "",
                                 back_billing_json(record)));
    return transaction.commit();
}

Result<Case> SqliteCaseworkStore::approve_back_billing(std::int64_t case_id, std::int64_t expected_version,
                                                       std::string_view notice_number, std::optional<CivilDate> due_on,
                                                       const CaseWriter& writer) {
    GA_ASSIGN_OR_RETURN(auto transaction, SqliteTransaction::begin_immediate(*connection_));
    GA_ASSIGN_OR_RETURN(const auto found, cases_->find_case(case_id));
    if (!found) return refusal_error(Refusal::not_found, fmt::format("no case {}", case_id));
    GA_ASSIGN_OR_RETURN(auto before, back_billing(case_id));
    if (!before)
        return refusal_error(Refusal::not_found, fmt::format("case {} has no back-billing to approve", case_id));
    if (!before->approved_at.empty())
        return refusal_error(Refusal::conflict, fmt::format("case {}: the back-billing is already approved ({})",
                                                            case_id, before->notice_number));
    if (found->version != expected_version)
        return refusal_error(Refusal::conflict, fmt::format("case {} is at version {}, not {}: it changed since it "
                                                            "was read",
                                                            case_id, found->version, expected_version));
    if (found->state != CaseState::back_billing)
        return refusal_error(Refusal::conflict, fmt::format("case {} is {}: a back-billing is approved in back_billing",
                                                            case_id, case_state_name(found->state)));
    GA_ASSIGN_OR_RETURN(auto approve, connection_->prepare("UPDATE back_billings SET approved_at = ?2, approved_by = "
                                                           "?3, notice_number = ?4 WHERE case_id = ?1"));
    approve.bind_int64(1, case_id);
    approve.bind_text(2, writer.at);
    approve.bind_text(3, writer.name);
    approve.bind_text(4, notice_number);
    GA_TRY(approve.run());
    GA_TRY(append_case_write_log(*connection_, writer, "back_billing.approve", "case", std::to_string(case_id),
                                 back_billing_json(*before), ""));
    GA_ASSIGN_OR_RETURN(
        Case after,
        move_case(*connection_, *cases_, *found, expected_version, CaseState::recovery, due_on,
                  fmt::format("back-billing approved: notice {}, {} CNY", notice_number, before->total.to_string(2)),
                  writer));
    GA_TRY(transaction.commit());
    return after;
}

Result<PaymentOutcome> SqliteCaseworkStore::record_payment(const CasePayment& payment, const CaseWriter& writer) {
    GA_ASSIGN_OR_RETURN(auto transaction, SqliteTransaction::begin_immediate(*connection_));
    GA_ASSIGN_OR_RETURN(const auto billing, back_billing_by_notice(payment.notice_number));
    if (!billing)
        return refusal_error(Refusal::not_found,
                             fmt::format("no approved back-billing notice {}", payment.notice_number));
    if (!payment.reference.empty()) {
        GA_ASSIGN_OR_RETURN(auto seen, connection_->prepare("SELECT count(*) FROM case_payments WHERE reference = ?1"));
        seen.bind_text(1, payment.reference);
        GA_ASSIGN_OR_RETURN(const bool has_row, seen.step());
        if (has_row && seen.column_int64(0) > 0)
            return refusal_error(Refusal::conflict, fmt::format("payment {} is already recorded", payment.reference));
    }
    GA_ASSIGN_OR_RETURN(const Money paid_before, paid_against(*connection_, billing->case_id));
    GA_ASSIGN_OR_RETURN(auto insert,
                        connection_->prepare("INSERT INTO case_payments (case_id, notice_number, amount, paid_on, "
                                             "source, reference, note, recorded_at, recorded_by) VALUES (?1, ?2, ?3, "
                                             "?4, ?5, ?6, ?7, ?8, ?9)"));
    const std::string paid_on = payment.paid_on.to_string();
    insert.bind_int64(1, billing->case_id);
    insert.bind_text(2, billing->notice_number);
    insert.bind_int64(3, payment.amount.units());
    insert.bind_text(4, paid_on);
    insert.bind_text(5, payment.source);
    insert.bind_text(6, payment.reference);
    insert.bind_text(7, payment.note);
    insert.bind_text(8, writer.at);
    insert.bind_text(9, writer.name);
    GA_TRY(insert.run());
    PaymentOutcome outcome;
    outcome.payment = payment;
    outcome.payment.payment_id = connection_->last_insert_rowid();
    outcome.payment.case_id = billing->case_id;
    outcome.payment.recorded_at = writer.at;
    outcome.payment.recorded_by = writer.name;
    outcome.paid = paid_before + payment.amount;
    const Money zero = Money::from_units(0);
    outcome.outstanding = billing->total > outcome.paid ? billing->total - outcome.paid : zero;
    outcome.overpaid = outcome.paid > billing->total ? outcome.paid - billing->total : zero;
    const nlohmann::json after{{"payment_id", outcome.payment.payment_id},
                               {"notice_number", billing->notice_number},
                               {"amount", payment.amount.to_string(2)},
                               {"paid_on", paid_on},
                               {"source", payment.source},
                               {"reference", payment.reference},
                               {"paid", outcome.paid.to_string(2)},
                               {"outstanding", outcome.outstanding.to_string(2)}};
    GA_TRY(insert_case_event(
        *connection_, billing->case_id, writer, "payment", "", "",
        fmt::format("payment of {} CNY on {} against notice {} ({}); outstanding {} CNY", payment.amount.to_string(2),
                    paid_on, billing->notice_number, payment.reference.empty() ? payment.source : payment.reference,
                    outcome.outstanding.to_string(2))));
    GA_TRY(append_case_write_log(*connection_, writer, "payment.record", "case", std::to_string(billing->case_id), "",
                                 dump(after)));
    if (!billing->recovered_on && outcome.paid >= billing->total) {
        outcome.recovered = true;
        GA_ASSIGN_OR_RETURN(auto recovered,
                            connection_->prepare("UPDATE back_billings SET recovered_on = ?2 WHERE case_id = ?1"));
        recovered.bind_int64(1, billing->case_id);
        recovered.bind_text(2, paid_on);
        GA_TRY(recovered.run());
        GA_ASSIGN_OR_RETURN(const auto found, cases_->find_case(billing->case_id));
        if (found && found->state == CaseState::recovery) {
            GA_ASSIGN_OR_RETURN(const Case closed,
                                move_case(*connection_, *cases_, *found, std::nullopt, CaseState::closed, std::nullopt,
                                          fmt::format("recovered in full on {}", paid_on), writer));
            outcome.closed_case = closed;
        }
    }
    GA_TRY(transaction.commit());
    return outcome;
}

Result<std::vector<BackBillingRecord>> SqliteCaseworkStore::select_back_billings(std::string_view where,
                                                                                 std::string_view key) {
    GA_ASSIGN_OR_RETURN(auto select,
                        connection_->prepare(fmt::format(
                            "SELECT case_id, computation, article, title, arguments_json, sources_json, "
                            "recovery_json, energy_kwh, total, computed_at, computed_by, approved_at, approved_by, "
                            "coalesce(notice_number, ''), recovered_on FROM back_billings {} ORDER BY case_id",
                            where)));
    if (!where.empty()) select.bind_text(1, key);
    GA_ASSIGN_OR_RETURN(auto records, read_all_rows<BackBillingRecord>(select, [](const SqliteStatement& row) {
                            BackBillingRecord r;
                            r.case_id = row.column_int64(0);
                            r.computation = row.column_text(1);
                            r.article = row.column_text(2);
                            r.title = row.column_text(3);
                            r.arguments_json = row.column_text(4);
                            r.sources_json = row.column_text(5);
                            r.recovery_json = row.column_text(6);
                            if (!row.column_is_null(7)) r.energy_kwh = row.column_double(7);
                            r.total = Money::from_units(row.column_int64(8));
                            r.computed_at = row.column_text(9);
                            r.computed_by = row.column_text(10);
                            r.approved_at = row.column_text(11);
                            r.approved_by = row.column_text(12);
                            r.notice_number = row.column_text(13);
                            if (!row.column_is_null(14)) r.recovered_on = CivilDate::parse(row.column_text(14));
                            return Result<BackBillingRecord>(std::move(r));
                        }));
    GA_ASSIGN_OR_RETURN(auto items, connection_->prepare("SELECT name, exact, amount, article FROM back_billing_items "
                                                         "WHERE case_id = ?1 ORDER BY item_no"));
    for (auto& record : records) {
        items.reset();
        items.bind_int64(1, record.case_id);
        GA_ASSIGN_OR_RETURN(record.items, read_all_rows<BackBillingItem>(items, [](const SqliteStatement& row) {
                                return Result<BackBillingItem>(BackBillingItem{
                                    std::string(row.column_text(0)), std::string(row.column_text(1)),
                                    Money::from_units(row.column_int64(2)), std::string(row.column_text(3))});
                            }));
    }
    return records;
}

Result<std::optional<BackBillingRecord>> SqliteCaseworkStore::back_billing(std::int64_t case_id) {
    GA_ASSIGN_OR_RETURN(auto records, select_back_billings("WHERE case_id = ?1", std::to_string(case_id)));
    if (records.empty()) return std::optional<BackBillingRecord>{};
    return std::optional<BackBillingRecord>(std::move(records.front()));
}

Result<std::optional<BackBillingRecord>> SqliteCaseworkStore::back_billing_by_notice(std::string_view notice_number) {
    GA_ASSIGN_OR_RETURN(auto records, select_back_billings("WHERE notice_number = ?1", notice_number));
    if (records.empty()) return std::optional<BackBillingRecord>{};
    return std::optional<BackBillingRecord>(std::move(records.front()));
}

Result<std::vector<BackBillingRecord>> SqliteCaseworkStore::back_billings() {
    return select_back_billings("", "");
}

Result<std::vector<CasePayment>> SqliteCaseworkStore::payments(std::int64_t case_id) {
    GA_ASSIGN_OR_RETURN(auto select, connection_->prepare(fmt::format(
                                         "{} WHERE ?1 = 0 OR case_id = ?1 ORDER BY payment_id", payment_columns)));
    select.bind_int64(1, case_id);
    return read_all_rows<CasePayment>(select, read_payment);
}

Result<std::vector<CaseMove>> SqliteCaseworkStore::case_moves() {
    GA_ASSIGN_OR_RETURN(auto select,
                        connection_->prepare("SELECT case_id, at, actor, kind, from_state, to_state FROM case_events "
                                             "WHERE kind IN ('opened', 'transition', 'assignment') ORDER BY "
                                             "event_id"));
    return read_all_rows<CaseMove>(select, [](const SqliteStatement& row) {
        return Result<CaseMove>(CaseMove{row.column_int64(0), std::string(row.column_text(1)),
                                         std::string(row.column_text(2)), std::string(row.column_text(3)),
                                         std::string(row.column_text(4)), std::string(row.column_text(5))});
    });
}

Result<std::vector<CaseFindingLink>> SqliteCaseworkStore::case_finding_links() {
    GA_ASSIGN_OR_RETURN(auto select,
                        connection_->prepare("SELECT l.case_id, l.finding_id, f.rule_id, coalesce(r.at, '') FROM "
                                             "case_findings AS l JOIN findings AS f ON f.finding_id = l.finding_id "
                                             "LEFT JOIN audit_runs AS r ON r.run_id = f.first_run_id ORDER BY "
                                             "l.case_id, l.finding_id"));
    return read_all_rows<CaseFindingLink>(select, [](const SqliteStatement& row) {
        return Result<CaseFindingLink>(CaseFindingLink{row.column_int64(0), row.column_int64(1),
                                                       std::string(row.column_text(2)),
                                                       std::string(row.column_text(3))});
    });
}

Result<std::vector<CasePayment>> SqliteCaseworkStore::unmatched_notice_payments() {
    GA_ASSIGN_OR_RETURN(auto select,
                        connection_->prepare("SELECT p.payment_id, b.case_id, p.notice_id, p.amount, p.paid_on FROM "
                                             "payments AS p LEFT JOIN back_billings AS b ON b.notice_number = "
                                             "p.notice_id WHERE p.notice_id IS NOT NULL AND p.notice_id <> '' AND NOT "
                                             "EXISTS (SELECT 1 FROM case_payments AS c WHERE c.reference = "
                                             "p.payment_id) ORDER BY p.paid_on, p.payment_id"));
    return read_all_rows<CasePayment>(select, [](const SqliteStatement& row) -> Result<CasePayment> {
        CasePayment p;
        p.reference = row.column_text(0);
        p.case_id = row.column_is_null(1) ? 0 : row.column_int64(1);
        p.notice_number = row.column_text(2);
        p.amount = Money::from_units(row.column_int64(3));
        const auto paid_on = CivilDate::parse(row.column_text(4));
        if (!paid_on) return external_error(fmt::format("payment {} has a damaged date", p.reference));
        p.paid_on = *paid_on;
        p.source = "payments.csv";
        return p;
    });
}

}  // namespace gridaudit
