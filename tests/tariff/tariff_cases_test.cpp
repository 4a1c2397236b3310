// Runs every data-driven tariff case under tests/cases/tariff/ (format: tariff_case_runner.hpp).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "tariff/tariff_case_runner.hpp"

namespace gridaudit::testing {
namespace {

TEST(TariffCasesTest, EveryCaseMeetsItsExpectations) {
    const auto outcomes = run_tariff_cases(std::filesystem::path(GRIDAUDIT_CASES_DIR) / "tariff");
    ASSERT_GE(outcomes.size(), 30u) << "the case files were not found or hold too few cases";
    int checks = 0;
    for (const auto& outcome : outcomes) {
        SCOPED_TRACE(fmt::format("{}:{}: {}", outcome.file, outcome.line, outcome.name));
        EXPECT_GT(outcome.checks, 0) << "a case without expectations";
        for (const auto& failure : outcome.failures) ADD_FAILURE() << failure;
        checks += outcome.checks;
    }
    EXPECT_GE(checks, 303 + 10) << "every power-factor table row and spot value is a check";
}

}  // namespace
}  // namespace gridaudit::testing
