// The report as a self-contained HTML page (see report_html.hpp).
#include "report/report_html.hpp"

#include <fmt/format.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>

#include "report/report_chart_script.hpp"

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
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(560px,1fr));gap:16px 24px;max-width:1800px}
figure.chart{margin:0;break-inside:avoid}figure.chart h3{font-size:15px;margin:12px 0 2px}
.chart-canvas{height:340px;width:100%}
p.legend{font-size:12px;margin:4px 0}p.legend span.swatch{display:inline-block;width:12px;height:12px;margin:0 4px 0 10px;vertical-align:-1px}
@media print{.charts{grid-template-columns:1fr}.chart-canvas{width:680px}}
)";

// The chart data as the page's JSON: every '<' (only ever inside a string) as \u003c, so no text
// of the data can end the script element.
std::string chart_data_json(const std::vector<ReportChart>& charts) {
    const std::string json = report_charts_json(charts).dump();
    std::string escaped;
    escaped.reserve(json.size());
    for (const char c : json) {
        if (c == '<')
            escaped += "\\u003c";
        else
            escaped += c;
    }
    return escaped;
}

std::string anchor_of(const std::string& sheet_name) {
    std::string anchor;
    for (const char c : sheet_name)
        anchor += (c == ' ') ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return anchor;
}

}  // namespace

std::string render_report_html(const std::vector<ReportTable>& tables, const std::vector<ReportChart>& charts,
                               std::string_view heading) {
    std::string page = fmt::format(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta "
        "charset=\"utf-8\">\n<title>{0}</title>\n<style>\n{1}</style>\n"
        "</head>\n<body>\n<h1>{0}</h1>\n<nav>",
        html_escape(heading), style);
    if (!charts.empty()) page += "<a href=\"#charts\">Charts</a>";
    for (const auto& table : tables)
        page += fmt::format("<a href=\"#{}\">{}</a>", html_escape(anchor_of(table.sheet_name)),
                            html_escape(table.sheet_name));
    page += "</nav>\n";
    if (!charts.empty()) {
        page += "<section id=\"charts\">\n<h2>Charts (图表)</h2>\n<div class=\"charts\">\n";
        for (const ReportChart& chart : charts) {
            page += fmt::format("<figure class=\"chart\">\n<h3>{}</h3>\n", html_escape(chart.title));
            if (!chart.note.empty()) page += fmt::format("<p class=\"note\">{}</p>\n", html_escape(chart.note));
            if (chart.kind == ChartKind::treemap) {  // the classes' colours (ECharts' legend is per series)
                page += "<p class=\"legend\">";
                for (const LossClassStyle& style : loss_class_styles())
                    page += fmt::format("<span class=\"swatch\" style=\"background:{}\"></span>{}", style.colour,
                                        html_escape(style.label));
                page += "</p>\n";
            }
            page += fmt::format(
                "<div class=\"chart-canvas\" id=\"chart-{}\" role=\"img\" aria-label=\"{}\"></div>\n</figure>\n",
                html_escape(chart.id), html_escape(chart.title));
        }
        page += "</div>\n</section>\n";
    }
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
    if (!charts.empty()) {
        page += "<script type=\"application/json\" id=\"report-chart-data\">";
        page += chart_data_json(charts);
        page += "</script>\n<script>\n";
        page += report_chart_script();
        page += "\n</script>\n";
    }
    page += "</body>\n</html>\n";
    return page;
}

Status write_report_html(const std::vector<ReportTable>& tables, const std::vector<ReportChart>& charts,
                         std::string_view heading, const std::filesystem::path& path) {
    const std::string page = render_report_html(tables, charts, heading);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) return external_error(fmt::format("cannot write {}: {}", path.string(), std::strerror(errno)));
    out.write(page.data(), static_cast<std::streamsize>(page.size()));
    out.close();
    if (!out) return external_error(fmt::format("cannot write {}", path.string()));
    return {};
}

}  // namespace gridaudit
