// The back-billings and case payments of the closed loop on PostgreSQL, as far as they go yet: the
// bulk reads the KPIs (and so the monthly report) make (every back-billing with its items, the
// payments, every transition and assignment, every finding linked to a case) from the tables of migrations 8 and 9.
// Saving, approving and paying back-billings, and the per-case reads of the case pages, are refused
// as a user error naming the SQLite store, which has them (docs/storage.md, "PostgreSQL").
// Thread safety: as PostgresStore, one thread at a time.
#pragma once

#include "store/casework_store.hpp"
#include "store/postgres_connection.hpp"

namespace gridaudit {

class PostgresCaseworkStore final : public CaseworkStore {
public:
    explicit PostgresCaseworkStore(PostgresConnection& connection) : connection_(&connection) {}

    Status save_back_billing(const BackBillingRecord& record, const CaseWriter& writer) override;
    Result<Case> approve_back_billing(std::int64_t case_id, std::int64_t expected_version,
                                      std::string_view notice_number, std::optional<CivilDate> due_on,
                                      const CaseWriter& writer) override;
    Result<PaymentOutcome> record_payment(const CasePayment& payment, const CaseWriter& writer) override;
    Result<std::optional<BackBillingRecord>> back_billing(std::int64_t case_id) override;
    Result<std::optional<BackBillingRecord>> back_billing_by_notice(std::string_view notice_number) override;
    Result<std::vector<BackBillingRecord>> back_billings() override;
    Result<std::vector<CasePayment>> payments(std::int64_t case_id) override;
    Result<std::vector<CaseMove>> case_moves() override;
    Result<std::vector<CaseFindingLink>> case_finding_links() override;
    Result<std::vector<CasePayment>> unmatched_notice_payments() override;

private:
    PostgresConnection* connection_;
};

}  // namespace gridaudit
