// Addresses and master-data anomalies of the synthetic utility (master_anomaly_plan.hpp).
#include "generator/master_anomaly_plan.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <set>
#include <string_view>
#include <tuple>

#include "generator/generator_random.hpp"

namespace gridaudit {
namespace {

constexpr std::array<std::string_view, 12> road_names{"Dipu",   "Changshuo", "Qingshan", "Tianhuangping",
                                                      "Xiaofeng", "Meixi",    "Tianzihu", "Hangai",
                                                      "Baofu",  "Shangshu",  "Xilong",   "Lingfeng"};

// The town of a node's name ("Xiaoxi No.2 area", "Xiaoxi Line 111": "Xiaoxi").
std::string town_of(const PlannedNode& node) {
    const auto cut = std::min(node.name.find(" No."), node.name.find(" Line"));
    return cut == std::string::npos ? node.name : node.name.substr(0, cut);
}

// The same address as a clerk might type it again: full-width digits, or upper case, or doubled
// spaces and a trailing full stop.
std::string retyped(const std::string& address, GeneratorRng& random) {
    std::string out;
    const int style = static_cast<int>(random.below(3));
    for (const char ch : address) {
        const auto c = static_cast<unsigned char>(ch);
        if (style == 0 && std::isdigit(c)) {
            out += "\xEF\xBC";  // U+FF10..U+FF19, full-width digits
            out += static_cast<char>(0x90 + (c - '0'));
        } else if (style == 1) {
            out += static_cast<char>(std::toupper(c));
        } else if (style == 2 && ch == ' ') {
            out += "  ";
        } else {
            out += ch;
        }
    }
    return style == 2 ? out + "." : out;
}

std::string retyped_name(const std::string& name, GeneratorRng& random) {
    if (random.chance(0.5)) return name;
    std::string out;
    for (const char ch : name) out += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    return out;
}

void assign_addresses(UtilityPlan& plan) {
    for (std::size_t n = 0; n < plan.nodes.size(); ++n) {
        const PlannedNode& node = plan.nodes[n];
        int house = 0;
        for (const int c : node.customers) {
            ++house;
            plan.customers[static_cast<std::size_t>(c)].address =
                fmt::format("{} Town {} Road Lane {} No.{}", town_of(node), road_names[n % road_names.size()],
                            n / road_names.size() + 1, house);
        }
    }
}

// Every subject id that already has a truth row.
std::set<std::string> subjects_with_truth(const UtilityPlan& plan) {
    std::set<std::string> subjects;
    for (const TruthRow& row : plan.truth) subjects.insert(row.subject_id);
    return subjects;
}

bool clean(const PlannedCustomer& c, const std::set<std::string>& with_truth) {
    return !c.anomalous && !with_truth.contains(c.id) && c.status == "active" &&
           c.category != LoadCategory::temporary;
}

int target_count(int customers, double share, int minimum) {
    return std::max(minimum, static_cast<int>(customers * share));
}

void inject_duplicates(UtilityPlan& plan, int customers, GeneratorRng& random,
                       const std::set<std::string>& with_truth) {
    std::vector<int> areas;
    for (std::size_t n = 0; n < plan.nodes.size(); ++n)
        if (plan.nodes[n].kind == PlannedNodeKind::area && plan.nodes[n].customers.size() >= 4)
            areas.push_back(static_cast<int>(n));
    const int total = target_count(customers, 0.002, 5);
    for (int i = 0; i < total && !areas.empty(); ++i) {
        const std::size_t pick = random.below(areas.size());
        const PlannedNode& node = plan.nodes[static_cast<std::size_t>(areas[pick])];
        areas.erase(areas.begin() + static_cast<std::ptrdiff_t>(pick));  // one pair per area
        std::vector<int> pool;
        for (const int c : node.customers)
            if (clean(plan.customers[static_cast<std::size_t>(c)], with_truth)) pool.push_back(c);
        if (pool.size() < 2) {
            --i;
            continue;
        }
        const auto first = static_cast<std::size_t>(pool[random.below(pool.size())]);
        auto second = first;
        while (second == first) second = static_cast<std::size_t>(pool[random.below(pool.size())]);
        PlannedCustomer& a = plan.customers[first];
        PlannedCustomer& b = plan.customers[second];
        // The original is the older account; the duplicate takes its name and address, retyped.
        const bool a_older = std::tie(a.supply_start, a.id) < std::tie(b.supply_start, b.id);
        PlannedCustomer& original = a_older ? a : b;
        PlannedCustomer& duplicate = a_older ? b : a;
        duplicate.name = retyped_name(original.name, random);
        duplicate.address = retyped(original.address, random);
        duplicate.anomalous = original.anomalous = true;
        plan.truth.push_back(TruthRow{"customer", duplicate.id, "duplicate_customer", duplicate.supply_start,
                                      std::nullopt, 1, fmt::format("duplicate_of={}", original.id)});
    }
}

// missing_link: a vacant home (a few tenths of a kWh a day, so no balance moves visibly) whose
// account is filed under its area's feeder instead of the area; the area still supplies it.
void inject_customers_off_area(UtilityPlan& plan, int customers, GeneratorRng& random,
                               const std::set<std::string>& with_truth) {
    std::vector<int> pool;
    for (std::size_t c = 0; c < plan.customers.size(); ++c) {
        const PlannedCustomer& customer = plan.customers[c];
        const PlannedNode& node = plan.nodes[static_cast<std::size_t>(customer.node)];
        if (clean(customer, with_truth) && customer.vacant && !customer.high_voltage &&
            node.kind == PlannedNodeKind::area && customer.physical_node == customer.node && node.parent >= 0)
            pool.push_back(static_cast<int>(c));
    }
    const int total = target_count(customers, 0.0005, 5);
    for (int i = 0; i < total && !pool.empty(); ++i) {
        const std::size_t pick = random.below(pool.size());
        PlannedCustomer& customer = plan.customers[static_cast<std::size_t>(pool[pick])];
        pool.erase(pool.begin() + static_cast<std::ptrdiff_t>(pick));
        const PlannedNode& area = plan.nodes[static_cast<std::size_t>(customer.node)];  // its list keeps the customer
        const int feeder = area.parent;
        customer.node = feeder;  // recorded (customers.csv node_id); physical_node stays the area
        customer.anomalous = true;
        plan.truth.push_back(TruthRow{"customer", customer.id, "missing_link", customer.supply_start, std::nullopt, 1,
                                      fmt::format("problem=not_under_an_area node={} supplied_by={}",
                                                  plan.nodes[static_cast<std::size_t>(feeder)].id, area.id)});
    }
}

}  // namespace

void plan_master_anomalies(UtilityPlan& plan, int customers) {
    assign_addresses(plan);
    GeneratorRng random(plan.seed, RandomStream::master_anomalies);
    const std::set<std::string> with_truth = subjects_with_truth(plan);
    inject_duplicates(plan, customers, random, with_truth);
    inject_customers_off_area(plan, customers, random, with_truth);
}

}  // namespace gridaudit
