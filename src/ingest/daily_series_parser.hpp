// The bulk path for ami_daily.csv (tens of millions of rows): parsed straight into the columns
// of DailySeriesRows, on several threads, with the same checks and messages as the generic path.
//
// The file is split at line starts into one chunk per thread. When the file holds quotes, a
// split point is moved forward until the quotes before it are even (so it is not inside a
// quoted field). Each chunk is parsed by its own CsvReader; afterwards, every chunk must start
// exactly where the previous one stopped, otherwise (malformed quoting) that chunk is parsed
// again from there, so the result never depends on the split. Meter ids are interned per chunk
// (the previous row's meter is tried first), then merged. Duplicate (meter_id, day) rows are
// found at the end (series_duplicates.hpp); they, and rows of unknown or rejected meters, are
// removed by reject_late_daily_rows once the meters are known.
// Thread safety: reentrant; the functions start and join their own threads.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/progress.hpp"
#include "core/result.hpp"
#include "ingest/csv_layout.hpp"
#include "ingest/import_problem.hpp"
#include "ingest/row_line_map.hpp"
#include "ingest/series_duplicates.hpp"
#include "ingest/series_rejections.hpp"
#include "ingest/table_validator.hpp"
#include "model/rows.hpp"

namespace gridaudit {

struct SeriesParseOptions {
    unsigned threads = 2;  // ami_daily.csv only; ami_interval.csv is read on one thread
    std::size_t max_rejected_rows = default_max_rejected_rows;
    // ami_daily.csv: the stage "validating <file>" with its rows (of its lines) done. Never null.
    ProgressObserver* progress = &null_progress();
};

struct DailySeriesParse {
    std::string file;
    bool usable = false;  // false when the header (or too many rejected rows) stopped the file
    CsvLayout layout;
    DailySeriesRows rows;                  // accepted rows in file order
    RowLineMap lines;                      // line of each accepted row
    std::vector<RejectedRecord> rejected;  // sorted by line
    std::vector<DuplicateRow> duplicates;  // rows repeating an earlier (meter_id, day), until rejected
    std::size_t rows_read = 0;
    unsigned threads_used = 1;
};

// Parses and checks every row (types, required values, ranges, duplicates).
// REQUIRES: `content` outlives the result.
[[nodiscard]] DailySeriesParse parse_daily_series(std::string_view file, std::string_view content,
                                                  const SeriesParseOptions& options, ProblemLog& problems);

// Rejects the duplicate rows and every row of a meter with a problem (`meter_problems[i]` is
// about rows.meter_ids[i]; nullopt when the meter is fine), then removes them from the columns.
void reject_late_daily_rows(DailySeriesParse& parse, std::string_view content,
                            const std::vector<std::optional<std::string>>& meter_problems, ProblemLog& problems);

// Summary of validate_daily_file, for the benchmark of parsing and validation alone.
struct DailyFileCheck {
    std::size_t rows_read = 0;
    std::size_t rows_accepted = 0;
    std::size_t rows_rejected = 0;
    std::size_t meters = 0;
    std::size_t problems = 0;
    unsigned threads_used = 1;
};

// Maps one ami_daily.csv and parses and validates it (no references: there are no meters to
// check against), rejecting duplicates.
[[nodiscard]] Result<DailyFileCheck> validate_daily_file(const std::filesystem::path& path,
                                                         const SeriesParseOptions& options);

}  // namespace gridaudit
