// One audit session: frames, collections, policy, rules, and their run (see audit_session.hpp).
#include "audit/audit_session.hpp"

#include <tbb/parallel_for.h>

#include <algorithm>

#include "analysis/region_analyses.hpp"
#include "audit/capacity_penalty.hpp"
#include "frame/billing_loader.hpp"
#include "frame/case_loader.hpp"
#include "recovery/recovery_policy.hpp"

namespace gridaudit {

std::vector<std::vector<Finding>> evaluate_region_rules(std::span<const RegionFrame> frames,
                                                       const std::vector<const Rule*>& rules,
                                                       const std::vector<RuleSettings>& settings, CivilDate as_of,
                                                       std::optional<Period> period, ProgressObserver& progress) {
    std::vector<std::vector<Finding>> per_region(frames.size());
    progress.stage("running rules", "regions", frames.size());
    tbb::parallel_for(std::size_t{0}, frames.size(), [&](std::size_t r) {
        // The region's rules share its analyses (the LOSS rules one balance per set of thresholds),
        // dropped once they have run (the rules of a region run one after the other here; the
        // analyses would take them in parallel too).
        RegionAnalyses analyses(frames[r]);
        const RuleContext context{frames[r], as_of, period, &analyses};
        for (std::size_t i = 0; i < rules.size(); ++i) rules[i]->evaluate(context, settings[i], per_region[r]);
        progress.advance(1);
    });
    return per_region;
}

void evaluate_utility_rules(const UtilityContext& utility, const std::vector<const Rule*>& rules,
                            const std::vector<RuleSettings>& settings, std::vector<Finding>& findings,
                            ProgressObserver& progress) {
    progress.stage("utility-wide rules", "rules", rules.size());
    for (std::size_t i = 0; i < rules.size(); ++i) {
        rules[i]->evaluate_utility(utility, settings[i], findings);
        progress.advance(1);
    }
}

bool finding_order(const Finding& a, const Finding& b) {
    return std::tie(a.rule_id, a.subject_kind, a.subject_id, a.period) <
           std::tie(b.rule_id, b.subject_kind, b.subject_id, b.period);
}

std::vector<Finding> evaluate_rules(std::span<const RegionFrame> frames, const CollectionColumns& collections,
                                    const std::vector<const Rule*>& rules, const std::vector<RuleSettings>& settings,
                                    CivilDate as_of, std::optional<Period> period, const CaseColumns* cases,
                                    ProgressObserver& progress) {
    std::vector<std::vector<Finding>> per_region =
        evaluate_region_rules(frames, rules, settings, as_of, period, progress);
    std::vector<Finding> findings;
    for (auto& region_findings : per_region)
        for (auto& finding : region_findings) findings.push_back(std::move(finding));
    evaluate_utility_rules(UtilityContext{frames, collections, as_of, period, cases}, rules, settings, findings,
                           progress);
    std::sort(findings.begin(), findings.end(), finding_order);
    return findings;
}

std::vector<std::string> RuleSelection::ids() const {
    std::vector<std::string> out;
    for (const Rule* rule : rules) out.push_back(rule->info().id);
    return out;
}

RuleSelection RuleSelection::only(std::size_t i) const {
    return RuleSelection{{rules[i]}, {settings[i]}};
}

RuleSelection select_rules(const Catalogue& catalogue, const Policy& policy,
                           const std::function<bool(const RuleInfo&)>& wanted) {
    RuleSelection selection;
    for (const auto& rule : catalogue.rules()) {
        if (!wanted(rule->info())) continue;
        selection.rules.push_back(rule.get());
        selection.settings.emplace_back(rule->info(), policy);
    }
    return selection;
}

Result<RuleSelection> select_enabled_rules(const Catalogue& catalogue, const Policy& policy,
                                           std::span<const std::string> only_rules) {
    GA_TRY(catalogue.check_policy(policy));
    // BILL-ACCOUNT-RECONCILE reads the late-payment terms of [recovery]: refuse a bad section here,
    // as `gridaudit recover` would, rather than audit with defaults.
    GA_TRY(RecoveryPolicy::from(policy));
    RuleSelection selection;
    for (const auto& rule : catalogue.rules()) {
        RuleSettings settings(rule->info(), policy);
        const bool selected =
            only_rules.empty() || std::find(only_rules.begin(), only_rules.end(), rule->info().id) != only_rules.end();
        if (!selected || !settings.enabled()) continue;
        selection.rules.push_back(rule.get());
        selection.settings.push_back(std::move(settings));
    }
    for (const auto& id : only_rules)
        if (!catalogue.find(id)) return user_error("unknown rule '" + id + "' (see `gridaudit rules`)");
    return selection;
}

Result<AuditSession> AuditSession::load(Store& store, const Catalogue& catalogue, Policy policy,
                                        const AuditSessionOptions& options) {
    GA_ASSIGN_OR_RETURN(RuleSelection selection, select_enabled_rules(catalogue, policy, options.only_rules));
    GA_ASSIGN_OR_RETURN(auto frames, load_region_frames(store, options.frames));
    CollectionColumns collections;
    if (options.load_collections) {
        GA_ASSIGN_OR_RETURN(collections, load_collections(store));
    }
    AuditSession session(std::move(frames), std::move(collections), catalogue, std::move(policy), std::move(selection));
    if (options.load_cases) {
        GA_ASSIGN_OR_RETURN(session.cases_, load_case_columns(store));
    }
    return session;
}

AuditSession::AuditSession(std::vector<RegionFrame> frames, CollectionColumns collections, const Catalogue& catalogue,
                           Policy policy, RuleSelection selection)
    : frames_(std::move(frames)),
      collections_(std::move(collections)),
      catalogue_(&catalogue),
      policy_(std::move(policy)),
      selection_(std::move(selection)) {}

std::vector<Finding> AuditSession::run(CivilDate as_of, std::optional<Period> period,
                                       ProgressObserver& progress) const {
    return run(selection_, as_of, period, progress);
}

std::vector<Finding> AuditSession::run(const RuleSelection& selection, CivilDate as_of, std::optional<Period> period,
                                       ProgressObserver& progress) const {
    std::vector<Finding> findings = evaluate_rules(frames_, collections_, selection.rules, selection.settings, as_of,
                                                   period, &cases_, progress);
    attach_penalties(findings);
    return findings;
}

void AuditSession::attach_penalties(std::vector<Finding>& findings) const {
    // The capacity-violation penalty of LOSS-DEMAND-ABOVE-CONTRACT, by recovery/ (the section was
    // checked when the session was loaded).
    const auto* demand_rule = catalogue_->find("LOSS-DEMAND-ABOVE-CONTRACT");
    if (const auto recovery = RecoveryPolicy::from(policy_); demand_rule != nullptr && recovery)
        attach_capacity_penalties(findings, demand_rule->info(), *recovery);
}

}  // namespace gridaudit
