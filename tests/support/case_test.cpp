// Reports case failures at their file:line and checks that a folder's cases were all read.
#include "support/case_test.hpp"

namespace gridaudit::testing {

void report_case_failures(const TextCase& text_case, const std::vector<CaseFailure>& failures) {
    const std::string path = text_case.file.string();
    for (const CaseFailure& failure : failures)
        ADD_FAILURE_AT(path.c_str(), failure.line)
            << "in case `" << text_case.name << "` (line " << text_case.line << "): " << failure.message;
}

void expect_every_case_read(const std::filesystem::path& folder, const BlockDirective& takes_block) {
    const CaseFolder read = read_case_folder(folder, takes_block);
    EXPECT_GT(read.files, 0u) << folder << " holds no *.test file";
    EXPECT_GT(read.headers, 0u) << folder << " holds no case";
    EXPECT_EQ(read.cases.size(), read.headers) << folder << ": cases read against `case` lines in the files";
    for (const auto& problem : read.problems) ADD_FAILURE() << (folder / problem).string();
}

}  // namespace gridaudit::testing
