// The SQLite implementation of CaseworkStore, over the connection of a SqliteStore (tables of
// schema migration 9, docs/cases.md). Each write is one IMMEDIATE transaction with its case event
// and audit-log entries.
// Thread safety: one thread at a time, like the SqliteStore that owns it.
#pragma once

#include "store/case_store.hpp"
#include "store/casework_store.hpp"
#include "store/sqlite_connection.hpp"

namespace gridaudit {

class SqliteCaseworkStore final : public CaseworkStore {
public:
    // REQUIRES: `connection` and `cases` (over the same connection) outlive this object; the
    // connection is migrated to version 9 or later.
    SqliteCaseworkStore(SqliteConnection& connection, CaseStore& cases) : connection_(&connection), cases_(&cases) {}

    [[nodiscard]] Status save_back_billing(const BackBillingRecord& record, const CaseWriter& writer) override;
    [[nodiscard]] Result<Case> approve_back_billing(std::int64_t case_id, std::int64_t expected_version,
                                                    std::string_view notice_number, std::optional<CivilDate> due_on,
                                                    const CaseWriter& writer) override;
    [[nodiscard]] Result<PaymentOutcome> record_payment(const CasePayment& payment, const CaseWriter& writer) override;
    [[nodiscard]] Result<std::optional<BackBillingRecord>> back_billing(std::int64_t case_id) override;
    [[nodiscard]] Result<std::optional<BackBillingRecord>> back_billing_by_notice(
        std::string_view notice_number) override;
    [[nodiscard]] Result<std::vector<BackBillingRecord>> back_billings() override;
    [[nodiscard]] Result<std::vector<CasePayment>> payments(std::int64_t case_id) override;
    [[nodiscard]] Result<std::vector<CaseMove>> case_moves() override;
    [[nodiscard]] Result<std::vector<CaseFindingLink>> case_finding_links() override;
    [[nodiscard]] Result<std::vector<CasePayment>> unmatched_notice_payments() override;

private:
    [[nodiscard]] Result<std::vector<BackBillingRecord>> select_back_billings(std::string_view where,
                                                                              std::string_view key);

    SqliteConnection* connection_;
    CaseStore* cases_;
};

}  // namespace gridaudit
