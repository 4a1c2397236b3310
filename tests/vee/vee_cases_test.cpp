// Data-driven VEE cases (tests/cases/vee/*.test) and the reading rules' rule cases
// (tests/cases/reading/*.test, run with the shared rule case runner); both read by
// tests/support/case_file.hpp, each case its own test.
//
// VEE directives, one a line (no block directives):
//   case <name>                    the header (case_file.hpp)
//   per_day N                      values per day (default 4)
//   values v v _ v | v ...         the series, day-major, '_' missing, '|' a visual day separator
//   flags I=estimated|clock_adjusted|power_out ...   interval flags by value index
//   deltas d d _ ...               register advance per day ('_' unknown)
//   active 1 1 0 ...               per day: the meter should register energy
//   day_types 0 0 1 ...            per day
//   set <key> = <value>            a line of the [vee] policy section
//   registers r r _ r ...          end-of-day registers: usage derivation (with `previous P`, `multiplier M`)
//   expect exception <check> <index> <count>   (exhaustive: every exception must be expected)
//   expect estimate <index> <value>
//   expect quality <index> actual|estimated|missing
//   expect usage <day> <kwh|_> actual|estimated|missing
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <optional>
#include <sstream>

#include "engine/vee/series_vee.hpp"
#include "engine/vee/usage_derivation.hpp"
#include "model/rows.hpp"
#include "rules/reading/reading_rules.hpp"
#include "rules/reading/vee_policy.hpp"
#include "support/case_test.hpp"
#include "support/rule_case_runner.hpp"

