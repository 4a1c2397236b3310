// Planning of the synthetic utility: customer mix, network, org units and staff, supply dates,
// meters, the injected anomalies and the work orders.
#include "generator/utility_plan.hpp"
#include "generator/loss_anomaly_plan.hpp"
#include "generator/master_anomaly_plan.hpp"
#include "generator/meter_anomaly_plan.hpp"
#include "generator/process_anomaly_plan.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <functional>

#include "generator/china_calendar.hpp"
#include "generator/generator_random.hpp"

namespace gridaudit {
namespace {

constexpr int utc_offset_seconds = 8 * 3600;
constexpr double days_per_year = 365.25;

constexpr std::array<std::string_view, 50> surnames{
    "Wang", "Li",   "Zhang", "Liu",  "Chen", "Yang", "Huang", "Zhao", "Wu",   "Zhou", "Xu",  "Sun",  "Ma",
    "Zhu",  "Hu",   "Guo",   "He",   "Lin",  "Gao",  "Luo",   "Zheng", "Liang", "Xie", "Song", "Tang", "Han",
    "Feng", "Deng", "Cao",   "Peng", "Zeng", "Xiao", "Tian",  "Dong", "Pan",  "Yuan", "Cai", "Jiang", "Yu",
    "Du",   "Ye",   "Cheng", "Wei",  "Su",   "Lu",   "Ding",  "Ren",  "Shen", "Yao",  "Jin"};
constexpr std::array<std::string_view, 40> given_names{
    "Wei",   "Fang",  "Na",      "Min",  "Jing",  "Li",       "Qiang",    "Lei",    "Jun",      "Yang",
    "Yong",  "Yan",   "Jie",     "Juan", "Tao",   "Ming",     "Chao",     "Xiuying", "Xia",     "Ping",
    "Gang",  "Guiying", "Hua",   "Hui",  "Jian",  "Bo",       "Lin",      "Hong",   "Xin",      "Yu",
    "Jianhua", "Guoqiang", "Haiyan", "Xiaoming", "Lihua", "Zhiqiang", "Yuying", "Dan", "Kai", "Rui"};
constexpr std::array<std::string_view, 24> towns{
    "Xiaoxi",   "Meixi",  "Shuangjiang", "Longwan", "Taohua", "Baishi",  "Hexi",     "Dongcun",
    "Nanping",  "Fengling", "Shangyuan", "Yuquan", "Jinshan", "Lianhua", "Shitan",   "Qiaotou",
    "Zhangcun", "Liyang", "Xiting",      "Huangdu", "Shanhe", "Qingquan", "Wuli",    "Gaoqiao"};

struct NamedIndustry {
    std::string_view name;
    std::string_view industry;  // GB/T 4754 division
};
constexpr std::array<NamedIndustry, 16> businesses{{{"Hardware Store", "F52"},   {"Supermarket", "F52"},
                                                    {"Restaurant", "H62"},       {"Hotel", "H61"},
                                                    {"Pharmacy", "F52"},         {"Tea House", "H62"},
                                                    {"Noodle House", "H62"},     {"Clinic", "Q84"},
                                                    {"Kindergarten", "P83"},     {"Bank Branch", "J66"},
                                                    {"Barber Shop", "O80"},      {"Mobile Phone Shop", "F52"},
                                                    {"Fruit Market", "F52"},     {"Guest House", "H61"},
                                                    {"Office Building", "L72"},  {"Car Repair", "O81"}}};
constexpr std::array<NamedIndustry, 14> products{{{"Bamboo Products", "C20"}, {"Furniture", "C21"},
                                                  {"Textile", "C17"},         {"Tea Processing", "C15"},
                                                  {"Printing", "C23"},        {"Plastics", "C29"},
                                                  {"Hardware", "C33"},        {"Stone Materials", "C30"},
                                                  {"Garment", "C18"},         {"Paper", "C22"},
                                                  {"Machinery", "C34"},       {"Chemical Fibre", "C28"},
                                                  {"Feed Mill", "C13"},       {"Brick", "C30"}}};
constexpr std::array<NamedIndustry, 5> farms{{{"Irrigation Station", "A05"},
                                              {"Tea Garden", "A01"},
                                              {"Fish Farm", "A04"},
                                              {"Greenhouse Cooperative", "A01"},
                                              {"Pig Farm", "A03"}}};
constexpr std::array<NamedIndustry, 3> works{
    {{"Construction Site", "E47"}, {"Road Works", "E48"}, {"Bridge Works", "E48"}}};

constexpr std::array<int, 26> ct_primaries{5,   10,  15,  20,  30,  40,   50,   75,   100,  150,  200,  250,  300,
                                           400, 500, 600, 750, 800, 1000, 1200, 1500, 2000, 2500, 3000, 4000, 5000};
constexpr std::array<double, 9> area_transformer_kva{100, 125, 160, 200, 250, 315, 400, 500, 630};
constexpr std::array<double, 10> main_transformer_kva{6300,  8000,  10000, 12500, 16000,
                                                      20000, 31500, 40000, 50000, 63000};

int ct_primary_for(double amperes, int minimum) {
    for (int p : ct_primaries)
        if (p >= amperes && p >= minimum) return p;
    return ct_primaries.back();
}

int ct_position(int primary) {
    for (std::size_t i = 0; i < ct_primaries.size(); ++i)
        if (ct_primaries[i] == primary) return static_cast<int>(i);
    return 0;
}

double line_current(double kva, double kv) { return kva / (std::sqrt(3.0) * kv); }

template <class T>
void shuffle(std::vector<T>& items, GeneratorRng& rng) {
    for (std::size_t i = items.size(); i > 1; --i) std::swap(items[i - 1], items[rng.below(i)]);
}

template <class T, std::size_t N>
const T& pick(const std::array<T, N>& items, GeneratorRng& rng) {
    return items[rng.below(N)];
}

std::string person_name(GeneratorRng& rng) {
    const auto surname = pick(surnames, rng);
    return fmt::format("{} {}", surname, pick(given_names, rng));
}

Instant local_instant(CivilDate date, int seconds_of_day) {
    return Instant::from_unix_seconds(static_cast<std::int64_t>(date.days_since_epoch()) * 86400 + seconds_of_day -
                                      utc_offset_seconds);
}

CivilDate local_date(Instant instant) { return instant.civil_date(utc_offset_seconds / 60); }

// Meters are never installed on the last day of a month: the installation read (taken at the
// start of the day) and the month-end read (at its end) would share the key (meter, day, register).
CivilDate off_month_end(CivilDate date) { return (date + 1).day() == 1 ? date - 1 : date; }

struct CapacityOption {
    double kva;
    bool high_voltage;
    double weight;
};

const std::vector<CapacityOption>& capacity_options(LoadCategory category) {
    static const std::array<std::vector<CapacityOption>, load_category_count> options{{
        {{4, false, 0.24}, {6, false, 0.34}, {8, false, 0.24}, {10, false, 0.13}, {16, false, 0.03}, {20, false, 0.02}},
        {{5, false, 0.12},  {8, false, 0.13},   {10, false, 0.12},  {15, false, 0.10},  {20, false, 0.10},
         {30, false, 0.08}, {40, false, 0.06},  {50, false, 0.05},  {80, false, 0.04},  {100, false, 0.04},
         {125, false, 0.03}, {160, false, 0.03}, {200, false, 0.02}, {250, false, 0.02}, {315, true, 0.02},
         {400, true, 0.015}, {500, true, 0.01},  {630, true, 0.01}},
        {{10, false, 0.08},  {20, false, 0.12},  {30, false, 0.12},  {50, false, 0.12}, {80, false, 0.08},
         {100, false, 0.10}, {125, false, 0.08}, {160, false, 0.08}, {200, false, 0.06}, {250, false, 0.06},
         {160, true, 0.04},  {200, true, 0.03},  {250, true, 0.03}},
        {{315, true, 0.20},  {400, true, 0.18},  {500, true, 0.15},  {630, true, 0.14},  {800, true, 0.10},
         {1000, true, 0.08}, {1250, true, 0.05}, {1600, true, 0.04}, {2000, true, 0.03}, {2500, true, 0.015},
         {3150, true, 0.01}, {4000, true, 0.005}},
        {{5, false, 0.15},  {10, false, 0.15}, {15, false, 0.12},  {20, false, 0.12},  {30, false, 0.12},
         {50, false, 0.10}, {80, false, 0.07}, {100, false, 0.07}, {125, false, 0.05}, {160, false, 0.03},
         {200, false, 0.02}},
        {{20, false, 0.15}, {30, false, 0.20}, {50, false, 0.20}, {80, false, 0.15}, {100, false, 0.15},
         {160, false, 0.10}, {200, false, 0.05}},
    }};
    return options[static_cast<std::size_t>(category)];
}

MeterConnection connection_for(LoadCategory category, double kva, bool high_voltage) {
    if (high_voltage) return MeterConnection::high_voltage_ct_pt;
    if ((category == LoadCategory::residential && kva <= 10) ||
        ((category == LoadCategory::commercial || category == LoadCategory::agricultural) && kva <= 8))
        return MeterConnection::single_phase;
    if (kva <= 50) return MeterConnection::three_phase_direct;
    return MeterConnection::low_voltage_ct;
}

int pf_standard_for(LoadCategory category, double kva, bool high_voltage) {
    if (category == LoadCategory::residential || kva < 100) return 0;
    if ((category == LoadCategory::industrial || category == LoadCategory::large_industrial) && high_voltage &&
        kva >= 160)
        return 90;
    if (category == LoadCategory::agricultural) return 80;
    return 85;
}

TariffCode tariff_for(LoadCategory category, bool high_voltage) {
    switch (category) {
        case LoadCategory::residential: return TariffCode::residential_tiered;
        case LoadCategory::commercial:
            return high_voltage ? TariffCode::commercial_tou_10kv : TariffCode::commercial_tou_lv;
        case LoadCategory::industrial:
            return high_voltage ? TariffCode::industrial_tou_10kv : TariffCode::industrial_tou_lv;
        case LoadCategory::large_industrial: return TariffCode::large_industrial_two_part;
        case LoadCategory::agricultural: return TariffCode::agricultural_flat;
        case LoadCategory::temporary: return TariffCode::temporary_flat;
    }
    return TariffCode::residential_tiered;
}

std::string_view segment_of(const PlannedCustomer& customer) {
    if (customer.category == LoadCategory::residential) return "residential";
    if (!customer.high_voltage) return "lv_nonresidential";
    return customer.contracted_kva >= 2000 ? "hv_dual" : "hv_single";
}

int whole_process_limit(std::string_view segment) {
    if (segment == "residential") return 5;
    if (segment == "lv_nonresidential") return 6;
    if (segment == "hv_single") return 22;
    return 32;
}

std::string format_kva(double kva) { return fmt::format("{}", static_cast<std::int64_t>(std::llround(kva))); }

// Largest monthly energy a customer could plausibly reach, with a safety margin of three so that
// billing artefacts (a missed read billing two months at once, a wrong multiplier) never lift a
// clean meter into a stricter metering class.
double monthly_energy_bound(const PlannedCustomer& customer) {
    const auto& season = category_load_shape(customer.usage).monthly_season;
    const double peak_season = *std::max_element(season.begin(), season.end());
    return customer.daily_kwh * (1 + customer.season_sensitivity * (peak_season - 1)) * 1.3 * 31 * 3;
}

class Planner {
public:
    explicit Planner(const GeneratorOptions& options) : options_(options) {
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

    UtilityPlan run() {
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

private:
    GeneratorRng rng(RandomStream stream, std::uint64_t index = 0) const {
        return GeneratorRng(options_.seed, stream, index);
    }
    std::int32_t uniform_days(GeneratorRng& random, double low, double high) const {
        return static_cast<std::int32_t>(std::floor(random.uniform(low, high)));
    }

    // --- customers before they have a place ------------------------------------------------------

    void draft_customers() {
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
                case LoadCategory::commercial: c.daily_kwh = kva * random.uniform(2.5, 7.0); break;
                case LoadCategory::industrial: c.daily_kwh = kva * random.uniform(3.0, 9.0); break;
                case LoadCategory::large_industrial: c.daily_kwh = kva * random.uniform(5.5, 12.0); break;
                case LoadCategory::agricultural: c.daily_kwh = kva * random.uniform(1.0, 3.0); break;
                case LoadCategory::temporary: c.daily_kwh = kva * random.uniform(2.0, 5.0); break;
            }
            if (c.category != LoadCategory::residential) c.season_sensitivity = random.uniform(0.7, 1.2);
            c.power_factor = random.chance(0.88) ? random.uniform(0.90, 0.975) : random.uniform(0.74, 0.88);
            if (c.category == LoadCategory::large_industrial) c.power_factor = random.uniform(0.91, 0.98);
            if (c.category == LoadCategory::residential && c.connection == MeterConnection::single_phase &&
                !c.vacant && random.chance(0.006))
                c.pv_kwp = random.uniform(3.0, 8.0);
            if ((c.category == LoadCategory::commercial || c.category == LoadCategory::industrial) &&
                !c.high_voltage && c.connection != MeterConnection::single_phase && random.chance(0.03))
                c.pv_kwp = kva * random.uniform(0.2, 0.5);
            const TouShares shares = tou_shares(c.usage);
            c.peak_share = shares.peak * (1 + 0.06 * random.normal());
            c.valley_share = shares.valley * (1 + 0.06 * random.normal());
            c.late_payer = random.chance(0.07);
            c.channel = static_cast<int>(random.weighted(std::array<double, 5>{0.15, 0.10, 0.45, 0.10, 0.20}));
        }
    }

