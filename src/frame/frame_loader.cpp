// Builds RegionFrames from the store: master data into columns, regions split at substations.
#include "frame/frame_loader.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <tuple>
#include <unordered_map>

#include "frame/billing_loader.hpp"
#include "frame/daily_window.hpp"
#include "frame/meter_event_loader.hpp"
#include "frame/row_reader.hpp"
#include "frame/work_order_loader.hpp"
#include "model/import_contract.hpp"
#include "store/master_columns.hpp"
#include "store/selective_reads.hpp"

namespace gridaudit {
namespace {

constexpr double missing = std::numeric_limits<double>::quiet_NaN();

NodeKind node_kind_of(std::string_view code) {
    if (code == "substation") return NodeKind::substation;
    if (code == "bus") return NodeKind::bus;
    if (code == "feeder") return NodeKind::feeder;
    return NodeKind::area;
}

struct NodeRecord {
    std::string id, parent, kind, name, gateway_meter;
    double rated_kva = missing;
    std::string unit_id;
};

// The substation each node belongs to ("" when its chain of parents reaches none).
std::vector<std::string> substation_of_nodes(const std::vector<NodeRecord>& nodes,
                                             const std::unordered_map<std::string, std::size_t>& position) {
    std::vector<std::string> result(nodes.size());
    std::vector<char> resolved(nodes.size(), 0);
    for (std::size_t start = 0; start < nodes.size(); ++start) {
        std::vector<std::size_t> chain;
        std::size_t at = start;
        std::string found;
        // Walk up until a substation, a resolved node, a missing parent or a cycle (bounded by size).
        for (std::size_t steps = 0; steps <= nodes.size(); ++steps) {
            if (resolved[at]) {
                found = result[at];
                break;
            }
            chain.push_back(at);
            if (nodes[at].kind == "substation") {
                found = nodes[at].id;
                break;
            }
            const auto parent = position.find(nodes[at].parent);
            if (parent == position.end()) break;
            at = parent->second;
        }
        for (std::size_t node : chain) {
            result[node] = found;
            resolved[node] = 1;
        }
    }
    return result;
}

// Orders billing reads by (meter, day), keeping equal keys in their stored order.
void sort_by_meter_and_day(BillingReadColumns& reads) {
    std::vector<std::size_t> order(reads.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return std::tie(reads.meter[a], reads.read_on[a]) < std::tie(reads.meter[b], reads.read_on[b]);
    });
    BillingReadColumns sorted;
    for (const std::size_t i : order)
        sorted.push(reads.meter[i], reads.read_on[i], reads.value[i], reads.source[i], std::move(reads.reader_id[i]),
                    std::move(reads.reader_team[i]), reads.peak[i], reads.flat[i], reads.valley[i]);
    reads = std::move(sorted);
}

struct RegionBuilder {
    RegionFrame frame;
    std::unordered_map<std::string, std::uint32_t> node_position;
    std::unordered_map<std::string, std::uint32_t> meter_position;
};

}  // namespace

