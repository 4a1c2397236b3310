// `gridaudit formats`: the Markdown (docs/import-format.md) lists every format the plain listing
// lists, the fee center's CSV included, and the doc in the repository is that Markdown.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "support/command_runner.hpp"

namespace gridaudit {
namespace {

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

// The formats of the plain listing: each line that starts without indentation names one in its
// first 20 characters ("customers.csv", "fee-center CSV"), except the heading of the other inputs.
std::vector<std::string> listed_formats(const std::string& listing) {
    std::vector<std::string> names;
    for (const auto& line : lines_of(listing)) {
        if (line.empty() || line.starts_with(' ') || line.starts_with("Other inputs")) continue;
        std::string name = line.substr(0, 20);
        while (!name.empty() && name.back() == ' ') name.pop_back();
        names.push_back(name);
    }
    return names;
}

TEST(FormatsCommandTest, TheMarkdownListsEveryFormatOfThePlainListing) {
    const auto plain = run_command(GRIDAUDIT_BINARY, "formats");
    ASSERT_EQ(plain.exit_code, 0) << plain.out;
    const auto markdown = run_command(GRIDAUDIT_BINARY, "formats --markdown");
    ASSERT_EQ(markdown.exit_code, 0) << markdown.out;
    const std::vector<std::string> names = listed_formats(plain.out);
    ASSERT_GE(names.size(), 10u) << plain.out;
    EXPECT_NE(std::find(names.begin(), names.end(), "customers.csv"), names.end());
    EXPECT_NE(std::find(names.begin(), names.end(), "fee-center CSV"), names.end());
    std::vector<std::string> headings;
    for (const auto& line : lines_of(markdown.out))
        if (line.starts_with("## ")) headings.push_back(line);
    for (const auto& name : names) {
        const bool found = std::any_of(headings.begin(), headings.end(), [&](const std::string& heading) {
            return heading.starts_with("## `" + name + "`") || heading.starts_with("## " + name + " ");
        });
        EXPECT_TRUE(found) << name << " is in `gridaudit formats` but has no section in --markdown";
    }
    EXPECT_EQ(headings.size(), names.size()) << "--markdown has a section the plain listing lacks";
    // Every column of the fee-center CSV is in its table.
    for (const char* column : {"subject_kind", "subject_id", "kind", "description", "amount", "found_on"})
        EXPECT_NE(markdown.out.find(std::string("| `") + column + "` | "), std::string::npos) << column;
}

TEST(FormatsCommandTest, DocsImportFormatIsTheMarkdown) {
    const auto markdown = run_command(GRIDAUDIT_BINARY, "formats --markdown");
    ASSERT_EQ(markdown.exit_code, 0) << markdown.out;
    std::ifstream in(GRIDAUDIT_DOCS_DIR "/import-format.md");
    std::stringstream content;
    content << in.rdbuf();
    EXPECT_EQ(content.str(), markdown.out)
        << "docs/import-format.md is stale: run `make docs` (gridaudit formats --markdown)";
}

}  // namespace
}  // namespace gridaudit