namespace gridaudit {
namespace {

using testing::CaseFailure;
using testing::CaseLine;
using testing::cases_in;
using testing::CaseTestName;
using testing::expect_every_case_read;
using testing::no_block;
using testing::report_case_failures;
using testing::run_rule_case;
using testing::TextCase;

const std::filesystem::path cases_dir = GRIDAUDIT_CASES_DIR;

struct VeeCase {
    std::string file, name;
    int line = 0;
    int per_day = 4;
    std::vector<double> values, deltas, registers;
    std::vector<std::uint8_t> flags, active, day_types;
    std::string policy = "[vee]\n";
    double previous = std::nan(""), multiplier = 1;
    std::vector<std::string> expect_exceptions;
    std::vector<std::pair<std::size_t, double>> expect_estimates;
    std::vector<std::pair<std::size_t, std::string>> expect_quality;
    std::vector<std::tuple<std::size_t, double, std::string>> expect_usage;
};

double number(const std::string& word) {
    return word == "_" ? std::nan("") : std::stod(word);
}

// A VEE case from its directives; a failure at the first directive it cannot read (std::stod and
// std::stoi throw on a word that is not a number).
std::optional<CaseFailure> read_vee_case(const TextCase& text_case, VeeCase& c) {
    c.file = text_case.file.filename().string();
    c.line = text_case.line;
    c.name = text_case.name;
    for (const CaseLine& line : text_case.lines) {
        const std::string& directive = line.words[0];
        const std::vector<std::string> words(line.words.begin() + 1, line.words.end());
        const auto fail = [&](std::string message) { return CaseFailure{line.line, std::move(message)}; };
        try {
            if (directive == "per_day" && words.size() == 1) {
                c.per_day = std::stoi(words[0]);
            } else if (directive == "values") {
                for (const auto& w : words)
                    if (w != "|") c.values.push_back(number(w));
            } else if (directive == "deltas") {
                for (const auto& w : words) c.deltas.push_back(number(w));
            } else if (directive == "registers") {
                for (const auto& w : words) c.registers.push_back(number(w));
            } else if (directive == "previous" && words.size() == 1) {
                c.previous = number(words[0]);
            } else if (directive == "multiplier" && words.size() == 1) {
                c.multiplier = std::stod(words[0]);
            } else if (directive == "active" || directive == "day_types") {
                auto& target = directive == "active" ? c.active : c.day_types;
                for (const auto& w : words) target.push_back(static_cast<std::uint8_t>(std::stoi(w)));
            } else if (directive == "flags") {
                for (const auto& w : words) {
                    const auto eq = w.find('=');
                    if (eq == std::string::npos) return fail("flags INDEX=NAME|NAME ...");
                    const std::size_t index = std::stoul(w.substr(0, eq));
                    std::uint8_t bits = 0;
                    std::istringstream names(w.substr(eq + 1));
                    std::string name;
                    while (std::getline(names, name, '|')) {
                        if (name == "estimated")
                            bits |= interval_estimated;
                        else if (name == "clock_adjusted")
                            bits |= interval_clock_adjusted;
                        else if (name == "power_out")
                            bits |= interval_power_out;
                        else
                            return fail("unknown flag " + name);
                    }
                    if (c.flags.size() <= index) c.flags.resize(index + 1, 0);
                    c.flags[index] |= bits;
                }
            } else if (directive == "set") {
                c.policy += line.rest(1) + "\n";
            } else if (directive == "expect" && !words.empty()) {
                const std::string& kind = words[0];
                if (kind == "exception" && words.size() == 4) {
                    c.expect_exceptions.push_back(words[1] + " " + words[2] + " " + words[3]);
                } else if (kind == "estimate" && words.size() == 3) {
                    c.expect_estimates.emplace_back(std::stoul(words[1]), number(words[2]));
                } else if (kind == "quality" && words.size() == 3) {
                    c.expect_quality.emplace_back(std::stoul(words[1]), words[2]);
                } else if (kind == "usage" && words.size() == 4) {
                    c.expect_usage.emplace_back(std::stoul(words[1]), number(words[2]), words[3]);
                } else {
                    return fail("unknown expectation: " + line.text);
                }
            } else {
                return fail("unknown directive: " + line.text);
            }
        } catch (const std::exception& error) {
            return fail(std::string("not a number in: ") + line.text + " (" + error.what() + ")");
        }
    }
    return std::nullopt;
}

void run_case(const VeeCase& c) {
    const auto policy = Policy::parse(c.policy, c.file);
    ASSERT_TRUE(policy) << policy.error().message();
    const auto settings = vee_settings_from_policy(*policy);
    ASSERT_TRUE(settings) << settings.error().message();
    std::vector<VeeException> exceptions;
    if (!c.registers.empty()) {
        const DailyUsage usage = derive_daily_usage(c.registers, c.previous, c.multiplier, *settings, 0, exceptions);
        for (const auto& [day, kwh, quality] : c.expect_usage) {
            ASSERT_LT(day, usage.kwh.size());
            if (std::isnan(kwh))
                EXPECT_TRUE(std::isnan(usage.kwh[day])) << "usage of day " << day;
            else
                EXPECT_NEAR(usage.kwh[day], kwh, 1e-9) << "usage of day " << day;
            EXPECT_EQ(value_quality_name(usage.quality[day]), quality) << "quality of day " << day;
        }
    }
    std::vector<double> estimate(c.values.size());
    std::vector<ValueQuality> quality(c.values.size());
    if (!c.values.empty()) {
        ASSERT_EQ(c.values.size() % static_cast<std::size_t>(c.per_day), 0u) << "values must fill whole days";
        std::vector<std::uint8_t> flags = c.flags;
        if (!flags.empty()) flags.resize(c.values.size(), 0);
        SeriesWorkspace workspace;
        VeeCounts counts;
        validate_and_estimate({c.values, flags, c.per_day, c.deltas, c.active, c.day_types}, *settings, 0,
                              {estimate, quality, /*method=*/{}}, workspace, exceptions, counts);
    }
    std::vector<std::string> actual;
    for (const auto& e : exceptions)
        actual.push_back(std::string(vee_check_name(e.check)) + " " + std::to_string(e.index) + " " +
                         std::to_string(e.count));
    std::vector<std::string> expected = c.expect_exceptions;
    std::sort(actual.begin(), actual.end());
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(actual, expected) << "exceptions (check index count)";
    for (const auto& [index, value] : c.expect_estimates) {
        ASSERT_LT(index, estimate.size());
        if (std::isnan(value))
            EXPECT_TRUE(std::isnan(estimate[index])) << "estimate " << index;
        else
            EXPECT_NEAR(estimate[index], value, 1e-9) << "estimate " << index;
    }
    for (const auto& [index, name] : c.expect_quality) {
        ASSERT_LT(index, quality.size());
        EXPECT_EQ(value_quality_name(quality[index]), name) << "quality " << index;
    }
}

class VeeCaseTest : public ::testing::TestWithParam<TextCase> {};

TEST_P(VeeCaseTest, Holds) {
    const TextCase& text_case = GetParam();
    const std::string path = text_case.file.string();
    const ::testing::ScopedTrace trace(path.c_str(), text_case.line, "case `" + text_case.name + "`");
    VeeCase c;
    if (const auto failure = read_vee_case(text_case, c)) return report_case_failures(text_case, {*failure});
    run_case(c);
}

INSTANTIATE_TEST_SUITE_P(Vee, VeeCaseTest, ::testing::ValuesIn(cases_in(cases_dir / "vee", no_block)), CaseTestName());

TEST(VeeCaseFolderTest, EveryCaseIsRead) {
    expect_every_case_read(cases_dir / "vee", no_block);
}

// The reading rules' rule cases (tests/cases/reading), with the reading rules alone.
class ReadingRuleCaseTest : public ::testing::TestWithParam<TextCase> {};

TEST_P(ReadingRuleCaseTest, ProducesExactlyTheExpectedFindings) {
    static const Catalogue catalogue = [] {
        Catalogue reading;
        add_reading_rules(reading, [](const RegionFrame&) -> const BillingReadColumns* { return nullptr; });
        return reading;
    }();
    report_case_failures(GetParam(), run_rule_case(GetParam(), catalogue));
}

INSTANTIATE_TEST_SUITE_P(Reading, ReadingRuleCaseTest, ::testing::ValuesIn(cases_in(cases_dir / "reading", no_block)),
                         CaseTestName());

TEST(ReadingRuleCaseFolderTest, EveryCaseIsRead) {
    expect_every_case_read(cases_dir / "reading", no_block);
}

}  // namespace
}  // namespace gridaudit
