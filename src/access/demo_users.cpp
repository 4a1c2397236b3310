// Choosing the demo users' units from the org tree and adding them.
#include "access/demo_users.hpp"

#include <map>

#include "access/org_scope.hpp"
#include "access/secrets.hpp"
#include "access/user_accounts.hpp"

namespace gridaudit {
namespace {

// Of `candidates`, the one with the most units below it (the smaller id on a tie); "" if none.
std::string largest(const OrgScope& scope, const std::vector<std::string>& candidates) {
    std::string best;
    std::size_t best_size = 0;
    for (const auto& unit : candidates) {
        const std::size_t size = scope.units_within(unit).size();
        if (best.empty() || size > best_size || (size == best_size && unit < best)) {
            best = unit;
            best_size = size;
        }
    }
    return best;
}

}  // namespace

Result<std::vector<DemoUser>> add_demo_users(AccessStore& store, Instant now, const AccessSettings& settings) {
    GA_ASSIGN_OR_RETURN(const auto units, store.org_units());
    const OrgScope scope = OrgScope::from_units(units);
    std::map<std::string, std::vector<std::string>> children;
    std::vector<std::string> roots;
    for (const auto& unit : units) {
        if (unit.parent_id.empty())
            roots.push_back(unit.unit_id);
        else
            children[unit.parent_id].push_back(unit.unit_id);
    }
    std::vector<std::string> below_roots;
    for (const auto& root : roots) below_roots.insert(below_roots.end(), children[root].begin(), children[root].end());
    std::string county = largest(scope, below_roots);
    if (county.empty()) county = largest(scope, roots);
    std::string station = largest(scope, children[county]);
    if (station.empty()) station = county;

    const std::vector<DemoUser> planned{
        {"demo.admin", Role::administrator, "", ""}, {"demo.supervisor", Role::supervisor, county, ""},
        {"demo.analyst", Role::analyst, county, ""}, {"demo.inspector", Role::inspector, station, ""},
        {"demo.clerk", Role::clerk, county, ""},
    };
    std::vector<DemoUser> added;
    for (auto user : planned) {
        GA_ASSIGN_OR_RETURN(user.password, generate_password());
        GA_TRY(
            add_user(store, Actor::system(), {user.username, user.role, user.unit_id}, user.password, now, settings));
        added.push_back(std::move(user));
    }
    return added;
}

}  // namespace gridaudit
