// The cases of the closed loop as stored: the interface the cases layer writes and reads them
// through (reached by Store::cases()), backend-neutral like Store.
//
// Every write is one transaction that also appends its entries to the audit log. Writes that
// change what a person decided (state, conclusion, assignee) carry the version the writer read:
// a stale version changes nothing and is a conflict refusal naming the current version. Evidence,
// comments, anomalies and duplicate attempts are appended without changing the version, so an
// audit attaching a new finding does not invalidate an inspector's pending transition.
// "One open case per subject and cause" holds in the schema too (a partial unique index).
// The state machine is not checked here: cases/case_workflow.hpp decides which writes are legal.
// Thread safety: like Store, one thread at a time.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "model/case_record.hpp"

namespace gridaudit {

// One case to open, or, when the subject already has an open case of the same cause, evidence for
// that case.
struct CaseOpening {
    SubjectKind subject_kind = SubjectKind::customer;
    std::string subject_id;
    std::string cause;
    std::string unit_id;  // the subject's unit (CaseStore::subject_unit)
    CaseSource source = CaseSource::finding;
    std::string summary;
    std::optional<double> kwh_at_risk;
    std::optional<Money> money_at_risk;
    std::optional<CivilDate> due_on;          // the deadline of state new
    std::vector<std::int64_t> finding_ids;    // evidence (linked once; a link that exists is kept)
    std::optional<FeeCenterAnomaly> anomaly;  // attached to the case (its case_id is set here)
    // Record a duplicate attempt when the subject already has an open case of this cause (an
    // explicit request for a second case; an audit's new finding for it is just evidence).
    bool duplicate_if_open = false;
    std::string reference;  // what attempted it, kept with a duplicate attempt
};

struct CaseOpened {
    std::int64_t case_id = 0;
    bool opened = false;     // false: attached to the open case case_id
    bool duplicate = false;  // a duplicate attempt was recorded
};

// A change of what a person decides about a case, checked against the version they read.
struct CaseUpdate {
    std::int64_t case_id = 0;
    std::int64_t expected_version = 0;
    CaseState state = CaseState::new_case;
    std::optional<Conclusion> conclusion;
    std::string assignee;
    std::string state_entered_at;  // unchanged unless the state changes
    std::optional<CivilDate> due_on;
    std::string event_kind;  // "transition" or "assignment"
    std::string note;
};

struct CaseFilter {
    std::optional<CaseState> state;
    std::optional<SubjectKind> subject_kind;
    std::string subject_id;  // "" = any
    std::string cause;       // "" = any
    std::string assignee;    // "" = any
    bool open_only = false;  // every state but closed
    // The units whose cases are listed; nullopt = every unit (the whole utility's scope).
    std::optional<std::vector<std::string>> unit_ids;
    std::size_t offset = 0;
    std::size_t limit = 0;  // 0 = no limit
};

class CaseStore {
public:
    virtual ~CaseStore() = default;

    // The org unit of a subject (a customer's, a meter's customer's or else its node's, a node's),
    // "" when it has none; nullopt when the store has no such subject.
    [[nodiscard]] virtual Result<std::optional<std::string>> subject_unit(SubjectKind kind,
                                                                          std::string_view subject_id) = 0;

    // The customer of a bill ("bill") or a work order ("work_order"), for findings about those:
    // nullopt when there is none (or another kind is asked).
    [[nodiscard]] virtual Result<std::optional<std::string>> customer_of(std::string_view finding_subject_kind,
                                                                         std::string_view subject_id) = 0;

