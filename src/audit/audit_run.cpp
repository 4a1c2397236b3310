// The audit service: frames in, findings out, one recorded run.
#include "audit/audit_run.hpp"

#include <tbb/parallel_for.h>

#include <algorithm>

#include "frame/billing_loader.hpp"
#include "frame/frame_loader.hpp"

namespace gridaudit {

std::map<std::string, std::size_t> AuditSummary::count_by_area() const {
    std::map<std::string, std::size_t> counts;
    for (const auto& finding : findings) ++counts[std::string(inspection_area_code(finding.area))];
    return counts;
}

std::map<std::string, std::size_t> AuditSummary::count_by_rule() const {
    std::map<std::string, std::size_t> counts;
    for (const auto& rule : rules_run) counts[rule] = 0;
    for (const auto& finding : findings) ++counts[finding.rule_id];
    return counts;
}

std::vector<Finding> evaluate_rules(std::span<const RegionFrame> frames, const CollectionColumns& collections,
                                    const std::vector<const Rule*>& rules, const std::vector<RuleSettings>& settings,
                                    CivilDate as_of, std::optional<Period> period) {
    std::vector<std::vector<Finding>> per_region(frames.size());
    tbb::parallel_for(std::size_t{0}, frames.size(), [&](std::size_t r) {
        // The region's rules share its analyses (the LOSS rules one balance per set of thresholds),
        // dropped once they have run (the rules of a region run one after the other here; the
        // analyses would take them in parallel too).
        RegionAnalyses analyses(frames[r]);
        const RuleContext context{frames[r], as_of, period, &analyses};
        for (std::size_t i = 0; i < rules.size(); ++i) rules[i]->evaluate(context, settings[i], per_region[r]);
    });
    std::vector<Finding> findings;
    for (auto& region_findings : per_region)
        for (auto& finding : region_findings) findings.push_back(std::move(finding));
    const UtilityContext utility{frames, collections, as_of, period};
    for (std::size_t i = 0; i < rules.size(); ++i) rules[i]->evaluate_utility(utility, settings[i], findings);
    std::sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
        return std::tie(a.rule_id, a.subject_kind, a.subject_id, a.period) <
               std::tie(b.rule_id, b.subject_kind, b.subject_id, b.period);
    });
    return findings;
}

Result<AuditSummary> run_audit(Store& store, const Catalogue& catalogue, const Policy& policy,
                               const AuditOptions& options) {
    GA_TRY(catalogue.check_policy(policy));
    std::vector<const Rule*> rules;
    std::vector<RuleSettings> settings;
    for (const auto& rule : catalogue.rules()) {
        RuleSettings rule_settings(rule->info(), policy);
        const bool selected = options.only_rules.empty() ||
                              std::find(options.only_rules.begin(), options.only_rules.end(), rule->info().id) !=
                                  options.only_rules.end();
        if (!selected || !rule_settings.enabled()) continue;
        rules.push_back(rule.get());
        settings.push_back(std::move(rule_settings));
    }
    for (const auto& id : options.only_rules)
        if (!catalogue.find(id)) return user_error("unknown rule '" + id + "' (see `gridaudit rules`)");

    GA_ASSIGN_OR_RETURN(auto frames, load_region_frames(store, FrameOptions{}));

    AuditSummary summary;
    if (options.as_of) {
        summary.as_of = *options.as_of;
    } else {
        GA_ASSIGN_OR_RETURN(const auto range, store.daily_range());
        if (!range) return user_error("the store holds no daily data to date the audit by; pass --as-of YYYY-MM-DD");
        summary.as_of = range->second;
    }
    summary.regions = frames.size();
    for (const auto& frame : frames) {
        summary.meters += frame.meters.size();
        summary.customers += frame.customers.size();
    }

    GA_ASSIGN_OR_RETURN(const CollectionColumns collections, load_collections(store));
    summary.findings = evaluate_rules(frames, collections, rules, settings, summary.as_of, options.period);

    for (const Rule* rule : rules) summary.rules_run.push_back(rule->info().id);
    const CivilDate reading_first = options.period ? options.period->first_day()
                                                   : (Period::of(summary.as_of) - 11).first_day();
    const CivilDate reading_last = options.period ? options.period->last_day() : summary.as_of;
    summary.reading = reading_quality(frames, summary.findings, reading_first, reading_last);
    GA_ASSIGN_OR_RETURN(summary.run_id,
                        store.record_audit(summary.rules_run, options.period ? options.period->to_string() : "",
                                           summary.findings));
    return summary;
}

}  // namespace gridaudit
