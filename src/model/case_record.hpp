// The shapes of the closed loop (issue 14) as they pass between the store, the frames the SHARE
// rules read and the cases layer: a case, its events, its evidence, the fee center's anomalies,
// dismissals of findings and duplicate attempts. The state machine over them is in
// cases/case_workflow.hpp; docs/cases.md describes the loop.
// Thread safety: plain data; the name functions are pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/money.hpp"
#include "core/time.hpp"
#include "model/finding.hpp"

namespace gridaudit {

// The states of a case, in workflow order. Stored and printed by case_state_name():
// "new", "assigned", "online_check", "onsite_check", "concluded", "back_billing", "recovery",
// "closed" (`new` is a C++ keyword, hence the enumerator new_case).
enum class CaseState { new_case, assigned, online_check, onsite_check, concluded, back_billing, recovery, closed };
inline constexpr std::size_t case_state_count = 8;

[[nodiscard]] std::string_view case_state_name(CaseState state);
[[nodiscard]] std::optional<CaseState> parse_case_state(std::string_view name);

// What a concluded check found.
enum class Conclusion {
    confirmed_theft,
    confirmed_violation,
    billing_error,
    metering_fault,
    master_data_error,
    no_problem
};
inline constexpr std::size_t conclusion_count = 6;

[[nodiscard]] std::string_view conclusion_name(Conclusion conclusion);
[[nodiscard]] std::optional<Conclusion> parse_conclusion(std::string_view name);

// What a case is about: a customer, a meter or a network node ("customer", "meter", "node").
enum class SubjectKind { customer, meter, node };

[[nodiscard]] std::string_view subject_kind_name(SubjectKind kind);
[[nodiscard]] std::optional<SubjectKind> parse_subject_kind(std::string_view name);

// Where a case came from ("finding", "fee_center", "manual").
enum class CaseSource { finding, fee_center, manual };

[[nodiscard]] std::string_view case_source_name(CaseSource source);
[[nodiscard]] std::optional<CaseSource> parse_case_source(std::string_view name);

// Whether `cause` is usable as a case's cause: 1 to 64 characters of A-Z, a-z, 0-9, '_', '-', '.'
// (a rule id such as "LOSS-SUSPECT", or a word of the policy such as "theft").
[[nodiscard]] bool is_case_cause(std::string_view cause);

struct Case {
    std::int64_t case_id = 0;
    SubjectKind subject_kind = SubjectKind::customer;
    std::string subject_id;
    std::string cause;    // the rule id, or the policy's cause for it, or the fee center's kind
    std::string unit_id;  // the subject's org unit ("" when it has none: only the whole utility sees it)
    CaseState state = CaseState::new_case;
    std::optional<Conclusion> conclusion;  // set while concluded and after
    std::string assignee;                  // username; "" while unassigned
    CaseSource source = CaseSource::finding;
    std::string opened_at;            // ISO instant, UTC
    std::string state_entered_at;     // ISO instant, UTC
    std::optional<CivilDate> due_on;  // the deadline of the current state; none when closed
    std::int64_t version = 1;         // +1 on every change of state, conclusion or assignee
    std::string summary;
    std::optional<double> kwh_at_risk;
    std::optional<Money> money_at_risk;
};

// Who writes, and when (stored with the write, in case_events and the audit log).
struct CaseWriter {
    std::int64_t user_id = 0;
    std::string name;
    std::string at;  // ISO instant, UTC
};

// One entry of a case's history. kind: "opened", "transition", "assignment", "comment",
// "evidence", "anomaly", "duplicate". from_state/to_state are state names ("" when the event is
// not a transition).
struct CaseEvent {
    std::int64_t event_id = 0;
    std::int64_t case_id = 0;
    std::string at;
    std::int64_t actor_user_id = 0;
    std::string actor;
    std::string kind;
    std::string from_state;
    std::string to_state;
    std::string note;
};

// A finding linked to a case as evidence, as stored now: a finding the audit no longer produces
// stays linked (active false) with its first and last run.
struct CaseEvidence {
    std::int64_t case_id = 0;
    std::int64_t finding_id = 0;
    std::string attached_at;
    std::string attached_by;
    Finding finding;
    std::int64_t first_run_id = 0;
    std::int64_t last_run_id = 0;
    bool active = true;
};

// One row of the fee center's anomaly list (docs/cases.md), attached to the case it opened or
// joined.
struct FeeCenterAnomaly {
    std::int64_t anomaly_id = 0;
    std::int64_t case_id = 0;
    SubjectKind subject_kind = SubjectKind::customer;
    std::string subject_id;
    std::string kind;  // the anomaly's kind, the case's cause
    std::string description;
    Money amount;
    CivilDate found_on;
    std::string source;  // "file:line" it was read from
    std::string imported_at;
};

// A finding an analyst decided needs no case, and why.
struct FindingDismissal {
    std::int64_t finding_id = 0;
    std::string reason;
    std::int64_t actor_user_id = 0;
    std::string actor;
    std::string at;
};

// A second case attempted for a subject and cause that already had an open case (case_id): the
// attempt joined that case instead.
struct DuplicateAttempt {
    std::int64_t attempt_id = 0;
    std::int64_t case_id = 0;
    SubjectKind subject_kind = SubjectKind::customer;
    std::string subject_id;
    std::string cause;
    CaseSource source = CaseSource::manual;
    std::string reference;  // what attempted it: "finding 12", "anomalies.csv:3"
    std::string actor;
    std::string at;
};

// How an active finding is handled: on a case, dismissed, or neither (SHARE-UNHANDLED).
struct FindingHandling {
    std::int64_t finding_id = 0;
    std::string rule_id;
    InspectionArea area = InspectionArea::METER;
    std::string subject_kind;
    std::string subject_id;
    std::string period;
    Severity severity = Severity::medium;
    std::string first_seen_at;            // the instant of the audit run that first produced it
    std::optional<std::int64_t> case_id;  // the (latest) case it is evidence of
    bool dismissed = false;
};

}  // namespace gridaudit
