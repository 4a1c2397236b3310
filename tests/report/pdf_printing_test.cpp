// Printing HTML to PDF through Chromium (report/pdf_printing): a page with Chinese terms becomes a
// PDF that embeds a CJK font (when Debian's fonts-noto-cjk is installed); a missing, failing or
// lying Chromium is an error that names the cause and Chromium's words, and leaves no file behind.
#include "report/pdf_printing.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace gridaudit {
namespace {

namespace fs = std::filesystem;

std::string read(const fs::path& path) {
    std::stringstream content;
    content << std::ifstream(path, std::ios::binary).rdbuf();
    return content.str();
}

class PdfPrintingTest : public ::testing::Test {
protected:
    void SetUp() override {
        root_ = fs::temp_directory_path() / fmt::format("gridaudit-pdf-test-{}", ::getpid());
        fs::remove_all(root_);
        fs::create_directories(root_);
    }
    void TearDown() override { fs::remove_all(root_); }

    // A stand-in for Chromium: a shell script with `body`, executable.
    fs::path fake_chromium(std::string_view body) const {
        const fs::path script = root_ / "fake-chromium";
        std::ofstream(script) << "#!/bin/sh\n" << body << "\n";
        fs::permissions(script, fs::perms::owner_all);
        return script;
    }

    fs::path root_;
};

constexpr std::string_view page =
    "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>notice</title></head>"
    "<body><h1>Back-billing notice (追补电费通知单)</h1><p>19,764.00 CNY</p></body></html>";

TEST_F(PdfPrintingTest, ChromiumPrintsThePageWithItsChineseTerms) {
    const auto chromium = find_chromium();
    if (!chromium) GTEST_SKIP() << "Debian's chromium is not installed (scripts/install-deps.sh installs it)";
    const fs::path pdf = root_ / "notice.pdf";
    const Status printed = print_html_to_pdf(page, pdf, PdfPrinting{*chromium});
    ASSERT_TRUE(printed) << printed.error().message();
    const std::string content = read(pdf);
    EXPECT_TRUE(content.starts_with("%PDF-")) << content.substr(0, 16);
    EXPECT_NE(content.find("/Type /Page"), std::string::npos);
    EXPECT_FALSE(fs::exists(root_ / "notice.pdf.partial"));
    if (fs::exists("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")) {
        EXPECT_NE(content.find("CJK"), std::string::npos) << "the Chinese terms were not set in a CJK font";
    }
}

TEST_F(PdfPrintingTest, AChromiumThatCannotRunIsNamed) {
    const fs::path pdf = root_ / "out.pdf";
    const Status printed = print_html_to_pdf(page, pdf, PdfPrinting{root_ / "no-such-chromium"});
    ASSERT_FALSE(printed);
    EXPECT_EQ(printed.error().kind(), ErrorClass::external);
    EXPECT_NE(printed.error().message().find("cannot run Chromium at " + (root_ / "no-such-chromium").string()),
              std::string::npos)
        << printed.error().message();
    EXPECT_FALSE(fs::exists(pdf));
}

TEST_F(PdfPrintingTest, AFailingChromiumIsReportedWithItsLastWords) {
    const fs::path pdf = root_ / "out.pdf";
    std::ofstream(pdf) << "the previous file";
    const Status printed =
        print_html_to_pdf(page, pdf, PdfPrinting{fake_chromium("echo 'cannot open display' >&2\nexit 3")});
    ASSERT_FALSE(printed);
    EXPECT_NE(printed.error().message().find("Chromium failed to print the PDF (exit 3)"), std::string::npos)
        << printed.error().message();
    EXPECT_NE(printed.error().message().find("cannot open display"), std::string::npos) << printed.error().message();
    EXPECT_EQ(read(pdf), "the previous file");  // untouched
}

TEST_F(PdfPrintingTest, AnOutputThatIsNotAPdfIsRefused) {
    // Succeeds but writes HTML where the PDF should be: --print-to-pdf=PATH is its 7th argument.
    const fs::path pdf = root_ / "out.pdf";
    const auto fake = fake_chromium(
        "for a; do case $a in --print-to-pdf=*) echo '<html>' > \"${a#--print-to-pdf=}\";; "
        "esac; done\nexit 0");
    const Status printed = print_html_to_pdf(page, pdf, PdfPrinting{fake});
    ASSERT_FALSE(printed);
    EXPECT_NE(printed.error().message().find("Chromium failed to print the PDF (exit 0)"), std::string::npos)
        << printed.error().message();
    EXPECT_FALSE(fs::exists(pdf));
}

TEST_F(PdfPrintingTest, AHangingChromiumIsStoppedAtTheTimeout) {
    const fs::path pdf = root_ / "out.pdf";
    const Status printed = print_html_to_pdf(
        page, pdf, PdfPrinting{fake_chromium("echo starting\nexec sleep 30"), std::chrono::seconds(1)});
    ASSERT_FALSE(printed);
    EXPECT_NE(printed.error().message().find("did not print the PDF within 1 s; it said: starting"), std::string::npos)
        << printed.error().message();
    EXPECT_FALSE(fs::exists(pdf));
}

TEST_F(PdfPrintingTest, OnlyAPdfExtensionAsksForAPdf) {
    EXPECT_TRUE(is_pdf_path("notice.pdf"));
    EXPECT_TRUE(is_pdf_path("out/NOTICE.PDF"));
    EXPECT_FALSE(is_pdf_path("notice.html"));
    EXPECT_FALSE(is_pdf_path("pdf"));
}

TEST_F(PdfPrintingTest, TheChromiumChosenByTheEnvironmentComesFirst) {
    ::setenv("GRIDAUDIT_CHROMIUM", "/opt/chromium/chrome", 1);
    const auto chosen = find_chromium();
    ::unsetenv("GRIDAUDIT_CHROMIUM");
    ASSERT_TRUE(chosen);
    EXPECT_EQ(chosen->string(), "/opt/chromium/chrome");
}

}  // namespace
}  // namespace gridaudit
