// Row-level validation of one contract CSV file (master data, events, bills...): header, record
// shape, every field's type, code and range, required values, and the table's cross-column
// rules. Every problem of every row is logged, not just the first; a row with any problem is
// rejected but kept (with its raw text) for the report. Rules between rows are the reference
// checker's (reference_checker.hpp).
// Thread safety: check_table is reentrant; a CheckedTable is plain data.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/progress.hpp"
#include "ingest/import_problem.hpp"
#include "model/import_contract.hpp"
#include "model/rows.hpp"

namespace gridaudit {

struct CheckedRow {
    Row row;                // values in contract column order (partial when rejected); line = first line
    std::string_view raw;   // the record as in the file, without its line end
    std::string rejection;  // every reason the row is rejected, "; "-joined; empty when accepted
    [[nodiscard]] bool rejected() const { return !rejection.empty(); }
};

struct CheckedTable {
    const TableSpec* spec = nullptr;
    std::string file;              // "customers.csv"
    std::string_view header_raw;   // the header line as in the file
    std::vector<CheckedRow> rows;  // every record after the header, in file order
    // rows.size() x spec->columns.size(): the character column of each value's field (0 when the
    // file has no such column or the record was malformed).
    std::vector<std::uint32_t> field_columns;
    bool usable = false;  // false when the header (or the file) made the rows unreadable

    [[nodiscard]] std::uint32_t column_of(std::size_t row, std::size_t column) const {
        return field_columns[row * spec->columns.size() + column];
    }
    [[nodiscard]] std::size_t rejected_count() const;
};

// Rejects `row` of `table` for a problem of contract column `column` (the field's position is
// used) and logs it: file:line:column: column_name: what (value).
void reject_row(CheckedTable& table, std::size_t row, std::size_t column, std::string_view what, std::string_view value,
                ProblemLog& problems);

// A file with more rejected rows than this is not read further (a whole-file problem).
inline constexpr std::size_t default_max_rejected_rows = 1'000'000;

// `progress` hears the bytes of `content` read, every few thousand rows (the caller names the stage).
// REQUIRES: `content` outlives the returned table (rows keep views into it).
[[nodiscard]] CheckedTable check_table(const TableSpec& spec, std::string_view file, std::string_view content,
                                       ProblemLog& problems, std::size_t max_rejected_rows = default_max_rejected_rows,
                                       ProgressObserver& progress = null_progress());

}  // namespace gridaudit
