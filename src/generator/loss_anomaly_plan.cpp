// Line-loss evidence drawn from the generator's loss stream (see loss_anomaly_plan.hpp).
#include "generator/loss_anomaly_plan.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "generator/generator_random.hpp"
#include "generator/planner.hpp"

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
        if (node.unmetered_from) out *= 1 + node.unmetered_share * share_from(node.unmetered_from, first, last);
        truly_in[i] = out / (1 - node.loss);
        const PlannedMeter& gateway = plan.meters[static_cast<std::size_t>(node.gateway_meter)];
        measured[i] = truly_in[i] * static_cast<double>(gateway.recorded_multiplier) /
                      static_cast<double>(gateway.true_multiplier);
        sales[i] = registered[i];
        for (int child : node.children) sales[i] += measured[static_cast<std::size_t>(child)];
    }
    for (std::size_t i = 0; i < nodes; ++i) {
        const PlannedNode& node = plan.nodes[i];
        if (node.kind != PlannedNodeKind::area && node.kind != PlannedNodeKind::feeder &&
            node.kind != PlannedNodeKind::bus)
            continue;
        if (measured[i] <= 0) continue;
        const double rate = (measured[i] - sales[i]) / measured[i];
        std::string_view anomaly;
        if (node.kind == PlannedNodeKind::area && rate > 0.07) anomaly = "area_loss_high";
        if (node.kind == PlannedNodeKind::area && rate < -0.01) anomaly = "area_loss_negative";
        if (node.kind == PlannedNodeKind::feeder && rate > 0.05) anomaly = "feeder_loss_high";
        if (node.kind == PlannedNodeKind::feeder && rate < -0.01) anomaly = "feeder_loss_negative";
        if (node.kind == PlannedNodeKind::bus && std::abs(rate) > 0.02) anomaly = "bus_unbalance";
        if (anomaly.empty()) continue;
        plan.truth.push_back(TruthRow{"node", node.id, anomaly, first, last, std::round(rate * 1e4) / 1e4,
                                      fmt::format("technical_loss={:.4f}", node.loss)});
    }
}

}  // namespace gridaudit

