// The audit service: frames in, findings out, one recorded run.
#include "audit/audit_run.hpp"

#include <fmt/format.h>

#include <algorithm>

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

Result<AuditSummary> run_audit(Store& store, const Catalogue& catalogue, const Policy& policy,
                               const AuditOptions& options, ProgressObserver& progress) {
    AuditSessionOptions session_options;
    session_options.only_rules = options.only_rules;
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

    summary.findings = session.run(summary.as_of, options.period, progress);
    summary.rules_run = session.selection().ids();
    const CivilDate reading_first = options.period ? options.period->first_day()
                                                   : (Period::of(summary.as_of) - 11).first_day();
    const CivilDate reading_last = options.period ? options.period->last_day() : summary.as_of;
    summary.reading = reading_quality(session.frames(), summary.findings, reading_first, reading_last);
    progress.stage("recording findings", "findings", 0);
    GA_ASSIGN_OR_RETURN(summary.run_id,
                        store.record_audit(summary.rules_run, options.period ? options.period->to_string() : "",
                                           summary.findings, summary.warnings));
    return summary;
}

}  // namespace gridaudit