Result<std::vector<RegionFrame>> load_region_frames(Store& store, const FrameOptions& options) {
    const TableSpec& bill_spec = *find_table("bills");
    const TableSpec& read_spec = *find_table("register_reads");
    const TableSpec& staff_spec = *find_table("staff");

    GA_ASSIGN_OR_RETURN(const MasterColumns master, read_master_columns(store, options.master_details));
    std::vector<Row> bill_rows, read_rows, staff_rows;
    if (options.bill_periods.empty()) {
        GA_ASSIGN_OR_RETURN(bill_rows, store.read_rows(bill_spec));
    } else {
        GA_ASSIGN_OR_RETURN(bill_rows, read_selected_rows(store, bill_spec,
                                                          RowSelection{{}, "period", options.bill_periods}));
    }
    if (options.load_billing_reads) {
        GA_ASSIGN_OR_RETURN(read_rows, store.read_rows(read_spec));
        GA_ASSIGN_OR_RETURN(staff_rows, store.read_rows(staff_spec));
    }

    // Network and regions.
    const NetworkTable& network = master.network;
    std::vector<NodeRecord> nodes;
    nodes.reserve(network.size());
    std::unordered_map<std::string, std::size_t> node_row;
    node_row.reserve(network.size());
    for (std::size_t n = 0; n < network.size(); ++n) {
        NodeRecord node{network.node_id[n],          network.parent_id[n], network.kind[n], network.name[n],
                        network.gateway_meter_id[n], network.rated_kva[n], network.unit_id[n]};
        node_row.emplace(node.id, nodes.size());
        nodes.push_back(std::move(node));
    }
    const std::vector<std::string> substation = substation_of_nodes(nodes, node_row);

    std::vector<std::string> region_ids;
    std::unordered_map<std::string, std::size_t> region_position;
    std::vector<std::size_t> region_of_node(nodes.size());
    for (std::size_t n = 0; n < nodes.size(); ++n) {
        if (!region_position.contains(substation[n])) {
            region_position.emplace(substation[n], region_ids.size());
            region_ids.push_back(substation[n]);
        }
        region_of_node[n] = region_position[substation[n]];
    }
    std::vector<RegionBuilder> regions(region_ids.size());
    for (std::size_t r = 0; r < regions.size(); ++r) regions[r].frame.substation_id = region_ids[r];
    std::vector<char> wanted(regions.size(), 1);  // the regions returned (FrameOptions::regions)
    if (options.regions)
        for (std::size_t r = 0; r < regions.size(); ++r)
            wanted[r] = std::find(options.regions->begin(), options.regions->end(), region_ids[r]) !=
                        options.regions->end();

    for (std::size_t n = 0; n < nodes.size(); ++n) {
        RegionBuilder& region = regions[region_of_node[n]];
        NetworkColumns& columns = region.frame.network;
        region.node_position.emplace(nodes[n].id, static_cast<std::uint32_t>(columns.size()));
        columns.id.push_back(nodes[n].id);
        columns.kind.push_back(node_kind_of(nodes[n].kind));
        columns.name.push_back(nodes[n].name);
        columns.rated_kva.push_back(nodes[n].rated_kva);
        columns.unit_id.push_back(nodes[n].unit_id);
    }
    std::vector<std::uint32_t> node_in_region(nodes.size());  // each node's position in its region
    for (std::size_t n = 0; n < nodes.size(); ++n) {
        RegionBuilder& region = regions[region_of_node[n]];
        node_in_region[n] = region.node_position[nodes[n].id];
        const auto parent = region.node_position.find(nodes[n].parent);
        region.frame.network.parent.push_back(parent == region.node_position.end() ? NodeIndex()
                                                                                   : NodeIndex(parent->second));
    }

    // Customers, sorted by node so an area's customers are adjacent; each one's home (region and
    // position there) by its row in the table.
    const CustomerTable& customer_table = master.customers;
    const std::size_t customer_count = customer_table.size();
    const bool customer_details = customer_table.name.size() == customer_count;
    std::vector<std::size_t> customer_order(customer_count);
    std::iota(customer_order.begin(), customer_order.end(), 0);
    std::vector<std::size_t> customer_node_row(customer_count);  // looked up once, not in the sort
    for (std::size_t c = 0; c < customer_count; ++c) {
        const auto found = node_row.find(customer_table.node_id[c]);
        customer_node_row[c] = found == node_row.end() ? nodes.size() : found->second;
    }
    std::stable_sort(customer_order.begin(), customer_order.end(),
                     [&](std::size_t a, std::size_t b) { return customer_node_row[a] < customer_node_row[b]; });
    constexpr std::uint32_t no_home = std::numeric_limits<std::uint32_t>::max();
    std::vector<std::uint32_t> customer_region(customer_count, no_home), customer_index(customer_count, no_home);
    for (std::size_t c : customer_order) {
        const std::size_t node = customer_node_row[c];
        if (node == nodes.size()) continue;  // the importer guarantees the reference; skip defensively
        const std::size_t region_index = region_of_node[node];
        CustomerColumns& columns = regions[region_index].frame.customers;
        customer_region[c] = static_cast<std::uint32_t>(region_index);
        customer_index[c] = static_cast<std::uint32_t>(columns.size());
        columns.id.push_back(customer_table.customer_id[c]);
        columns.node.push_back(NodeIndex(node_in_region[node]));
        columns.category.push_back(customer_table.category[c]);
        if (customer_details) {
            columns.name.push_back(customer_table.name[c]);
            columns.address.push_back(customer_table.address[c]);
            columns.unit_id.push_back(customer_table.unit_id[c]);
            columns.industry.push_back(customer_table.industry[c]);
            columns.voltage_kv.push_back(customer_table.voltage_kv[c]);
            columns.contracted_kva.push_back(customer_table.contracted_kva[c]);
            columns.tariff_id.push_back(customer_table.tariff_id[c]);
            columns.pf_standard.push_back(customer_table.pf_standard[c]);
            columns.status.push_back(customer_table.status[c]);
            columns.supply_start.push_back(customer_table.supply_start[c]);
            columns.supply_end.push_back(customer_table.supply_end[c]);
        }
    }
    if (!customer_details) {
        for (RegionBuilder& region : regions) {
            CustomerColumns& columns = region.frame.customers;
            const std::size_t size = columns.size();
            for (auto* text : {&columns.name, &columns.address, &columns.unit_id, &columns.industry,
                               &columns.tariff_id, &columns.status})
                text->resize(size);
            for (auto* number : {&columns.voltage_kv, &columns.contracted_kva, &columns.pf_standard})
                number->assign(size, missing);
            columns.supply_start.resize(size);
            columns.supply_end.resize(size);
        }
    }
    // A customer's row in the table by its id (the table is in id order).
    const auto customer_row_of = [&](const std::string& id) -> std::size_t {
        const auto found = std::lower_bound(customer_table.customer_id.begin(), customer_table.customer_id.end(), id);
        return found != customer_table.customer_id.end() && *found == id
                   ? static_cast<std::size_t>(found - customer_table.customer_id.begin())
                   : customer_count;
    };

    // Meters.
    const MeterTable& meter_table = master.meters;
    const bool meter_details = meter_table.model.size() == meter_table.size();
    for (std::size_t m = 0; m < meter_table.size(); ++m) {
        const std::string& customer_id = meter_table.customer_id[m];
        std::size_t region_index;
        std::uint32_t customer = no_home;
        if (!customer_id.empty()) {
            const std::size_t row = customer_row_of(customer_id);
            if (row == customer_count || customer_region[row] == no_home) continue;
            region_index = customer_region[row];
            customer = customer_index[row];
        } else {
            const auto found = node_row.find(meter_table.node_id[m]);
            if (found == node_row.end()) continue;
            region_index = region_of_node[found->second];
        }
        RegionBuilder& region = regions[region_index];
        MeterColumns& columns = region.frame.meters;
        region.meter_position.emplace(meter_table.meter_id[m], static_cast<std::uint32_t>(columns.size()));
        columns.id.push_back(meter_table.meter_id[m]);
        if (customer != no_home) {
            columns.customer.push_back(CustomerIndex(customer));
            columns.node.push_back(region.frame.customers.node[customer]);
            columns.is_gateway.push_back(false);
        } else {
            columns.customer.push_back(CustomerIndex());
            columns.node.push_back(NodeIndex(node_in_region[node_row.find(meter_table.node_id[m])->second]));
            columns.is_gateway.push_back(true);
        }
        columns.multiplier.push_back(meter_table.multiplier[m]);
        columns.installed_on.push_back(meter_table.installed_on[m]);
        columns.removed_on.push_back(meter_table.removed_on[m]);
        if (meter_details) {
            columns.model.push_back(meter_table.model[m]);
            columns.accuracy_class.push_back(meter_table.accuracy_class[m]);
            columns.phases.push_back(meter_table.phases[m]);
            columns.rated_current.push_back(meter_table.rated_current[m]);
            columns.ct_ratio_text.push_back(meter_table.ct_ratio[m]);
            columns.pt_ratio_text.push_back(meter_table.pt_ratio[m]);
            columns.ct_ratio.push_back(ratio_value(columns.ct_ratio_text.back()));
            columns.pt_ratio.push_back(ratio_value(columns.pt_ratio_text.back()));
            columns.ct_class.push_back(meter_table.ct_class[m]);
            columns.pt_class.push_back(meter_table.pt_class[m]);
            columns.last_tested_on.push_back(meter_table.last_tested_on[m]);
        }
    }
    if (!meter_details) {
        for (RegionBuilder& region : regions) {
            MeterColumns& columns = region.frame.meters;
            const std::size_t size = columns.size();
            for (auto* text : {&columns.model, &columns.accuracy_class, &columns.ct_ratio_text, &columns.pt_ratio_text,
                               &columns.ct_class, &columns.pt_class})
                text->resize(size);
            columns.phases.assign(size, 0);
            for (auto* number : {&columns.rated_current, &columns.ct_ratio, &columns.pt_ratio})
                number->assign(size, missing);
            columns.last_tested_on.resize(size);
        }
    }
    for (RegionBuilder& region : regions) {
        NetworkColumns& columns = region.frame.network;
        columns.gateway_meter.resize(columns.size());
        for (std::size_t n = 0; n < columns.size(); ++n) {
            const auto& gateway = nodes[node_row[columns.id[n]]].gateway_meter;
            const auto found = region.meter_position.find(gateway);
            if (found != region.meter_position.end()) columns.gateway_meter[n] = MeterIndex(found->second);
        }
    }

    // Largest monthly billed energy over the look-back window.
    const RowReader bills(bill_spec);
    std::optional<Period> latest;
    for (const Row& row : bill_rows) {
        const auto period = RowReader::period(row, bills.index("period"));
        if (period && (!latest || *period > *latest)) latest = period;
    }
    for (RegionBuilder& region : regions)
        region.frame.max_monthly_kwh.assign(region.frame.customers.size(), missing);
    if (latest) {
        const Period earliest = *latest - (options.bill_lookback_months - 1);
        for (const Row& row : bill_rows) {
            const auto period = RowReader::period(row, bills.index("period"));
            if (!period || *period < earliest) continue;
            const std::size_t customer = customer_row_of(RowReader::text(row, bills.index("customer_id")));
            if (customer == customer_count || customer_region[customer] == no_home) continue;
            double& slot = regions[customer_region[customer]].frame.max_monthly_kwh[customer_index[customer]];
            const double kwh = RowReader::number(row, bills.index("kwh_total"));
            if (!std::isnan(kwh) && (std::isnan(slot) || kwh > slot)) slot = kwh;
        }
    }

    // Billing reads of the total register, with the reader's team.
    const RowReader staff(staff_spec);
    std::unordered_map<std::string, std::string> team_of_staff;
    for (const Row& row : staff_rows)
        team_of_staff.emplace(RowReader::text(row, staff.index("staff_id")), RowReader::text(row, staff.index("unit_id")));
    std::unordered_map<std::string, std::pair<std::size_t, std::uint32_t>> meter_home;  // id -> (region, index)
    for (std::size_t r = 0; r < regions.size() && !read_rows.empty(); ++r)
        for (const auto& [id, index] : regions[r].meter_position) meter_home.emplace(id, std::make_pair(r, index));
    const RowReader reads(read_spec);
    const int read_meter = reads.index("meter_id"), read_register = reads.index("register"),
              read_day = reads.index("read_on"), read_value = reads.index("value"), read_source = reads.index("source"),
              read_reader = reads.index("reader_id");
    // Time-of-use registers by (meter id, day), attached to the total register's read of that day.
    struct TouReading {
        double peak = missing, flat = missing, valley = missing;
    };
    std::unordered_map<std::string, TouReading> tou_readings;
    for (const Row& row : read_rows) {
        const std::string register_code = RowReader::text(row, read_register);
        if (register_code != "peak" && register_code != "flat" && register_code != "valley") continue;
        const auto day = RowReader::date(row, read_day);
        if (!day) continue;
        TouReading& reading = tou_readings[RowReader::text(row, read_meter) + '|' + day->to_string()];
        const double value = RowReader::number(row, read_value);
        (register_code == "peak" ? reading.peak : register_code == "flat" ? reading.flat : reading.valley) = value;
    }
    for (const Row& row : read_rows) {
        if (RowReader::text(row, read_register) != "total") continue;
        const auto home = meter_home.find(RowReader::text(row, read_meter));
        const auto day = RowReader::date(row, read_day);
        if (home == meter_home.end() || !day) continue;
        const std::string source = RowReader::text(row, read_source);
        const std::string reader = RowReader::text(row, read_reader);
        const auto team = team_of_staff.find(reader);
        TouReading tou;
        if (!tou_readings.empty())
            if (const auto found = tou_readings.find(home->first + '|' + day->to_string()); found != tou_readings.end())
                tou = found->second;
        regions[home->second.first].frame.billing_reads.push(
            MeterIndex(home->second.second), *day, RowReader::number(row, read_value),
            source == "manual" ? ReadSource::manual : source == "estimated" ? ReadSource::estimated : ReadSource::ami,
            reader, team == team_of_staff.end() ? std::string() : team->second, tou.peak, tou.flat, tou.valley);
    }
    for (RegionBuilder& region : regions) sort_by_meter_and_day(region.frame.billing_reads);

    // Daily series.
    if (options.load_daily) {
        GA_ASSIGN_OR_RETURN(const auto range, store.daily_range());
        if (range) {
            const CivilDate last = range->second;
            const CivilDate whole_first = std::max(range->first, last - (options.daily_lookback_days - 1));
            CivilDate first = whole_first;
            if (options.daily_needed_from)
                first = std::clamp(*options.daily_needed_from - std::max(1, options.daily_anchor_days), whole_first,
                                   last);
            for (std::size_t r = 0; r < regions.size(); ++r) {
                RegionBuilder& region = regions[r];
                if (region.frame.meters.size() == 0 || !wanted[r]) continue;
                GA_ASSIGN_OR_RETURN(region.frame.daily, store.load_daily(region.frame.meters.id, first, last));
                if (first > whole_first &&
                    !usage_anchored_at_start(region.frame.meters, region.frame.daily, *options.daily_needed_from)) {
                    GA_ASSIGN_OR_RETURN(region.frame.daily,
                                        store.load_daily(region.frame.meters.id, whole_first, last));
                }
            }
        }
    }

    // Interval series: one load of every meter with intervals, split by region.
    if (options.load_intervals) {
        GA_ASSIGN_OR_RETURN(const auto range, store.daily_range());
        if (range) {
            const CivilDate last = range->second;
            const CivilDate first = std::max(range->first, last - (std::max(1, options.interval_lookback_days) - 1));
            GA_ASSIGN_OR_RETURN(const IntervalMatrix all, store.load_intervals({}, first, last, options.utc_offset_minutes));
            std::unordered_map<std::string, std::pair<std::size_t, std::uint32_t>> home;  // id -> (region, index)
            for (std::size_t r = 0; r < regions.size(); ++r)
                for (const auto& [id, index] : regions[r].meter_position)
                    if (wanted[r]) home.emplace(id, std::make_pair(r, index));
            std::vector<std::int64_t> region_row(all.meter_count(), -1);  // row of each loaded meter in its region
            for (RegionBuilder& region : regions) {
                IntervalMatrix& matrix = region.frame.intervals;
                matrix.first_day = all.first_day;
                matrix.day_count = all.day_count;
                matrix.utc_offset_minutes = all.utc_offset_minutes;
            }
            const std::size_t length = all.row_length();
            const auto days = static_cast<std::size_t>(all.day_count);
            for (std::size_t m = 0; m < all.meter_count(); ++m) {
                const auto found = home.find(all.meter_ids[m]);
                if (found == home.end()) continue;  // a meter outside every region
                RegionFrame& frame = regions[found->second.first].frame;
                IntervalMatrix& matrix = frame.intervals;
                region_row[m] = static_cast<std::int64_t>(matrix.meter_count());
                frame.interval_meter.push_back(MeterIndex(found->second.second));
                matrix.meter_ids.push_back(all.meter_ids[m]);
                const auto row = static_cast<std::ptrdiff_t>(m);
                matrix.kwh.insert(matrix.kwh.end(), all.kwh.begin() + row * static_cast<std::ptrdiff_t>(length),
                                  all.kwh.begin() + (row + 1) * static_cast<std::ptrdiff_t>(length));
                matrix.flags.insert(matrix.flags.end(), all.flags.begin() + row * static_cast<std::ptrdiff_t>(length),
                                    all.flags.begin() + (row + 1) * static_cast<std::ptrdiff_t>(length));
                matrix.stored.insert(matrix.stored.end(), all.stored.begin() + row * static_cast<std::ptrdiff_t>(days),
                                     all.stored.begin() + (row + 1) * static_cast<std::ptrdiff_t>(days));
                matrix.coarse_intervals.push_back(all.coarse_intervals[m]);
            }
            for (std::size_t i = 0; i < all.off_grid_start.size(); ++i) {
                const std::uint32_t m = all.off_grid_meter[i];
                if (region_row[m] < 0) continue;
                IntervalMatrix& matrix = regions[home.find(all.meter_ids[m])->second.first].frame.intervals;
                matrix.off_grid_meter.push_back(static_cast<std::uint32_t>(region_row[m]));
                matrix.off_grid_start.push_back(all.off_grid_start[i]);
            }
        }
    }

    std::vector<RegionFrame> frames;
    frames.reserve(regions.size());
    for (std::size_t r = 0; r < regions.size(); ++r)
        if (wanted[r]) frames.push_back(std::move(regions[r].frame));
    if (options.load_billing) GA_TRY(attach_billing(store, bill_rows, frames, options.bill_periods.empty()));
    if (options.load_work_orders) GA_TRY(attach_work_orders(store, frames));
    if (options.load_meter_events) GA_TRY(attach_meter_events(store, frames, options.utc_offset_minutes));
    return frames;
}

Result<std::vector<std::string>> region_ids(Store& store) {
    GA_ASSIGN_OR_RETURN(const MasterColumns master, read_master_columns(store, false));
    const NetworkTable& network = master.network;
    std::vector<NodeRecord> nodes;
    std::unordered_map<std::string, std::size_t> node_row;
    for (std::size_t n = 0; n < network.size(); ++n) {
        node_row.emplace(network.node_id[n], nodes.size());
        nodes.push_back(NodeRecord{network.node_id[n], network.parent_id[n], network.kind[n], network.name[n],
                                   network.gateway_meter_id[n], network.rated_kva[n], network.unit_id[n]});
    }
    std::vector<std::string> ids;
    for (const std::string& substation : substation_of_nodes(nodes, node_row))
        if (std::find(ids.begin(), ids.end(), substation) == ids.end()) ids.push_back(substation);
    return ids;
}

}  // namespace gridaudit
