// Back-billing from a case (issue 14): the amount a concluded theft, violation, metering-fault or
// billing-error case recovers, computed by the recovery calculator (recovery/) from the case's
// evidence and the facts the inspector enters on site; a supervisor's approval, which assigns the
// notice number and moves the case to recovery; payments against the notice (entered, or matched
// from imported payments.csv rows by their notice_id) until the case is recovered and closed.
//
// The calculator's arguments are built in two layers: first what the evidence says (LOSS-SUSPECT's
// from/to as the theft's start/end; METER-MULTIPLIER-MISMATCH's multipliers and register advance as
// a multiplier error; BILL-RECOMPUTE-MISMATCH's billed and recomputed totals), then the facts, whose
// keys replace the evidence's (a null fact removes one). docs/cases.md lists both.
// Thread safety: CaseRecovery uses its Store and CaseWorkflow: one thread at a time.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "access/actor.hpp"
#include "cases/case.hpp"
#include "cases/case_workflow.hpp"
#include "core/result.hpp"
#include "recovery/recovery.hpp"
#include "recovery/recovery_arguments.hpp"
#include "store/casework_store.hpp"
#include "store/store.hpp"

namespace gridaudit {

// What the inspector enters: the computation (empty: the conclusion's) and the calculator's
// arguments; `removed` are evidence arguments the inspector struck out (a null in the JSON).
struct BackBillingFacts {
    std::string computation;
    RecoveryArguments arguments;
    std::vector<std::string> removed;
};

// Reads facts from a JSON object: {"computation": "theft", "capacity_kw": "3", "price": 0.7625,
// "load": ["kw=5,...", "kw=3,..."], "start": null}. Strings, numbers, arrays of them (a repeated
// key) and null; anything else is a user error naming the key.
[[nodiscard]] Result<BackBillingFacts> parse_back_billing_facts(std::string_view json);

// The calculator's input for a case: the computation, the arguments in order, and where each came
// from ("finding 12 (LOSS-SUSPECT from)", "on site"), plus what the evidence says beside them.
struct BackBillingPlan {
    std::string computation;  // "theft", "violation", "metering", "billing"
    RecoveryArguments arguments;
    std::vector<std::pair<std::string, std::string>> sources;  // argument key -> source
    std::vector<std::string> notes;                            // e.g. the audit's kWh estimate
};

// The computation a conclusion's back-billing uses by default; none for conclusions that close.
[[nodiscard]] std::optional<std::string_view> default_computation(Conclusion conclusion);

// REQUIRES: detail.summary.conclusion is set.
[[nodiscard]] Result<BackBillingPlan> plan_back_billing(const CaseDetail& detail, const BackBillingFacts& facts);

// Runs the calculator on the plan: the itemised Recovery ("billing" is the bills' recomputed minus
// billed totals, without penalty; the others are recovery/'s computations).
[[nodiscard]] Result<Recovery> compute_planned_recovery(const BackBillingPlan& plan, const RecoveryPolicy& policy);

// The record to store for a case from its plan and computation (not yet approved).
[[nodiscard]] BackBillingRecord back_billing_record(std::int64_t case_id, const BackBillingPlan& plan,
                                                    const Recovery& recovery);

// The notice number approval assigns: "BB-<year>-<case id, 6 digits>" (unique per case).
[[nodiscard]] std::string notice_number_for(std::int64_t case_id, CivilDate approved_on);

// A back-billing with its payments, as shown and printed.
struct BackBillingView {
    Case case_summary;
    BackBillingRecord record;
    std::vector<CasePayment> payments;
    Money paid;
    Money outstanding;  // never below 0
    Money overpaid;     // above 0 when more was paid than the total
};

// Where a notice's payments stand: "unpaid", "partly paid", "paid in full" or "overpaid".
[[nodiscard]] std::string_view payment_state(const BackBillingView& view);

// What matching imported payments did.
struct PaymentImportReport {
    std::vector<PaymentOutcome> recorded;
    std::vector<std::string> unmatched;  // "P0001: no approved notice BB-2026-000099"
};

// JSON for the CLI and the HTTP API: {"case_id", "state", "version", "computation", "article", "title",
// "arguments", "sources", "energy_kwh", "items": [{"name", "exact", "amount", "article"}], "total",
// "computed_at", "computed_by", "approved_at", "approved_by", "notice_number", "recovered_on",
// "payments": [...], "paid", "outstanding", "overpaid", "payment_state", "recovery"} (money as
// decimal strings in CNY).
[[nodiscard]] nlohmann::json back_billing_view_json(const BackBillingView& view);
[[nodiscard]] nlohmann::json case_payment_json(const CasePayment& payment);
// {"payment", "paid", "outstanding", "overpaid", "recovered", "case_state"}.
[[nodiscard]] nlohmann::json payment_outcome_json(const PaymentOutcome& outcome);

class CaseRecovery {
public:
    // REQUIRES: `store` and `workflow` (over the same store) outlive this object.
    CaseRecovery(Store& store, CaseWorkflow& workflow, RecoveryPolicy policy)
        : store_(&store), workflow_(&workflow), policy_(std::move(policy)) {}

    // Computes and stores the case's back-billing (work_case permission, the case in scope). A case
    // concluded with a billable conclusion moves to back_billing (at expected_version); a case in
    // back_billing is recomputed until approved. Nothing is written when the calculator refuses.
    [[nodiscard]] Result<BackBillingView> calculate(const Actor& actor, std::int64_t case_id,
                                                    std::int64_t expected_version, const BackBillingFacts& facts,
                                                    Instant now);
    // Approves the back-billing (approve_back_billing permission): assigns the notice number and
    // moves the case from back_billing to recovery.
    [[nodiscard]] Result<BackBillingView> approve(const Actor& actor, std::int64_t case_id,
                                                  std::int64_t expected_version, Instant now);
    // Records a payment against the case's approved notice (record_payment permission). The case
    // closes when the payments reach the total; an overpayment is recorded and shown as such.
    [[nodiscard]] Result<PaymentOutcome> pay(const Actor& actor, std::int64_t case_id, Money amount, CivilDate paid_on,
                                             std::string_view note, Instant now);
    // Records every imported payments.csv row whose notice_id names an approved notice in the
    // actor's units (record_payment permission); rows naming no approved notice are listed.
    [[nodiscard]] Result<PaymentImportReport> match_imported_payments(const Actor& actor, Instant now);
    // Every approved back-billing notice of the cases in the actor's units with its payments (entered
    // and imported), by notice number (read_cases permission).
    [[nodiscard]] Result<std::vector<BackBillingView>> notices(const Actor& actor);
    // The back-billing of a case with its payments (read_cases permission); not_found without one.
    [[nodiscard]] Result<BackBillingView> show(const Actor& actor, std::int64_t case_id);

    [[nodiscard]] const RecoveryPolicy& policy() const { return policy_; }

private:
    [[nodiscard]] Result<BackBillingView> view_of(const Case& c);

    Store* store_;
    CaseWorkflow* workflow_;
    RecoveryPolicy policy_;
};

}  // namespace gridaudit
