// Planning of the synthetic utility: customer mix, network, org units and staff, supply dates,
// meters and node sizing, and the order of the anomaly injections (whose steps are in the
// *_anomaly_plan.cpp files of their families) and of the work orders (process_anomaly_plan.cpp).
#include "generator/utility_plan.hpp"

#include "generator/loss_anomaly_plan.hpp"
#include "generator/master_anomaly_plan.hpp"
#include "generator/meter_anomaly_plan.hpp"
#include "generator/planner.hpp"
#include "generator/process_anomaly_plan.hpp"

namespace gridaudit {
namespace planning {

Planner::Planner(const GeneratorOptions& options) : options_(options) {
    plan_.seed = options.seed;
    plan_.days = options.days;
    plan_.last_day = options.last_day;
    plan_.first_day = options.last_day - (options.days - 1);
    plan_.payments_cutoff = options.last_day + 20;
    first_ = plan_.first_day;
    last_ = plan_.last_day;
    days_ = options.days;
    years_ = days_ / days_per_year;
    // Month ends on which billing reads are taken: the one before the first whole month, then each.
    CivilDate end = Period::of(first_).first_day() == first_ ? first_ - 1 : Period::of(first_).last_day();
    for (; end <= last_; end = (Period::of(end) + 1).last_day()) month_ends_.push_back(end);
}

UtilityPlan Planner::run() {
    draft_customers();
    build_network();
    build_org_units();
    order_customers();
    name_nodes();
    plan_staff();
    plan_supply_and_meters();
    size_nodes();
    inject_anomalies();
    plan_work_orders();
    inject_billing_anomalies();
    plan_process_anomalies(plan_, options_.customers);
    plan_master_anomalies(plan_, options_.customers);
    plan_meter_anomalies(plan_, options_.customers);
    plan_loss_node_truth(plan_);  // after every anomaly that moves a balance
    for (const auto& customer : plan_.customers) plan_.tariff_used[static_cast<std::size_t>(customer.tariff)] = true;
    return std::move(plan_);
}

GeneratorRng Planner::rng(RandomStream stream, std::uint64_t index) const {
    return GeneratorRng(options_.seed, stream, index);
}

std::int32_t Planner::uniform_days(GeneratorRng& random, double low, double high) const {
    return static_cast<std::int32_t>(std::floor(random.uniform(low, high)));
}

void Planner::draft_customers() {
    const int n = options_.customers;
    const int large_industrial = std::max(2, static_cast<int>(std::lround(0.005 * n)));
    const int temporary = std::max(2, static_cast<int>(std::lround(0.005 * n)));
    const int agricultural = static_cast<int>(std::lround(0.02 * n));
    const int industrial = static_cast<int>(std::lround(0.04 * n));
    const int commercial = static_cast<int>(std::lround(0.08 * n));
    std::vector<LoadCategory> categories;
    categories.reserve(static_cast<std::size_t>(n));
    auto add = [&](LoadCategory category, int count) {
        for (int i = 0; i < count; ++i) categories.push_back(category);
    };
    add(LoadCategory::large_industrial, large_industrial);
    add(LoadCategory::temporary, temporary);
    add(LoadCategory::agricultural, agricultural);
    add(LoadCategory::industrial, industrial);
    add(LoadCategory::commercial, commercial);
    add(LoadCategory::residential, n - static_cast<int>(categories.size()));
    GeneratorRng order = rng(RandomStream::categories);
    shuffle(categories, order);

    drafts_.resize(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
        GeneratorRng random = rng(RandomStream::customer_attributes, static_cast<std::uint64_t>(i));
        PlannedCustomer& c = drafts_[static_cast<std::size_t>(i)];
        c.category = c.usage = categories[static_cast<std::size_t>(i)];
        const auto& options = capacity_options(c.category);
        std::vector<double> weights;
        for (const auto& option : options) weights.push_back(option.weight);
        const CapacityOption& option = options[random.weighted(weights)];
        c.contracted_kva = option.kva;
        c.high_voltage = option.high_voltage;
        c.connection = connection_for(c.category, c.contracted_kva, c.high_voltage);
        c.voltage_kv = c.high_voltage ? 10.0 : (c.connection == MeterConnection::single_phase ? 0.22 : 0.38);
        c.tariff = c.correct_tariff = tariff_for(c.category, c.high_voltage);
        c.pf_standard = pf_standard_for(c.category, c.contracted_kva, c.high_voltage);
        const double kva = c.contracted_kva;
        switch (c.category) {
            case LoadCategory::residential:
                c.vacant = random.chance(0.02);
                if (c.vacant) {
                    c.daily_kwh = random.uniform(0.15, 0.6);
                } else {
                    c.daily_kwh = random.lognormal(5.0, 0.55) * (kva >= 16 ? 2.5 : 1.0);
                    c.daily_kwh = std::clamp(c.daily_kwh, 0.8, kva * 24 * 0.12);
                }
                c.season_sensitivity = random.uniform(0.4, 1.4);
                break;
            case LoadCategory::commercial:
                c.daily_kwh = kva * random.uniform(2.5, 7.0);
                break;
            case LoadCategory::industrial:
                c.daily_kwh = kva * random.uniform(3.0, 9.0);
                break;
            case LoadCategory::large_industrial:
                c.daily_kwh = kva * random.uniform(5.5, 12.0);
                break;
            case LoadCategory::agricultural:
                c.daily_kwh = kva * random.uniform(1.0, 3.0);
                break;
            case LoadCategory::temporary:
                c.daily_kwh = kva * random.uniform(2.0, 5.0);
                break;
        }
        if (c.category != LoadCategory::residential) c.season_sensitivity = random.uniform(0.7, 1.2);
        c.power_factor = random.chance(0.88) ? random.uniform(0.90, 0.975) : random.uniform(0.74, 0.88);
        if (c.category == LoadCategory::large_industrial) c.power_factor = random.uniform(0.91, 0.98);
        if (c.category == LoadCategory::residential && c.connection == MeterConnection::single_phase && !c.vacant &&
            random.chance(0.006))
            c.pv_kwp = random.uniform(3.0, 8.0);
        if ((c.category == LoadCategory::commercial || c.category == LoadCategory::industrial) && !c.high_voltage &&
            c.connection != MeterConnection::single_phase && random.chance(0.03))
            c.pv_kwp = kva * random.uniform(0.2, 0.5);
        const TouShares shares = tou_shares(c.usage);
        c.peak_share = shares.peak * (1 + 0.06 * random.normal());
        c.valley_share = shares.valley * (1 + 0.06 * random.normal());
        c.late_payer = random.chance(0.07);
        c.channel = static_cast<int>(random.weighted(std::array<double, 5>{0.15, 0.10, 0.45, 0.10, 0.20}));
    }
}

int Planner::add_node(PlannedNodeKind kind, int parent) {
    PlannedNode node;
    node.kind = kind;
    node.parent = parent;
    plan_.nodes.push_back(std::move(node));
    const int index = static_cast<int>(plan_.nodes.size()) - 1;
    if (parent >= 0) plan_.nodes[static_cast<std::size_t>(parent)].children.push_back(index);
    return index;
}

void Planner::build_network() {
    GeneratorRng random = rng(RandomStream::network);
    std::vector<int> low_voltage;
    std::vector<int> high_voltage;
    for (int i = 0; i < static_cast<int>(drafts_.size()); ++i)
        (drafts_[static_cast<std::size_t>(i)].high_voltage ? high_voltage : low_voltage).push_back(i);
    shuffle(low_voltage, random);

    // Transformer areas of 30..300 customers: rural small, town middle, urban large.
    std::vector<std::vector<int>> areas;
    std::size_t position = 0;
    while (position < low_voltage.size()) {
        const std::size_t remaining = low_voltage.size() - position;
        const double r = random.uniform();
        std::size_t size = static_cast<std::size_t>(r < 0.35  ? random.between(30, 80)
                                                    : r < 0.8 ? random.between(80, 180)
                                                              : random.between(180, 300));
        if (remaining < size + 30) size = remaining <= 300 ? remaining : remaining - 30;
        areas.emplace_back(low_voltage.begin() + static_cast<std::ptrdiff_t>(position),
                           low_voltage.begin() + static_cast<std::ptrdiff_t>(position + size));
        position += size;
    }

    const int area_count = static_cast<int>(areas.size());
    const int substation_count =
        std::clamp(static_cast<int>(std::lround(options_.customers / 20000.0)), 1, std::max(1, area_count));
    std::vector<int> feeders;
    for (int s = 0; s < substation_count; ++s) {
        const int first = s * area_count / substation_count;
        const int last = (s + 1) * area_count / substation_count;
        const int substation = add_node(PlannedNodeKind::substation, -1);
        plan_.substations.push_back(substation);
        const int half = first + (last - first + 1) / 2;
        for (int b = 0; b < 2; ++b) {
            const int bus = add_node(PlannedNodeKind::bus, substation);
            const int bus_first = b == 0 ? first : half;
            const int bus_last = b == 0 ? half : last;
            const int bus_areas = bus_last - bus_first;
            const int feeder_count = std::clamp(static_cast<int>(std::lround(bus_areas / 5.0)), 1, 15);
            for (int f = 0; f < feeder_count; ++f) {
                const int feeder = add_node(PlannedNodeKind::feeder, bus);
                feeders.push_back(feeder);
                for (int a = bus_first + f * bus_areas / feeder_count;
                     a < bus_first + (f + 1) * bus_areas / feeder_count; ++a) {
                    const int area = add_node(PlannedNodeKind::area, feeder);
                    draft_members_.resize(plan_.nodes.size());
                    draft_members_[static_cast<std::size_t>(area)] = areas[static_cast<std::size_t>(a)];
                }
            }
        }
    }
    draft_members_.resize(plan_.nodes.size());
    for (int customer : high_voltage) {
        const int feeder = feeders[random.below(feeders.size())];
        draft_members_[static_cast<std::size_t>(feeder)].push_back(customer);
    }
    feeders_ = feeders;
}

int Planner::add_unit(std::string id, int parent, std::string name, std::string_view kind) {
    plan_.units.push_back(PlannedUnit{std::move(id), parent, std::move(name), kind});
    return static_cast<int>(plan_.units.size()) - 1;
}

std::string Planner::town_of_station(int station_number) const {
    const auto& town = towns[static_cast<std::size_t>(station_number) % towns.size()];
    const int round = station_number / static_cast<int>(towns.size());
    return round == 0 ? std::string(town) : fmt::format("{} {}", town, round + 1);
}

void Planner::build_org_units() {
    const int company = add_unit("U01", -1, "Donghai Provincial Electric Power Company", "company");
    county_ = add_unit("U0101", company, "Qingshan County Power Supply Company", "county");
    inspection_team_ = add_unit("U0101T01", county_, "Qingshan Marketing Inspection Team", "team");
    fee_center_ = add_unit("U0101T02", county_, "Qingshan Fee Management Center", "team");
    const int feeder_count = static_cast<int>(feeders_.size());
    const int station_count =
        std::clamp(static_cast<int>(std::lround(options_.customers / 4000.0)), 1, std::max(1, feeder_count));
    for (int s = 0; s < station_count; ++s) {
        const std::string town = town_of_station(s);
        const std::string id = fmt::format("U0101{:03}", s + 1);
        const int station = add_unit(id, county_, town + " Power Supply Station", "station");
        stations_.push_back(station);
        station_towns_.push_back(town);
        reading_teams_.push_back(add_unit(id + "01", station, town + " Meter Reading Team", "team"));
        service_teams_.push_back(add_unit(id + "02", station, town + " Service and Installation Team", "team"));
    }
    for (int f = 0; f < feeder_count; ++f) {
        const int station = f * station_count / feeder_count;
        PlannedNode& feeder = plan_.nodes[static_cast<std::size_t>(feeders_[static_cast<std::size_t>(f)])];
        feeder.station = station;
        feeder.unit = stations_[static_cast<std::size_t>(station)];
        for (int area : feeder.children) {
            plan_.nodes[static_cast<std::size_t>(area)].station = station;
            plan_.nodes[static_cast<std::size_t>(area)].unit = stations_[static_cast<std::size_t>(station)];
        }
    }
    for (auto& node : plan_.nodes) {
        if (node.kind == PlannedNodeKind::substation || node.kind == PlannedNodeKind::bus) {
            node.unit = county_;
            int first_feeder = -1;
            for (int n = static_cast<int>(&node - plan_.nodes.data()) + 1;
                 n < static_cast<int>(plan_.nodes.size()) && first_feeder < 0; ++n)
                if (plan_.nodes[static_cast<std::size_t>(n)].kind == PlannedNodeKind::feeder) first_feeder = n;
            node.station = first_feeder >= 0 ? plan_.nodes[static_cast<std::size_t>(first_feeder)].station : 0;
        }
    }
    plan_.installers_of_unit.resize(plan_.units.size());
}

void Planner::order_customers() {
    std::vector<int> order;
    order.reserve(drafts_.size());
    for (int feeder : feeders_) {
        for (int area : plan_.nodes[static_cast<std::size_t>(feeder)].children)
            for (int draft : draft_members_[static_cast<std::size_t>(area)]) {
                plan_.nodes[static_cast<std::size_t>(area)].customers.push_back(static_cast<int>(order.size()));
                order.push_back(draft);
            }
        for (int draft : draft_members_[static_cast<std::size_t>(feeder)]) {
            plan_.nodes[static_cast<std::size_t>(feeder)].customers.push_back(static_cast<int>(order.size()));
            order.push_back(draft);
        }
    }
    plan_.customers.reserve(order.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
        plan_.customers.push_back(std::move(drafts_[static_cast<std::size_t>(order[i])]));
        plan_.customers.back().id = fmt::format("C{:08}", i + 1);
    }
    drafts_.clear();
    for (std::size_t n = 0; n < plan_.nodes.size(); ++n)
        for (int c : plan_.nodes[n].customers) {
            PlannedCustomer& customer = plan_.customers[static_cast<std::size_t>(c)];
            customer.node = customer.physical_node = static_cast<int>(n);
            customer.unit = stations_[static_cast<std::size_t>(plan_.nodes[n].station)];
        }
    GeneratorRng random = rng(RandomStream::names);
    for (auto& c : plan_.customers) {
        const std::string& town =
            station_towns_[static_cast<std::size_t>(plan_.nodes[static_cast<std::size_t>(c.node)].station)];
        switch (c.category) {
            case LoadCategory::residential:
                c.name = person_name(random);
                break;
            case LoadCategory::commercial: {
                const auto& business = pick(businesses, random);
                c.name = fmt::format("{} {}", town, business.name);
                c.industry = business.industry;
                break;
            }
            case LoadCategory::industrial:
            case LoadCategory::large_industrial: {
                const auto& product = pick(products, random);
                const bool company = c.category == LoadCategory::large_industrial || random.chance(0.4);
                c.name = fmt::format("{} {} {}", company ? "Qingshan" : town, product.name,
                                     company ? "Co. Ltd." : "Factory");
                c.industry = product.industry;
                break;
            }
            case LoadCategory::agricultural: {
                const auto& farm = pick(farms, random);
                c.name = fmt::format("{} {} No.{}", town, farm.name, random.between(1, 9));
                c.industry = farm.industry;
                break;
            }
            case LoadCategory::temporary: {
                const auto& work = pick(works, random);
                c.name = fmt::format("{} {} No.{}", town, work.name, random.between(1, 20));
                c.industry = work.industry;
                break;
            }
        }
    }
}

void Planner::name_nodes() {
    int substation_number = 0;
    std::vector<int> area_numbers(stations_.size(), 0);
    for (auto& node : plan_.nodes) {
        const std::string& town = station_towns_[static_cast<std::size_t>(node.station)];
        const auto index = static_cast<int>(&node - plan_.nodes.data());
        switch (node.kind) {
            case PlannedNodeKind::substation:
                ++substation_number;
                node.id = fmt::format("S{:03}", substation_number);
                break;
            case PlannedNodeKind::bus:
                node.id = fmt::format("B{:04}", ++bus_number_);
                break;
            case PlannedNodeKind::feeder:
                node.id = fmt::format("F{:04}", ++feeder_number_);
                break;
            case PlannedNodeKind::area:
                node.id = fmt::format("A{:06}", ++area_number_);
                node.name = fmt::format("{} No.{} area", town, ++area_numbers[static_cast<std::size_t>(node.station)]);
                break;
        }
        if (node.kind == PlannedNodeKind::bus) {
            const PlannedNode& substation = plan_.nodes[static_cast<std::size_t>(node.parent)];
            const bool first = substation.children.front() == index;
            node.name = fmt::format("{} 10kV Bus {}", station_towns_[static_cast<std::size_t>(substation.station)],
                                    first ? "I" : "II");
        }
        if (node.kind == PlannedNodeKind::feeder) {
            const PlannedNode& bus = plan_.nodes[static_cast<std::size_t>(node.parent)];
            const PlannedNode& substation = plan_.nodes[static_cast<std::size_t>(bus.parent)];
            const int bus_number = substation.children.front() == node.parent ? 1 : 2;
            const auto position = std::find(bus.children.begin(), bus.children.end(), index) - bus.children.begin();
            node.name = fmt::format("{} Line {}", town, bus_number * 100 + 11 + position);
        }
    }
}

int Planner::add_staff(int unit, std::string_view role, GeneratorRng& random) {
    PlannedStaff member;
    member.id = fmt::format("S{:04}", plan_.staff.size() + 1);
    member.name = person_name(random);
    member.unit = unit;
    member.role = role;
    plan_.staff.push_back(std::move(member));
    return static_cast<int>(plan_.staff.size()) - 1;
}

void Planner::plan_staff() {
    GeneratorRng random = rng(RandomStream::staff);
    const int n = options_.customers;
    add_staff(county_, "administrator", random);
    add_staff(county_, "supervisor", random);
    for (int i = 0; i < std::max(2, static_cast<int>(std::lround(n / 2500.0))); ++i)
        add_staff(inspection_team_, "inspector", random);
    for (int i = 0; i < std::max(2, static_cast<int>(std::lround(n / 5000.0))); ++i)
        add_staff(fee_center_, "analyst", random);
    std::vector<std::vector<int>> members_of_station(stations_.size());
    for (std::size_t c = 0; c < plan_.customers.size(); ++c) {
        const int station = plan_.nodes[static_cast<std::size_t>(plan_.customers[c].node)].station;
        members_of_station[static_cast<std::size_t>(station)].push_back(static_cast<int>(c));
    }
    for (std::size_t s = 0; s < stations_.size(); ++s) {
        const std::vector<int>& members = members_of_station[s];
        const int count = static_cast<int>(members.size());
        station_supervisors_.push_back(add_staff(stations_[s], "supervisor", random));
        const int readers = std::max(1, (count + 399) / 400);
        std::vector<int> reader_ids;
        for (int r = 0; r < readers; ++r) reader_ids.push_back(add_staff(reading_teams_[s], "reader", random));
        for (int i = 0; i < count; ++i)
            plan_.customers[static_cast<std::size_t>(members[static_cast<std::size_t>(i)])].reader =
                reader_ids[static_cast<std::size_t>(static_cast<std::int64_t>(i) * readers / count)];
        const int installers = std::max(1, static_cast<int>(std::lround(count / 1000.0)));
        for (int i = 0; i < installers; ++i)
            plan_.installers_of_unit[static_cast<std::size_t>(stations_[s])].push_back(
                add_staff(service_teams_[s], "installer", random));
    }
    for (std::size_t i = 0; i < plan_.staff.size(); ++i) {
        if (plan_.staff[i].role == "inspector") inspectors_.push_back(static_cast<int>(i));
        if (plan_.staff[i].role == "analyst") analysts_.push_back(static_cast<int>(i));
    }
}

void Planner::equip_customer_meter(PlannedMeter& meter, const PlannedCustomer& customer, GeneratorRng& random) const {
    meter.connection = customer.connection;
    switch (customer.connection) {
        case MeterConnection::single_phase:
            meter.model = pick(std::array<std::string_view, 4>{"DDZY71", "DDZY422", "DDZY1329", "DDZY285"}, random);
            meter.accuracy_class = "2.0";
            meter.rated_current = random.chance(0.8) ? "5" : "10";
            meter.phases = 1;
            break;
        case MeterConnection::three_phase_direct:
            meter.model = pick(std::array<std::string_view, 3>{"DTZY71", "DTZY341", "DTZY1296"}, random);
            meter.accuracy_class = random.chance(0.6) ? "1.0" : "2.0";
            meter.rated_current = "10";
            meter.phases = 3;
            break;
        case MeterConnection::low_voltage_ct:
            meter.model = pick(std::array<std::string_view, 3>{"DTSD1352", "DTZY341-G", "DTZ1296"}, random);
            meter.accuracy_class = "0.5S";
            meter.rated_current = "1.5";
            meter.phases = 3;
            meter.ct_primary = ct_primary_for(1.25 * line_current(customer.contracted_kva, 0.38), 5);
            meter.ct_class = "0.5S";
            break;
        case MeterConnection::high_voltage_ct_pt: {
            const int metering_class =
                planned_metering_class(3, customer.contracted_kva, monthly_energy_bound(customer));
            meter.model = pick(std::array<std::string_view, 2>{"DSSD331", "DSZY71"}, random);
            meter.accuracy_class = metering_class <= 2 ? "0.2S" : "0.5S";
            meter.rated_current = "1.5";
            meter.phases = 3;
            meter.ct_primary = ct_primary_for(1.25 * line_current(customer.contracted_kva, 10.0), 5);
            meter.ct_class = "0.2S";
            meter.pt_primary = 10000;
            meter.pt_class = "0.2";
            break;
        }
    }
    meter.true_multiplier = meter.recorded_multiplier =
        (meter.ct_primary > 0 ? meter.ct_primary / 5 : 1) * (meter.pt_primary > 0 ? meter.pt_primary / 100 : 1);
}

// Last on-site test: class I-III points are tested every 3 / 6 / 12 months; class IV and V
// meters only have their verification before installation (recorded as the installation day).
void Planner::set_last_test(PlannedMeter& meter, int metering_class, GeneratorRng& random) const {
    if (meter.removed_on || metering_class >= 4) {
        meter.last_tested_on = meter.installed_on;
        return;
    }
    const int interval = metering_class == 1 ? 90 : metering_class == 2 ? 180 : 365;
    meter.last_tested_on = std::max(meter.installed_on, last_ - uniform_days(random, 5, 0.75 * interval));
}

int Planner::customer_metering_class(const PlannedCustomer& customer, const PlannedMeter& meter) const {
    return planned_metering_class(meter.phases, customer.contracted_kva, monthly_energy_bound(customer));
}

double Planner::initial_register(const PlannedCustomer& customer, const PlannedMeter& meter,
                                 GeneratorRng& random) const {
    if (meter.installed_on >= first_) return 0;
    const double days = first_ - meter.installed_on;
    return customer.daily_kwh * days * random.uniform(0.75, 0.95) / static_cast<double>(meter.true_multiplier);
}

int Planner::add_customer_meter(int customer, CivilDate installed, std::optional<CivilDate> removed,
                                GeneratorRng& random) {
    PlannedCustomer& c = plan_.customers[static_cast<std::size_t>(customer)];
    PlannedMeter meter;
    meter.customer = customer;
    equip_customer_meter(meter, c, random);
    meter.installed_on = installed;
    meter.removed_on = removed;
    set_last_test(meter, customer_metering_class(c, meter), random);
    meter.initial_register = initial_register(c, meter, random);
    plan_.meters.push_back(std::move(meter));
    const int index = static_cast<int>(plan_.meters.size()) - 1;
    c.meters.push_back(index);
    return index;
}

void Planner::plan_supply_and_meters() {
    for (std::size_t i = 0; i < plan_.customers.size(); ++i) {
        GeneratorRng random = rng(RandomStream::customer_dates, i);
        PlannedCustomer& c = plan_.customers[i];
        const bool commercial_or_industrial =
            c.category == LoadCategory::commercial || c.category == LoadCategory::industrial;
        bool new_connection = false;
        if (c.category == LoadCategory::large_industrial) {
            c.supply_start = first_ - uniform_days(random, 365, 20 * days_per_year);
        } else if (c.category == LoadCategory::temporary) {
            if (days_ >= 90 && random.chance(0.5)) {
                c.supply_start = off_month_end(first_ + uniform_days(random, 1, days_ - 30));
                new_connection = true;
            } else {
                c.supply_start = first_ - uniform_days(random, 0, 300);
            }
            CivilDate end = c.supply_start + uniform_days(random, 180, 720);
            if (end < last_ - 30 && end >= first_ + 20) {
                c.status = "closed";
            } else {
                end = last_ + uniform_days(random, 30, 200);
            }
            c.supply_end = end;
        } else {
            if (days_ >= 45 && random.chance(std::min(0.5, 0.02 * years_))) {
                c.supply_start = off_month_end(first_ + uniform_days(random, 1, days_ - 30));
                new_connection = true;
            } else {
                c.supply_start = first_ - uniform_days(random, 30, 30 * days_per_year);
            }
            if (!new_connection && !c.high_voltage && days_ >= 90 && random.chance(0.006 * years_)) {
                c.status = "closed";
                c.supply_end = first_ + uniform_days(random, 30, days_ - 40);
            } else if (!new_connection && commercial_or_industrial && !c.high_voltage && days_ >= 60 &&
                       random.chance(0.004)) {
                c.status = "suspended";
                c.suspended_from = first_ + uniform_days(random, 20, days_ - 20);
            } else if (!new_connection && commercial_or_industrial && !c.high_voltage && days_ >= 120 &&
                       random.chance(0.003 * years_)) {
                c.suspended_from = first_ + uniform_days(random, 20, days_ - 100);
                c.resumed_on = *c.suspended_from + uniform_days(random, 30, 90);
            }
        }
        std::optional<CivilDate> removal;
        if (c.status == "closed") removal = *c.supply_end + 1;

        const int rotation = rotation_years(c.connection == MeterConnection::single_phase ? 1 : 3);
        if (new_connection) {
            add_customer_meter(static_cast<int>(i), c.supply_start, removal, random);
            continue;
        }
        const bool change = days_ >= 90 && c.category != LoadCategory::large_industrial && random.chance(0.03 * years_);
        const CivilDate change_day = off_month_end(first_ + uniform_days(random, 30, days_ - 30));
        if (change && change_day > c.supply_start + 30 && (!removal || change_day < *removal - 30)) {
            // The old meter approached its rotation period and was replaced.
            const CivilDate old_installed = std::max(
                c.supply_start,
                change_day - uniform_days(random, (rotation - 2) * days_per_year, (rotation - 0.3) * days_per_year));
            add_customer_meter(static_cast<int>(i), old_installed, change_day, random);
            add_customer_meter(static_cast<int>(i), change_day, removal, random);
            continue;
        }
        // Installed within the rotation period with a margin, before the window.
        const CivilDate earliest = last_ - static_cast<std::int32_t>((rotation - 0.5) * days_per_year);
        CivilDate installed = earliest + uniform_days(random, 0, std::max(1, (first_ - 1) - earliest));
        installed = std::max(installed, c.supply_start);
        add_customer_meter(static_cast<int>(i), installed, removal, random);
    }
}

double Planner::customer_load(int node) const {
    // Mean daily energy of everything below the node.
    const PlannedNode& n = plan_.nodes[static_cast<std::size_t>(node)];
    double total = 0;
    for (int c : n.customers) total += plan_.customers[static_cast<std::size_t>(c)].daily_kwh;
    for (int child : n.children) total += customer_load(child);
    return total;
}

void Planner::size_nodes() {
    GeneratorRng random = rng(RandomStream::meters, 1u << 30);
    int gateway_number = 0;
    for (std::size_t n = 0; n < plan_.nodes.size(); ++n) {
        PlannedNode& node = plan_.nodes[n];
        const double daily = customer_load(static_cast<int>(n));
        const double peak_kw = daily / 24.0 * 2.2;
        PlannedMeter meter;
        meter.node = static_cast<int>(n);
        meter.phases = 3;
        meter.rated_current = "1.5";
        meter.connection = MeterConnection::high_voltage_ct_pt;
        switch (node.kind) {
            case PlannedNodeKind::area: {
                node.rated_kva = area_transformer_kva.back();
                for (double kva : area_transformer_kva)
                    if (kva >= peak_kw / 0.75) {
                        node.rated_kva = kva;
                        break;
                    }
                node.loss = random.uniform(0.023, 0.057);
                meter.model = "DTSD341";
                meter.accuracy_class = "0.5S";
                meter.ct_primary = ct_primary_for(line_current(node.rated_kva, 0.4), 50);
                meter.ct_class = "0.5S";
                meter.connection = MeterConnection::low_voltage_ct;
                break;
            }
            case PlannedNodeKind::feeder:
                node.loss = random.uniform(0.01, 0.03);
                meter.model = "DSZ719";
                meter.accuracy_class = "0.2S";
                meter.ct_primary = ct_primary_for(1.2 * line_current(peak_kw * 0.8, 10.0), 100);
                meter.ct_class = "0.2S";
                meter.pt_primary = 10000;
                meter.pt_class = "0.2";
                break;
            case PlannedNodeKind::bus:
            case PlannedNodeKind::substation: {
                const PlannedNode& substation =
                    node.kind == PlannedNodeKind::bus ? plan_.nodes[static_cast<std::size_t>(node.parent)] : node;
                const double substation_peak =
                    customer_load(static_cast<int>(&substation - plan_.nodes.data())) / 24.0 * 2.2 * 0.8;
                double transformer = main_transformer_kva.back();
                for (double kva : main_transformer_kva)
                    if (kva >= substation_peak / 2 / 0.6) {
                        transformer = kva;
                        break;
                    }
                meter.model = "DSSD331";
                meter.accuracy_class = "0.2S";
                meter.ct_class = "0.2S";
                meter.pt_class = "0.2";
                if (node.kind == PlannedNodeKind::bus) {
                    node.rated_kva = transformer;
                    node.loss = random.uniform(0.004, 0.012);
                    meter.ct_primary = ct_primary_for(1.2 * line_current(peak_kw * 0.8, 10.0), 300);
                    meter.pt_primary = 10000;
                } else {
                    node.rated_kva = 2 * transformer;
                    node.loss = random.uniform(0.005, 0.015);
                    const double kv = transformer >= 31500 ? 110.0 : 35.0;
                    meter.ct_primary = ct_primary_for(1.2 * line_current(peak_kw * 0.8, kv), 50);
                    meter.pt_primary = kv >= 110 ? 110000 : 35000;
                    node.name =
                        fmt::format("{} {}kV Substation", station_towns_[static_cast<std::size_t>(node.station)],
                                    kv >= 110 ? 110 : 35);
                }
                break;
            }
        }
        meter.true_multiplier = meter.recorded_multiplier =
            (meter.ct_primary / 5) * (meter.pt_primary > 0 ? meter.pt_primary / 100 : 1);
        const CivilDate earliest = last_ - static_cast<std::int32_t>(5.3 * days_per_year);
        meter.installed_on = earliest + uniform_days(random, 0, std::max(1, (first_ - 1) - earliest));
        meter.last_tested_on = node.kind == PlannedNodeKind::area ? last_ - uniform_days(random, 10, 270)
                                                                  : last_ - uniform_days(random, 5, 60);
        meter.last_tested_on = std::max(*meter.last_tested_on, meter.installed_on);
        meter.initial_register = daily * 1.05 * (first_ - meter.installed_on) * random.uniform(0.9, 1.0) /
                                 static_cast<double>(meter.true_multiplier);
        meter.id = fmt::format("M9{:06}", ++gateway_number);
        plan_.meters.push_back(std::move(meter));
        node.gateway_meter = static_cast<int>(plan_.meters.size()) - 1;
    }
    // Customer meters are numbered in customer order, replaced meters before their successors.
    int number = 0;
    for (const auto& customer : plan_.customers)
        for (int m : customer.meters) plan_.meters[static_cast<std::size_t>(m)].id = fmt::format("M{:08}", ++number);
}

int Planner::target_count(double rate, int minimum) const {
    return std::max(minimum, static_cast<int>(std::lround(rate * options_.customers)));
}

int Planner::add_truth(std::string_view kind, std::string subject, std::string_view anomaly, CivilDate start,
                       std::optional<CivilDate> end, double magnitude, std::string detail) {
    plan_.truth.push_back(TruthRow{kind, std::move(subject), anomaly, start, end, magnitude, std::move(detail)});
    return static_cast<int>(plan_.truth.size()) - 1;
}

// Active the whole window with one meter installed before it: a customer whose anomaly is easy
// to attribute.
bool Planner::steady(const PlannedCustomer& c) const {
    return !c.anomalous && c.status == "active" && !c.suspended_from && c.supply_start < first_ &&
           c.meters.size() == 1 && !c.vacant && c.category != LoadCategory::temporary;
}

PlannedMeter& Planner::meter_of(const PlannedCustomer& c) {
    return plan_.meters[static_cast<std::size_t>(c.meters.back())];
}

// Customers recorded in areas with the given problem (theft areas stand in when there are no
// record areas, in a very small utility).
std::vector<int> Planner::problem_customers(AreaProblem problem, bool require_steady) const {
    std::vector<int> result;
    bool any = false;
    for (const auto& node : plan_.nodes) any = any || node.problem == problem;
    if (!any) problem = AreaProblem::theft;
    for (const auto& node : plan_.nodes)
        if (node.kind == PlannedNodeKind::area && node.problem == problem)
            for (int c : node.customers)
                if (!require_steady || steady(plan_.customers[static_cast<std::size_t>(c)])) result.push_back(c);
    return result;
}

std::vector<int> Planner::all_customers_where(const std::function<bool(const PlannedCustomer&)>& predicate) const {
    std::vector<int> result;
    for (std::size_t i = 0; i < plan_.customers.size(); ++i)
        if (predicate(plan_.customers[i])) result.push_back(static_cast<int>(i));
    return result;
}

CivilDate Planner::date_in_window(GeneratorRng& random, double from_fraction, double to_fraction) const {
    return first_ + uniform_days(random, from_fraction * days_, to_fraction * days_);
}

void Planner::inject_anomalies() {
    GeneratorRng random = rng(RandomStream::anomalies);
    std::vector<int> areas;
    for (std::size_t n = 0; n < plan_.nodes.size(); ++n)
        if (plan_.nodes[n].kind == PlannedNodeKind::area) areas.push_back(static_cast<int>(n));
    shuffle(areas, random);
    const int area_count = static_cast<int>(areas.size());
    int problem_count = std::max(1, static_cast<int>(std::lround(0.5 * area_count)));
    if (area_count >= 2) problem_count = std::min(problem_count, area_count - 1);
    const int theft_areas = problem_count >= 2 ? std::max(1, static_cast<int>(std::lround(0.7 * problem_count))) : 1;
    for (int i = 0; i < problem_count; ++i)
        plan_.nodes[static_cast<std::size_t>(areas[static_cast<std::size_t>(i)])].problem =
            i < theft_areas ? AreaProblem::theft : AreaProblem::records;
    const int gateway_count = std::min({std::max(3, static_cast<int>(std::lround(0.03 * area_count))),
                                        std::max(1, area_count / 3), std::max(0, area_count - problem_count - 1)});
    for (int i = 0; i < gateway_count; ++i)
        inject_gateway_multiplier(areas[static_cast<std::size_t>(problem_count + i)], random);

    inject_thefts(random);
    inject_stopped_meters(random);
    inject_wrong_areas(random);
    inject_wrong_customer_multipliers(random);
    inject_wrong_tariffs(random);
    inject_read_problems(random);
    inject_past_rotation(random);
    inject_low_accuracy(random);
    GeneratorRng expiring = rng(RandomStream::temporary_anomalies);
    inject_expired_temporary(expiring);
    GeneratorRng reading = rng(RandomStream::reading_anomalies);
    inject_wrong_reads(reading);
    inject_reversed_meters(reading);
    if (options_.register_rollovers) inject_rollovers(reading);
    inject_bus_unbalance();
}

}  // namespace planning

std::string PlannedMeter::ct_ratio_text() const {
    return ct_primary > 0 ? fmt::format("{}/5", ct_primary) : std::string("1");
}

std::string PlannedMeter::pt_ratio_text() const {
    return pt_primary > 0 ? fmt::format("{}/100", pt_primary) : std::string("1");
}

CivilDate add_years(CivilDate date, int years) {
    const int year = date.year() + years;
    unsigned day = date.day();
    if (date.month() == 2 && day == 29 && !std::chrono::year(year).is_leap()) day = 28;
    return CivilDate::from_ymd(year, date.month(), day);
}

int rotation_years(int phases) {
    return phases == 1 ? 10 : 6;
}

int planned_metering_class(int phases, double capacity_kva, double monthly_kwh) {
    if (phases == 1) return 5;
    int by_capacity = 4;
    if (capacity_kva >= 10'000)
        by_capacity = 1;
    else if (capacity_kva >= 2'000)
        by_capacity = 2;
    else if (capacity_kva >= 315)
        by_capacity = 3;
    int by_energy = 4;
    if (!std::isnan(monthly_kwh)) {
        if (monthly_kwh >= 5'000'000)
            by_energy = 1;
        else if (monthly_kwh >= 1'000'000)
            by_energy = 2;
        else if (monthly_kwh >= 100'000)
            by_energy = 3;
    }
    return std::min(by_capacity, by_energy);
}

Result<UtilityPlan> plan_utility(const GeneratorOptions& options) {
    if (options.customers < 200 || options.customers > 2'000'000)
        return user_error(fmt::format("customers must be between 200 and 2000000 (got {})", options.customers));
    if (options.days < 28 || options.days > 1800)
        return user_error(fmt::format("days must be between 28 and 1800 (got {})", options.days));
    if (options.last_day.year() < 2000 || options.last_day.year() > 2100)
        return user_error(fmt::format("last day must be in 2000..2100 (got {})", options.last_day.to_string()));
    planning::Planner planner(options);
    return planner.run();
}

}  // namespace gridaudit
