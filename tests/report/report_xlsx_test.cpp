// The Excel writer, checked by reading the workbook back: the zip's central directory, then
// xl/workbook.xml (sheet names) and the sheets' XML (frozen header, number formats, money as
// Money's two-decimal text) inflated with zlib.
#include "report/report_xlsx.hpp"

#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "report_fixture.hpp"
#include "report_zip.hpp"

namespace gridaudit {
namespace {

namespace fs = std::filesystem;

class ReportXlsxTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("gridaudit-xlsx-" + std::to_string(::getpid()) + "-" +
                                            ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }
    fs::path dir_;
};

TEST_F(ReportXlsxTest, WorkbookHasOneSheetPerTableInOrder) {
    const fs::path path = dir_ / "report.xlsx";
    const auto written = write_report_xlsx(report_tables(fixture_model()), {}, path);
    ASSERT_TRUE(written) << written.error().message();
    const auto zip = read_zip(path);
    ASSERT_TRUE(zip.contains("xl/workbook.xml")) << zip.size() << " members";
    const std::string& workbook = zip.at("xl/workbook.xml");
    std::vector<std::string> names;
    const std::regex sheet("<sheet name=\"([^\"]*)\"");
    for (auto it = std::sregex_iterator(workbook.begin(), workbook.end(), sheet); it != std::sregex_iterator(); ++it)
        names.push_back((*it)[1]);
    EXPECT_EQ(names,
              (std::vector<std::string>{"Summary", "Areas", "Feeders", "Buses", "Substations", "Org units",
                                        "Prices by category", "Findings by area", "Findings by rule", "Top findings",
                                        "KPIs by unit", "KPIs by person", "KPIs by rule"}));
    for (int i = 1; i <= 13; ++i) EXPECT_TRUE(zip.contains("xl/worksheets/sheet" + std::to_string(i) + ".xml")) << i;
}

TEST_F(ReportXlsxTest, HeaderIsFrozenAndNumbersAreNumbersWithFormats) {
    const fs::path path = dir_ / "report.xlsx";
    ASSERT_TRUE(write_report_xlsx(report_tables(fixture_model()), {}, path));
    const auto zip = read_zip(path);
    const std::string& areas = zip.at("xl/worksheets/sheet2.xml");
    // Frozen below the header row (row 3) and right of the node column.
    EXPECT_NE(
        areas.find("<pane xSplit=\"1\" ySplit=\"3\" topLeftCell=\"B4\" activePane=\"bottomRight\" state=\"frozen\"/>"),
        std::string::npos)
        << areas.substr(0, 600);
    EXPECT_NE(areas.find("<autoFilter ref=\"A3:Q4\"/>"), std::string::npos);
    // Revenue 790,123.4567 and margin 234,568.0367 are Money's two-decimal values (libxlsxwriter prints
    // a double with 16 significant digits, so compare the doubles the texts stand for).
    EXPECT_EQ(cell_value(areas, "N4"), std::strtod("790123.46", nullptr)) << areas;
    EXPECT_EQ(cell_value(areas, "Q4"), std::strtod("234568.04", nullptr));
    EXPECT_EQ(areas.find("790123.4567"), std::string::npos);
    // The month-on-month change is stored in percentage points, the rate as a fraction shown as %.
    EXPECT_EQ(cell_value(areas, "H4"), std::strtod("-0.56", nullptr));
    EXPECT_EQ(cell_value(areas, "G4"), 0.028);
    EXPECT_TRUE(std::isnan(cell_value(areas, "I4")));  // no year-on-year figure: no cell at all
    const std::string& styles = zip.at("xl/styles.xml");
    for (const char* format : {"#,##0", "0.00%", "0.0000", "#,##0.00", "0.0%"})
        EXPECT_NE(styles.find(std::string("formatCode=\"") + format + "\""), std::string::npos) << format;
    // Names and summaries are text, escaped by the writer.
    const std::string& strings = zip.at("xl/sharedStrings.xml");
    EXPECT_NE(strings.find("Li &lt;&amp;&gt; \"Co\""), std::string::npos);
    EXPECT_NE(strings.find("Loss rate (线损率)"), std::string::npos);
}

TEST_F(ReportXlsxTest, UnwritablePathIsAnExternalError) {
    const auto written = write_report_xlsx(report_tables(fixture_model()), {}, dir_ / "no-such-folder" / "r.xlsx");
    ASSERT_FALSE(written);
    EXPECT_EQ(written.error().kind(), ErrorClass::external);
    EXPECT_NE(written.error().message().find("cannot write"), std::string::npos) << written.error().message();
}

}  // namespace
}  // namespace gridaudit
