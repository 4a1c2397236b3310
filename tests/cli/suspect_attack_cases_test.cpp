// The attack cases of tests/cases/suspects/*.test: per case, the interval theft scenario with one
// attack written as files, imported and scored by `gridaudit eval` through the binary, each
// `expect MEASURE >= VALUE` checked against eval's JSON.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/case_test.hpp"
#include "support/command_runner.hpp"

namespace gridaudit {
namespace {

using namespace gridaudit::testing;
namespace fs = std::filesystem;

const fs::path cases_dir = GRIDAUDIT_CASES_DIR;

std::vector<CaseFailure> run_attack_case(const TextCase& text_case) {
    std::vector<CaseFailure> failures;
    std::string generate;
    std::vector<const CaseLine*> expectations;
    for (const CaseLine& line : text_case.lines) {
        if (line.words[0] == "scenario") {
            const auto a = line.attributes(1);
            if (!a.contains("attack") || !a.contains("seed") || !a.contains("areas") || !a.contains("customers")) {
                failures.push_back({line.line, "scenario needs attack=, seed=, areas= and customers="});
                continue;
            }
            generate = fmt::format("--attack {} --seed {} --areas {} --customers {}", a.at("attack"), a.at("seed"),
                                   a.at("areas"), a.at("customers"));
        } else if (line.words[0] == "expect" && line.words.size() == 4 && line.words[2] == ">=") {
            expectations.push_back(&line);
        } else {
            failures.push_back({line.line, "unknown directive: " + line.text});
        }
    }
    if (generate.empty()) failures.push_back({text_case.line, "no scenario line"});
    if (!failures.empty()) return failures;

    const fs::path dir = fs::temp_directory_path() / fmt::format("gridaudit-attack-{}-{}", ::getpid(), text_case.line);
    fs::remove_all(dir);
    const std::string binary = GRIDAUDIT_BINARY;
    const auto generated =
        run_command(binary, fmt::format("generate --theft-scenario --out {} {}", (dir / "s").string(), generate));
    const auto imported =
        run_command(binary, fmt::format("import --db {} {}", (dir / "s.db").string(), (dir / "s").string()));
    const auto evaluated = run_command(binary, fmt::format("eval --db {} --truth {} --json", (dir / "s.db").string(),
                                                           (dir / "s" / "theft_truth.csv").string()));
    fs::remove_all(dir);
    if (generated.exit_code != 0 || imported.exit_code != 0 || evaluated.exit_code != 0)
        return {{text_case.line, "generate, import or eval failed: " + generated.out + imported.out + evaluated.out}};
    const auto json = nlohmann::json::parse(evaluated.out);
    for (const CaseLine* line : expectations) {
        const std::string& measure = line->words[1];
        if (!json.contains(measure) || !json[measure].is_number()) {
            failures.push_back({line->line, fmt::format("no measure {} in eval's JSON", measure)});
            continue;
        }
        const double value = json[measure].get<double>();
        if (!(value >= std::stod(line->words[3])))
            failures.push_back(
                {line->line, fmt::format("{} is {:.3f}, expected >= {}", measure, value, line->words[3])});
    }
    return failures;
}

class SuspectAttackCaseTest : public ::testing::TestWithParam<TextCase> {};

TEST_P(SuspectAttackCaseTest, EvalReachesTheMeasuredLevel) {
    report_case_failures(GetParam(), run_attack_case(GetParam()));
}

INSTANTIATE_TEST_SUITE_P(Suspects, SuspectAttackCaseTest,
                         ::testing::ValuesIn(cases_in(cases_dir / "suspects", no_block)), CaseTestName());

TEST(SuspectAttackCaseFolderTest, EveryCaseIsRead) {
    expect_every_case_read(cases_dir / "suspects", no_block);
}

}  // namespace
}  // namespace gridaudit
