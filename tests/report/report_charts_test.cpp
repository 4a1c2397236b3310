// The report's charts: their numbers are the model's (bins of the areas' rates by class, the
// months, findings and money by area code, recovery by unit); the HTML page carries them as JSON
// beside the embedded ECharts script and asks for nothing outside itself; the workbook holds native
// charts whose series point at cells holding the same numbers.
#include "report/report_charts.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cctype>
#include <cmath>
#include <filesystem>
#include <regex>

#include "report/report_chart_script.hpp"
#include "report/report_html.hpp"
#include "report/report_xlsx.hpp"
#include "report_fixture.hpp"
#include "report_zip.hpp"

namespace gridaudit {
namespace {

namespace fs = std::filesystem;

const ReportChart& chart_of(const std::vector<ReportChart>& charts, const std::string& id) {
    for (const auto& chart : charts)
        if (chart.id == id) return chart;
    throw std::runtime_error("no chart " + id);
}

// The fixture with three areas of known rates and classes, three months and one unit's recovery.
ReportModel chart_model() {
    ReportModel model = fixture_model();
    auto& areas = model.levels[0].rows;
    areas.push_back(fixture_row("A2", "area"));
    areas.back().loss_rate = 0.125, areas.back().loss_class = "very_high", areas.back().unit_id = "U02";
    areas.push_back(fixture_row("A3", "area"));
    areas.back().loss_rate = std::nan(""), areas.back().loss_class = "not_computable", areas.back().unit_id = "";
    const auto month = [](int m, double supply, double sales, std::size_t not_computable) {
        MonthlyLoss totals;
        totals.month = Period::from_year_month(2026, m);
        totals.supply_kwh = supply, totals.sales_kwh = sales, totals.loss_kwh = supply - sales;
        totals.loss_rate = not_computable ? std::nan("") : (supply - sales) / supply;
        totals.substations = 1, totals.not_computable = not_computable;
        return totals;
    };
    model.months = {month(8, 1000, 950, 0), month(9, 0, 0, 1), month(10, 1234567.6, 1200000, 0)};
    UnitKpis unit;
    unit.unit_id = "U01";
    unit.figures.money_assessed = *Money::parse("1234.56");
    unit.figures.money_recovered = *Money::parse("617.28");
    model.kpis.units.push_back(unit);
    return model;
}

TEST(ReportChartsTest, EachRateFallsInOneBin) {
    const auto bins = loss_rate_bins();
    ASSERT_EQ(bins.size(), 15u);
    EXPECT_EQ(bins.front(), "< 0%");
    EXPECT_EQ(bins[1], "0-1%");
    EXPECT_EQ(bins[13], ">= 12%");
    EXPECT_EQ(bins.back(), "not computable");
    EXPECT_EQ(loss_rate_bin(-0.001), 0u);
    EXPECT_EQ(loss_rate_bin(0.0), 1u);
    EXPECT_EQ(loss_rate_bin(0.0099), 1u);
    EXPECT_EQ(loss_rate_bin(0.028), 3u);
    EXPECT_EQ(loss_rate_bin(0.1199), 12u);
    EXPECT_EQ(loss_rate_bin(0.12), 13u);
    EXPECT_EQ(loss_rate_bin(3.5), 13u);
    EXPECT_EQ(loss_rate_bin(std::nan("")), 14u);
}

TEST(ReportChartsTest, TheDistributionCountsEveryAreaInItsBinAndClass) {
    const ReportChart chart = chart_of(report_charts(chart_model()), "loss-rate-distribution");
    EXPECT_EQ(chart.kind, ChartKind::stacked_bars);
    ASSERT_EQ(chart.series.size(), 5u);
    double total = 0;
    for (const auto& series : chart.series)
        for (const double v : series.values) total += v;
    EXPECT_EQ(total, 3);
    EXPECT_EQ(chart.series[0].name, "Qualified (合格)");
    EXPECT_EQ(chart.series[0].values[3], 1);   // A1, 2.8 %
    EXPECT_EQ(chart.series[2].values[13], 1);  // A2, 12.5 %, very high
    EXPECT_EQ(chart.series[4].values[14], 1);  // A3, not computable
}

TEST(ReportChartsTest, TheMapOfClassesHasEveryAreaWithItsUnitSupplyAndClass) {
    const ReportChart chart = chart_of(report_charts(chart_model()), "area-classes");
    EXPECT_EQ(chart.kind, ChartKind::treemap);
    ASSERT_EQ(chart.leaves.size(), 3u);
    EXPECT_EQ(chart.leaves[0].group, "U01");
    EXPECT_EQ(chart.leaves[0].supply_kwh, 1234567.6);
    EXPECT_EQ(chart.leaves[1].loss_class, "very_high");
    EXPECT_EQ(chart.leaves[2].group, "(none)");
    EXPECT_EQ(chart.categories[0], "Qualified (合格)");
    EXPECT_EQ(chart.series[0].values, (std::vector<double>{1, 0, 1, 0, 1}));
}

TEST(ReportChartsTest, MonthsFindingsAndRecoveryAreTheModelsNumbers) {
    const ReportModel model = chart_model();
    const auto charts = report_charts(model);
    const ReportChart& months = chart_of(charts, "monthly-loss");
    EXPECT_EQ(months.categories, (std::vector<std::string>{"2026-08", "2026-09", "2026-10"}));
    EXPECT_EQ(months.series[0].values[2], 1234567.6);
    EXPECT_EQ(months.series[1].values[0], 950);
    EXPECT_EQ(months.series[2].values[2], 1234567.6 - 1200000);
    EXPECT_TRUE(std::isnan(months.series[0].values[1]));  // no substation computable in September
    EXPECT_EQ(months.series[3].values[2], (1234567.6 - 1200000) / 1234567.6);
    EXPECT_EQ(months.series[3].values[0], 0.05);
    EXPECT_TRUE(months.series[3].right_axis);

    const ReportChart& findings = chart_of(charts, "findings-by-area");
    EXPECT_EQ(findings.categories, (std::vector<std::string>{"BILL", "LOSS"}));
    EXPECT_EQ(findings.series[0].values, (std::vector<double>{1, 1}));
    EXPECT_EQ(findings.series[1].values[0], std::strtod("1234.57", nullptr));  // 1234.565 shown half-up
    EXPECT_EQ(findings.series[1].values[1], std::strtod("99.99", nullptr));

    const ReportChart& recovery = chart_of(charts, "recovery");
    EXPECT_EQ(recovery.categories, (std::vector<std::string>{"U01"}));
    EXPECT_EQ(recovery.series[0].values[0], std::strtod("1234.56", nullptr));
    EXPECT_EQ(recovery.series[1].values[0], std::strtod("617.28", nullptr));
    EXPECT_EQ(recovery.series[2].values[0], 0.5);
}

// The page's chart data, parsed back from its script element.
nlohmann::json page_chart_data(const std::string& page) {
    const std::string open = "<script type=\"application/json\" id=\"report-chart-data\">";
    const std::size_t at = page.find(open);
    if (at == std::string::npos) return nullptr;
    const std::size_t from = at + open.size();
    return nlohmann::json::parse(page.substr(from, page.find("</script>", from) - from));
}

TEST(ReportChartsHtmlTest, ThePageCarriesTheChartDataAndTheScriptAndNothingFromOutside) {
    ReportModel model = chart_model();
    model.levels[0].rows[0].node_name = "</script><script>alert(1)</script>";
    const auto charts = report_charts(model);
    const std::string page = render_report_html(report_tables(model), charts, "Report");
    // The data, parsed back, is the charts' JSON: the numbers of the model.
    EXPECT_EQ(page_chart_data(page), report_charts_json(charts));
    EXPECT_EQ(page.find("</script><script>alert"), std::string::npos);
    for (const auto& chart : charts) {
        EXPECT_NE(page.find("<div class=\"chart-canvas\" id=\"chart-" + chart.id + "\""), std::string::npos)
            << chart.id;
        EXPECT_NE(page.find("<h3>" + html_escape(chart.title) + "</h3>"), std::string::npos) << chart.id;
    }
    // ECharts inlined; no script, style sheet, image or font fetched from anywhere.
    EXPECT_NE(page.find(std::string(report_chart_script())), std::string::npos);
    EXPECT_NE(report_chart_script().find("echarts"), std::string::npos);
    for (const std::regex& external :
         {std::regex("<script[^>]*\\ssrc\\s*=", std::regex::icase), std::regex("<link\\b", std::regex::icase),
          std::regex("(src|href)\\s*=\\s*[\"']?(https?:)?//", std::regex::icase),
          std::regex("<script[^>]*>[^<]*https?://", std::regex::icase),
          std::regex("@import|url\\(\\s*[\"']?https?:", std::regex::icase)})
        EXPECT_FALSE(std::regex_search(page, external));
}

TEST(ReportChartsHtmlTest, TheEmbeddedScriptCannotEndItsElement) {
    std::string script(report_chart_script());
    ASSERT_GT(script.size(), 100000u);  // ECharts, not a stub
    for (char& c : script) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_EQ(script.find("</script"), std::string::npos);
    EXPECT_EQ(script.find("<!--"), std::string::npos);
}

class ReportChartsXlsxTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("gridaudit-charts-" + std::to_string(::getpid()));
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }
    fs::path dir_;
};

