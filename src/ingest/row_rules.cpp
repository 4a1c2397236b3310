// The per-table cross-column rules of the import contract.
#include "ingest/row_rules.hpp"

#include <fmt/format.h>

namespace gridaudit {
namespace {

template <class T>
const T* get(const std::vector<FieldValue>& values, std::size_t column) {
    return std::get_if<T>(&values[column]);
}

bool empty(const std::vector<FieldValue>& values, std::size_t column) {
    return std::holds_alternative<std::monostate>(values[column]);
}

}  // namespace

std::string_view network_parent_kind(std::string_view kind) {
    if (kind == "bus") return "substation";
    if (kind == "feeder") return "bus";
    if (kind == "area") return "feeder";
    return "";
}

std::string with_article(std::string_view kind) {
    const bool vowel = !kind.empty() && std::string_view("aeiou").find(kind.front()) != std::string_view::npos;
    return fmt::format("{} {}", vowel ? "an" : "a", kind);
}

std::string interval_grid_problem(std::int64_t start_seconds, std::int64_t minutes) {
    if (minutes <= 0) return "";
    const std::int64_t step = minutes * 60;
    const std::int64_t remainder = ((start_seconds % step) + step) % step;
    if (remainder == 0) return "";
    return fmt::format("not on the {}-minute grid (intervals start at multiples of {} minutes from midnight UTC)",
                       minutes, minutes);
}

RowRules::RowRules(const TableSpec& spec) {
    const auto index = [&](std::string_view name) { return static_cast<std::size_t>(spec.column_index(name)); };
    if (spec.table == "customers") {
        table_ = Table::customers;
        columns_ = {index("supply_start"), index("supply_end"), index("category")};
    } else if (spec.table == "meters") {
        table_ = Table::meters;
        columns_ = {index("customer_id"), index("node_id"), index("installed_on"), index("last_tested_on"),
                    index("removed_on")};
    } else if (spec.table == "network") {
        table_ = Table::network;
        columns_ = {index("kind"), index("parent_id")};
    } else if (spec.table == "work_orders") {
        table_ = Table::work_orders;
        columns_ = {index("accepted_at"), index("plan_at"),      index("design_at"),
                    index("checked_at"),  index("connected_at"), index("closed_at")};
    } else if (spec.table == "payments") {
        table_ = Table::payments;
        columns_ = {index("bill_id"), index("customer_id")};
    } else if (spec.table == "ami_interval") {
        table_ = Table::ami_interval;
        columns_ = {index("start"), index("minutes")};
    }
}

void RowRules::check(const RowView& row,
                     const std::function<void(std::size_t column, std::string what)>& report) const {
    const auto& values = row.values;
    const auto& present = row.present;
    const auto ok = [&](std::size_t column) { return row.usable[column] != 0; };
    switch (table_) {
        case Table::other:
            return;
        case Table::customers: {
            const std::size_t start = columns_[0], end = columns_[1], category = columns_[2];
            if (!ok(start) || !ok(end) || !ok(category)) return;
            const auto* first = get<CivilDate>(values, start);
            const auto* last = get<CivilDate>(values, end);
            if (first && last && *last < *first) report(end, fmt::format("before supply_start {}", row.texts[start]));
            const auto* kind = get<std::string>(values, category);
            if (kind && *kind == "temporary" && last == nullptr)
                report(present[end] ? end : category, "a temporary customer needs a supply_end");
            return;
        }
        case Table::meters: {
            const std::size_t customer = columns_[0], node = columns_[1], installed = columns_[2];
            if (ok(customer) && ok(node) && empty(values, customer) == empty(values, node)) {
                report(present[customer] ? customer : node,
                       empty(values, customer) ? "neither customer_id nor node_id given: exactly one is required"
                                               : "both customer_id and node_id given: exactly one is allowed");
            }
            const auto* installed_on = ok(installed) ? get<CivilDate>(values, installed) : nullptr;
            if (installed_on == nullptr) return;
            for (const std::size_t later : {columns_[3], columns_[4]}) {
                const auto* day = ok(later) ? get<CivilDate>(values, later) : nullptr;
                if (day && *day < *installed_on)
                    report(later, fmt::format("before installed_on {}", row.texts[installed]));
            }
            return;
        }
        case Table::network: {
            const std::size_t kind_column = columns_[0], parent = columns_[1];
            if (!ok(kind_column) || !ok(parent)) return;
            const auto* kind = get<std::string>(values, kind_column);
            if (kind == nullptr) return;
            const bool has_parent = !empty(values, parent);
            if (*kind == "substation" && has_parent) report(parent, "a substation has no parent");
            if (*kind != "substation" && !has_parent)
                report(present[parent] ? parent : kind_column,
                       fmt::format("{} needs a parent ({})", with_article(*kind),
                                   with_article(network_parent_kind(*kind))));
            return;
        }
        case Table::work_orders: {
            const auto* accepted = ok(columns_[0]) ? get<Instant>(values, columns_[0]) : nullptr;
            if (accepted == nullptr) return;
            for (std::size_t i = 1; i < columns_.size(); ++i) {
                const auto* step = ok(columns_[i]) ? get<Instant>(values, columns_[i]) : nullptr;
                if (step && *step < *accepted)
                    report(columns_[i], fmt::format("before accepted_at {}", row.texts[columns_[0]]));
            }
            return;
        }
        case Table::payments: {
            const std::size_t bill = columns_[0], customer = columns_[1];
            if (ok(bill) && ok(customer) && empty(values, bill) && empty(values, customer))
                report(present[bill] ? bill : customer, "neither bill_id nor customer_id given: at least one is required");
            return;
        }
        case Table::ami_interval: {
            const auto* start = ok(columns_[0]) ? get<Instant>(values, columns_[0]) : nullptr;
            const auto* minutes = ok(columns_[1]) ? get<std::int64_t>(values, columns_[1]) : nullptr;
            if (start == nullptr || minutes == nullptr) return;
            if (auto problem = interval_grid_problem(start->unix_seconds(), *minutes); !problem.empty())
                report(columns_[0], std::move(problem));
            return;
        }
    }
}

}  // namespace gridaudit
