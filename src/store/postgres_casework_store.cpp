// PostgresCaseworkStore: the KPIs' bulk reads of back-billings, case moves and finding links.
#include "store/postgres_casework_store.hpp"

#include <fmt/format.h>

namespace gridaudit {
namespace {

using Parameters = std::vector<std::optional<std::string>>;

std::unexpected<Error> not_yet() {
    return user_error("back-billings are not kept on PostgreSQL yet; work cases in a SQLite store (--db FILE.db)");
}

}  // namespace

Status PostgresCaseworkStore::save_back_billing(const BackBillingRecord&, const CaseWriter&) {
    return not_yet();
}

Result<Case> PostgresCaseworkStore::approve_back_billing(std::int64_t, std::int64_t, std::string_view,
                                                         std::optional<CivilDate>, const CaseWriter&) {
    return not_yet();
}

Result<PaymentOutcome> PostgresCaseworkStore::record_payment(const CasePayment&, const CaseWriter&) {
    return not_yet();
}

Result<std::optional<BackBillingRecord>> PostgresCaseworkStore::back_billing(std::int64_t) {
    return not_yet();
}

Result<std::optional<BackBillingRecord>> PostgresCaseworkStore::back_billing_by_notice(std::string_view) {
    return not_yet();
}

Result<std::vector<BackBillingRecord>> PostgresCaseworkStore::back_billings() {
    GA_ASSIGN_OR_RETURN(auto result,
                        connection_->query("SELECT case_id, computation, article, title, arguments_json, sources_json, "
                                           "recovery_json, energy_kwh, total, computed_at, computed_by, approved_at, "
                                           "approved_by, coalesce(notice_number, ''), recovered_on FROM back_billings "
                                           "ORDER BY case_id"));
    GA_ASSIGN_OR_RETURN(auto items, connection_->query("SELECT case_id, name, exact, amount, article FROM "
                                                       "back_billing_items ORDER BY case_id, item_no"));
    std::vector<BackBillingRecord> records;
    int item = 0;
    for (int r = 0; r < result.rows(); ++r) {
        BackBillingRecord record;
        record.case_id = result.int64(r, 0);
        record.computation = result.text(r, 1);
        record.article = result.text(r, 2);
        record.title = result.text(r, 3);
        record.arguments_json = result.text(r, 4);
        record.sources_json = result.text(r, 5);
        record.recovery_json = result.text(r, 6);
        if (!result.is_null(r, 7)) record.energy_kwh = result.float64(r, 7);
        record.total = Money::from_units(result.int64(r, 8));
        record.computed_at = result.text(r, 9);
        record.computed_by = result.text(r, 10);
        record.approved_at = result.text(r, 11);
        record.approved_by = result.text(r, 12);
        record.notice_number = result.text(r, 13);
        if (!result.is_null(r, 14)) record.recovered_on = CivilDate::parse(result.text(r, 14));
        for (; item < items.rows() && items.int64(item, 0) <= record.case_id; ++item) {
            if (items.int64(item, 0) != record.case_id) continue;
            record.items.push_back(BackBillingItem{std::string(items.text(item, 1)), std::string(items.text(item, 2)),
                                                   Money::from_units(items.int64(item, 3)),
                                                   std::string(items.text(item, 4))});
        }
        records.push_back(std::move(record));
    }
    return records;
}

Result<std::vector<CasePayment>> PostgresCaseworkStore::payments(std::int64_t case_id) {
    GA_ASSIGN_OR_RETURN(auto result, connection_->query("SELECT payment_id, case_id, notice_number, amount, paid_on, "
                                                        "source, reference, note, recorded_at, recorded_by FROM "
                                                        "case_payments WHERE $1 = 0 OR case_id = $1 ORDER BY "
                                                        "payment_id",
                                                        Parameters{fmt::format("{}", case_id)}));
    std::vector<CasePayment> payments;
    for (int r = 0; r < result.rows(); ++r) {
        CasePayment payment;
        payment.payment_id = result.int64(r, 0);
        payment.case_id = result.int64(r, 1);
        payment.notice_number = result.text(r, 2);
        payment.amount = Money::from_units(result.int64(r, 3));
        const auto paid_on = CivilDate::parse(result.text(r, 4));
        if (!paid_on) return external_error(fmt::format("payment {} has a damaged date", payment.payment_id));
        payment.paid_on = *paid_on;
        payment.source = result.text(r, 5);
        payment.reference = result.text(r, 6);
        payment.note = result.text(r, 7);
        payment.recorded_at = result.text(r, 8);
        payment.recorded_by = result.text(r, 9);
        payments.push_back(std::move(payment));
    }
    return payments;
}

Result<std::vector<CaseMove>> PostgresCaseworkStore::case_moves() {
    GA_ASSIGN_OR_RETURN(auto result, connection_->query("SELECT case_id, at, actor, kind, from_state, to_state FROM "
                                                        "case_events WHERE kind IN ('opened', 'transition', "
                                                        "'assignment') ORDER BY event_id"));
    std::vector<CaseMove> moves;
    for (int r = 0; r < result.rows(); ++r)
        moves.push_back(CaseMove{result.int64(r, 0), std::string(result.text(r, 1)), std::string(result.text(r, 2)),
                                 std::string(result.text(r, 3)), std::string(result.text(r, 4)),
                                 std::string(result.text(r, 5))});
    return moves;
}

Result<std::vector<CaseFindingLink>> PostgresCaseworkStore::case_finding_links() {
    GA_ASSIGN_OR_RETURN(auto result,
                        connection_->query("SELECT l.case_id, l.finding_id, f.rule_id, coalesce(r.at, '') FROM "
                                           "case_findings AS l JOIN findings AS f ON f.finding_id = l.finding_id "
                                           "LEFT JOIN audit_runs AS r ON r.run_id = f.first_run_id ORDER BY "
                                           "l.case_id, l.finding_id"));
    std::vector<CaseFindingLink> links;
    for (int r = 0; r < result.rows(); ++r)
        links.push_back(CaseFindingLink{result.int64(r, 0), result.int64(r, 1), std::string(result.text(r, 2)),
                                        std::string(result.text(r, 3))});
    return links;
}

Result<std::vector<CasePayment>> PostgresCaseworkStore::unmatched_notice_payments() {
    return not_yet();
}

}  // namespace gridaudit
