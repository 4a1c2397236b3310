// Reads of a contract table restricted to the rows and columns a command needs (issue 17): `loss`
// needs one month's bills and a few columns of the customers, not every bill of the utility with
// every column. A backend that can answer such reads implements SelectiveReads beside Store
// (SqliteStore does, in SQL); read_selected_rows() asks it and falls back to Store::read_rows
// filtered in memory for any other Store (test doubles), so callers hold a Store only.
// Thread safety: as the Store the reads go to.
#pragma once

#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "model/import_contract.hpp"
#include "model/rows.hpp"
#include "store/store.hpp"

namespace gridaudit {

struct RowSelection {
    // Columns read; every other value of a row is left empty (std::monostate). Empty: every column.
    std::vector<std::string> columns;
    // When not empty: only the rows whose value in this period column is one of `periods`.
    std::string period_column;
    std::vector<Period> periods;
};

class SelectiveReads {
public:
    virtual ~SelectiveReads() = default;
    // The selected rows in key order (as Store::read_rows), one value per column of the table.
    // REQUIRES: `table` is a rows-kind table of the contract; the selection names its columns.
    [[nodiscard]] virtual Result<std::vector<Row>> read_rows(const TableSpec& table, const RowSelection& selection) = 0;
};

// The rows of `table` that `selection` keeps, through the store's SelectiveReads when it has them.
[[nodiscard]] Result<std::vector<Row>> read_selected_rows(Store& store, const TableSpec& table,
                                                          const RowSelection& selection);

}  // namespace gridaudit
