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

namespace gridaudit {
namespace {

namespace fs = std::filesystem;

std::uint32_t le(const std::string& b, std::size_t at, int bytes) {
    std::uint32_t v = 0;
    for (int i = bytes - 1; i >= 0; --i)
        v = (v << 8) | static_cast<unsigned char>(b.at(at + static_cast<std::size_t>(i)));
    return v;
}

// Every member of a zip file, name -> content (stored or deflated members).
std::map<std::string, std::string> read_zip(const fs::path& path) {
    std::stringstream bytes;
    bytes << std::ifstream(path, std::ios::binary).rdbuf();
    const std::string zip = bytes.str();
    std::map<std::string, std::string> members;
    const std::size_t end = zip.rfind(std::string("PK\x05\x06", 4));
    if (end == std::string::npos) return members;
    const std::size_t entries = le(zip, end + 10, 2);
    std::size_t at = le(zip, end + 16, 4);
    for (std::size_t e = 0; e < entries; ++e) {
        if (le(zip, at, 4) != 0x02014b50) break;
        const std::uint32_t method = le(zip, at + 10, 2), packed = le(zip, at + 20, 4), size = le(zip, at + 24, 4);
        const std::size_t name_length = le(zip, at + 28, 2), extra = le(zip, at + 30, 2), comment = le(zip, at + 32, 2);
        const std::size_t local = le(zip, at + 42, 4);
        const std::string name = zip.substr(at + 46, name_length);
        const std::size_t data = local + 30 + le(zip, local + 26, 2) + le(zip, local + 28, 2);
        std::string content(size, '\0');
        if (method == 0) {
            content = zip.substr(data, size);
        } else if (method == 8) {
            z_stream z{};
            inflateInit2(&z, -MAX_WBITS);
            z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(zip.data() + data));
            z.avail_in = packed;
            z.next_out = reinterpret_cast<Bytef*>(content.data());
            z.avail_out = size;
            const int status = inflate(&z, Z_FINISH);
            inflateEnd(&z);
            if (status != Z_STREAM_END) content = "<inflate failed>";
        }
        members[name] = content;
        at += 46 + name_length + extra + comment;
    }
    return members;
}

// The number in cell `ref` of a sheet's XML; NaN when the sheet has no such cell.
double cell_value(const std::string& sheet, const std::string& ref) {
    std::smatch match;
    if (!std::regex_search(sheet, match, std::regex("<c r=\"" + ref + "\"[^>]*><v>([^<]*)</v></c>")))
        return std::nan("");
    return std::strtod(match[1].str().c_str(), nullptr);
}

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
    const auto written = write_report_xlsx(report_tables(fixture_model()), path);
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
                                        "Prices by category", "Findings by area", "Findings by rule", "Top findings"}));
    for (int i = 1; i <= 10; ++i) EXPECT_TRUE(zip.contains("xl/worksheets/sheet" + std::to_string(i) + ".xml")) << i;
}

TEST_F(ReportXlsxTest, HeaderIsFrozenAndNumbersAreNumbersWithFormats) {
    const fs::path path = dir_ / "report.xlsx";
    ASSERT_TRUE(write_report_xlsx(report_tables(fixture_model()), path));
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
    const auto written = write_report_xlsx(report_tables(fixture_model()), dir_ / "no-such-folder" / "r.xlsx");
    ASSERT_FALSE(written);
    EXPECT_EQ(written.error().kind(), ErrorClass::external);
    EXPECT_NE(written.error().message().find("cannot write"), std::string::npos) << written.error().message();
}

}  // namespace
}  // namespace gridaudit
