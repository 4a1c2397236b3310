// Ranking every area of a loaded session as gridaudit suspects and gridaudit eval do.
#include "audit/area_suspects.hpp"

#include <algorithm>

#include "rules/loss/loss_evidence.hpp"

namespace gridaudit {

Result<AuditSession> load_suspect_session(Store& store, std::optional<CivilDate> from) {
    AuditSessionOptions options;
    options.load_collections = false;
    options.load_cases = false;
    // The 15-minute intervals too, over the window asked for (the default window's last 62 days
    // otherwise); the ranking uses them where they cover every day of its window.
    options.frames.load_intervals = true;
    if (from) {
        GA_ASSIGN_OR_RETURN(const auto range, store.daily_range());
        if (range)
            options.frames.interval_lookback_days =
                std::max(options.frames.interval_lookback_days, range->second - *from + 1);
    }
    return AuditSession::load(store, standard_catalogue(), Policy{}, options);
}

std::vector<AreaSuspects> rank_area_suspects(const AuditSession& session, const SuspectRequest& request,
                                             bool& node_found) {
    const LossThresholds thresholds = loss_table_thresholds(Policy{}, BalanceLevel::area);
    std::vector<AreaSuspects> areas;
    node_found = request.node.empty();
    for (const RegionFrame& frame : session.frames()) {
        const std::optional<LossAnalysis> analysis = analyse_loss(frame, thresholds);
        if (!analysis) continue;
        const std::int32_t first =
            std::clamp<std::int32_t>(request.from ? *request.from - analysis->first_day : 0, 0, analysis->days);
        const std::int32_t last = std::clamp<std::int32_t>(
            request.to ? *request.to - analysis->first_day + 1 : analysis->days, first, analysis->days);
        for (std::size_t n = 0; n < frame.network.size(); ++n) {
            if (request.node.empty() ? frame.network.kind[n] != NodeKind::area : frame.network.id[n] != request.node)
                continue;
            node_found = true;
            AreaSuspects area;
            area.frame = &frame;
            area.node = n;
            area.first_day = analysis->first_day + first;
            area.days = last - first;
            area.ranking = rank_node_suspects(*analysis, n, first, last, &frame, &area.intervals_used);
            if (!area.ranking.empty()) areas.push_back(std::move(area));
        }
    }
    return areas;
}

}  // namespace gridaudit
