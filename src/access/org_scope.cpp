// OrgScope: the walk up and down the org-unit tree.
#include "access/org_scope.hpp"

#include <fmt/format.h>

#include <set>

#include "text/printable_text.hpp"

namespace gridaudit {

OrgScope OrgScope::from_units(const std::vector<OrgUnitLink>& units) {
    OrgScope scope;
    for (const auto& unit : units) scope.parent_[unit.unit_id] = unit.parent_id;
    for (const auto& unit : units)
        if (!unit.parent_id.empty() && unit.parent_id != unit.unit_id)
            scope.children_[unit.parent_id].push_back(unit.unit_id);
    return scope;
}

Result<OrgScope> OrgScope::load(AccessStore& store) {
    GA_ASSIGN_OR_RETURN(const auto units, store.org_units());
    return from_units(units);
}

bool OrgScope::contains(std::string_view unit_id) const {
    return parent_.contains(unit_id);
}

bool OrgScope::is_within(std::string_view unit_id, std::string_view ancestor) const {
    if (ancestor.empty()) return true;
    std::string_view at = unit_id;
    // At most one step per unit: a cycle in the links ends the walk.
    for (std::size_t steps = 0; steps <= parent_.size() && !at.empty(); ++steps) {
        if (at == ancestor) return true;
        const auto parent = parent_.find(at);
        if (parent == parent_.end()) return false;
        at = parent->second;
    }
    return false;
}

Status OrgScope::require(const Actor& actor, std::string_view unit_id) const {
    if (covers(actor, unit_id)) return {};
    if (unit_id.empty())
        return refusal_error(Refusal::forbidden, fmt::format("{} (unit {}) may not act on records without an org unit",
                                                             actor.username, printable_value(actor.unit_id)));
    return refusal_error(Refusal::forbidden,
                         fmt::format("{} (unit {}) may not act on unit {}: it is outside their unit", actor.username,
                                     printable_value(actor.unit_id), printable_value(unit_id)));
}

std::vector<std::string> OrgScope::units_within(std::string_view unit_id) const {
    std::set<std::string> units;
    if (!contains(unit_id)) return {};
    std::vector<std::string> pending{std::string(unit_id)};
    while (!pending.empty()) {
        std::string unit = std::move(pending.back());
        pending.pop_back();
        const auto children = children_.find(unit);
        if (!units.insert(std::move(unit)).second) continue;  // seen: a cycle
        if (children != children_.end())
            pending.insert(pending.end(), children->second.begin(), children->second.end());
    }
    return {units.begin(), units.end()};
}

std::optional<std::vector<std::string>> OrgScope::units_of(const Actor& actor) const {
    if (actor.unit_id.empty()) return std::nullopt;
    return units_within(actor.unit_id);
}

}  // namespace gridaudit
