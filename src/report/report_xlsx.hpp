// Writes the report's tables (report_tables.hpp) as an Excel workbook with libxlsxwriter: one
// sheet per table, the table's title and note in the first two rows, the header in the third,
// frozen with the first column, an autofilter over the header; numbers stay numbers with a
// display format (kWh "#,##0", rates "0.00%", changes in percentage points, prices "0.0000",
// money "#,##0.00" written from Money's two-decimal text, never from a binary double).
// Thread safety: stateless; concurrent calls must write different files.
#pragma once

#include <filesystem>
#include <vector>

#include "core/result.hpp"
#include "report/report_tables.hpp"

namespace gridaudit {

// Rows above the header in every sheet (title, note): the header is row `xlsx_header_row` (0-based).
inline constexpr int xlsx_header_row = 2;

// Writes `tables` to `path` (replacing it). A file that cannot be written is an external error.
[[nodiscard]] Status write_report_xlsx(const std::vector<ReportTable>& tables, const std::filesystem::path& path);

}  // namespace gridaudit
