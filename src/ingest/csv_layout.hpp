// The layout of a contract CSV file: which header field holds which contract column, and the
// shape checks every record goes through (well-formed, as many fields as the header).
//
// Header rules: every required column present, no column twice, no unknown column unless its
// name starts with `x_` (such columns are kept aside, not imported); the order is free.
// Thread safety: CsvLayout is plain data; the functions log into the caller's ProblemLog.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include "ingest/import_problem.hpp"
#include "model/import_contract.hpp"
#include "text/csv_reader.hpp"

namespace gridaudit {

struct CsvLayout {
    std::vector<int> field_column;  // per header field: index into TableSpec::columns, -1 for an x_ column
    std::vector<int> column_field;  // per contract column: index of its header field, -1 when absent
    std::string_view header_raw;    // the header line as in the file
    CsvPosition data_start;         // where the first record after the header starts

    [[nodiscard]] std::size_t field_count() const { return field_column.size(); }
    [[nodiscard]] bool has(std::size_t column) const { return column_field[column] >= 0; }
};

// Reads and checks the header (the first record of `reader`). Logs every header problem as a
// whole-file problem and returns nullopt when the file cannot be imported.
[[nodiscard]] std::optional<CsvLayout> read_csv_layout(const TableSpec& spec, std::string_view file, CsvReader& reader,
                                                       ProblemLog& problems);

// Logs why a record read with `status` cannot be checked field by field (malformed, or a field
// count that differs from the header's) and returns false; returns true for a good record.
[[nodiscard]] bool check_record_shape(CsvStatus status, const CsvReader& reader, const CsvLayout& layout,
                                      std::string_view file, ProblemLog& problems);

// The problem of an empty required field, in the same words on every path.
inline constexpr std::string_view required_value_missing = "required value is empty";

}  // namespace gridaudit
