// The report as an Excel workbook via libxlsxwriter (see report_xlsx.hpp).
#include "report/report_xlsx.hpp"

#include <fmt/format.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <memory>

namespace gridaudit {
namespace {

struct WorkbookCloser {
    void operator()(lxw_workbook* workbook) const {
        if (workbook) workbook_close(workbook);
    }
};

// Display formats by cell format, created once per workbook.
class FormatSet {
public:
    explicit FormatSet(lxw_workbook* workbook) {
        const auto add = [&](CellFormat format, const char* number_format) {
            lxw_format* f = workbook_add_format(workbook);
            if (number_format) format_set_num_format(f, number_format);
            formats_[format] = f;
        };
        add(CellFormat::text, nullptr);
        add(CellFormat::count, "#,##0");
        add(CellFormat::kwh, "#,##0");
        add(CellFormat::rate, "0.00%");
        // Written in percentage points (the model's fraction x 100), shown with the unit.
        add(CellFormat::rate_change, "+0.00\" pt\";-0.00\" pt\";0.00\" pt\"");
        add(CellFormat::share, "0.0%");
        add(CellFormat::price, "0.0000");
        add(CellFormat::money, "#,##0.00");
        add(CellFormat::tenths, "0.0");
        header = workbook_add_format(workbook);
        format_set_bold(header);
        format_set_text_wrap(header);
        format_set_align(header, LXW_ALIGN_VERTICAL_TOP);
        format_set_bottom(header, LXW_BORDER_THIN);
        format_set_bg_color(header, 0xDDE4EE);
        title = workbook_add_format(workbook);
        format_set_bold(title);
        format_set_font_size(title, 13);
        warning = workbook_add_format(workbook);
        format_set_bg_color(warning, 0xFFF2CC);
        alert = workbook_add_format(workbook);
        format_set_bg_color(alert, 0xF8CBAD);
        note = workbook_add_format(workbook);
        format_set_italic(note);
        format_set_font_color(note, 0x555555);
    }
    [[nodiscard]] lxw_format* of(CellFormat format) const { return formats_.at(format); }
    lxw_format* header = nullptr;
    lxw_format* title = nullptr;
    lxw_format* note = nullptr;
    lxw_format* warning = nullptr;  // text cells asking for attention (CellEmphasis)
    lxw_format* alert = nullptr;

private:
    std::map<CellFormat, lxw_format*> formats_;
};

double column_width(const ReportColumn& column, const ReportTable& table, std::size_t c) {
    if (column.format != CellFormat::text) return 15;
    std::size_t longest = 8;
    for (std::size_t r = 0; r < table.rows.size() && r < 200; ++r)
        if (const auto* text = std::get_if<std::string>(&table.rows[r][c].value))
            longest = std::max(longest, text->size());
    return std::min(60.0, static_cast<double>(longest) + 2);
}

Status check(lxw_error error, const ReportTable& table, const std::filesystem::path& path) {
    if (error == LXW_NO_ERROR) return {};
    return internal_error(fmt::format("{}: sheet '{}': {}", path.string(), table.sheet_name, lxw_strerror(error)));
}

Status write_cell(lxw_worksheet* sheet, lxw_row_t row, lxw_col_t col, const ReportCell& cell, CellFormat format,
                  const FormatSet& formats) {
    lxw_error error = LXW_NO_ERROR;
    if (const auto* text = std::get_if<std::string>(&cell.value)) {
        lxw_format* emphasis = cell.emphasis == CellEmphasis::alert     ? formats.alert
                               : cell.emphasis == CellEmphasis::warning ? formats.warning
                                                                        : nullptr;
        if (!text->empty()) error = worksheet_write_string(sheet, row, col, text->c_str(), emphasis);
    } else if (const auto* money = std::get_if<Money>(&cell.value)) {
        // The nearest double to Money's exact two-decimal text, which the workbook stores as that text.
        const std::string exact = money->to_string(2);
        error =
            worksheet_write_number(sheet, row, col, std::strtod(exact.c_str(), nullptr), formats.of(CellFormat::money));
    } else if (const auto* number = std::get_if<double>(&cell.value)) {
        // Points = fraction x 100, rounded at 1e-10 so the stored text is not "-0.5600000000000001".
        const double value = format == CellFormat::rate_change ? std::round(*number * 1e12) / 1e10 : *number;
        error = worksheet_write_number(sheet, row, col, value, formats.of(format));
    }
    if (error == LXW_NO_ERROR) return {};
    return internal_error(lxw_strerror(error));
}

lxw_color_t colour_of(const std::string& hex) {
    if (hex.size() != 7 || hex[0] != '#') return static_cast<lxw_color_t>(LXW_COLOR_BLACK);
    return static_cast<lxw_color_t>(std::strtoul(hex.c_str() + 1, nullptr, 16));
}

// One native chart over the table's columns of `series` (indices into chart.series).
lxw_chart* add_native_chart(lxw_workbook* workbook, const ReportChart& chart, const std::vector<std::size_t>& series,
                            bool second, lxw_row_t first_row, lxw_col_t category_col) {
    const bool pie = chart.kind == ChartKind::treemap;
    const bool line = second && chart.series[series.front()].mark == ChartMark::line;
    const std::uint8_t type = pie                                   ? LXW_CHART_PIE
                              : line                                ? LXW_CHART_LINE
                              : chart.kind == ChartKind::stacked_bars ? LXW_CHART_COLUMN_STACKED
                                                                      : LXW_CHART_COLUMN;
    lxw_chart* native = workbook_add_chart(workbook, type);
    if (!native) return nullptr;
    const auto last_row = static_cast<lxw_row_t>(first_row + chart.categories.size() - 1);
    for (const std::size_t s : series) {
        const ChartSeries& data = chart.series[s];
        const auto col = static_cast<lxw_col_t>(category_col + 1 + s);
        lxw_chart_series* native_series = chart_add_series(native, nullptr, nullptr);
        chart_series_set_categories(native_series, xlsx_charts_sheet, first_row, category_col, last_row, category_col);
        chart_series_set_values(native_series, xlsx_charts_sheet, first_row, col, last_row, col);
        chart_series_set_name_range(native_series, xlsx_charts_sheet, first_row - 1, col);
        if (pie) {
            // Each class in its colour, in the order of loss_class_styles (the categories').
            std::vector<lxw_chart_fill> fills;
            for (const LossClassStyle& style : loss_class_styles())
                fills.push_back({colour_of(style.colour), LXW_FALSE, 0});
            std::vector<lxw_chart_point> points(fills.size() + 1, lxw_chart_point{nullptr, nullptr, nullptr});
            std::vector<lxw_chart_point*> point_list;
            for (std::size_t p = 0; p < fills.size(); ++p) {
                points[p].fill = &fills[p];
                point_list.push_back(&points[p]);
            }
            point_list.push_back(nullptr);
            chart_series_set_points(native_series, point_list.data());
        } else if (!data.colour.empty()) {
            lxw_chart_fill fill{colour_of(data.colour), LXW_FALSE, 0};
            lxw_chart_line stroke{};
            stroke.color = colour_of(data.colour);
            stroke.width = 2;
            if (line)
                chart_series_set_line(native_series, &stroke);
            else
                chart_series_set_fill(native_series, &fill);
        }
        if (line) chart_series_set_marker_type(native_series, LXW_CHART_MARKER_CIRCLE);
    }
    const std::string title = second ? chart.series[series.front()].name : chart.title;
    chart_title_set_name(native, title.c_str());
    chart_legend_set_position(native, pie || series.size() > 1 ? LXW_CHART_LEGEND_BOTTOM : LXW_CHART_LEGEND_NONE);
    chart_show_blanks_as(native, LXW_CHART_BLANKS_AS_GAP);
    if (!pie) {
        if (!chart.category_axis.empty()) chart_axis_set_name(native->x_axis, chart.category_axis.c_str());
        const CellFormat format = chart.series[series.front()].format;
        chart_axis_set_num_format(native->y_axis, format == CellFormat::rate    ? "0.0%"
                                                  : format == CellFormat::money ? "#,##0"
                                                                                : "#,##0");
    }
    return native;
}

// The "Charts" sheet: each chart's table with its native charts beside it.
Status write_chart_sheet(lxw_workbook* workbook, const FormatSet& formats, const std::vector<ReportChart>& charts,
                         const std::filesystem::path& path) {
    lxw_worksheet* sheet = workbook_add_worksheet(workbook, xlsx_charts_sheet);
    if (!sheet) return internal_error(fmt::format("{}: cannot add the sheet {}", path.string(), xlsx_charts_sheet));
    const auto fail = [&](lxw_error error) -> Status {
        if (error == LXW_NO_ERROR) return {};
        return internal_error(fmt::format("{}: sheet '{}': {}", path.string(), xlsx_charts_sheet, lxw_strerror(error)));
    };
    GA_TRY(fail(worksheet_write_string(sheet, 0, 0, "Charts (图表)", formats.title)));
    GA_TRY(fail(worksheet_write_string(
        sheet, 1, 0, "Each chart is drawn from the table at its left; the other sheets hold the report's tables.",
        formats.note)));
    GA_TRY(fail(worksheet_set_column(sheet, 0, 0, 28, nullptr)));
    lxw_row_t row = xlsx_first_chart_row;
    for (const ReportChart& chart : charts) {
        GA_TRY(fail(worksheet_write_string(sheet, row, 0, chart.title.c_str(), formats.title)));
        if (!chart.note.empty())
            GA_TRY(fail(worksheet_write_string(sheet, row + 1, 0, chart.note.c_str(), formats.note)));
        const lxw_row_t header = row + 2;
        const std::string category_heading = chart.category_axis.empty() ? "Class (分类)" : chart.category_axis;
        GA_TRY(fail(worksheet_write_string(sheet, header, 0, category_heading.c_str(), formats.header)));
        for (std::size_t s = 0; s < chart.series.size(); ++s)
            GA_TRY(fail(worksheet_write_string(sheet, header, static_cast<lxw_col_t>(1 + s),
                                               chart.series[s].name.c_str(), formats.header)));
        for (std::size_t c = 0; c < chart.categories.size(); ++c) {
            const auto at = static_cast<lxw_row_t>(header + 1 + c);
            GA_TRY(fail(worksheet_write_string(sheet, at, 0, chart.categories[c].c_str(), nullptr)));
            for (std::size_t s = 0; s < chart.series.size(); ++s) {
                const ChartSeries& series = chart.series[s];
                if (c >= series.values.size() || !std::isfinite(series.values[c])) continue;
                GA_TRY(fail(worksheet_write_number(sheet, at, static_cast<lxw_col_t>(1 + s), series.values[c],
                                                   formats.of(series.format))));
            }
        }
        const auto table_end = static_cast<lxw_col_t>(chart.series.size() + 1);
        lxw_row_t block = static_cast<lxw_row_t>(chart.categories.size() + 4);
        if (!chart.categories.empty()) {
            std::vector<std::size_t> left, right;
            for (std::size_t s = 0; s < chart.series.size(); ++s)
                (chart.series[s].right_axis ? right : left).push_back(s);
            lxw_col_t col = table_end + 1;
            for (const auto* group : {&left, &right}) {
                if (group->empty()) continue;
                lxw_chart* native = add_native_chart(workbook, chart, *group, group == &right, header + 1, 0);
                if (!native) return internal_error(fmt::format("{}: cannot add a chart", path.string()));
                lxw_chart_options options{};
                options.x_scale = 1.25;
                options.y_scale = 1.1;
                GA_TRY(fail(worksheet_insert_chart_opt(sheet, row, col, native, &options)));
                col = static_cast<lxw_col_t>(col + 10);
            }
            block = std::max<lxw_row_t>(block, 19);
        }
        row = static_cast<lxw_row_t>(row + block + 1);
    }
    return {};
}

}  // namespace

Status write_report_xlsx(const std::vector<ReportTable>& tables, const std::vector<ReportChart>& charts,
                         const std::filesystem::path& path) {
    // libxlsxwriter only finds out when closing (and prints to stderr): say it first.
    const std::filesystem::path folder = path.parent_path();
    if (!folder.empty() && !std::filesystem::is_directory(folder))
        return external_error(fmt::format("cannot write {}: no folder {}", path.string(), folder.string()));
    std::unique_ptr<lxw_workbook, WorkbookCloser> workbook(workbook_new(path.c_str()));
    if (!workbook) return internal_error(fmt::format("{}: cannot start a workbook", path.string()));
    const FormatSet formats(workbook.get());
    if (!charts.empty()) GA_TRY(write_chart_sheet(workbook.get(), formats, charts, path));
    for (const ReportTable& table : tables) {
        lxw_worksheet* sheet = workbook_add_worksheet(workbook.get(), table.sheet_name.c_str());
        if (!sheet) return internal_error(fmt::format("{}: invalid sheet name '{}'", path.string(), table.sheet_name));
        GA_TRY(check(worksheet_write_string(sheet, 0, 0, table.title.c_str(), formats.title), table, path));
        if (!table.note.empty())
            GA_TRY(check(worksheet_write_string(sheet, 1, 0, table.note.c_str(), formats.note), table, path));
        const lxw_row_t header = xlsx_header_row;
        GA_TRY(check(worksheet_set_row(sheet, header, 45, nullptr), table, path));
        for (std::size_t c = 0; c < table.columns.size(); ++c) {
            const auto col = static_cast<lxw_col_t>(c);
            GA_TRY(check(worksheet_set_column(sheet, col, col, column_width(table.columns[c], table, c), nullptr),
                         table, path));
            GA_TRY(check(worksheet_write_string(sheet, header, col, table.columns[c].heading.c_str(), formats.header),
                         table, path));
        }
        for (std::size_t r = 0; r < table.rows.size(); ++r) {
            const auto row = static_cast<lxw_row_t>(header + 1 + r);
            for (std::size_t c = 0; c < table.columns.size() && c < table.rows[r].size(); ++c) {
                const ReportCell& cell = table.rows[r][c];
                const Status written = write_cell(sheet, row, static_cast<lxw_col_t>(c), cell,
                                                  cell.format.value_or(table.columns[c].format), formats);
                if (!written)
                    return internal_error(fmt::format("{}: sheet '{}' row {}: {}", path.string(), table.sheet_name,
                                                      row + 1, written.error().message()));
            }
        }
        // The header stays in view, with the first column (the node, unit or item) beside the figures.
        worksheet_freeze_panes(sheet, header + 1, table.columns.size() > 4 ? 1 : 0);
        if (!table.columns.empty())
            GA_TRY(check(worksheet_autofilter(sheet, header, 0, static_cast<lxw_row_t>(header + table.rows.size()),
                                              static_cast<lxw_col_t>(table.columns.size() - 1)),
                         table, path));
    }
    const lxw_error closed = workbook_close(workbook.release());
    if (closed != LXW_NO_ERROR)
        return external_error(fmt::format("cannot write {}: {}", path.string(), lxw_strerror(closed)));
    return {};
}

}  // namespace gridaudit
