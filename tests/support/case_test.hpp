// The gtest side of case files (case_file.hpp): each case is its own parameterised test, its failures
// reported at their file:line, and each folder's test checks that every case of its files was read.
//
//   class MeterCaseTest : public ::testing::TestWithParam<TextCase> {};
//   TEST_P(MeterCaseTest, Holds) { report_case_failures(GetParam(), run_rule_case(GetParam(), catalogue)); }
//   INSTANTIATE_TEST_SUITE_P(Meter, MeterCaseTest, ::testing::ValuesIn(cases_in(folder, no_block)), CaseTestName());
//   TEST(MeterCaseFolderTest, EveryCaseIsRead) { expect_every_case_read(folder, no_block); }
// Thread safety: as gtest's assertions.
#pragma once

#include <gtest/gtest.h>

#include "support/case_file.hpp"

namespace gridaudit::testing {

// Fails the running test once per failure, at the case file's path and the failure's line.
void report_case_failures(const TextCase& text_case, const std::vector<CaseFailure>& failures);

// Fails unless `folder` holds at least one case file, every `case` header of its files is a case
// read (so none is skipped) and nothing in them is outside a case or an unclosed block.
void expect_every_case_read(const std::filesystem::path& folder, const BlockDirective& takes_block);

// The name generator of INSTANTIATE_TEST_SUITE_P for cases.
struct CaseTestName {
    std::string operator()(const ::testing::TestParamInfo<TextCase>& info) const { return case_test_name(info.param); }
};

}  // namespace gridaudit::testing
