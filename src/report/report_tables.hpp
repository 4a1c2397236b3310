// The monthly report laid out as titled tables of typed cells, the one layout both writers
// render (report_xlsx.hpp: one sheet per table; report_html.hpp: one <table> per table), so the
// workbook and the page hold the same content. A cell holds a value and how to show it; money
// stays fixed-point (Money) up to the writer. Thread safety: plain data, stateless functions.
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/money.hpp"
#include "report/report_model.hpp"

namespace gridaudit {

// How a number is shown: kWh with thousands separators and no decimals; a rate (fraction) as a
// percentage with two decimals; a change of rate in percentage points with a sign; a share as a
// percentage with one decimal; a price per kWh with four decimals; a count; money with two
// decimals; a score or a mean number of days with one decimal (tenths).
enum class CellFormat { text, count, kwh, rate, rate_change, share, price, money, tenths };

// How much a cell asks for attention: a high loss class is a warning, very high or negative an alert.
enum class CellEmphasis { none, warning, alert };

struct ReportCell {
    // monostate: nothing to show (a figure that cannot be computed, NaN in the model).
    std::variant<std::monostate, std::string, double, Money> value;
    std::optional<CellFormat> format;  // overrides the column's format (summary tables)
    CellEmphasis emphasis = CellEmphasis::none;

    [[nodiscard]] static ReportCell empty() { return {}; }
    [[nodiscard]] static ReportCell text(std::string s, CellEmphasis emphasis = CellEmphasis::none) {
        return {std::move(s), std::nullopt, emphasis};
    }
    // NaN and infinities become empty cells.
    [[nodiscard]] static ReportCell number(double x, std::optional<CellFormat> format = std::nullopt);
    [[nodiscard]] static ReportCell money(Money m) { return {m, CellFormat::money, CellEmphasis::none}; }
};

struct ReportColumn {
    std::string heading;  // with unit and Chinese term where they help: "Loss rate (线损率)"
    CellFormat format = CellFormat::text;
};

struct ReportTable {
    std::string sheet_name;  // <= 31 characters, none of []:*?/\ (Excel's limits)
    std::string title;       // one line above the table in HTML; the sheet's tab is sheet_name
    std::string note;        // how the figures are computed, one or two sentences ("" when none)
    std::vector<ReportColumn> columns;
    std::vector<std::vector<ReportCell>> rows;  // each row has columns.size() cells
};

// Money from a figure the loss table computes in double (revenue sums of bills, kWh x price),
// rounded half-up to the 0.0001 unit once, here; nullopt for NaN.
[[nodiscard]] std::optional<Money> money_from_figure(double amount);

// The tables of the report, in order: Summary, Areas, Feeders, Buses, Substations, Org units,
// Prices by category, Findings by area, Findings by rule, Top findings, KPIs by unit, KPIs by
// person, KPIs by rule.
[[nodiscard]] std::vector<ReportTable> report_tables(const ReportModel& model);

// The text of a cell as both writers show it where text is needed (HTML, tests): "1,234,568",
// "12.34%", "+0.56 pt", "0.5123", "1,234.57", "87.5"; "" for an empty cell.
[[nodiscard]] std::string cell_text(const ReportCell& cell, CellFormat column_format);

}  // namespace gridaudit
