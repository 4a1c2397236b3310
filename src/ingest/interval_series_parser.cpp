// ami_interval.csv into IntervalSeriesRows.
#include "ingest/interval_series_parser.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "ingest/field_parser.hpp"
#include "ingest/meter_interner.hpp"
#include "ingest/row_rules.hpp"
#include "text/csv_reader.hpp"

namespace gridaudit {
namespace {

enum Column : std::size_t { meter_column, start_column, minutes_column, kwh_column, flags_column, column_count };

}  // namespace

IntervalSeriesParse parse_interval_series(std::string_view file, std::string_view content,
                                          const SeriesParseOptions& options, ProblemLog& problems) {
    IntervalSeriesParse parse;
    parse.file = std::string(file);
    const TableSpec& spec = *find_table("ami_interval");
    CsvReader reader(content);
    auto layout = read_csv_layout(spec, file, reader, problems);
    if (!layout) return parse;
    parse.layout = std::move(*layout);
    parse.usable = true;

    MeterInterner meters;
    IntervalSeriesRows& rows = parse.rows;
    bool sorted = true;
    for (;;) {
        const CsvStatus status = reader.next();
        if (status == CsvStatus::end) break;
        const CsvRecord& record = reader.record();
        ++parse.rows_read;
        const std::size_t problems_before = problems.size();
        bool good = check_record_shape(status, reader, parse.layout, file, problems);
        // The field of a contract column, or nullptr when the file lacks the column.
        const auto field_of = [&](std::size_t column) -> const CsvField* {
            const int index = parse.layout.column_field[column];
            return index < 0 ? nullptr : &record.fields[static_cast<std::size_t>(index)];
        };
        // Parses a column as the generic path does; nullopt (and a logged problem) when bad.
        const auto value_of = [&](std::size_t column) -> std::optional<FieldValue> {
            const CsvField* field = field_of(column);
            if (field == nullptr) return FieldValue{};
            const ColumnSpec& column_spec = spec.columns[column];
            if (field->text.empty()) {
                if (!column_spec.required) return FieldValue{};
                problems.add_field(file, field->line, field->column, column_spec.name, required_value_missing, "");
                return std::nullopt;
            }
            auto value = parse_field(column_spec, field->text);
            if (!value) {
                problems.add_field(file, field->line, field->column, column_spec.name, value.error(), field->text);
                return std::nullopt;
            }
            return std::move(*value);
        };
        std::uint32_t meter = 0;
        std::int64_t start = 0, minutes = 0;
        double kwh = std::numeric_limits<double>::quiet_NaN();
        std::uint32_t flags = 0;
        if (good) {
            const CsvField& meter_field = *field_of(meter_column);
            if (!meters.find(meter_field.text, meter)) {
                if (value_of(meter_column))
                    meter = meters.add(meter_field.text);
                else
                    good = false;
            }
            const auto start_value = value_of(start_column);
            const auto minutes_value = value_of(minutes_column);
            const auto kwh_value = value_of(kwh_column);
            const auto flags_value = value_of(flags_column);
            good = good && start_value && minutes_value && kwh_value && flags_value;
            if (start_value && minutes_value) {
                start = std::get<Instant>(*start_value).unix_seconds();
                minutes = std::get<std::int64_t>(*minutes_value);
                if (auto problem = interval_grid_problem(start, minutes); !problem.empty()) {
                    const CsvField& start_field = *field_of(start_column);
                    problems.add_field(file, start_field.line, start_field.column, spec.columns[start_column].name,
                                       problem, start_field.text);
                    good = false;
                }
            }
            if (kwh_value) {
                if (const double* value = std::get_if<double>(&*kwh_value)) kwh = *value;
            }
            if (flags_value && field_of(flags_column) != nullptr)
                flags = parse_flag_bits(spec.columns[flags_column], field_of(flags_column)->text).value_or(0);
        }
        if (!good) {
            RejectedRecord rejected{record.line, record.raw, {}};
            for (std::size_t p = problems_before; p < problems.size(); ++p) {
                if (!rejected.reason.empty()) rejected.reason += "; ";
                rejected.reason += problems.problems()[p].reason();
            }
            parse.rejected.push_back(std::move(rejected));
            if (parse.rejected.size() > options.max_rejected_rows) {
                problems.add_file(file, fmt::format("more than {} rejected rows: the file was not read further",
                                                    options.max_rejected_rows));
                parse.usable = false;
                return parse;
            }
            continue;
        }
        if (!rows.meter.empty() &&
            (meter < rows.meter.back() || (meter == rows.meter.back() && start <= rows.start.back())))
            sorted = false;
        rows.meter.push_back(meter);
        rows.start.push_back(start);
        rows.minutes.push_back(static_cast<std::uint16_t>(minutes));
        rows.kwh.push_back(kwh);
        rows.flags.push_back(static_cast<std::uint8_t>(flags));
        parse.lines.add(record.line);
    }
    rows.meter_ids = meters.take_ids();
    if (!sorted) parse.duplicates = find_duplicate_rows<std::int64_t>(rows.meter, rows.start, rows.meter_ids.size());
    return parse;
}

void reject_late_interval_rows(IntervalSeriesParse& parse, std::string_view content,
                               const std::vector<std::optional<std::string>>& meter_problems, ProblemLog& problems) {
    IntervalSeriesRows& rows = parse.rows;
    LateRejections late;
    std::vector<bool> bad_meter(rows.meter_ids.size(), false);
    for (std::size_t m = 0; m < rows.meter_ids.size() && m < meter_problems.size(); ++m) {
        if (!meter_problems[m]) continue;
        bad_meter[m] = true;
        late.meters.emplace(rows.meter_ids[m], *meter_problems[m]);
    }
    for (const DuplicateRow& duplicate : parse.duplicates) {
        late.lines.emplace(parse.lines.line_of(duplicate.row),
                           LateRejections::Problem{
                               fmt::format("duplicate key, first on line {}", parse.lines.line_of(duplicate.first_row)),
                               fmt::format("{}, {}", rows.meter_ids[rows.meter[duplicate.row]],
                                           Instant::from_unix_seconds(rows.start[duplicate.row]).to_string())});
    }
    if (late.empty()) return;
    collect_late_rejections(parse.file, content, parse.layout, meter_column, late, problems, parse.rejected);

    std::vector<bool> keep(rows.size(), true);
    for (std::size_t row = 0; row < rows.size(); ++row) keep[row] = !bad_meter[rows.meter[row]];
    for (const DuplicateRow& duplicate : parse.duplicates) keep[duplicate.row] = false;
    parse.duplicates.clear();

    std::vector<std::uint32_t> new_meter(rows.meter_ids.size(), UINT32_MAX);
    std::vector<std::string> kept_ids;
    std::size_t out = 0;
    for (std::size_t row = 0; row < rows.size(); ++row) {
        if (!keep[row]) continue;
        std::uint32_t& meter = new_meter[rows.meter[row]];
        if (meter == UINT32_MAX) {
            meter = static_cast<std::uint32_t>(kept_ids.size());
            kept_ids.push_back(rows.meter_ids[rows.meter[row]]);
        }
        rows.meter[out] = meter;
        rows.start[out] = rows.start[row];
        rows.minutes[out] = rows.minutes[row];
        rows.kwh[out] = rows.kwh[row];
        rows.flags[out] = rows.flags[row];
        ++out;
    }
    rows.meter.resize(out);
    rows.start.resize(out);
    rows.minutes.resize(out);
    rows.kwh.resize(out);
    rows.flags.resize(out);
    rows.meter_ids = std::move(kept_ids);
    parse.lines = parse.lines.filtered(keep);
}

}  // namespace gridaudit