// The Planner's loss-family injections (planner.hpp): thefts, stopped and reversed meters, customers
// filed under the wrong area, wrong customer and gateway multipliers.
namespace gridaudit::planning {

// meter_reversed: from `start` the meter registers the customer's consumption on its export
// register (reversed current circuit); the import register stands still. Customers without
// generation in theft areas (the area's loss rises as with a theft).
void Planner::inject_reversed_meters(GeneratorRng& random) {
    std::vector<int> pool = problem_customers(AreaProblem::theft, true);
    std::erase_if(pool, [&](int index) {
        const PlannedCustomer& c = plan_.customers[static_cast<std::size_t>(index)];
        return c.pv_kwp > 0 || c.daily_kwh < 1.5;
    });
    shuffle(pool, random);
    const int total = target_count(0.003, 5);
    for (int i = 0; i < total && i < static_cast<int>(pool.size()); ++i) {
        PlannedCustomer& c = plan_.customers[static_cast<std::size_t>(pool[static_cast<std::size_t>(i)])];
        c.anomalous = true;
        PlannedMeter& meter = meter_of(c);
        meter.reversed_from = date_in_window(random, 0.3, 0.85);
        add_truth("meter", meter.id, "meter_reversed", *meter.reversed_from, std::nullopt, 1.0,
                  fmt::format("customer={}", c.id));
    }
}

// A CT ratio one or two standard steps away, as when the wrong nameplate is copied.
int Planner::confused_ct_primary(int primary, GeneratorRng& random) const {
    const int position = ct_position(primary);
    int step = static_cast<int>(random.between(1, 2)) * (random.chance(0.5) ? 1 : -1);
    if (position + step < 2 || position + step >= static_cast<int>(ct_primaries.size())) step = -step;
    return ct_primaries[static_cast<std::size_t>(position + step)];
}

void Planner::inject_gateway_multiplier(int area, GeneratorRng& random) {
    PlannedNode& node = plan_.nodes[static_cast<std::size_t>(area)];
    PlannedMeter& meter = plan_.meters[static_cast<std::size_t>(node.gateway_meter)];
    meter.recorded_multiplier = confused_ct_primary(meter.ct_primary, random) / 5;
    const double magnitude =
        static_cast<double>(meter.recorded_multiplier) / static_cast<double>(meter.true_multiplier);
    add_truth("meter", meter.id, "wrong_multiplier_gateway", meter.installed_on, std::nullopt, magnitude,
              fmt::format("node={} recorded={} ct={} pt={}", node.id, meter.recorded_multiplier, meter.ct_ratio_text(),
                          meter.pt_ratio_text()));
}

void Planner::inject_bus_unbalance() {
    GeneratorRng random = rng(RandomStream::bus_anomalies);
    std::vector<int> buses;
    for (std::size_t n = 0; n < plan_.nodes.size(); ++n)
        if (plan_.nodes[n].kind == PlannedNodeKind::bus) buses.push_back(static_cast<int>(n));
    if (buses.empty()) return;
    shuffle(buses, random);
    const int total = std::max(1, static_cast<int>(std::lround(buses.size() / 8.0)));
    for (int i = 0; i < total; ++i) {
        PlannedNode& bus = plan_.nodes[static_cast<std::size_t>(buses[static_cast<std::size_t>(i)])];
        bus.unmetered_share = random.uniform(0.03, 0.08);
        bus.unmetered_from = date_in_window(random, 0.3, 0.8);
    }
}

void Planner::start_theft(PlannedCustomer& c, GeneratorRng& random) {
    c.anomalous = true;
    c.theft_start = date_in_window(random, 0.15, 0.8);
    if (random.chance(0.15)) {
        const CivilDate end = *c.theft_start + uniform_days(random, 40, std::max(41.0, 0.5 * days_));
        if (end < last_ - 10) c.theft_end = end;
    }
    c.theft_fraction = random.uniform(0.35, 0.9);
    add_truth("customer", c.id, "theft_bypass", *c.theft_start, c.theft_end, c.theft_fraction,
              fmt::format("meter={}", meter_of(c).id));
}

void Planner::inject_thefts(GeneratorRng& random) {
    const int total = target_count(0.01, 6);
    int done = 0;
    // A few on 10 kV customers: they raise the feeder's loss instead of an area's.
    if (options_.customers >= 3000) {
        std::vector<int> pool = all_customers_where([&](const PlannedCustomer& c) {
            return c.high_voltage && steady(c) && c.category != LoadCategory::large_industrial;
        });
        shuffle(pool, random);
        const int wanted = std::max(1, static_cast<int>(std::lround(0.05 * total)));
        for (int i = 0; i < wanted && i < static_cast<int>(pool.size()); ++i, ++done)
            start_theft(plan_.customers[static_cast<std::size_t>(pool[static_cast<std::size_t>(i)])], random);
    }
    std::vector<int> problem_areas;
    for (std::size_t n = 0; n < plan_.nodes.size(); ++n)
        if (plan_.nodes[n].problem == AreaProblem::theft) problem_areas.push_back(static_cast<int>(n));
    for (; done < total; ++done) {
        int chosen = -1;
        if (random.chance(0.7)) {
            // Thieves are mostly the big users of their area.
            const PlannedNode& area =
                plan_.nodes[static_cast<std::size_t>(problem_areas[random.below(problem_areas.size())])];
            double best = 0;
            for (int c : area.customers) {
                const PlannedCustomer& customer = plan_.customers[static_cast<std::size_t>(c)];
                if (steady(customer) && customer.daily_kwh >= 1.5 && customer.daily_kwh > best) {
                    best = customer.daily_kwh;
                    chosen = c;
                }
            }
        }
        if (chosen < 0) {
            std::vector<int> pool = problem_customers(AreaProblem::theft, true);
            std::erase_if(pool, [&](int c) { return plan_.customers[static_cast<std::size_t>(c)].daily_kwh < 1.5; });
            if (pool.empty()) break;
            chosen = pool[random.below(pool.size())];
        }
        start_theft(plan_.customers[static_cast<std::size_t>(chosen)], random);
    }
}

void Planner::inject_stopped_meters(GeneratorRng& random) {
    std::vector<int> pool = problem_customers(AreaProblem::theft, true);
    shuffle(pool, random);
    const int total = target_count(0.005, 5);
    for (int i = 0; i < total && i < static_cast<int>(pool.size()); ++i) {
        PlannedCustomer& c = plan_.customers[static_cast<std::size_t>(pool[static_cast<std::size_t>(i)])];
        c.anomalous = true;
        PlannedMeter& meter = meter_of(c);
        meter.stopped_from = date_in_window(random, 0.15, 0.85);
        add_truth("meter", meter.id, "meter_stopped", *meter.stopped_from, std::nullopt, 1.0,
                  fmt::format("customer={}", c.id));
    }
}

void Planner::inject_wrong_areas(GeneratorRng& random) {
    std::vector<int> pool = problem_customers(AreaProblem::records, true);
    std::erase_if(pool, [&](int c) {
        const PlannedNode& area =
            plan_.nodes[static_cast<std::size_t>(plan_.customers[static_cast<std::size_t>(c)].node)];
        return plan_.nodes[static_cast<std::size_t>(area.parent)].children.size() < 2;
    });
    shuffle(pool, random);
    const int total = target_count(0.005, 5);
    for (int i = 0; i < total && i < static_cast<int>(pool.size()); ++i) {
        PlannedCustomer& c = plan_.customers[static_cast<std::size_t>(pool[static_cast<std::size_t>(i)])];
        const auto& siblings =
            plan_.nodes[static_cast<std::size_t>(plan_.nodes[static_cast<std::size_t>(c.node)].parent)].children;
        // The supplying area is a neighbour on the same feeder: a record area if there is one, else
        // another problem area, so that clean areas stay clean.
        std::vector<int> others;
        for (AreaProblem wanted : {AreaProblem::records, AreaProblem::theft, AreaProblem::none}) {
            for (int sibling : siblings)
                if (sibling != c.node && plan_.nodes[static_cast<std::size_t>(sibling)].problem == wanted)
                    others.push_back(sibling);
            if (!others.empty()) break;
        }
        c.anomalous = true;
        c.physical_node = others[random.below(others.size())];
        // Either supplied by the other area from the start, or moved by a cut-over the records missed.
        c.physical_from = random.chance(0.5) ? c.supply_start : date_in_window(random, 0.2, 0.8);
        add_truth("customer", c.id, "wrong_area", c.physical_from, std::nullopt, 1.0,
                  plan_.nodes[static_cast<std::size_t>(c.physical_node)].id);
    }
}

void Planner::inject_wrong_customer_multipliers(GeneratorRng& random) {
    bool records = false;
    for (const auto& node : plan_.nodes) records = records || node.problem == AreaProblem::records;
    const AreaProblem record_problem = records ? AreaProblem::records : AreaProblem::theft;
    std::vector<int> pool = all_customers_where([&](const PlannedCustomer& c) {
        if (!steady(c)) return false;
        if (c.connection == MeterConnection::high_voltage_ct_pt) return true;
        return c.connection == MeterConnection::low_voltage_ct &&
               plan_.nodes[static_cast<std::size_t>(c.node)].problem == record_problem;
    });
    shuffle(pool, random);
    // About a third on 10 kV customers (they distort a feeder's balance), the rest on low-voltage CT
    // customers (an area's).
    std::vector<int> low_voltage;
    std::vector<int> high_voltage;
    for (int c : pool)
        (plan_.customers[static_cast<std::size_t>(c)].connection == MeterConnection::high_voltage_ct_pt ? high_voltage
                                                                                                        : low_voltage)
            .push_back(c);
    const int total = std::min(target_count(0.003, 5), std::max(1, static_cast<int>(pool.size()) / 3));
    std::size_t take_high = std::min(high_voltage.size(), static_cast<std::size_t>(std::max(1, total / 3)));
    const std::size_t take_low = std::min(low_voltage.size(), static_cast<std::size_t>(total) - take_high);
    take_high = std::min(high_voltage.size(), static_cast<std::size_t>(total) - take_low);
    std::vector<int> chosen(low_voltage.begin(), low_voltage.begin() + static_cast<std::ptrdiff_t>(take_low));
    chosen.insert(chosen.end(), high_voltage.begin(), high_voltage.begin() + static_cast<std::ptrdiff_t>(take_high));
    for (std::size_t i = 0; i < chosen.size(); ++i) {
        PlannedCustomer& c = plan_.customers[static_cast<std::size_t>(chosen[i])];
        c.anomalous = true;
        PlannedMeter& meter = meter_of(c);
        const std::int64_t pt = meter.pt_primary > 0 ? meter.pt_primary / 100 : 1;
        const double r = random.uniform();
        if (meter.pt_primary > 0 && r < 0.25) {
            meter.recorded_multiplier = meter.ct_primary / 5;  // PT ratio left out
        } else if (r < 0.35) {
            meter.recorded_multiplier = 1;  // multiplier never entered
        } else {
            meter.recorded_multiplier = confused_ct_primary(meter.ct_primary, random) / 5 * pt;
        }
        const double magnitude =
            static_cast<double>(meter.recorded_multiplier) / static_cast<double>(meter.true_multiplier);
        add_truth("meter", meter.id, "wrong_multiplier_customer", meter.installed_on, std::nullopt, magnitude,
                  fmt::format("customer={} recorded={} ct={} pt={}", c.id, meter.recorded_multiplier,
                              meter.ct_ratio_text(), meter.pt_ratio_text()));
    }
}

}  // namespace gridaudit::planning
