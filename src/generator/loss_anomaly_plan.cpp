// Line-loss evidence drawn from the generator's loss stream (see loss_anomaly_plan.hpp).
#include "generator/loss_anomaly_plan.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "generator/generator_random.hpp"

namespace gridaudit {

std::optional<int> outage_reported_anyway(std::uint64_t seed, int meter, int day, int second) {
    // The simulation's own draw reported 35 % of the outages; of the other 65 % report enough to reach
    // outage_report_share overall.
    constexpr double kept_before = 0.35;
    const double share = (outage_report_share - kept_before) / (1 - kept_before);
    GeneratorRng random(seed, RandomStream::loss_anomalies,
                        (static_cast<std::uint64_t>(meter) << 32) ^ (static_cast<std::uint64_t>(day) << 17) ^
                            static_cast<std::uint64_t>(second));
    if (!random.chance(share)) return std::nullopt;
    return static_cast<int>(random.between(0, 5));
}

namespace {

// Share of the month [first, last] on or after `from` (1 when absent before the month).
double share_from(std::optional<CivilDate> from, CivilDate first, CivilDate last) {
    if (!from || *from <= first) return from ? 1.0 : 0.0;
    if (*from > last) return 0.0;
    return static_cast<double>(last - *from + 1) / static_cast<double>(last - first + 1);
}

// Share of the month [first, last] inside [from, to) (to open when absent).
double share_between(CivilDate from, std::optional<CivilDate> to, CivilDate first, CivilDate last) {
    const CivilDate begin = std::max(from, first);
    const CivilDate end = to ? std::min(*to - 1, last) : last;
    return end < begin ? 0.0 : static_cast<double>(end - begin + 1) / static_cast<double>(last - first + 1);
}

}  // namespace

void plan_loss_node_truth(UtilityPlan& plan) {
    const CivilDate last = plan.last_day;
    const CivilDate first = Period::of(last).first_day();
    const double days = static_cast<double>(last - first + 1);
    const std::size_t nodes = plan.nodes.size();
    std::vector<double> consumed(nodes, 0.0);    // true energy drawn by the customers a node supplies
    std::vector<double> registered(nodes, 0.0);  // what the customers recorded under it are billed for
    for (const PlannedCustomer& c : plan.customers) {
        // Days supplied in the month.
        double supplied =
            share_between(c.supply_start, c.supply_end ? std::optional(*c.supply_end + 1) : std::nullopt, first, last);
        if (c.suspended_from) supplied -= share_between(*c.suspended_from, c.resumed_on, first, last);
        if (supplied <= 0) continue;
        const double kwh = c.daily_kwh * days * supplied;
        const double elsewhere = c.physical_node != c.node ? share_from(c.physical_from, first, last) : 0.0;
        consumed[static_cast<std::size_t>(c.node)] += kwh * (1 - elsewhere);
        if (elsewhere > 0) consumed[static_cast<std::size_t>(c.physical_node)] += kwh * elsewhere;
        double theft = 0;
        if (c.theft_start) theft = c.theft_fraction * share_between(*c.theft_start, c.theft_end, first, last);
        for (int m : c.meters) {
            const PlannedMeter& meter = plan.meters[static_cast<std::size_t>(m)];
            const double in_service = share_between(meter.installed_on, meter.removed_on, first, last);
            if (in_service <= 0) continue;
            const double stopped = share_from(meter.stopped_from, first, last);
            const double reversed = share_from(meter.reversed_from, first, last);
            const double ratio =
                static_cast<double>(meter.recorded_multiplier) / static_cast<double>(meter.true_multiplier);
            // A reversed meter's consumption lands on the export register: net usage is minus it.
            const double kept = std::max(0.0, 1 - stopped - reversed) * (1 - theft) - reversed * (1 - theft);
            registered[static_cast<std::size_t>(c.node)] +=
                kwh * std::min(in_service, supplied) / supplied * kept * ratio;
        }
    }
    // Measured supply of every node, leaves first (nodes are depth-first: children after parents).
    std::vector<double> measured(nodes, 0.0), sales(nodes, 0.0), truly_in(nodes, 0.0);
    for (std::size_t i = nodes; i-- > 0;) {
        const PlannedNode& node = plan.nodes[i];
        double out = consumed[i];
        for (int child : node.children) out += truly_in[static_cast<std::size_t>(child)];
        truly_in[i] = out / (1 - node.loss);
        const PlannedMeter& gateway = plan.meters[static_cast<std::size_t>(node.gateway_meter)];
        measured[i] = truly_in[i] * static_cast<double>(gateway.recorded_multiplier) /
                      static_cast<double>(gateway.true_multiplier);
        sales[i] = registered[i];
        for (int child : node.children) sales[i] += measured[static_cast<std::size_t>(child)];
    }
    for (std::size_t i = 0; i < nodes; ++i) {
        const PlannedNode& node = plan.nodes[i];
        if (node.kind != PlannedNodeKind::area && node.kind != PlannedNodeKind::feeder) continue;
        if (measured[i] <= 0) continue;
        const double rate = (measured[i] - sales[i]) / measured[i];
        std::string_view anomaly;
        if (node.kind == PlannedNodeKind::area && rate > 0.07) anomaly = "area_loss_high";
        if (node.kind == PlannedNodeKind::area && rate < -0.01) anomaly = "area_loss_negative";
        if (node.kind == PlannedNodeKind::feeder && rate > 0.05) anomaly = "feeder_loss_high";
        if (node.kind == PlannedNodeKind::feeder && rate < -0.01) anomaly = "feeder_loss_negative";
        if (anomaly.empty()) continue;
        plan.truth.push_back(TruthRow{"node", node.id, anomaly, first, last, std::round(rate * 1e4) / 1e4,
                                      fmt::format("technical_loss={:.4f}", node.loss)});
    }
}

}  // namespace gridaudit