    // Opens the cases (or joins the open ones) in one transaction, in order: an opening that
    // matches a case opened earlier in the same call joins it. A finding id that does not exist is
    // a not_found refusal and nothing is written.
    [[nodiscard]] virtual Result<std::vector<CaseOpened>> open_cases(std::span<const CaseOpening> openings,
                                                                     const CaseWriter& writer) = 0;
    // Applies `update` if the case is still at update.expected_version; returns the case as written
    // (version + 1). not_found refusal for an unknown case, conflict naming the current version for
    // a stale one.
    [[nodiscard]] virtual Result<Case> update_case(const CaseUpdate& update, const CaseWriter& writer) = 0;
    [[nodiscard]] virtual Status add_comment(std::int64_t case_id, std::string_view note, const CaseWriter& writer) = 0;
    // Links findings to a case (not_found for an unknown case or finding); links that exist are kept.
    [[nodiscard]] virtual Status attach_findings(std::int64_t case_id, std::span<const std::int64_t> finding_ids,
                                                 const CaseWriter& writer) = 0;
    // Dismisses a finding with a reason: not_found for an unknown finding, conflict when it is
    // already dismissed or is evidence of a case.
    [[nodiscard]] virtual Status dismiss_finding(std::int64_t finding_id, std::string_view reason,
                                                 const CaseWriter& writer) = 0;

    [[nodiscard]] virtual Result<std::optional<Case>> find_case(std::int64_t case_id) = 0;
    // Cases matching `filter`, by case id.
    [[nodiscard]] virtual Result<std::vector<Case>> list_cases(const CaseFilter& filter) = 0;
    [[nodiscard]] virtual Result<std::vector<CaseEvent>> case_events(std::int64_t case_id) = 0;
    [[nodiscard]] virtual Result<std::vector<CaseEvidence>> case_evidence(std::int64_t case_id) = 0;
    [[nodiscard]] virtual Result<std::vector<FeeCenterAnomaly>> case_anomalies(std::int64_t case_id) = 0;
    [[nodiscard]] virtual Result<std::vector<FindingDismissal>> dismissals() = 0;
    [[nodiscard]] virtual Result<std::vector<DuplicateAttempt>> duplicate_attempts() = 0;
    // Every active finding with how it is handled, by finding id.
    [[nodiscard]] virtual Result<std::vector<FindingHandling>> finding_handling() = 0;
};

// The CaseStore of a store that keeps no cases (test doubles of Store): every call is an internal
// error. Stateless.
class UnavailableCaseStore final : public CaseStore {
public:
    Result<std::optional<std::string>> subject_unit(SubjectKind, std::string_view) override { return unavailable(); }
    Result<std::optional<std::string>> customer_of(std::string_view, std::string_view) override {
        return unavailable();
    }
    Result<std::vector<CaseOpened>> open_cases(std::span<const CaseOpening>, const CaseWriter&) override {
        return unavailable();
    }
    Result<Case> update_case(const CaseUpdate&, const CaseWriter&) override { return unavailable(); }
    Status add_comment(std::int64_t, std::string_view, const CaseWriter&) override { return unavailable(); }
    Status attach_findings(std::int64_t, std::span<const std::int64_t>, const CaseWriter&) override {
        return unavailable();
    }
    Status dismiss_finding(std::int64_t, std::string_view, const CaseWriter&) override { return unavailable(); }
    Result<std::optional<Case>> find_case(std::int64_t) override { return unavailable(); }
    Result<std::vector<Case>> list_cases(const CaseFilter&) override { return unavailable(); }
    Result<std::vector<CaseEvent>> case_events(std::int64_t) override { return unavailable(); }
    Result<std::vector<CaseEvidence>> case_evidence(std::int64_t) override { return unavailable(); }
    Result<std::vector<FeeCenterAnomaly>> case_anomalies(std::int64_t) override { return unavailable(); }
    Result<std::vector<FindingDismissal>> dismissals() override { return unavailable(); }
    Result<std::vector<DuplicateAttempt>> duplicate_attempts() override { return unavailable(); }
    Result<std::vector<FindingHandling>> finding_handling() override { return unavailable(); }

private:
    static std::unexpected<Error> unavailable() { return internal_error("this store keeps no cases"); }
};

}  // namespace gridaudit
