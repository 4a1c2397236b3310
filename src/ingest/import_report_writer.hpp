// Writes an import's report folder:
//   errors.txt          every problem, one per line: file:line:column: column_name: what (value)
//   rejected/<file>     per CSV file with rejected rows: its header plus each rejected row
//                       verbatim, with an added x_error column saying why
// Files of an earlier report in the same folder (errors.txt, rejected/<contract file>) are
// removed first, so the folder never mixes two imports; nothing else there is touched.
// Thread safety: reentrant (for different folders).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "ingest/import_problem.hpp"

namespace gridaudit {

struct RejectedRowText {
    std::uint32_t line = 0;
    std::string_view raw;  // the record as in the file, without its line end
    std::string reason;    // the x_error value
};

struct RejectedFile {
    std::string file;             // "customers.csv"
    std::string_view header_raw;  // the file's header line
    std::vector<RejectedRowText> rows;
};

// Removes the files a previous report left in `dir` (errors.txt, rejected/<contract file>).
[[nodiscard]] Status clear_import_report(const std::filesystem::path& dir);

// Clears `dir` as above, then writes errors.txt and rejected/<file>. Creates `dir` if needed.
[[nodiscard]] Status write_import_report(const std::filesystem::path& dir, const std::vector<ImportProblem>& problems,
                                         const std::vector<RejectedFile>& rejected);

}  // namespace gridaudit
