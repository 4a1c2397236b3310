// ami_interval.csv (load-profile intervals) into the columns of IntervalSeriesRows, on one
// thread, with the same checks and messages as the generic path: types, required values,
// minutes in 5/15/30/60, kWh range, flags, start on the grid of its minutes, duplicate
// (meter_id, start). Rows of unknown or rejected meters and duplicates are removed by
// reject_late_interval_rows once the meters are known.
// Thread safety: reentrant.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/csv_layout.hpp"
#include "ingest/daily_series_parser.hpp"
#include "ingest/import_problem.hpp"
#include "ingest/row_line_map.hpp"
#include "ingest/series_duplicates.hpp"
#include "ingest/series_rejections.hpp"
#include "model/rows.hpp"

namespace gridaudit {

struct IntervalSeriesParse {
    std::string file;
    bool usable = false;
    CsvLayout layout;
    IntervalSeriesRows rows;               // accepted rows in file order
    RowLineMap lines;                      // line of each accepted row
    std::vector<RejectedRecord> rejected;  // sorted by line
    std::vector<DuplicateRow> duplicates;  // rows repeating an earlier (meter_id, start), until rejected
    std::size_t rows_read = 0;
};

// REQUIRES: `content` outlives the result.
[[nodiscard]] IntervalSeriesParse parse_interval_series(std::string_view file, std::string_view content,
                                                        const SeriesParseOptions& options, ProblemLog& problems);

// As reject_late_daily_rows, for intervals.
void reject_late_interval_rows(IntervalSeriesParse& parse, std::string_view content,
                               const std::vector<std::optional<std::string>>& meter_problems, ProblemLog& problems);

}  // namespace gridaudit
