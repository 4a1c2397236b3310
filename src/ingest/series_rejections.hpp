// Rows of a series file (ami_daily.csv, ami_interval.csv) rejected after parsing: rows of a
// meter that is unknown or rejected, and duplicate (meter, time) rows. Series rows are kept as
// columns without their text, so such rows are found again by re-reading the file, which only
// happens when there is something to reject.
// Thread safety: reentrant.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "ingest/csv_layout.hpp"
#include "ingest/import_problem.hpp"
#include "ingest/stored_data.hpp"

namespace gridaudit {

// A rejected row of a series file, for the report's rejected/<file>.
struct RejectedRecord {
    std::uint32_t line = 0;
    std::string_view raw;
    std::string reason;
};

struct LateRejections {
    struct Problem {
        std::string what;
        std::string value;
    };
    // meter id -> why every row of that meter is rejected
    std::unordered_map<std::string, std::string, StringHash, std::equal_to<>> meters;
    // line -> why the row starting there is rejected (duplicates)
    std::unordered_map<std::uint32_t, Problem> lines;
    [[nodiscard]] bool empty() const { return meters.empty() && lines.empty(); }
};

// Re-reads `content` and, for each record accepted by the parser (its line is not in
// `rejected`) that `late` names, logs the problem at its meter_id field and adds it to
// `rejected`, which stays sorted by line. REQUIRES: `rejected` is sorted by line.
void collect_late_rejections(std::string_view file, std::string_view content, const CsvLayout& layout,
                             std::size_t meter_column, const LateRejections& late, ProblemLog& problems,
                             std::vector<RejectedRecord>& rejected);

}  // namespace gridaudit
