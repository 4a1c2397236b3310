// Runs every data-driven rule case under tests/cases/{meter,billing,process,master}/ against the
// standard catalogue, each case its own test (format: tests/support/rule_case_runner.hpp).
#include <gtest/gtest.h>

#include <sstream>

#include "support/case_test.hpp"
#include "support/rule_case_runner.hpp"

namespace gridaudit::testing {
namespace {

const std::filesystem::path cases = GRIDAUDIT_CASES_DIR;

class RuleCaseTest : public ::testing::TestWithParam<TextCase> {};

TEST_P(RuleCaseTest, ProducesExactlyTheExpectedFindings) {
    report_case_failures(GetParam(), run_rule_case(GetParam(), standard_catalogue()));
}

INSTANTIATE_TEST_SUITE_P(Meter, RuleCaseTest, ::testing::ValuesIn(cases_in(cases / "meter", no_block)), CaseTestName());
INSTANTIATE_TEST_SUITE_P(Billing, RuleCaseTest, ::testing::ValuesIn(cases_in(cases / "billing", no_block)),
                         CaseTestName());
INSTANTIATE_TEST_SUITE_P(Process, RuleCaseTest, ::testing::ValuesIn(cases_in(cases / "process", no_block)),
                         CaseTestName());
INSTANTIATE_TEST_SUITE_P(Master, RuleCaseTest, ::testing::ValuesIn(cases_in(cases / "master", no_block)),
                         CaseTestName());

// Every `case` of the folders' files is one of the tests above (none skipped, none unread).
TEST(RuleCaseFolderTest, EveryMeterCaseIsRead) {
    expect_every_case_read(cases / "meter", no_block);
}
TEST(RuleCaseFolderTest, EveryBillingCaseIsRead) {
    expect_every_case_read(cases / "billing", no_block);
}
TEST(RuleCaseFolderTest, EveryProcessCaseIsRead) {
    expect_every_case_read(cases / "process", no_block);
}
TEST(RuleCaseFolderTest, EveryMasterDataCaseIsRead) {
    expect_every_case_read(cases / "master", no_block);
}

// The runner itself: a missing finding fails at its `expect` line, an unexpected one at the header,
// a row attribute it does not take and an unknown directive at their lines.
TEST(RuleCaseRunnerTest, FailuresNameTheLineOfTheCase) {
    TextCase text_case{"runner.test", "wrong", 1, {}};
    const auto add = [&](int line, const std::string& text) {
        CaseLine directive{line, text, {}, ""};
        std::istringstream words(text);
        for (std::string word; words >> word;) directive.words.push_back(word);
        text_case.lines.push_back(directive);
    };
    add(2, "rules METER-MULTIPLIER-MISMATCH");
    add(3, "node A1 kind=area");
    add(4, "customer C1 node=A1");
    add(5, "expect METER-MULTIPLIER-MISMATCH meter M9");
    const auto missing = run_rule_case(text_case, standard_catalogue());
    ASSERT_EQ(missing.size(), 1u);
    EXPECT_EQ(missing[0].line, 5);
    EXPECT_NE(missing[0].message.find("METER-MULTIPLIER-MISMATCH meter M9 is missing"), std::string::npos);

    add(6, "meter M1 customer=C1 colour=red");
    add(7, "frobnicate");
    const auto unread = run_rule_case(text_case, standard_catalogue());
    ASSERT_EQ(unread.size(), 2u);
    EXPECT_EQ(unread[0].line, 6);
    EXPECT_NE(unread[0].message.find("takes no `colour=red`"), std::string::npos);
    EXPECT_EQ(unread[1].line, 7);
}

}  // namespace
}  // namespace gridaudit::testing
