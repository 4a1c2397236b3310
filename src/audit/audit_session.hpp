// One audit session: the regions of a store loaded into frames, the daily collections, the policy
// and the rules selected from a catalogue, and the run of those rules over every region. The one
// way `gridaudit audit`, `report`, `loss`, `vee` and `bench audit` (and later the server) assemble
// an audit; run_audit records what a session finds.
//
// Thread safety: a session is immutable once loaded; run() may be called from several threads
// at once (the regions run in parallel inside each call). The catalogue must outlive the session.
#pragma once

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/progress.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "frame/frame_loader.hpp"
#include "model/finding.hpp"
#include "rules/catalogue.hpp"
#include "rules/policy.hpp"
#include "store/store.hpp"

namespace gridaudit {

// Rules of a catalogue with their settings under one policy, in catalogue order.
struct RuleSelection {
    std::vector<const Rule*> rules;
    std::vector<RuleSettings> settings;  // settings[i] is rules[i]'s

    [[nodiscard]] std::vector<std::string> ids() const;
    [[nodiscard]] RuleSelection only(std::size_t i) const;  // REQUIRES: i < rules.size()
};

// The catalogue's rules `wanted` accepts, enabled or not.
[[nodiscard]] RuleSelection select_rules(const Catalogue& catalogue, const Policy& policy,
                                         const std::function<bool(const RuleInfo&)>& wanted);

// The rules enabled by `policy`, only those listed in `only_rules` when it is not empty. A policy the
// catalogue rejects and an id it does not know are user errors.
[[nodiscard]] Result<RuleSelection> select_enabled_rules(const Catalogue& catalogue, const Policy& policy,
                                                         std::span<const std::string> only_rules);

struct AuditSessionOptions {
    FrameOptions frames;                  // which columns and days to load
    bool load_collections = true;         // the daily collections (only the utility-wide checks need them)
    bool load_cases = true;               // the closed loop's cases (the SHARE rules need them)
    std::vector<std::string> only_rules;  // empty = every enabled rule
};

// Evaluates `rules` (with their settings, in the same order) on every frame in parallel, each
// region's rules sharing one RegionAnalyses, then once on the whole utility; the findings sorted
// by rule, subject kind, subject and period. What AuditSession::run does; on its own for tests.
// `progress` hears the stage "running rules" with each region done, then "utility-wide rules".
[[nodiscard]] std::vector<Finding> evaluate_rules(std::span<const RegionFrame> frames,
                                                  const CollectionColumns& collections,
                                                  const std::vector<const Rule*>& rules,
                                                  const std::vector<RuleSettings>& settings, CivilDate as_of,
                                                  std::optional<Period> period, const CaseColumns* cases = nullptr,
                                                  ProgressObserver& progress = null_progress());

// The parts of evaluate_rules: the rules on every frame in parallel (per_region[r] holds frames[r]'s
// findings in evaluation order; `progress` hears "running rules"), the rules' utility-wide checks
// (appended to `findings`; "utility-wide rules"), and the order findings are sorted in (rule,
// subject kind, subject, period).
[[nodiscard]] std::vector<std::vector<Finding>> evaluate_region_rules(
    std::span<const RegionFrame> frames, const std::vector<const Rule*>& rules,
    const std::vector<RuleSettings>& settings, CivilDate as_of, std::optional<Period> period,
    ProgressObserver& progress = null_progress());
void evaluate_utility_rules(const UtilityContext& utility, const std::vector<const Rule*>& rules,
                            const std::vector<RuleSettings>& settings, std::vector<Finding>& findings,
                            ProgressObserver& progress = null_progress());
[[nodiscard]] bool finding_order(const Finding& a, const Finding& b);

class AuditSession {
public:
    // Checks the policy and the rule selection, then loads the frames and the collections.
    [[nodiscard]] static Result<AuditSession> load(Store& store, const Catalogue& catalogue, Policy policy,
                                                   const AuditSessionOptions& options);
    // A session over frames loaded elsewhere (benchmarks, tests) with the rules of `selection`.
    AuditSession(std::vector<RegionFrame> frames, CollectionColumns collections, const Catalogue& catalogue,
                 Policy policy, RuleSelection selection);

    [[nodiscard]] std::span<const RegionFrame> frames() const { return frames_; }
    [[nodiscard]] const CollectionColumns& collections() const { return collections_; }
    [[nodiscard]] const CaseColumns& cases() const { return cases_; }
    [[nodiscard]] const Catalogue& catalogue() const { return *catalogue_; }
    [[nodiscard]] const Policy& policy() const { return policy_; }
    [[nodiscard]] const RuleSelection& selection() const { return selection_; }

    // The selected rules (or those of `selection`) on every region in parallel, then once on the
    // whole utility; the findings sorted by rule, subject kind, subject and period. `progress`
    // hears the regions done (see evaluate_rules).
    [[nodiscard]] std::vector<Finding> run(CivilDate as_of, std::optional<Period> period,
                                           ProgressObserver& progress = null_progress()) const;
    [[nodiscard]] std::vector<Finding> run(const RuleSelection& selection, CivilDate as_of,
                                           std::optional<Period> period,
                                           ProgressObserver& progress = null_progress()) const;

    // What run() adds after the rules: the penalties recovery/ computes for some findings (the
    // capacity penalty of LOSS-DEMAND-ABOVE-CONTRACT), for callers that run the rules in parts.
    void attach_penalties(std::vector<Finding>& findings) const;

private:
    std::vector<RegionFrame> frames_;
    CollectionColumns collections_;
    CaseColumns cases_;  // empty unless loaded (AuditSessionOptions::load_cases)
    const Catalogue* catalogue_;
    Policy policy_;
    RuleSelection selection_;
};

}  // namespace gridaudit
