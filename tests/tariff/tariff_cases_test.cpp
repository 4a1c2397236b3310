// Runs every data-driven tariff case under tests/cases/tariff/, each case its own test (format:
// tariff_case_runner.hpp).
#include <gtest/gtest.h>

#include "support/case_test.hpp"
#include "tariff/tariff_case_runner.hpp"

namespace gridaudit::testing {
namespace {

const std::filesystem::path tariff_cases = std::filesystem::path(GRIDAUDIT_CASES_DIR) / "tariff";

class TariffCaseTest : public ::testing::TestWithParam<TextCase> {};

TEST_P(TariffCaseTest, MeetsItsExpectations) {
    report_case_failures(GetParam(), run_tariff_case(GetParam()));
}

INSTANTIATE_TEST_SUITE_P(Tariff, TariffCaseTest, ::testing::ValuesIn(cases_in(tariff_cases, tariff_block)),
                         CaseTestName());

TEST(TariffCaseFolderTest, EveryCaseIsRead) {
    expect_every_case_read(tariff_cases, tariff_block);
}

}  // namespace
}  // namespace gridaudit::testing
