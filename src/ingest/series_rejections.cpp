// Second reading of a series file to collect the text of rows rejected after parsing.
#include "ingest/series_rejections.hpp"

#include <algorithm>
#include <iterator>

#include "text/csv_reader.hpp"

namespace gridaudit {

void collect_late_rejections(std::string_view file, std::string_view content, const CsvLayout& layout,
                             std::size_t meter_column, const LateRejections& late, ProblemLog& problems,
                             std::vector<RejectedRecord>& rejected) {
    if (late.empty()) return;
    const auto meter_field = static_cast<std::size_t>(layout.column_field[meter_column]);
    std::vector<RejectedRecord> found;
    std::size_t next_rejected = 0;  // parser-rejected records are skipped: they are reported already
    CsvReader reader(content, layout.data_start);
    for (CsvStatus status; (status = reader.next()) != CsvStatus::end;) {
        const CsvRecord& record = reader.record();
        while (next_rejected < rejected.size() && rejected[next_rejected].line < record.line) ++next_rejected;
        if (next_rejected < rejected.size() && rejected[next_rejected].line == record.line) continue;
        if (status != CsvStatus::record || record.fields.size() != layout.field_count()) continue;
        const CsvField& meter = record.fields[meter_field];
        RejectedRecord row{record.line, record.raw, {}};
        const auto add = [&](std::string_view what, std::string_view value) {
            const auto& problem = problems.add_field(file, meter.line, meter.column, "meter_id", what, value);
            if (!row.reason.empty()) row.reason += "; ";
            row.reason += problem.reason();
        };
        // A duplicate is rejected as such (as on the generic path, where duplicates are found
        // before references are checked).
        if (const auto by_line = late.lines.find(record.line); by_line != late.lines.end())
            add(by_line->second.what, by_line->second.value);
        else if (const auto by_meter = late.meters.find(meter.text); by_meter != late.meters.end())
            add(by_meter->second, meter.text);
        if (!row.reason.empty()) found.push_back(std::move(row));
    }
    if (found.empty()) return;
    std::vector<RejectedRecord> merged;
    merged.reserve(rejected.size() + found.size());
    std::merge(std::make_move_iterator(rejected.begin()), std::make_move_iterator(rejected.end()),
               std::make_move_iterator(found.begin()), std::make_move_iterator(found.end()), std::back_inserter(merged),
               [](const RejectedRecord& a, const RejectedRecord& b) { return a.line < b.line; });
    rejected = std::move(merged);
}

}  // namespace gridaudit
