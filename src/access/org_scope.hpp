// The org-unit scope of an actor: a user sees and acts on their own unit and every unit below
// it; a user of the whole utility (unit "") on everything.
//
// Built from the stored org_units rows (unit, parent). A unit the tree does not know, and a
// record without a unit (""), are covered only by the whole utility. A cycle in the parent links
// (which an import could bring) ends the walk instead of looping.
// Thread safety: immutable after construction; const methods may be called from many threads.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "access/actor.hpp"
#include "core/result.hpp"
#include "store/access_store.hpp"

namespace gridaudit {

class OrgScope {
public:
    OrgScope() = default;
    [[nodiscard]] static OrgScope from_units(const std::vector<OrgUnitLink>& units);
    // The tree of the store's org_units.
    [[nodiscard]] static Result<OrgScope> load(AccessStore& store);

    // Whether the tree has this unit.
    [[nodiscard]] bool contains(std::string_view unit_id) const;
    // Whether `unit_id` is `ancestor` or lies below it; every unit (and "") is within "".
    [[nodiscard]] bool is_within(std::string_view unit_id, std::string_view ancestor) const;
    // Whether the actor may see and act on records of `unit_id`.
    [[nodiscard]] bool covers(const Actor& actor, std::string_view unit_id) const {
        return is_within(unit_id, actor.unit_id);
    }
    // A forbidden refusal naming the actor and unit unless covers(actor, unit_id).
    [[nodiscard]] Status require(const Actor& actor, std::string_view unit_id) const;

    // `unit_id` and every unit below it, sorted (empty when the tree does not have it).
    [[nodiscard]] std::vector<std::string> units_within(std::string_view unit_id) const;
    // The units the actor covers, sorted, for filtering a query; none for the whole utility.
    [[nodiscard]] std::optional<std::vector<std::string>> units_of(const Actor& actor) const;

private:
    std::map<std::string, std::string, std::less<>> parent_;                 // unit -> parent ("" for a root)
    std::map<std::string, std::vector<std::string>, std::less<>> children_;  // unit -> its children
};

}  // namespace gridaudit
