// The report as a self-contained HTML page (see report_html.hpp).
#include "report/report_html.hpp"

#include <fmt/format.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>

namespace gridaudit {
namespace {

constexpr const char* style =
    R"(body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:24px;color:#1d2733}
h1{font-size:22px;margin:0 0 8px}h2{font-size:17px;margin:28px 0 4px}
nav a{margin-right:12px}p.note{color:#555;font-size:13px;margin:2px 0 8px;max-width:1100px}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;font-size:13px}
th{background:#dde4ee;text-align:left;vertical-align:top;padding:4px 6px;border-bottom:1px solid #889;position:sticky;top:0}
td{padding:3px 6px;border-bottom:1px solid #e3e6ea;white-space:nowrap}
td.n{text-align:right;font-variant-numeric:tabular-nums}td.neg{color:#b00020}
tr:nth-child(even) td{background:#f7f8fa}
td.warning,tr:nth-child(even) td.warning{background:#fff2cc}td.alert,tr:nth-child(even) td.alert{background:#f8cbad}
)";

std::string anchor_of(const std::string& sheet_name) {
    std::string anchor;
    for (const char c : sheet_name)
        anchor += (c == ' ') ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return anchor;
}

}  // namespace

std::string render_report_html(const std::vector<ReportTable>& tables, std::string_view heading) {
    std::string page = fmt::format(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta "
        "charset=\"utf-8\">\n<title>{0}</title>\n<style>\n{1}</style>\n"
        "</head>\n<body>\n<h1>{0}</h1>\n<nav>",
        html_escape(heading), style);
    for (const auto& table : tables)
        page += fmt::format("<a href=\"#{}\">{}</a>", html_escape(anchor_of(table.sheet_name)),
                            html_escape(table.sheet_name));
    page += "</nav>\n";
    for (const auto& table : tables) {
        page += fmt::format("<section id=\"{}\">\n<h2>{}</h2>\n", html_escape(anchor_of(table.sheet_name)),
                            html_escape(table.title));
        if (!table.note.empty()) page += fmt::format("<p class=\"note\">{}</p>\n", html_escape(table.note));
        page += "<div class=\"scroll\"><table>\n<thead><tr>";
        for (const auto& column : table.columns) page += fmt::format("<th>{}</th>", html_escape(column.heading));
        page += "</tr></thead>\n<tbody>\n";
        for (const auto& row : table.rows) {
            page += "<tr>";
            for (std::size_t c = 0; c < table.columns.size() && c < row.size(); ++c) {
                const ReportCell& cell = row[c];
                const CellFormat format = cell.format.value_or(table.columns[c].format);
                const bool numeric = !std::holds_alternative<std::string>(cell.value) && format != CellFormat::text;
                const std::string text = cell_text(cell, table.columns[c].format);
                const bool negative = numeric && !text.empty() && text[0] == '-';
                const char* emphasis = cell.emphasis == CellEmphasis::alert     ? " alert"
                                       : cell.emphasis == CellEmphasis::warning ? " warning"
                                                                                : "";
                if (numeric)
                    page += fmt::format("<td class=\"n{}{}\">", negative ? " neg" : "", emphasis);
                else
                    page += *emphasis ? fmt::format("<td class=\"{}\">", emphasis + 1) : std::string("<td>");
                page += html_escape(text);
                page += "</td>";
            }
            page += "</tr>\n";
        }
        page += "</tbody>\n</table></div>\n</section>\n";
    }
    page += "</body>\n</html>\n";
    return page;
}

Status write_report_html(const std::vector<ReportTable>& tables, std::string_view heading,
                         const std::filesystem::path& path) {
    const std::string page = render_report_html(tables, heading);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) return external_error(fmt::format("cannot write {}: {}", path.string(), std::strerror(errno)));
    out.write(page.data(), static_cast<std::streamsize>(page.size()));
    out.close();
    if (!out) return external_error(fmt::format("cannot write {}", path.string()));
    return {};
}

}  // namespace gridaudit
