// A small, independent checker of generated CSV files against the import contract, for the
// generator's tests (deliberately not the ingest layer: the two are built separately and must agree
// only through src/model/import_contract.cpp).
//
// It reads the simple CSV the generator writes (no quoting), checks the header and every field's
// type, code list and range, and the cross-column rules the contract states in its notes.
// Thread safety: plain functions.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "model/import_contract.hpp"

namespace gridaudit {

struct CsvTable {
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;

    // Column position by name; -1 when absent.
    [[nodiscard]] int column(std::string_view name) const;
    [[nodiscard]] const std::string& at(std::size_t row, std::string_view name) const;
};

// Reads a comma-separated file with a header row; fields are split on every comma.
[[nodiscard]] CsvTable read_csv(const std::filesystem::path& path);

// Problems of one table against its contract, "line N column NAME: what (value)"; at most `limit`.
[[nodiscard]] std::vector<std::string> check_against_contract(const TableSpec& spec, const CsvTable& table,
                                                              std::size_t limit = 20);

// True when `value` is a well-formed value of the column (type, codes, range); empty is valid
// only for optional columns.
[[nodiscard]] bool field_is_valid(const ColumnSpec& column, const std::string& value);

}  // namespace gridaudit