    // --- network -----------------------------------------------------------------------------------

    int add_node(PlannedNodeKind kind, int parent) {
        PlannedNode node;
        node.kind = kind;
        node.parent = parent;
        plan_.nodes.push_back(std::move(node));
        const int index = static_cast<int>(plan_.nodes.size()) - 1;
        if (parent >= 0) plan_.nodes[static_cast<std::size_t>(parent)].children.push_back(index);
        return index;
    }

    void build_network() {
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
            std::size_t size = static_cast<std::size_t>(r < 0.35   ? random.between(30, 80)
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

    // --- org units ---------------------------------------------------------------------------------

    int add_unit(std::string id, int parent, std::string name, std::string_view kind) {
        plan_.units.push_back(PlannedUnit{std::move(id), parent, std::move(name), kind});
        return static_cast<int>(plan_.units.size()) - 1;
    }

    std::string town_of_station(int station_number) const {
        const auto& town = towns[static_cast<std::size_t>(station_number) % towns.size()];
        const int round = station_number / static_cast<int>(towns.size());
        return round == 0 ? std::string(town) : fmt::format("{} {}", town, round + 1);
    }

    void build_org_units() {
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

    // --- customers in network order ----------------------------------------------------------------

    void order_customers() {
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
            const std::string& town = station_towns_[static_cast<std::size_t>(
                plan_.nodes[static_cast<std::size_t>(c.node)].station)];
            switch (c.category) {
                case LoadCategory::residential: c.name = person_name(random); break;
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

    void name_nodes() {
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
                case PlannedNodeKind::bus: node.id = fmt::format("B{:04}", ++bus_number_); break;
                case PlannedNodeKind::feeder: node.id = fmt::format("F{:04}", ++feeder_number_); break;
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

    // --- staff -------------------------------------------------------------------------------------

    int add_staff(int unit, std::string_view role, GeneratorRng& random) {
        PlannedStaff member;
        member.id = fmt::format("S{:04}", plan_.staff.size() + 1);
        member.name = person_name(random);
        member.unit = unit;
        member.role = role;
        plan_.staff.push_back(std::move(member));
        return static_cast<int>(plan_.staff.size()) - 1;
    }

    void plan_staff() {
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

    // --- supply dates and meters -------------------------------------------------------------------

    void equip_customer_meter(PlannedMeter& meter, const PlannedCustomer& customer, GeneratorRng& random) const {
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
                const int metering_class = planned_metering_class(3, customer.contracted_kva,
                                                                  monthly_energy_bound(customer));
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
    void set_last_test(PlannedMeter& meter, int metering_class, GeneratorRng& random) const {
        if (meter.removed_on || metering_class >= 4) {
            meter.last_tested_on = meter.installed_on;
            return;
        }
        const int interval = metering_class == 1 ? 90 : metering_class == 2 ? 180 : 365;
        meter.last_tested_on = std::max(meter.installed_on, last_ - uniform_days(random, 5, 0.75 * interval));
    }

    int customer_metering_class(const PlannedCustomer& customer, const PlannedMeter& meter) const {
        return planned_metering_class(meter.phases, customer.contracted_kva, monthly_energy_bound(customer));
    }

    double initial_register(const PlannedCustomer& customer, const PlannedMeter& meter, GeneratorRng& random) const {
        if (meter.installed_on >= first_) return 0;
        const double days = first_ - meter.installed_on;
        return customer.daily_kwh * days * random.uniform(0.75, 0.95) / static_cast<double>(meter.true_multiplier);
    }

    int add_customer_meter(int customer, CivilDate installed, std::optional<CivilDate> removed, GeneratorRng& random) {
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

    void plan_supply_and_meters() {
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
            const bool change = days_ >= 90 && c.category != LoadCategory::large_industrial &&
                                random.chance(0.03 * years_);
            const CivilDate change_day = off_month_end(first_ + uniform_days(random, 30, days_ - 30));
            if (change && change_day > c.supply_start + 30 && (!removal || change_day < *removal - 30)) {
                // The old meter approached its rotation period and was replaced.
                const CivilDate old_installed = std::max(
                    c.supply_start, change_day - uniform_days(random, (rotation - 2) * days_per_year,
                                                              (rotation - 0.3) * days_per_year));
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

    // --- node sizing and gateway meters --------------------------------------------------------------

    double customer_load(int node) const {
        // Mean daily energy of everything below the node.
        const PlannedNode& n = plan_.nodes[static_cast<std::size_t>(node)];
        double total = 0;
        for (int c : n.customers) total += plan_.customers[static_cast<std::size_t>(c)].daily_kwh;
        for (int child : n.children) total += customer_load(child);
        return total;
    }

    void size_nodes() {
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
                        node.name = fmt::format("{} {}kV Substation",
                                                station_towns_[static_cast<std::size_t>(node.station)],
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

    // --- anomalies ---------------------------------------------------------------------------------

    int target_count(double rate, int minimum) const {
        return std::max(minimum, static_cast<int>(std::lround(rate * options_.customers)));
    }

    int add_truth(std::string_view kind, std::string subject, std::string_view anomaly, CivilDate start,
                  std::optional<CivilDate> end, double magnitude, std::string detail) {
        plan_.truth.push_back(TruthRow{kind, std::move(subject), anomaly, start, end, magnitude, std::move(detail)});
        return static_cast<int>(plan_.truth.size()) - 1;
    }

    // Active the whole window with one meter installed before it: a customer whose anomaly is easy
    // to attribute.
    bool steady(const PlannedCustomer& c) const {
        return !c.anomalous && c.status == "active" && !c.suspended_from && c.supply_start < first_ &&
               c.meters.size() == 1 && !c.vacant && c.category != LoadCategory::temporary;
    }

    PlannedMeter& meter_of(const PlannedCustomer& c) { return plan_.meters[static_cast<std::size_t>(c.meters.back())]; }

    // Customers recorded in areas with the given problem (theft areas stand in when there are no
    // record areas, in a very small utility).
    std::vector<int> problem_customers(AreaProblem problem, bool require_steady) const {
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

    std::vector<int> all_customers_where(const std::function<bool(const PlannedCustomer&)>& predicate) const {
        std::vector<int> result;
        for (std::size_t i = 0; i < plan_.customers.size(); ++i)
            if (predicate(plan_.customers[i])) result.push_back(static_cast<int>(i));
        return result;
    }

    CivilDate date_in_window(GeneratorRng& random, double from_fraction, double to_fraction) const {
        return first_ + uniform_days(random, from_fraction * days_, to_fraction * days_);
    }

    void inject_anomalies() {
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
        const int gateway_count =
            std::min({std::max(3, static_cast<int>(std::lround(0.03 * area_count))), std::max(1, area_count / 3),
                      std::max(0, area_count - problem_count - 1)});
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
    }

    // register_rollover: a 6-digit total register that passes 999999.99 inside the window (the
    // initial register is set just below 10^6). Written values wrap; reads and bills do not
    // change (billing handles the rollover). Direct single-register customers only.
    void inject_rollovers(GeneratorRng& random) {
        std::vector<int> pool = all_customers_where([&](const PlannedCustomer& c) {
            const auto structure = synthetic_tariff(c.tariff).structure;
            return steady(c) && c.pf_standard == 0 && c.daily_kwh >= 2 && c.pv_kwp == 0 &&
                   c.usage != LoadCategory::large_industrial &&
                   (structure == TariffStructure::tiered || structure == TariffStructure::flat);
        });
        shuffle(pool, random);
        const int total = target_count(0.002, 3);
        for (int i = 0; i < total && i < static_cast<int>(pool.size()); ++i) {
            PlannedCustomer& c = plan_.customers[static_cast<std::size_t>(pool[static_cast<std::size_t>(i)])];
            c.anomalous = true;
            PlannedMeter& meter = meter_of(c);
            meter.rolls_over = true;
            // About `ahead` days of mean consumption below the wrap.
            const double ahead = random.uniform(0.15, 0.4) * days_;
            meter.initial_register =
                std::floor(1e6 - ahead * c.daily_kwh / static_cast<double>(meter.true_multiplier));
            // The day of the wrap is known only after the simulation; the truth row is completed there.
            meter.truth_row = add_truth("meter", meter.id, "register_rollover", first_, std::nullopt, 1e6,
                                        fmt::format("customer={} digits=6", c.id));
        }
    }

    // wrong_read: a month-end total read taken by hand that disagrees with the AMI value of the day
    // (in the last 11 month ends, so a 12-month audit and a 400-day frame see it).
    void inject_wrong_reads(GeneratorRng& random) {
        if (month_ends_.size() < 2) return;
        std::vector<int> pool = all_customers_where([&](const PlannedCustomer& c) {
            const auto structure = synthetic_tariff(c.tariff).structure;
            return steady(c) && c.pf_standard == 0 && c.daily_kwh >= 2 &&
                   (structure == TariffStructure::tiered || structure == TariffStructure::flat);
        });
        shuffle(pool, random);
        const int total = target_count(0.005, 5);
        const std::size_t first = std::max<std::size_t>(1, month_ends_.size() > 11 ? month_ends_.size() - 11 : 1);
        for (int i = 0; i < total && i < static_cast<int>(pool.size()); ++i) {
            PlannedCustomer& c = plan_.customers[static_cast<std::size_t>(pool[static_cast<std::size_t>(i)])];
            c.anomalous = true;
            PlannedMeter& meter = meter_of(c);
            const CivilDate on = month_ends_[first + random.below(month_ends_.size() - first)];
            meter.wrong_read_on = on;
            meter.wrong_read_factor = random.chance(0.5) ? random.uniform(0.5, 0.9) : random.uniform(1.1, 1.5);
            meter.truth_row = add_truth("meter", meter.id, "wrong_read", on, on, meter.wrong_read_factor,
                                        fmt::format("customer={} register=total source=manual", c.id));
        }
    }

    // meter_reversed: from `start` the meter registers the customer's consumption on its export
    // register (reversed current circuit); the import register stands still. Customers without
    // generation in theft areas (the area's loss rises as with a theft).
    void inject_reversed_meters(GeneratorRng& random) {
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
    int confused_ct_primary(int primary, GeneratorRng& random) const {
        const int position = ct_position(primary);
        int step = static_cast<int>(random.between(1, 2)) * (random.chance(0.5) ? 1 : -1);
        if (position + step < 2 || position + step >= static_cast<int>(ct_primaries.size())) step = -step;
        return ct_primaries[static_cast<std::size_t>(position + step)];
    }

    void inject_gateway_multiplier(int area, GeneratorRng& random) {
        PlannedNode& node = plan_.nodes[static_cast<std::size_t>(area)];
        PlannedMeter& meter = plan_.meters[static_cast<std::size_t>(node.gateway_meter)];
        meter.recorded_multiplier = confused_ct_primary(meter.ct_primary, random) / 5;
        const double magnitude =
            static_cast<double>(meter.recorded_multiplier) / static_cast<double>(meter.true_multiplier);
        add_truth("meter", meter.id, "wrong_multiplier_gateway", meter.installed_on, std::nullopt, magnitude,
                  fmt::format("node={} recorded={} ct={} pt={}", node.id, meter.recorded_multiplier,
                              meter.ct_ratio_text(), meter.pt_ratio_text()));
    }

    void start_theft(PlannedCustomer& c, GeneratorRng& random) {
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

    void inject_thefts(GeneratorRng& random) {
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
                const PlannedNode& area = plan_.nodes[static_cast<std::size_t>(problem_areas[random.below(problem_areas.size())])];
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

    void inject_stopped_meters(GeneratorRng& random) {
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

    void inject_wrong_areas(GeneratorRng& random) {
        std::vector<int> pool = problem_customers(AreaProblem::records, true);
        std::erase_if(pool, [&](int c) {
            const PlannedNode& area = plan_.nodes[static_cast<std::size_t>(plan_.customers[static_cast<std::size_t>(c)].node)];
            return plan_.nodes[static_cast<std::size_t>(area.parent)].children.size() < 2;
        });
        shuffle(pool, random);
        const int total = target_count(0.005, 5);
        for (int i = 0; i < total && i < static_cast<int>(pool.size()); ++i) {
            PlannedCustomer& c = plan_.customers[static_cast<std::size_t>(pool[static_cast<std::size_t>(i)])];
            const auto& siblings = plan_.nodes[static_cast<std::size_t>(plan_.nodes[static_cast<std::size_t>(c.node)].parent)].children;
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

    void inject_wrong_customer_multipliers(GeneratorRng& random) {
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
            (plan_.customers[static_cast<std::size_t>(c)].connection == MeterConnection::high_voltage_ct_pt
                 ? high_voltage
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

    // temporary_expired: a temporary supply whose end date has passed is still active and supplied
    // (its meter stays in service and keeps registering); normally such a customer is closed the day
    // after its end. A closed one is left open, or an open one's end is moved 30-60 days before the
    // last day; 0.05 % of customers, at least 2.
    void inject_expired_temporary(GeneratorRng& random) {
        std::vector<int> pool = all_customers_where([&](const PlannedCustomer& c) {
            return !c.anomalous && c.category == LoadCategory::temporary && c.supply_end && c.meters.size() == 1 &&
                   c.supply_start <= last_ - 90 && (c.status == "closed" || c.status == "active");
        });
        shuffle(pool, random);
        const int total = std::min(static_cast<int>(pool.size()), target_count(0.0005, 2));
        for (int i = 0; i < total; ++i) {
            PlannedCustomer& c = plan_.customers[static_cast<std::size_t>(pool[static_cast<std::size_t>(i)])];
            if (c.status == "active") c.supply_end = last_ - static_cast<std::int32_t>(random.between(30, 60));
            c.anomalous = true;
            c.status = "active";
            plan_.meters[static_cast<std::size_t>(c.meters.front())].removed_on.reset();
            add_truth("customer", c.id, "temporary_expired", *c.supply_end + 1, std::nullopt, 1.0,
                      fmt::format("supply_end={} still active and supplied", c.supply_end->to_string()));
        }
    }

    void inject_wrong_tariffs(GeneratorRng& random) {
        auto eligible = [&](const PlannedCustomer& c) {
            return !c.anomalous && c.status == "active" && !c.suspended_from;
        };
        std::vector<int> large = all_customers_where(
            [&](const PlannedCustomer& c) { return eligible(c) && c.category == LoadCategory::large_industrial; });
        std::vector<int> commercial = all_customers_where([&](const PlannedCustomer& c) {
            return eligible(c) && c.category == LoadCategory::commercial && !c.high_voltage && c.contracted_kva < 100;
        });
        std::vector<int> industrial = all_customers_where([&](const PlannedCustomer& c) {
            return eligible(c) && c.category == LoadCategory::industrial && !c.high_voltage && c.contracted_kva < 100;
        });
        shuffle(large, random);
        shuffle(commercial, random);
        shuffle(industrial, random);
        const int total = target_count(0.005, 5);
        const int from_large = std::min({total / 3, static_cast<int>((large.size() + 2) / 3)});
        int done = 0;
        auto apply = [&](int index, TariffCode wrong, bool reclassify) {
            PlannedCustomer& c = plan_.customers[static_cast<std::size_t>(index)];
            c.anomalous = true;
            c.tariff = wrong;
            if (reclassify) c.category = LoadCategory::industrial;
            c.truth_row = add_truth("customer", c.id, "wrong_tariff_category", c.supply_start, std::nullopt, 1.0,
                                    fmt::format("category={} tariff={} expected={}", load_category_code(c.category),
                                                synthetic_tariff(wrong).id, synthetic_tariff(c.correct_tariff).id));
            ++done;
        };
        for (int i = 0; i < from_large; ++i)
            apply(large[static_cast<std::size_t>(i)], TariffCode::industrial_tou_10kv, true);
        std::size_t next_commercial = 0;
        std::size_t next_industrial = 0;
        while (done < total && (next_commercial < commercial.size() || next_industrial < industrial.size())) {
            const bool use_commercial = next_industrial >= industrial.size() ||
                                        (next_commercial < commercial.size() && random.chance(0.6));
            if (use_commercial)
                apply(commercial[next_commercial++], TariffCode::residential_tiered, false);
            else
                apply(industrial[next_industrial++], TariffCode::agricultural_flat, false);
        }
    }

    void inject_read_problems(GeneratorRng& random) {
        if (month_ends_.size() < 2) return;
        std::vector<int> pool = all_customers_where([&](const PlannedCustomer& c) {
            const auto structure = synthetic_tariff(c.tariff).structure;
            return steady(c) && c.pf_standard == 0 && c.daily_kwh >= 2 &&
                   (structure == TariffStructure::tiered || structure == TariffStructure::flat);
        });
        shuffle(pool, random);
        const int estimated = target_count(0.01, 6);
        const int missed = target_count(0.005, 5);
        for (int i = 0; i < estimated + missed && i < static_cast<int>(pool.size()); ++i) {
            PlannedCustomer& c = plan_.customers[static_cast<std::size_t>(pool[static_cast<std::size_t>(i)])];
            c.anomalous = true;
            PlannedMeter& meter = meter_of(c);
            // One of the last 12 month ends: inside the default 12-month look-back of an audit of
            // the export, so every injected read can be found (an older one would be out of scope).
            const std::size_t recent = std::min<std::size_t>(12, month_ends_.size() - 1);
            const CivilDate on = month_ends_[month_ends_.size() - recent + random.below(recent)];
            if (i < estimated) {
                meter.estimated_read_on = on;
                meter.estimate_factor = random.chance(0.5) ? random.uniform(0.3, 0.75) : random.uniform(1.25, 1.7);
                meter.truth_row = add_truth("meter", meter.id, "estimated_read", on, on, meter.estimate_factor,
                                            fmt::format("customer={} register=total", c.id));
            } else {
                meter.missed_read_on = on;
                meter.truth_row = add_truth("meter", meter.id, "missed_read", on, on, 0.0,
                                            fmt::format("customer={}", c.id));
            }
        }
    }

    void inject_past_rotation(GeneratorRng& random) {
        std::vector<int> pool = all_customers_where([&](const PlannedCustomer& c) { return steady(c); });
        shuffle(pool, random);
        const int total = target_count(0.01, 5);
        for (int i = 0; i < total && i < static_cast<int>(pool.size()); ++i) {
            PlannedCustomer& c = plan_.customers[static_cast<std::size_t>(pool[static_cast<std::size_t>(i)])];
            c.anomalous = true;
            PlannedMeter& meter = meter_of(c);
            const int limit = rotation_years(meter.phases);
            meter.installed_on = add_years(last_, -limit) - uniform_days(random, 60, 1100);
            c.supply_start = std::min(c.supply_start, meter.installed_on - uniform_days(random, 0, 400));
            if (meter.last_tested_on && *meter.last_tested_on < meter.installed_on) meter.last_tested_on = meter.installed_on;
            if (customer_metering_class(c, meter) >= 4) meter.last_tested_on = meter.installed_on;
            meter.initial_register = initial_register(c, meter, random);
            const double age_years = (last_ - meter.installed_on) / days_per_year;
            add_truth("meter", meter.id, "meter_past_rotation", add_years(meter.installed_on, limit) + 1, std::nullopt,
                      age_years / limit,
                      fmt::format("customer={} phases={} rotation_years={} installed_on={}", c.id, meter.phases, limit,
                                  meter.installed_on.to_string()));
        }
    }

    // --- billing and account anomalies (own random stream, drawn after the work orders) ---------------

    // The first day of the billing month that ends on month_ends_[k].
    CivilDate bill_month_start(int k) const { return Period::of(month_ends_[static_cast<std::size_t>(k)]).first_day(); }

    void inject_billing_anomalies() {
        GeneratorRng random = rng(RandomStream::billing_anomalies);
        inject_wrong_pf_standards(random);
        const int n = static_cast<int>(month_ends_.size());
        if (n < 2) return;
        // Customers billed every month with steady consumption; bills and payments easy to attribute.
        auto pool_of = [&](const std::function<bool(const PlannedCustomer&)>& extra) {
            std::vector<int> pool = all_customers_where(
                [&](const PlannedCustomer& c) { return steady(c) && c.daily_kwh >= 2 && extra(c); });
            shuffle(pool, random);
            return pool;
        };
        auto any = [](const PlannedCustomer&) { return true; };
        const int recent = std::max(1, n - 12);  // the bill-level anomalies fall in the last 12 bills
        auto plan_kind = [&](BillingAnomaly kind, std::string_view name, double rate, int minimum,
                             const std::function<bool(const PlannedCustomer&)>& extra, int first_month,
                             int last_month, const std::function<void(PlannedCustomer&)>& decide) {
            if (last_month < first_month) return;
            const std::vector<int> pool = pool_of(extra);
            const int total = target_count(rate, minimum);
            for (int i = 0; i < total && i < static_cast<int>(pool.size()); ++i) {
                PlannedCustomer& c = plan_.customers[static_cast<std::size_t>(pool[static_cast<std::size_t>(i)])];
                c.anomalous = true;
                c.billing_anomaly = kind;
                c.billing_month = static_cast<int>(random.between(first_month, last_month));
                decide(c);
                // Start, end, magnitude and detail are completed by the simulation, which sees the bill.
                c.billing_truth_row = add_truth("customer", c.id, name, bill_month_start(c.billing_month),
                                                month_ends_[static_cast<std::size_t>(c.billing_month)], 1.0, "");
            }
        };
        plan_kind(BillingAnomaly::recompute_mismatch, "bill_recompute_mismatch", 0.005, 5, any, recent, n - 1,
                  [&](PlannedCustomer& c) {
                      c.billing_variant = c.pf_standard > 0 ? static_cast<int>(random.below(3))
                                                            : (random.chance(0.5) ? 0 : 2);
                      const double deviation = random.uniform(0.03, 0.20);
                      c.billing_factor = random.chance(0.5) ? 1 + deviation : 1 - deviation;
                  });
        plan_kind(BillingAnomaly::energy_vs_reads, "bill_energy_vs_reads", 0.005, 5, any, recent, n - 1,
                  [&](PlannedCustomer& c) { c.billing_factor = 1 - random.uniform(0.10, 0.40); });
        constexpr std::array<std::string_view, 3> items{"meter rental", "service fee", "line maintenance"};
        plan_kind(BillingAnomaly::unlisted_charge, "unlisted_charge", 0.003, 5, any, recent, n - 1,
                  [&](PlannedCustomer& c) {
                      c.other_charge = random.between(5, 50) * Money::units_per_currency;
                      c.other_charge_item = items[random.below(items.size())];
                  });
        if (n - 1 >= 3) {
            const int months = std::min(6, n - 1);
            plan_kind(
                BillingAnomaly::zero_with_capacity, "zero_with_capacity", 0.003, 5,
                [](const PlannedCustomer& c) {
                    return c.category != LoadCategory::residential && c.category != LoadCategory::large_industrial &&
                           synthetic_tariff(c.tariff).structure != TariffStructure::two_part;
                },
                1, n - 3, [&](PlannedCustomer& c) {
                    c.billing_months = static_cast<int>(random.between(3, months));
                    c.billing_month = std::min(c.billing_month, n - c.billing_months);
                    c.billing_month = std::max(c.billing_month, std::max(1, n - c.billing_months - 9));
                });
        }
        // Account anomalies: a bill whose payment (late by up to 45 days) is still in the export.
        const int paid_last = n - 3;
        const int paid_first = std::max(1, n - 12);  // the last 12 billing months: an audit's default look-back
        plan_kind(BillingAnomaly::paid_without_payment, "account_paid_without_payment", 0.003, 5, any, paid_first,
                  paid_last, [](PlannedCustomer&) {});
        plan_kind(BillingAnomaly::payment_without_bill, "account_payment_without_bill", 0.003, 5, any, paid_first,
                  paid_last, [&](PlannedCustomer& c) { c.billing_variant = random.chance(0.5) ? 0 : 1; });
        plan_kind(BillingAnomaly::late_fee_missing, "account_late_fee_missing", 0.003, 5, any, paid_first, paid_last,
                  [](PlannedCustomer&) {});
    }

    // pf_standard_wrong: customers.csv pf_standard differs from what REFERENCE.md section 5 prescribes
    // for the customer's category, voltage and capacity; bills are priced with the recorded one.
    void inject_wrong_pf_standards(GeneratorRng& random) {
        std::vector<int> pool = all_customers_where([&](const PlannedCustomer& c) {
            return !c.anomalous && c.status == "active" && c.category != LoadCategory::residential &&
                   (c.pf_standard > 0 || c.connection != MeterConnection::single_phase);
        });
        shuffle(pool, random);
        const int total = target_count(0.003, 5);
        for (int i = 0; i < total && i < static_cast<int>(pool.size()); ++i) {
            PlannedCustomer& c = plan_.customers[static_cast<std::size_t>(pool[static_cast<std::size_t>(i)])];
            const int prescribed = pf_standard_for(c.category, c.contracted_kva, c.high_voltage);
            int recorded = 0;
            switch (prescribed) {
                case 90: recorded = 85; break;
                case 85: recorded = random.chance(0.5) ? 90 : 80; break;
                case 80: recorded = 85; break;
                default: recorded = random.chance(0.5) ? 90 : 85; break;  // none is due below 100 kVA
            }
            c.anomalous = true;
            c.pf_standard = recorded;
            add_truth("customer", c.id, "pf_standard_wrong", c.supply_start, std::nullopt, recorded / 100.0,
                      fmt::format("recorded={:.2f} prescribed={} category={} voltage_kv={} kva={}", recorded / 100.0,
                                  prescribed > 0 ? fmt::format("{:.2f}", prescribed / 100.0) : std::string("none"),
                                  load_category_code(c.category), c.voltage_kv, format_kva(c.contracted_kva)));
        }
    }

    void inject_low_accuracy(GeneratorRng& random) {
        std::vector<int> pool = all_customers_where([&](const PlannedCustomer& c) {
            return !c.anomalous && c.status == "active" && c.connection != MeterConnection::single_phase &&
                   c.meters.size() == 1;
        });
        shuffle(pool, random);
        const int total = std::min(target_count(0.005, 5), std::max(1, static_cast<int>(pool.size()) / 4));
        for (int i = 0; i < total && i < static_cast<int>(pool.size()); ++i) {
            PlannedCustomer& c = plan_.customers[static_cast<std::size_t>(pool[static_cast<std::size_t>(i)])];
            c.anomalous = true;
            PlannedMeter& meter = meter_of(c);
            const int metering_class = planned_metering_class(3, c.contracted_kva, std::nan(""));
            std::string_view component;
            std::string_view installed;
            std::string_view required;
            switch (c.connection) {
                case MeterConnection::three_phase_direct:
                    meter.accuracy_class = installed = "3.0";
                    component = "meter";
                    required = "2.0";
                    break;
                case MeterConnection::low_voltage_ct:
                    meter.ct_class = installed = "1.0";
                    component = "ct";
                    required = metering_class <= 2 ? "0.2" : "0.5S";
                    break;
                case MeterConnection::high_voltage_ct_pt: {
                    const double r = random.uniform();
                    if (metering_class == 3 && r < 0.4) {
                        meter.accuracy_class = installed = "2.0";
                        component = "meter";
                        required = "1.0";
                    } else if (r < 0.7) {
                        meter.pt_class = installed = "1.0";
                        component = "pt";
                        required = metering_class <= 2 ? "0.2" : "0.5";
                    } else {
                        meter.ct_class = installed = "1.0";
                        component = "ct";
                        required = metering_class <= 2 ? "0.2" : "0.5S";
                    }
                    break;
                }
                case MeterConnection::single_phase: break;
            }
            constexpr std::array<std::string_view, 5> class_names{"I", "II", "III", "IV", "V"};
            add_truth("meter", meter.id, "accuracy_class_low", meter.installed_on, std::nullopt, 1.0,
                      fmt::format("customer={} component={} installed={} required={} metering_class={}", c.id,
                                  component, installed, required,
                                  class_names[static_cast<std::size_t>(metering_class - 1)]));
        }
    }

    // --- work orders -------------------------------------------------------------------------------

    struct StepOffsets {
        int plan = -1;
        int design = -1;
        int checked = -1;
        int connected = -1;
        int closed = -1;
    };

    // Clean step offsets in calendar days from acceptance. Every span stays within 90 % of its limit
    // counted in calendar days, so it is within the limit in working days whatever the calendar.
    StepOffsets clean_offsets(std::string_view type, std::string_view segment, GeneratorRng& random) const {
        StepOffsets s;
        const bool expansion = type == "new_connection" || type == "temporary_supply" || type == "capacity_increase";
        if (type == "complaint" || type == "category_change") {
            s.closed = static_cast<int>(random.between(type == "complaint" ? 0 : 1, 4));
            return s;
        }
        if (!expansion) {
            s.connected = static_cast<int>(random.between(0, 3));
            s.closed = s.connected + static_cast<int>(random.between(0, 1));
            return s;
        }
        if (segment == "residential") {
            s.plan = static_cast<int>(random.between(0, 1));
            s.connected = std::max(s.plan, static_cast<int>(random.between(1, 3)));
            s.closed = s.connected + static_cast<int>(random.between(0, 1));
        } else if (segment == "lv_nonresidential") {
            s.plan = static_cast<int>(random.between(0, 2));
            s.checked = s.plan + static_cast<int>(random.between(0, 1));
            s.connected = s.checked + static_cast<int>(random.between(0, 1));
            s.closed = s.connected + static_cast<int>(random.between(0, 1));
        } else if (segment == "hv_single") {
            s.plan = static_cast<int>(random.between(2, 8));
            s.design = s.plan + static_cast<int>(random.between(1, 3));
            s.checked = s.design + static_cast<int>(random.between(2, 4));
            s.connected = s.checked + static_cast<int>(random.between(1, 3));
            s.closed = s.connected + static_cast<int>(random.between(0, 1));
        } else {
            s.plan = static_cast<int>(random.between(4, 14));
            s.design = s.plan + static_cast<int>(random.between(2, 4));
            s.checked = s.design + static_cast<int>(random.between(2, 5));
            s.connected = s.checked + static_cast<int>(random.between(1, 3));
            s.closed = s.connected + static_cast<int>(random.between(0, 1));
        }
        return s;
    }

    // Business-hours instant on `date`, later than `after` when that is on the same day.
    Instant step_instant(CivilDate date, std::optional<Instant> after, GeneratorRng& random) const {
        int seconds = static_cast<int>(random.between(9 * 60, 17 * 60 + 30)) * 60;
        Instant at = local_instant(date, seconds);
        if (after && at <= *after) at = *after + random.between(10, 90) * 60;
        return at;
    }

    // Fills the order's steps from acceptance day `accepted` and the offsets; steps after the last
    // day of the export are left empty (the order is still open).
    void fill_steps(PlannedWorkOrder& order, CivilDate accepted, const StepOffsets& s, GeneratorRng& random) const {
        order.accepted_at = local_instant(accepted, static_cast<int>(random.between(8 * 60 + 30, 16 * 60 + 30)) * 60);
        std::optional<Instant> previous = order.accepted_at;
        auto step = [&](int offset, std::optional<Instant>& slot) {
            if (offset < 0) return;
            const CivilDate date = accepted + offset;
            if (date > last_) return;
            slot = step_instant(date, previous, random);
            if (local_date(*slot) > last_) {
                slot.reset();
                return;
            }
            previous = slot;
        };
        step(s.plan, order.plan_at);
        step(s.design, order.design_at);
        step(s.checked, order.checked_at);
        step(s.connected, order.connected_at);
        step(s.closed, order.closed_at);
    }

    int staff_for(const PlannedCustomer* customer, std::string_view type, GeneratorRng& random) const {
        if (type == "complaint") {
            const auto& handlers = random.chance(0.5) ? inspectors_ : analysts_;
            return handlers[random.below(handlers.size())];
        }
        const int unit = customer ? customer->unit : stations_[random.below(stations_.size())];
        if (type == "category_change")
            return station_supervisors_[static_cast<std::size_t>(std::find(stations_.begin(), stations_.end(), unit) -
                                                                 stations_.begin())];
        const auto& installers = plan_.installers_of_unit[static_cast<std::size_t>(unit)];
        return installers[random.below(installers.size())];
    }

    // Adds an order whose connection step falls on `connected` (tied to the data), or, when absent,
    // accepted on a random day of the window.
    void add_order(int customer, std::string_view type, std::optional<CivilDate> connected, std::string old_value,
                   std::string new_value, GeneratorRng& random) {
        PlannedWorkOrder order;
        const PlannedCustomer* c = customer >= 0 ? &plan_.customers[static_cast<std::size_t>(customer)] : nullptr;
        order.customer = customer;
        order.type = type;
        order.segment = c ? segment_of(*c) : "lv_nonresidential";
        const StepOffsets offsets = clean_offsets(type, order.segment, random);
        const CivilDate accepted = connected && offsets.connected >= 0 ? *connected - offsets.connected
                                                                       : first_ + uniform_days(random, 0, days_ - 5);
        fill_steps(order, accepted, offsets, random);
        order.staff = staff_for(c, type, random);
        order.old_value = std::move(old_value);
        order.new_value = std::move(new_value);
        plan_.work_orders.push_back(std::move(order));
    }

    void plan_work_orders() {
        GeneratorRng random = rng(RandomStream::work_orders);
        for (std::size_t i = 0; i < plan_.customers.size(); ++i) {
            const PlannedCustomer& c = plan_.customers[i];
            const int index = static_cast<int>(i);
            const PlannedMeter& first_meter = plan_.meters[static_cast<std::size_t>(c.meters.front())];
            if (c.supply_start >= first_)
                add_order(index, c.category == LoadCategory::temporary ? "temporary_supply" : "new_connection",
                          c.supply_start, "", format_kva(c.contracted_kva), random);
            if (c.meters.size() > 1) {
                const PlannedMeter& next = plan_.meters[static_cast<std::size_t>(c.meters[1])];
                add_order(index, "meter_change", next.installed_on, first_meter.id, next.id, random);
            }
            if (c.status == "closed") add_order(index, "closure", *c.supply_end + 1, "active", "closed", random);
            if (c.suspended_from) {
                add_order(index, "suspension", *c.suspended_from, "active", "suspended", random);
                if (c.resumed_on) add_order(index, "resumption", *c.resumed_on, "suspended", "active", random);
            }
        }
        auto pick_customers = [&](double yearly_rate, int minimum, const std::function<bool(const PlannedCustomer&)>& ok) {
            std::vector<int> pool = all_customers_where(ok);
            shuffle(pool, random);
            const int count = std::max(minimum, static_cast<int>(std::lround(yearly_rate * years_ * options_.customers)));
            if (static_cast<int>(pool.size()) > count) pool.resize(static_cast<std::size_t>(count));
            return pool;
        };
        const auto active = [&](const PlannedCustomer& c) { return c.status == "active" && !c.suspended_from; };
        for (int customer : pick_customers(0.004, 2, [&](const PlannedCustomer& c) {
                 return active(c) && c.category != LoadCategory::large_industrial &&
                        (c.connection == MeterConnection::low_voltage_ct ||
                         c.connection == MeterConnection::high_voltage_ct_pt);
             })) {
            const PlannedCustomer& c = plan_.customers[static_cast<std::size_t>(customer)];
            const bool increase = random.chance(0.7);
            const double step = c.contracted_kva >= 200 ? 50 : 20;
            add_order(customer, increase ? "capacity_increase" : "capacity_decrease", std::nullopt,
                      format_kva(increase ? c.contracted_kva - step : c.contracted_kva + step),
                      format_kva(c.contracted_kva), random);
        }
        for (int customer : pick_customers(0.002, 1, [&](const PlannedCustomer& c) {
                 return active(c) && c.tariff == c.correct_tariff &&
                        (c.category == LoadCategory::commercial || c.category == LoadCategory::industrial);
             })) {
            const PlannedCustomer& c = plan_.customers[static_cast<std::size_t>(customer)];
            const LoadCategory before =
                c.category == LoadCategory::commercial ? LoadCategory::residential : LoadCategory::commercial;
            add_order(customer, "category_change", std::nullopt, std::string(load_category_code(before)),
                      std::string(load_category_code(c.category)), random);
        }
        const int overdue = target_count(0.005, 5);
        const int complaints = std::max(2 * overdue, static_cast<int>(std::lround(0.01 * years_ * options_.customers)));
        for (int customer : pick_customers(0, complaints, [&](const PlannedCustomer& c) { return active(c); }))
            add_order(customer, "complaint", std::nullopt, "", "", random);

        inject_overdue(overdue, random);

        std::vector<std::size_t> order(plan_.work_orders.size());
        for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
            return plan_.work_orders[a].accepted_at < plan_.work_orders[b].accepted_at;
        });
        std::vector<PlannedWorkOrder> sorted;
        std::vector<int> position(order.size());
        for (std::size_t i = 0; i < order.size(); ++i) {
            position[order[i]] = static_cast<int>(i);
            sorted.push_back(std::move(plan_.work_orders[order[i]]));
            const CivilDate accepted = local_date(sorted.back().accepted_at);
            sorted.back().id = fmt::format("W{:04}{:02}{:05}", accepted.year(), accepted.month(), i + 1);
        }
        plan_.work_orders = std::move(sorted);
        for (const auto& late : overdue_) {
            const PlannedWorkOrder& o = plan_.work_orders[static_cast<std::size_t>(position[static_cast<std::size_t>(late.order)])];
            add_truth("work_order", o.id, o.type == "complaint" ? "complaint_overdue" : "work_order_overdue",
                      local_date(o.accepted_at), late.end,
                      static_cast<double>(late.actual) / late.limit,
                      fmt::format("type={} segment={} step={} limit_working_days={} actual_working_days={}", o.type,
                                  o.segment, late.step, late.limit, late.actual));
        }
    }

    struct OverdueOrder {
        int order;
        std::string_view step;
        int limit;
        int actual;
        std::optional<CivilDate> end;
    };

    void inject_overdue(int count, GeneratorRng& random) {
        std::vector<int> pool, complaint_pool;
        for (std::size_t i = 0; i < plan_.work_orders.size(); ++i) {
            const PlannedWorkOrder& o = plan_.work_orders[i];
            if (o.type != "complaint" && o.connected_at) pool.push_back(static_cast<int>(i));
            if (o.type == "complaint" && o.closed_at) complaint_pool.push_back(static_cast<int>(i));
        }
        shuffle(pool, random);
        shuffle(complaint_pool, random);
        // Late complaints (complaint_overdue, SERV-COMPLAINT-OVERDUE): as many again as a third of the
        // late orders, at least 5, ahead of the other finished orders.
        const int late_complaints =
            std::min(static_cast<int>(complaint_pool.size()), std::max(5, count / 3));
        pool.insert(pool.begin(), complaint_pool.begin(), complaint_pool.begin() + late_complaints);
        count += late_complaints;
        const int open = std::max(1, (count - late_complaints) / 5);
        for (int i = 0; i < count - open && i < static_cast<int>(pool.size()); ++i) {
            const int index = pool[static_cast<std::size_t>(i)];
            PlannedWorkOrder& o = plan_.work_orders[static_cast<std::size_t>(index)];
            const bool complaint = o.type == "complaint";
            const int limit = complaint ? 5 : whole_process_limit(o.segment);
            const int extra = static_cast<int>(random.between(3, 15));
            const CivilDate done = local_date(complaint ? *o.closed_at : *o.connected_at);
            // The finishing step keeps its day (it is tied to the data); acceptance moves earlier.
            const CivilDate accepted = add_working_days(done, -(limit + extra));
            StepOffsets s;
            const int span = done - accepted;
            if (complaint) {
                s.closed = span;
            } else {
                const StepOffsets clean = clean_offsets(o.type, o.segment, random);
                if (clean.plan >= 0) s.plan = std::min(clean.plan, span);
                if (clean.design >= 0) s.design = std::min(clean.design, span);
                if (clean.checked >= 0) s.checked = std::min(clean.checked, span);
                s.connected = span;
                s.closed = span + static_cast<int>(random.between(0, 1));
            }
            fill_steps(o, accepted, s, random);
            const CivilDate finished = local_date(complaint ? *o.closed_at : *o.connected_at);
            overdue_.push_back(OverdueOrder{index, complaint ? "closed" : "connected", limit,
                                            working_days_between(accepted, finished), finished});
        }
        for (int i = 0; i < open; ++i) {
            // An application still waiting for connection long after its limit.
            PlannedWorkOrder o;
            o.type = "new_connection";
            o.segment = random.chance(0.5) ? "lv_nonresidential" : "hv_single";
            const int limit = whole_process_limit(o.segment);
            const CivilDate accepted = add_working_days(last_, -(limit + static_cast<int>(random.between(3, 20))));
            StepOffsets s;
            s.plan = static_cast<int>(random.between(1, 3));
            fill_steps(o, accepted, s, random);
            o.staff = staff_for(nullptr, o.type, random);
            plan_.work_orders.push_back(std::move(o));
            overdue_.push_back(OverdueOrder{static_cast<int>(plan_.work_orders.size()) - 1, "connected", limit,
                                            working_days_between(accepted, last_), std::nullopt});
        }
    }

    const GeneratorOptions& options_;
    UtilityPlan plan_;
    CivilDate first_;
    CivilDate last_;
    int days_ = 0;
    double years_ = 0;
    std::vector<CivilDate> month_ends_;
    std::vector<PlannedCustomer> drafts_;
    std::vector<std::vector<int>> draft_members_;  // by node: draft customer indexes
    std::vector<int> feeders_;
    int county_ = -1;
    int inspection_team_ = -1;
    int fee_center_ = -1;
    std::vector<int> stations_;
    std::vector<std::string> station_towns_;
    std::vector<int> reading_teams_;
    std::vector<int> service_teams_;
    std::vector<int> station_supervisors_;
    std::vector<int> inspectors_;
    std::vector<int> analysts_;
    std::vector<OverdueOrder> overdue_;
    int bus_number_ = 0;
    int feeder_number_ = 0;
    int area_number_ = 0;
};

}  // namespace

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

int rotation_years(int phases) { return phases == 1 ? 10 : 6; }

int planned_metering_class(int phases, double capacity_kva, double monthly_kwh) {
    if (phases == 1) return 5;
    int by_capacity = 4;
    if (capacity_kva >= 10'000) by_capacity = 1;
    else if (capacity_kva >= 2'000) by_capacity = 2;
    else if (capacity_kva >= 315) by_capacity = 3;
    int by_energy = 4;
    if (!std::isnan(monthly_kwh)) {
        if (monthly_kwh >= 5'000'000) by_energy = 1;
        else if (monthly_kwh >= 1'000'000) by_energy = 2;
        else if (monthly_kwh >= 100'000) by_energy = 3;
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
    Planner planner(options);
    return planner.run();
}

}  // namespace gridaudit
