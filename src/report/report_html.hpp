// Renders the report's charts (report_charts.hpp) and tables (report_tables.hpp) as one
// self-contained HTML page: inline CSS and script, no external resources (no request when opened
// offline); the charts first, each a titled figure drawn by the embedded ECharts script
// (report_chart_script.hpp) from the page's JSON chart data (report_charts_json, every "<" written
// as \u003c), then one section per table with its title, note and a <table> whose cells show what
// the workbook shows (cell_text); every text is HTML-escaped. Without charts the page has no script.
// Thread safety: stateless.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "report/report_charts.hpp"
#include "report/report_tables.hpp"
#include "text/html_text.hpp"  // html_escape

namespace gridaudit {

// The page; `heading` is its <title> and <h1>.
[[nodiscard]] std::string render_report_html(const std::vector<ReportTable>& tables,
                                             const std::vector<ReportChart>& charts, std::string_view heading);

// Writes the page to `path` (replacing it). A file that cannot be written is an external error.
[[nodiscard]] Status write_report_html(const std::vector<ReportTable>& tables, const std::vector<ReportChart>& charts,
                                       std::string_view heading, const std::filesystem::path& path);

}  // namespace gridaudit
