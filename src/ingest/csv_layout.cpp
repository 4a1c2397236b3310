// Header checks and record-shape checks of contract CSV files.
#include "ingest/csv_layout.hpp"

#include <fmt/format.h>

namespace gridaudit {

std::optional<CsvLayout> read_csv_layout(const TableSpec& spec, std::string_view file, CsvReader& reader,
                                         ProblemLog& problems) {
    reader.limit_record_bytes(max_header_bytes);
    const CsvStatus status = reader.next();
    reader.limit_record_bytes(max_record_bytes);
    if (status == CsvStatus::end) {
        problems.add_field(file, 1, 1, "", "the file is empty: a header line naming the columns is required", "")
            .whole_file = true;
        return std::nullopt;
    }
    if (status == CsvStatus::malformed) {
        const auto& error = reader.error();
        problems.add_field(file, error.line, error.column, "", fmt::format("header: {}", error.what), "").whole_file =
            true;
        return std::nullopt;
    }
    const CsvRecord& header = reader.record();
    CsvLayout layout;
    layout.header_raw = header.raw;
    layout.data_start = reader.position();
    layout.column_field.assign(spec.columns.size(), -1);
    layout.field_column.assign(header.fields.size(), -1);
    bool usable = true;
    const auto problem = [&](const CsvField& field, std::string_view column_name, std::string what) {
        problems.add_field(file, field.line, field.column, column_name, what, "").whole_file = true;
        usable = false;
    };
    for (std::size_t i = 0; i < header.fields.size(); ++i) {
        const CsvField& field = header.fields[i];
        const std::string_view name = field.text;
        for (std::size_t earlier = 0; earlier < i; ++earlier) {
            if (header.fields[earlier].text == name) {
                problem(field, name,
                        fmt::format("column named twice in the header (first at column {})",
                                    header.fields[earlier].column));
                break;
            }
        }
        if (name.empty()) {
            problem(field, "", "empty column name in the header");
            continue;
        }
        const int column = spec.column_index(name);
        if (column >= 0) {
            layout.field_column[i] = column;
            if (layout.column_field[static_cast<std::size_t>(column)] < 0)
                layout.column_field[static_cast<std::size_t>(column)] = static_cast<int>(i);
        } else if (!name.starts_with("x_")) {
            problem(
                field, name,
                fmt::format("unknown column: {} has no such column (name extra columns with an x_ prefix)", spec.file));
        }
    }
    const CsvField& first = header.fields.front();
    for (std::size_t c = 0; c < spec.columns.size(); ++c) {
        if (spec.columns[c].required && layout.column_field[c] < 0)
            problem(first, spec.columns[c].name, "required column missing from the header");
    }
    if (!usable) return std::nullopt;
    return layout;
}

bool check_record_shape(CsvStatus status, const CsvReader& reader, const CsvLayout& layout, std::string_view file,
                        ProblemLog& problems) {
    if (status == CsvStatus::malformed) {
        const auto& error = reader.error();
        problems.add_field(file, error.line, error.column, "", error.what, "").whole_file = error.whole_file;
        return false;
    }
    const CsvRecord& record = reader.record();
    if (record.fields.size() == layout.field_count()) return true;
    const CsvField& at =
        record.fields.size() > layout.field_count() ? record.fields[layout.field_count()] : record.fields.back();
    problems.add_field(
        file, at.line, at.column, "",
        fmt::format("the record has {} fields, the header has {}", record.fields.size(), layout.field_count()), "");
    return false;
}

}  // namespace gridaudit
