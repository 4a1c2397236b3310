// Cross-column rules of one row, from the contract's table notes (import_contract.cpp):
//   customers   supply_end not before supply_start; a temporary customer has a supply_end
//   meters      exactly one of customer_id and node_id; removed_on and last_tested_on not before installed_on
//   network     a substation has no parent; every other node has one
//   work_orders step times not before accepted_at
//   ami_interval start on the grid of its minutes (a multiple of `minutes` from midnight UTC)
// Rules between rows (references, parent kinds, gateway meters, cycles, duplicates) are the
// reference checker's. Thread safety: a RowRules is immutable after construction.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "model/import_contract.hpp"
#include "model/rows.hpp"

namespace gridaudit {

class RowRules {
public:
    explicit RowRules(const TableSpec& spec);

    // One row as the rules see it, indexed by contract column.
    struct RowView {
        const std::vector<FieldValue>& values;
        const std::vector<char>& usable;             // false when the column's text did not parse
        const std::vector<char>& present;            // false when the file has no such column
        const std::vector<std::string_view>& texts;  // the fields' texts as written
    };

    // Calls `report(column, what)` for each broken rule of a row; rules involving a column whose
    // text did not parse are skipped.
    void check(const RowView& row, const std::function<void(std::size_t column, std::string what)>& report) const;

private:
    enum class Table { other, customers, meters, network, work_orders, ami_interval, payments };
    Table table_ = Table::other;
    std::vector<std::size_t> columns_;  // the columns the table's rules use, by position in the rule
};

// Why an interval starting at `start_seconds` is off the grid of `minutes`, or "" when on it.
[[nodiscard]] std::string interval_grid_problem(std::int64_t start_seconds, std::int64_t minutes);

// The kind a network node's parent must have ("" for a substation, which has none).
[[nodiscard]] std::string_view network_parent_kind(std::string_view kind);

// "a bus", "an area": a network kind with its article, for messages.
[[nodiscard]] std::string with_article(std::string_view kind);

}  // namespace gridaudit
