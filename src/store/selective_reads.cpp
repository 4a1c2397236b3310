// Selected rows of a contract table, in SQL when the store can, filtered in memory otherwise
// (see selective_reads.hpp).
#include "store/selective_reads.hpp"

#include <algorithm>

namespace gridaudit {

Result<std::vector<Row>> read_selected_rows(Store& store, const TableSpec& table, const RowSelection& selection) {
    if (auto* selective = dynamic_cast<SelectiveReads*>(&store)) return selective->read_rows(table, selection);
    GA_ASSIGN_OR_RETURN(std::vector<Row> rows, store.read_rows(table));
    std::vector<char> kept_column(table.columns.size(), selection.columns.empty() ? 1 : 0);
    for (const std::string& name : selection.columns) {
        const int index = table.column_index(name);
        if (index < 0)
            return internal_error("read_selected_rows: " + std::string(table.table) + " has no column " + name);
        kept_column[static_cast<std::size_t>(index)] = 1;
    }
    const int period_index = selection.period_column.empty() ? -1 : table.column_index(selection.period_column);
    if (!selection.period_column.empty() && period_index < 0)
        return internal_error("read_selected_rows: " + std::string(table.table) + " has no column " +
                              selection.period_column);
    std::vector<Row> kept;
    for (Row& row : rows) {
        if (period_index >= 0) {
            const auto* period = std::get_if<Period>(&row.values[static_cast<std::size_t>(period_index)]);
            if (!period ||
                std::find(selection.periods.begin(), selection.periods.end(), *period) == selection.periods.end())
                continue;
        }
        for (std::size_t c = 0; c < row.values.size(); ++c)
            if (!kept_column[c]) row.values[c] = std::monostate{};
        kept.push_back(std::move(row));
    }
    return kept;
}

}  // namespace gridaudit
