// Customers whose meters saw another area's outages (see loss_outage_match.hpp).
#include "rules/loss/loss_outage_match.hpp"

#include <algorithm>
#include <tuple>

namespace gridaudit {

std::vector<OutageAssignment> customers_supplied_elsewhere(const RegionFrame& frame, CivilDate last_day,
                                                           const OutageMatchOptions& options) {
    const MeterEventColumns& events = frame.meter_events;
    const MeterColumns& meters = frame.meters;
    const auto is_area = [&](NodeIndex node) {
        return node.valid() && node.value() < frame.network.size() &&
               frame.network.kind[node.value()] == NodeKind::area;
    };
    // Every area gateway's power_off, and every customer meter's, up to `last_day`.
    std::vector<std::pair<Instant, std::uint32_t>> gateway_offs;   // (at, area)
    std::vector<std::pair<std::uint32_t, Instant>> customer_offs;  // (customer, at)
    for (std::size_t e = 0; e < events.size(); ++e) {
        if (events.code[e] != "power_off" || last_day < events.day[e]) continue;
        const std::size_t m = events.meter[e].value();
        if (m >= meters.size()) continue;
        if (meters.is_gateway[m]) {
            if (is_area(meters.node[m])) gateway_offs.emplace_back(events.at[e], meters.node[m].value());
        } else if (meters.customer[m].valid() && is_area(frame.customers.node[meters.customer[m].value()])) {
            customer_offs.emplace_back(meters.customer[m].value(), events.at[e]);
        }
    }
    std::sort(gateway_offs.begin(), gateway_offs.end());
    std::sort(customer_offs.begin(), customer_offs.end());

    std::vector<OutageAssignment> result;
    std::vector<std::uint32_t> areas;  // areas whose gateway went off near one customer event
    Instant gateway_at;                // when the last of them did
    for (std::size_t i = 0; i < customer_offs.size();) {
        const std::uint32_t c = customer_offs[i].first;
        const NodeIndex recorded = frame.customers.node[c];
        // Matches of other areas since the customer last saw one of its recorded area's outages.
        std::vector<OutageAssignment> candidates;
        int own = 0;
        for (; i < customer_offs.size() && customer_offs[i].first == c; ++i) {
            const Instant at = customer_offs[i].second;
            areas.clear();
            auto it = std::lower_bound(gateway_offs.begin(), gateway_offs.end(),
                                       std::make_pair(at + -options.tolerance_s, std::uint32_t{0}));
            for (; it != gateway_offs.end() && it->first - at <= options.tolerance_s; ++it)
                areas.push_back(it->second), gateway_at = it->first;
            if (areas.empty()) continue;  // an outage of the customer's own line or meter
            if (std::find(areas.begin(), areas.end(), recorded.value()) != areas.end()) {
                candidates.clear();  // supplied by its recorded area at that moment (a feeder outage included)
                ++own;
                continue;
            }
            std::sort(areas.begin(), areas.end());
            areas.erase(std::unique(areas.begin(), areas.end()), areas.end());
            if (areas.size() != 1) continue;  // two other areas at once: not telling which
            const NodeIndex other(areas.front());
            auto found = std::find_if(candidates.begin(), candidates.end(),
                                      [&](const OutageAssignment& a) { return a.supplying == other; });
            if (found == candidates.end()) {
                candidates.push_back(OutageAssignment{CustomerIndex(c), recorded, other, 0, own, {}});
                found = candidates.end() - 1;
            }
            ++found->matches;
            found->outages.push_back(gateway_at);
            // The latest area seen goes last.
            std::rotate(found, found + 1, candidates.end());
        }
        if (!candidates.empty() && candidates.back().matches >= options.min_matches)
            result.push_back(std::move(candidates.back()));
    }
    return result;
}

}  // namespace gridaudit
