// Renders the report's tables (report_tables.hpp) as one self-contained HTML page: inline CSS, no
// scripts, no external resources; one section per table with its title, note and a <table> whose
// cells show what the workbook shows (cell_text); every text is HTML-escaped.
// Thread safety: stateless.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "report/report_tables.hpp"
#include "text/html_text.hpp"  // html_escape

namespace gridaudit {


// The page; `heading` is its <title> and <h1>.
[[nodiscard]] std::string render_report_html(const std::vector<ReportTable>& tables, std::string_view heading);

// Writes the page to `path` (replacing it). A file that cannot be written is an external error.
[[nodiscard]] Status write_report_html(const std::vector<ReportTable>& tables, std::string_view heading,
                                       const std::filesystem::path& path);

}  // namespace gridaudit
