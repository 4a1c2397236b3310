// Row-level validation of a contract CSV file into CheckedRows.
#include "ingest/table_validator.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "ingest/csv_layout.hpp"
#include "ingest/field_parser.hpp"
#include "ingest/row_rules.hpp"
#include "text/csv_reader.hpp"

namespace gridaudit {
namespace {

void add_reason(CheckedRow& row, const ImportProblem& problem) {
    if (!row.rejection.empty()) row.rejection += "; ";
    row.rejection += problem.reason();
}

}  // namespace

std::size_t CheckedTable::rejected_count() const {
    return static_cast<std::size_t>(
        std::count_if(rows.begin(), rows.end(), [](const CheckedRow& row) { return row.rejected(); }));
}

void reject_row(CheckedTable& table, std::size_t row, std::size_t column, std::string_view what, std::string_view value,
                ProblemLog& problems) {
    CheckedRow& checked = table.rows[row];
    const std::uint32_t position = std::max<std::uint32_t>(table.column_of(row, column), 1);
    const auto& problem =
        problems.add_field(table.file, checked.row.line, position, table.spec->columns[column].name, what, value);
    add_reason(checked, problem);
}

CheckedTable check_table(const TableSpec& spec, std::string_view file, std::string_view content, ProblemLog& problems,
                         std::size_t max_rejected_rows, ProgressObserver& progress) {
    CheckedTable table;
    table.spec = &spec;
    table.file = std::string(file);
    CsvReader reader(content);
    const auto layout = read_csv_layout(spec, file, reader, problems);
    if (!layout) return table;
    table.usable = true;
    table.header_raw = layout->header_raw;

    const std::size_t column_count = spec.columns.size();
    const RowRules rules(spec);
    std::vector<char> usable(column_count), present(column_count);
    std::vector<std::string_view> texts(column_count);
    for (std::size_t c = 0; c < column_count; ++c) present[c] = layout->has(c);
    std::size_t rejected = 0;
    std::size_t reported = 0;  // bytes of `content` told to `progress`
    constexpr std::size_t rows_per_report = 4096;

    for (;;) {
        if (table.rows.size() % rows_per_report == 0) {
            const std::size_t at = reader.position().offset;
            progress.advance(at - reported);
            reported = at;
        }
        const CsvStatus status = reader.next();
        if (status == CsvStatus::end) break;
        if (rejected >= max_rejected_rows) {
            problems.add_file(
                file, fmt::format("more than {} rejected rows: the file was not read further", max_rejected_rows));
            table.usable = false;
            break;
        }
        const std::size_t index = table.rows.size();
        CheckedRow& checked = table.rows.emplace_back();
        checked.raw = reader.record().raw;
        checked.row.line = reader.record().line;
        checked.row.values.assign(column_count, FieldValue{});
        table.field_columns.resize(table.field_columns.size() + column_count, 0);

        const std::size_t problems_before = problems.size();
        if (!check_record_shape(status, reader, *layout, file, problems)) {
            add_reason(checked, problems.problems().back());
            ++rejected;
            continue;
        }
        const auto& fields = reader.record().fields;
        std::uint32_t* columns = &table.field_columns[index * column_count];
        for (std::size_t c = 0; c < column_count; ++c) {
            usable[c] = 1;
            texts[c] = {};
            if (!present[c]) continue;
            const CsvField& field = fields[static_cast<std::size_t>(layout->column_field[c])];
            const ColumnSpec& column = spec.columns[c];
            columns[c] = field.column;
            texts[c] = field.text;
            if (field.text.empty()) {
                if (column.required) {
                    problems.add_field(file, field.line, field.column, column.name, required_value_missing, "");
                    usable[c] = 0;
                }
                continue;
            }
            auto value = parse_field(column, field.text);
            if (!value) {
                problems.add_field(file, field.line, field.column, column.name, value.error(), field.text);
                usable[c] = 0;
                continue;
            }
            checked.row.values[c] = std::move(*value);
        }
        rules.check({checked.row.values, usable, present, texts}, [&](std::size_t c, std::string what) {
            // A rule may name a column the file lacks; the problem then points at the record.
            const int field_index = layout->column_field[c];
            const CsvField& field = fields[field_index >= 0 ? static_cast<std::size_t>(field_index) : 0];
            problems.add_field(file, field.line, field.column, spec.columns[c].name, what,
                               field_index >= 0 ? field.text : std::string_view());
        });
        if (problems.size() != problems_before) {
            for (std::size_t p = problems_before; p < problems.size(); ++p) add_reason(checked, problems.problems()[p]);
            ++rejected;
        }
    }
    progress.advance(content.size() - std::min(reported, content.size()));
    return table;
}

}  // namespace gridaudit
