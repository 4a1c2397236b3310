// Printing what an import did: rows per file, the store's changes, the first problems.
#pragma once

#include "ingest/import_report.hpp"

namespace gridaudit {

// Prints the report; problems (at most `problems_shown`) go to stderr.
void print_import_report(const ImportReport& report, std::size_t problems_shown);

// 0 when every row was accepted, 1 when some were rejected (the valid rows are committed).
[[nodiscard]] int import_exit_code(const ImportReport& report);

}  // namespace gridaudit
