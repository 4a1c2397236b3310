// The operations of the closed loop that the CLI (`gridaudit cases`) and the HTTP server both call:
// open cases from findings by policy or by choice, dismiss findings, transition, assign, comment,
// attach evidence, list and show. Each takes the acting user and "now" (never the wall clock).
//
// The state machine is data (case_transitions()): for each state the states it may go to and the
// permission (access/permission.hpp) that needs. A transition the table does not have is a
// conflict refusal naming the allowed next states; a permission the actor's role lacks, or a case
// outside the actor's org units, is a forbidden refusal; a stale version is a conflict naming the
// current version (from the store). docs/cases.md draws the machine.
// Thread safety: a CaseWorkflow uses its Store, so one thread at a time (open one per thread).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "access/actor.hpp"
#include "access/org_scope.hpp"
#include "access/permission.hpp"
#include "cases/case.hpp"
#include "cases/case_policy.hpp"
#include "core/result.hpp"
#include "store/store.hpp"

namespace gridaudit {

// One edge of the state machine: from -> to, allowed to roles with `permission`; for edges into
// concluded, the conclusions allowed (empty: any); for edges out of concluded, the conclusions that
// take it (empty: any).
struct CaseTransition {
    CaseState from;
    CaseState to;
    Permission permission;
    std::vector<Conclusion> conclusions;
    std::string_view meaning;
};

// The state machine, in docs/cases.md order. Reassignment (assign) is not an edge: it is allowed
// in every state but closed (and moves a new case to assigned).
[[nodiscard]] std::span<const CaseTransition> case_transitions();
// The states `from` may go to, in table order.
[[nodiscard]] std::vector<CaseState> next_states(CaseState from);

struct TransitionRequest {
    std::int64_t case_id = 0;
    std::int64_t expected_version = 0;
    CaseState to = CaseState::assigned;
    std::string note;
    std::optional<Conclusion> conclusion;  // required entering concluded
};

struct OpenOptions {
    std::size_t limit = 0;  // open at most this many new cases (highest money, then kWh, at risk first); 0 = all
    bool dry_run = false;   // say what would open, write nothing
};

// What an opening did: cases opened, findings attached to open cases, findings skipped (policy,
// dismissed, already linked, a subject that is no customer, meter or node).
struct OpeningReport {
    std::size_t opened = 0;
    std::size_t attached = 0;
    std::size_t duplicates = 0;
    std::size_t skipped = 0;
    std::size_t findings_linked = 0;     // findings (or anomalies) written as evidence
    std::vector<std::int64_t> case_ids;  // the cases opened or joined, in order
};

class CaseWorkflow {
public:
    // Reads the store's org units for scoping. The policy's [cases] section must already be valid.
    [[nodiscard]] static Result<CaseWorkflow> open(Store& store, CasePolicy policy);

    [[nodiscard]] const CasePolicy& policy() const { return policy_; }
    [[nodiscard]] const OrgScope& scope() const { return scope_; }

    // Opens cases for the active findings the policy selects that are neither on a case nor
    // dismissed; a finding whose subject has an open case of its cause joins it as evidence. The
    // actor's units only.
    [[nodiscard]] Result<OpeningReport> open_by_policy(const Actor& actor, Instant now,
                                                       const OpenOptions& options = {});
    // Opens (or joins) cases for chosen findings, whatever the policy's thresholds; a finding whose
    // subject already has an open case of its cause is recorded as a duplicate attempt.
    [[nodiscard]] Result<OpeningReport> open_for_findings(const Actor& actor, std::span<const std::int64_t> finding_ids,
                                                          Instant now);
    // Opens (or joins, recording a duplicate attempt) cases for fee-center anomalies, all in one
    // transaction. REQUIRES: each anomaly's fields are validated (cases/fee_center_csv.hpp).
    [[nodiscard]] Result<OpeningReport> open_for_anomalies(const Actor& actor,
                                                           std::span<const FeeCenterAnomaly> anomalies, Instant now);
    [[nodiscard]] Status dismiss(const Actor& actor, std::int64_t finding_id, std::string_view reason, Instant now);

    [[nodiscard]] Result<Case> transition(const Actor& actor, const TransitionRequest& request, Instant now);
    [[nodiscard]] Result<Case> assign(const Actor& actor, std::int64_t case_id, std::int64_t expected_version,
                                      std::string_view assignee, std::string_view note, Instant now);
    [[nodiscard]] Status comment(const Actor& actor, std::int64_t case_id, std::string_view note, Instant now);
    [[nodiscard]] Status attach_evidence(const Actor& actor, std::int64_t case_id,
                                         std::span<const std::int64_t> finding_ids, Instant now);

    // The cases in the actor's units matching `filter` (its unit_ids are replaced by the actor's).
    [[nodiscard]] Result<std::vector<Case>> list(const Actor& actor, CaseFilter filter);
    // not_found for an unknown case; forbidden outside the actor's units.
    [[nodiscard]] Result<CaseDetail> show(const Actor& actor, std::int64_t case_id);

private:
    CaseWorkflow(Store& store, CasePolicy policy, OrgScope scope)
        : store_(&store), policy_(std::move(policy)), scope_(std::move(scope)) {}
    [[nodiscard]] Result<Case> case_in_scope(const Actor& actor, std::int64_t case_id);
    [[nodiscard]] Result<std::vector<CaseOpened>> write_openings(std::vector<CaseOpening>& openings, const Actor& actor,
                                                                 Instant now);

    Store* store_;
    CasePolicy policy_;
    OrgScope scope_;
};

}  // namespace gridaudit