// "Charts!$B$6:$B$20" -> the cells "B6" .. "B20" of one column ("Charts!$B$6": one cell).
std::vector<std::string> cells_of(const std::string& reference) {
    static const std::regex range("\\$([A-Z]+)\\$(\\d+)(:\\$([A-Z]+)\\$(\\d+))?$");
    std::smatch m;
    std::vector<std::string> cells;
    if (!std::regex_search(reference, m, range)) return cells;
    if (!m[3].matched) return {std::string(m[1]) + std::string(m[2])};
    if (m[1] != m[4]) return cells;
    for (int r = std::stoi(m[2]); r <= std::stoi(m[5]); ++r) cells.push_back(std::string(m[1]) + std::to_string(r));
    return cells;
}

TEST_F(ReportChartsXlsxTest, TheChartsSheetComesFirstWithNativeChartsOverItsNumbers) {
    const ReportModel model = chart_model();
    const auto charts = report_charts(model);
    const fs::path path = dir_ / "report.xlsx";
    const auto written = write_report_xlsx(report_tables(model), charts, path);
    ASSERT_TRUE(written) << written.error().message();
    const auto zip = read_zip(path);
    const std::string& workbook = zip.at("xl/workbook.xml");
    EXPECT_NE(workbook.find("<sheet name=\"Charts\" sheetId=\"1\""), std::string::npos) << workbook;
    EXPECT_NE(workbook.find("<sheet name=\"Summary\" sheetId=\"2\""), std::string::npos);
    const std::string& sheet = zip.at("xl/worksheets/sheet1.xml");

    // Every chart's series: its values' cells hold the chart's numbers, in order; its categories'
    // cells the chart's categories. Left and right axes are charts of their own: 5 charts -> 8.
    std::size_t native = 0, series_seen = 0;
    for (int n = 1; zip.contains("xl/charts/chart" + std::to_string(n) + ".xml"); ++n) {
        const std::string& xml = zip.at("xl/charts/chart" + std::to_string(n) + ".xml");
        ++native;
        static const std::regex values_ref("<c:val><c:numRef><c:f>([^<]*)</c:f>");
        for (auto it = std::sregex_iterator(xml.begin(), xml.end(), values_ref); it != std::sregex_iterator(); ++it) {
            const std::string reference = (*it)[1];
            EXPECT_EQ(reference.rfind("Charts!", 0), 0u) << reference;
            const auto cells = cells_of(reference);
            ASSERT_FALSE(cells.empty()) << reference;
            // Find the chart and series this column is: the one whose values match every cell.
            bool matched = false;
            for (const auto& chart : charts)
                for (const auto& series : chart.series) {
                    if (series.values.size() != cells.size()) continue;
                    bool same = true;
                    for (std::size_t i = 0; i < cells.size() && same; ++i) {
                        const double cell = cell_value(sheet, cells[i]);
                        // libxlsxwriter writes 16 significant digits: equal to that precision.
                        const double want = series.values[i];
                        same = std::isnan(want) ? std::isnan(cell)
                                                : std::abs(cell - want) <= 1e-14 * std::max(1.0, std::abs(want));
                    }
                    matched = matched || same;
                }
            EXPECT_TRUE(matched) << reference;
            ++series_seen;
        }
    }
    EXPECT_EQ(native, 8u);
    std::size_t series_total = 0;
    for (const auto& chart : charts) series_total += chart.series.size();
    EXPECT_EQ(series_seen, series_total);
    // The monthly chart's values are kWh in column B from the row below its header; its line of
    // the rate is its own chart.
    const std::string& strings = zip.at("xl/sharedStrings.xml");
    EXPECT_NE(strings.find("Supply, sales and loss by month (月度供售损)"), std::string::npos);
    bool has_pie = false, has_line = false, has_stacked = false;
    for (int n = 1; n <= 8; ++n) {
        const std::string& xml = zip.at("xl/charts/chart" + std::to_string(n) + ".xml");
        has_pie = has_pie || xml.find("<c:pieChart>") != std::string::npos;
        has_line = has_line || xml.find("<c:lineChart>") != std::string::npos;
        has_stacked = has_stacked || xml.find("<c:grouping val=\"stacked\"/>") != std::string::npos;
    }
    EXPECT_TRUE(has_pie);
    EXPECT_TRUE(has_line);
    EXPECT_TRUE(has_stacked);
}

}  // namespace
}  // namespace gridaudit
