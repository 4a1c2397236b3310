// The audit service: frames in, findings out, one recorded run.
#include "audit/audit_run.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>

#include "store/region_audit_recording.hpp"

namespace gridaudit {

namespace {

// One warning per stored tariff that cannot be used, with the number of customers on it.
std::vector<std::string> unusable_tariff_warnings(std::span<const RegionFrame> frames) {
    std::vector<std::string> warnings;
    if (frames.empty() || !frames.front().unusable_tariffs) return warnings;
    for (const UnusableTariff& tariff : *frames.front().unusable_tariffs) {
        std::size_t customers = 0;
        for (const RegionFrame& frame : frames)
            customers += static_cast<std::size_t>(
                std::count(frame.customers.tariff_id.begin(), frame.customers.tariff_id.end(), tariff.id));
        warnings.push_back(fmt::format(
            "tariff {} cannot be used, so the bills of its {} customer(s) are not recomputed: {}", tariff.id,
            customers, tariff.reason));
    }
    return warnings;
}

}  // namespace

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

int shard_of(std::string_view id, int count) {
    std::uint64_t hash = 14695981039346656037ull;
    for (const char c : id) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 1099511628211ull;
    }
    return static_cast<int>(hash % static_cast<std::uint64_t>(std::max(count, 1))) + 1;
}

Result<std::optional<std::vector<std::string>>> audit_scope(Store& store, const std::vector<std::string>& regions,
                                                            const std::optional<AuditShard>& shard) {
    if (regions.empty() && !shard) return std::nullopt;
    if (shard && (shard->count < 1 || shard->index < 1 || shard->index > shard->count))
        return user_error(fmt::format("--shard must be i/n with 1 <= i <= n ({}/{})", shard->index, shard->count));
    GA_ASSIGN_OR_RETURN(const std::vector<std::string> substations, region_ids(store));
    for (const std::string& id : regions)
        if (id.empty() || std::find(substations.begin(), substations.end(), id) == substations.end())
            return refusal_error(Refusal::not_found,
                                 fmt::format("--regions: no substation '{}' in the store's network", id));
    std::vector<std::string> scope;
    for (const std::string& id : substations) {
        if (!regions.empty() && std::find(regions.begin(), regions.end(), id) == regions.end()) continue;
        if (shard && shard_of(id, shard->count) != shard->index) continue;
        scope.push_back(id);
    }
    return scope;
}

Result<AuditSummary> run_audit(Store& store, const Catalogue& catalogue, const Policy& policy,
                               const AuditOptions& options, ProgressObserver& progress) {
    GA_ASSIGN_OR_RETURN(const auto scope, audit_scope(store, options.regions, options.shard));
    auto* by_region = dynamic_cast<RegionAuditRecording*>(&store);
    if (scope && by_region == nullptr)
        return user_error("this store cannot record an audit of some regions; run the whole utility");
    AuditSessionOptions session_options;
    session_options.only_rules = options.only_rules;
    session_options.frames.regions = scope;
    session_options.load_collections = !scope;  // only the utility-wide checks read them and the cases
    session_options.load_cases = !scope;
    progress.stage("loading regions", "regions", 0);
    GA_ASSIGN_OR_RETURN(const AuditSession session, AuditSession::load(store, catalogue, policy, session_options));

    AuditSummary summary;
    if (options.as_of) {
        summary.as_of = *options.as_of;
    } else {
        GA_ASSIGN_OR_RETURN(const auto range, store.daily_range());
        if (!range) return user_error("the store holds no daily data to date the audit by; pass --as-of YYYY-MM-DD");
        summary.as_of = range->second;
    }
    summary.regions = session.frames().size();
    summary.warnings = unusable_tariff_warnings(session.frames());
    for (const auto& frame : session.frames()) {
        summary.meters += frame.meters.size();
        summary.customers += frame.customers.size();
    }

    // Each region's findings with its substation; the utility-wide checks' with "" (whole runs only).
    const RuleSelection& selection = session.selection();
    std::vector<std::vector<Finding>> per_region =
        evaluate_region_rules(session.frames(), selection.rules, selection.settings, summary.as_of,
                              options.period, progress);
    std::vector<Finding> found;
    std::vector<std::string> found_in;
    for (std::size_t r = 0; r < per_region.size(); ++r)
        for (Finding& finding : per_region[r]) {
            found.push_back(std::move(finding));
            found_in.push_back(session.frames()[r].substation_id);
        }
    if (!scope)
        evaluate_utility_rules(UtilityContext{session.frames(), session.collections(), summary.as_of, options.period,
                                              &session.cases()},
                               selection.rules, selection.settings, found, progress);
    session.attach_penalties(found);
    found_in.resize(found.size());
    std::vector<std::size_t> order(found.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return finding_order(found[a], found[b]); });
    std::vector<std::string> finding_regions;
    finding_regions.reserve(order.size());
    summary.findings.reserve(order.size());
    for (const std::size_t i : order) {
        summary.findings.push_back(std::move(found[i]));
        finding_regions.push_back(std::move(found_in[i]));
    }
    summary.scope = scope;
    summary.rules_run = selection.ids();
    const CivilDate reading_first = options.period ? options.period->first_day()
                                                   : (Period::of(summary.as_of) - 11).first_day();
    const CivilDate reading_last = options.period ? options.period->last_day() : summary.as_of;
    summary.reading = reading_quality(session.frames(), summary.findings, reading_first, reading_last);
    progress.stage("recording findings", "findings", 0);
    const std::string period = options.period ? options.period->to_string() : "";
    if (by_region != nullptr) {
        GA_ASSIGN_OR_RETURN(summary.run_id, by_region->record_region_audit(summary.rules_run, period, summary.findings,
                                                                           finding_regions, scope, summary.warnings));
    } else {
        GA_ASSIGN_OR_RETURN(summary.run_id,
                            store.record_audit(summary.rules_run, period, summary.findings, summary.warnings));
    }
    return summary;
}

}  // namespace gridaudit
