// What the closed loop recovers, as stored: a case's back-billing (the recovery calculator's
// itemised computation, its approval and notice number) and the payments against it, with the
// bulk reads the KPIs need. Reached by Store::casework(); backend-neutral like Store.
//
// Every write is one transaction with its case event and audit-log entries. The writes that move
// a case (an approval: back_billing -> recovery; a payment in full: recovery -> closed) update
// the case row in the same transaction, checked against the version the writer read (approval)
// or the state it is in (payment), so a case never sits in recovery without an approved amount.
// Thread safety: like Store, one thread at a time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/money.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "model/case_record.hpp"

namespace gridaudit {

// One amount of a back-billing, as the calculator itemised it.
struct BackBillingItem {
    std::string name;     // back_billed_charge, penalty, difference_charge, ...
    std::string exact;    // the exact amount before rounding, a decimal
    Money amount;         // rounded once with the policy's rounding
    std::string article;  // the regulation article the calculator cites
};

struct BackBillingRecord {
    std::int64_t case_id = 0;
    std::string computation;           // the calculator's: "theft", "metering.multiplier", "billing.recomputation", ...
    std::string article;               // "Supply Business Rules 1996 art. 102-103"
    std::string title;                 // one line for the notice
    std::string arguments_json;        // {"key": "value"}: the arguments the calculator ran on
    std::string sources_json;          // {"key": "finding 12" | "on site"}: where each argument came from
    std::string recovery_json;         // the itemised computation (recovery/recovery_report.hpp's JSON)
    std::optional<double> energy_kwh;  // back-billed kWh, when energy was recomputed
    std::vector<BackBillingItem> items;
    Money total;
    std::string computed_at;  // ISO instant, UTC
    std::string computed_by;
    std::string approved_at;                // "" until a supervisor approves it
    std::string approved_by;                // ""
    std::string notice_number;              // "" until approved
    std::optional<CivilDate> recovered_on;  // the day the payments reached the total
};

// A payment against a back-billing notice: entered by a clerk, or matched from an imported
// payments.csv row (reference: its payment_id, recorded once).
struct CasePayment {
    std::int64_t payment_id = 0;
    std::int64_t case_id = 0;
    std::string notice_number;
    Money amount;
    CivilDate paid_on;
    std::string source;     // "entered" or "payments.csv"
    std::string reference;  // the imported payment's id; "" for an entered one
    std::string note;
    std::string recorded_at;
    std::string recorded_by;
};

// What a payment did: the totals after it, and whether it completed (and closed) the case.
struct PaymentOutcome {
    CasePayment payment;
    Money paid;                       // all payments against the notice
    Money outstanding;                // total - paid, never below 0
    Money overpaid;                   // paid - total, when above 0
    bool recovered = false;           // this payment brought the paid amount to the total
    std::optional<Case> closed_case;  // the case as closed by it
};

// A transition of a case, for the KPIs (kind "transition" or "assignment" of case_events).
struct CaseMove {
    std::int64_t case_id = 0;
    std::string at;
    std::string actor;
    std::string kind;
    std::string from_state;
    std::string to_state;
};

// A finding linked to a case, for the KPIs: its rule and when it was first produced.
struct CaseFindingLink {
    std::int64_t case_id = 0;
    std::int64_t finding_id = 0;
    std::string rule_id;
    std::string first_seen_at;
};

class CaseworkStore {
public:
    virtual ~CaseworkStore() = default;

    // Stores the case's computed back-billing (replacing an unapproved one). conflict when it is
    // already approved; not_found for an unknown case.
    [[nodiscard]] virtual Status save_back_billing(const BackBillingRecord& record, const CaseWriter& writer) = 0;
    // Approves the case's back-billing under `notice_number` and moves the case from back_billing
    // to recovery with `due_on`, if the case is still at `expected_version`. not_found without a
    // back-billing; conflict when already approved, stale, or not in back_billing.
    [[nodiscard]] virtual Result<Case> approve_back_billing(std::int64_t case_id, std::int64_t expected_version,
                                                            std::string_view notice_number,
                                                            std::optional<CivilDate> due_on,
                                                            const CaseWriter& writer) = 0;
    // Records a payment against an approved notice; when the payments reach the total the
    // back-billing is recovered and a case in recovery is closed. An imported payment whose
    // reference is already recorded is a conflict. not_found for an unknown notice.
    [[nodiscard]] virtual Result<PaymentOutcome> record_payment(const CasePayment& payment,
                                                                const CaseWriter& writer) = 0;

    [[nodiscard]] virtual Result<std::optional<BackBillingRecord>> back_billing(std::int64_t case_id) = 0;
    [[nodiscard]] virtual Result<std::optional<BackBillingRecord>> back_billing_by_notice(
        std::string_view notice_number) = 0;
    // Every back-billing, by case id.
    [[nodiscard]] virtual Result<std::vector<BackBillingRecord>> back_billings() = 0;
    // The payments of one case (case_id > 0) or of all (0), by payment id.
    [[nodiscard]] virtual Result<std::vector<CasePayment>> payments(std::int64_t case_id) = 0;
    // Every transition and assignment of every case, in order.
    [[nodiscard]] virtual Result<std::vector<CaseMove>> case_moves() = 0;
    // Every finding linked to a case, by case then finding.
    [[nodiscard]] virtual Result<std::vector<CaseFindingLink>> case_finding_links() = 0;
    // Payments of payments.csv (imported) naming a notice number in their notice_id column and not
    // yet recorded against it.
    [[nodiscard]] virtual Result<std::vector<CasePayment>> unmatched_notice_payments() = 0;
};

// The CaseworkStore of a store that keeps none (test doubles of Store): every call is an internal
// error. Stateless.
class UnavailableCaseworkStore final : public CaseworkStore {
public:
    Status save_back_billing(const BackBillingRecord&, const CaseWriter&) override { return unavailable(); }
    Result<Case> approve_back_billing(std::int64_t, std::int64_t, std::string_view, std::optional<CivilDate>,
                                      const CaseWriter&) override {
        return unavailable();
    }
    Result<PaymentOutcome> record_payment(const CasePayment&, const CaseWriter&) override { return unavailable(); }
    Result<std::optional<BackBillingRecord>> back_billing(std::int64_t) override { return unavailable(); }
    Result<std::optional<BackBillingRecord>> back_billing_by_notice(std::string_view) override { return unavailable(); }
    Result<std::vector<BackBillingRecord>> back_billings() override { return unavailable(); }
    Result<std::vector<CasePayment>> payments(std::int64_t) override { return unavailable(); }
    Result<std::vector<CaseMove>> case_moves() override { return unavailable(); }
    Result<std::vector<CaseFindingLink>> case_finding_links() override { return unavailable(); }
    Result<std::vector<CasePayment>> unmatched_notice_payments() override { return unavailable(); }

private:
    static std::unexpected<Error> unavailable() { return internal_error("this store keeps no back-billings"); }
};

}  // namespace gridaudit
