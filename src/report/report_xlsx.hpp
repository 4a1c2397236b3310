// Writes the report's tables (report_tables.hpp) as an Excel workbook with libxlsxwriter: one
// sheet per table, the table's title and note in the first two rows, the header in the third,
// frozen with the first column, an autofilter over the header; numbers stay numbers with a
// display format (kWh "#,##0", rates "0.00%", changes in percentage points, prices "0.0000",
// money "#,##0.00" written from Money's two-decimal text, never from a binary double). With
// charts, the first sheet is "Charts": each chart's numbers as a small table (title, note, header
// of the category axis and the series, a row per category) with native Excel charts beside it
// over those cells. libxlsxwriter 1.1 has no secondary axis, so the series on a chart's right
// axis (a rate beside kWh, money beside counts) get a second chart of their own; a treemap is a
// pie of its classes' counts.
// Thread safety: stateless; concurrent calls must write different files.
#pragma once

#include <filesystem>
#include <vector>

#include "core/result.hpp"
#include "report/report_charts.hpp"
#include "report/report_tables.hpp"

namespace gridaudit {

// Rows above the header in every sheet (title, note): the header is row `xlsx_header_row` (0-based).
inline constexpr int xlsx_header_row = 2;

// The charts sheet's name, and the row (0-based) of the first chart's title in it.
inline constexpr const char* xlsx_charts_sheet = "Charts";
inline constexpr int xlsx_first_chart_row = 3;

// Writes `charts` (when any) and `tables` to `path` (replacing it). A file that cannot be written is
// an external error.
[[nodiscard]] Status write_report_xlsx(const std::vector<ReportTable>& tables, const std::vector<ReportChart>& charts,
                                       const std::filesystem::path& path);

}  // namespace gridaudit
