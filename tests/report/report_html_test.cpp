// The report's tables and the HTML page: sheet order, cell texts with units, escaping, and a page
// that needs nothing outside itself.
#include "report/report_html.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "report_fixture.hpp"

namespace gridaudit {
namespace {

std::vector<std::string> sheet_names(const std::vector<ReportTable>& tables) {
    std::vector<std::string> names;
    for (const auto& t : tables) names.push_back(t.sheet_name);
    return names;
}

const ReportTable& table_named(const std::vector<ReportTable>& tables, const std::string& name) {
    for (const auto& t : tables)
        if (t.sheet_name == name) return t;
    throw std::runtime_error("no table " + name);
}

TEST(ReportTablesTest, OneTableForEachPartInAFixedOrder) {
    EXPECT_EQ(sheet_names(report_tables(fixture_model())),
              (std::vector<std::string>{"Summary", "Areas", "Feeders", "Buses", "Substations", "Org units",
                                        "Prices by category", "Findings by area", "Findings by rule", "Top findings",
                                        "KPIs by unit", "KPIs by person", "KPIs by rule"}));
}

TEST(ReportTablesTest, CellsShowUnitsSeparatorsAndFixedPointMoney) {
    EXPECT_EQ(cell_text(ReportCell::number(1234567.6), CellFormat::kwh), "1,234,568");
    EXPECT_EQ(cell_text(ReportCell::number(-999.4), CellFormat::kwh), "-999");
    EXPECT_EQ(cell_text(ReportCell::number(0.028), CellFormat::rate), "2.80%");
    EXPECT_EQ(cell_text(ReportCell::number(87.46), CellFormat::tenths), "87.5");
    EXPECT_EQ(cell_text(ReportCell::number(-0.0056), CellFormat::rate_change), "-0.56 pt");
    EXPECT_EQ(cell_text(ReportCell::number(-0.00001), CellFormat::rate_change), "+0.00 pt");
    EXPECT_EQ(cell_text(ReportCell::number(0.975), CellFormat::share), "97.5%");
    EXPECT_EQ(cell_text(ReportCell::number(0.66397), CellFormat::price), "0.6640");
    EXPECT_EQ(cell_text(ReportCell::money(*Money::parse("-1234567.895")), CellFormat::money), "-1,234,567.90");
    EXPECT_EQ(cell_text(ReportCell::money(*Money::parse("0.004")), CellFormat::money), "0.00");
    EXPECT_EQ(cell_text(ReportCell::number(std::nan("")), CellFormat::kwh), "");
    // A summary cell's own format wins over the column's.
    EXPECT_EQ(cell_text(ReportCell::number(0.5, CellFormat::rate), CellFormat::text), "50.00%");
}

TEST(ReportTablesTest, MoneyFromALossFigureIsRoundedOnceToTheUnit) {
    EXPECT_EQ(money_from_figure(1590.08), Money::parse("1590.08"));
    EXPECT_EQ(money_from_figure(790123.4567), Money::parse("790123.4567"));
    EXPECT_EQ(money_from_figure(0.00005), Money::parse("0.0001"));
    EXPECT_EQ(money_from_figure(-0.00005), Money::parse("-0.0001"));
    EXPECT_FALSE(money_from_figure(std::nan("")));
}

TEST(ReportTablesTest, NodeRowsCarryTheLossTableFiguresAndMarginIsRevenueLessPurchaseCost) {
    const auto tables = report_tables(fixture_model());
    const ReportTable& areas = table_named(tables, "Areas");
    ASSERT_EQ(areas.rows.size(), 1u);
    std::map<std::string, std::string> cell;
    for (std::size_t c = 0; c < areas.columns.size(); ++c)
        cell[areas.columns[c].heading] = cell_text(areas.rows[0][c], areas.columns[c].format);
    EXPECT_EQ(cell["Node"], "A1");
    EXPECT_EQ(cell["Supply kWh (供电量)"], "1,234,568");
    EXPECT_EQ(cell["Loss rate (线损率)"], "2.80%");
    EXPECT_EQ(cell["Month-on-month change, pt (环比)"], "-0.56 pt");
    EXPECT_EQ(cell["Year-on-year change, pt (同比)"], "");  // no month a year earlier
    EXPECT_EQ(cell["Revenue, CNY (售电收入)"], "790,123.46");
    EXPECT_EQ(cell["Purchase cost, CNY (购电成本)"], "555,555.42");
    EXPECT_EQ(cell["Margin, CNY (购销差)"], "234,568.04");  // 790,123.4567 - 555,555.42 = 234,568.0367
    EXPECT_EQ(cell["Average selling price, CNY/kWh (售电均价)"], "0.6640");
    const ReportTable& buses = table_named(tables, "Buses");
    EXPECT_TRUE(buses.rows.empty());
    EXPECT_EQ(buses.columns.size(), areas.columns.size());
}

TEST(ReportTablesTest, FindingsTablesShowTheSummaryAndATotalRow) {
    const auto tables = report_tables(fixture_model());
    const ReportTable& areas = table_named(tables, "Findings by area");
    ASSERT_EQ(areas.rows.size(), 3u);  // BILL, LOSS, total
    const auto& total = areas.rows.back();
    EXPECT_EQ(cell_text(total[0], CellFormat::text), "Total");
    EXPECT_EQ(cell_text(total[2], CellFormat::count), "2");
    EXPECT_EQ(cell_text(total[4], CellFormat::kwh), "510");
    EXPECT_EQ(cell_text(total[6], CellFormat::money), "1,334.56");  // 1234.565 + 99.99 = 1334.555 -> half-up
    const ReportTable& top = table_named(tables, "Top findings");
    ASSERT_EQ(top.rows.size(), 2u);
    EXPECT_EQ(cell_text(top.rows[0][6], CellFormat::text), "Li <&> \"Co\"");
    EXPECT_EQ(cell_text(top.rows[0][9], CellFormat::money), "1,234.57");
}

TEST(ReportHtmlTest, TextIsEscaped) {
    EXPECT_EQ(html_escape("Li <&> \"Co\" 'x'"), "Li &lt;&amp;&gt; &quot;Co&quot; &#39;x&#39;");
    const std::string page = render_report_html(report_tables(fixture_model()), {}, "Report <2026-10>");
    EXPECT_NE(page.find("<td>Li &lt;&amp;&gt; &quot;Co&quot;</td>"), std::string::npos);
    EXPECT_EQ(page.find("Li <&>"), std::string::npos);
    EXPECT_NE(page.find("bill &lt;b&gt;wrong&lt;/b&gt; &amp; late"), std::string::npos);
    EXPECT_EQ(page.find("<b>wrong</b>"), std::string::npos);
    EXPECT_NE(page.find("<title>Report &lt;2026-10&gt;</title>"), std::string::npos);
}

TEST(ReportHtmlTest, PageIsSelfContainedWithTheSameCellsAsTheTables) {
    const auto tables = report_tables(fixture_model());
    const std::string page = render_report_html(tables, {}, "Report");
    EXPECT_EQ(page.rfind("<!DOCTYPE html>", 0), 0u);
    EXPECT_NE(page.find("<meta charset=\"utf-8\">"), std::string::npos);
    EXPECT_NE(page.find("<style>"), std::string::npos);
    for (const char* external : {"<script", "<link", "src=", "@import", "url("})
        EXPECT_EQ(page.find(external), std::string::npos) << external;
    // Every table is a section with its title, and every header and cell of the tables appears.
    for (const auto& table : tables) {
        EXPECT_NE(page.find("<h2>" + html_escape(table.title) + "</h2>"), std::string::npos) << table.title;
        for (const auto& column : table.columns)
            EXPECT_NE(page.find("<th>" + html_escape(column.heading) + "</th>"), std::string::npos) << column.heading;
    }
    EXPECT_NE(page.find("<td class=\"n\">790,123.46</td>"), std::string::npos);
    EXPECT_NE(page.find("<td class=\"n neg\">-0.56 pt</td>"), std::string::npos);
}

TEST(ReportHtmlTest, AbnormalLossClassesStandOut) {
    ReportModel model = fixture_model();
    model.levels[0].rows[0].loss_class = "very_high";
    model.levels[1].rows[0].loss_class = "high";
    const std::string page = render_report_html(report_tables(model), {}, "Report");
    EXPECT_NE(page.find("<td class=\"alert\">very_high</td>"), std::string::npos);
    EXPECT_NE(page.find("<td class=\"warning\">high</td>"), std::string::npos);
    EXPECT_NE(page.find("<td>qualified</td>"), std::string::npos);  // the substation row
}

TEST(ReportHtmlTest, WritingToAMissingFolderIsAnExternalError) {
    const auto written = write_report_html(
        report_tables(fixture_model()), {}, "Report",
        std::filesystem::temp_directory_path() / ("gridaudit-no-such-folder-" + std::to_string(::getpid())) / "r.html");
    ASSERT_FALSE(written);
    EXPECT_EQ(written.error().kind(), ErrorClass::external);
}

}  // namespace
}  // namespace gridaudit
