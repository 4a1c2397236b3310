// Data-driven VEE cases (tests/cases/vee/*.test) and the reading rules' rule cases
// (tests/cases/reading/*.test, run with the shared rule case runner).
//
// VEE case format, one directive per line ('#' starts a comment):
//   case <name>                    starts a case
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
#include <fstream>
#include <sstream>

#include "engine/vee/series_vee.hpp"
#include "engine/vee/usage_derivation.hpp"
#include "model/rows.hpp"
#include "rules/reading/reading_rules.hpp"
#include "rules/reading/vee_policy.hpp"
#include "support/rule_case_runner.hpp"

namespace gridaudit {
namespace {

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

std::string fmt_line(const std::filesystem::path& file, int line, const std::string& what) {
    return file.filename().string() + ":" + std::to_string(line) + ": " + what;
}

double number(const std::string& word) { return word == "_" ? std::nan("") : std::stod(word); }

std::vector<VeeCase> read_cases(const std::filesystem::path& file) {
    std::vector<VeeCase> cases;
    std::ifstream in(file);
    std::string line;
    int line_number = 0;
    while (std::getline(in, line)) {
        ++line_number;
        if (const auto hash = line.find('#'); hash != std::string::npos) line.resize(hash);
        std::istringstream words(line);
        std::string directive;
        if (!(words >> directive)) continue;
        if (directive == "case") {
            VeeCase c;
            c.file = file.filename().string();
            c.line = line_number;
            std::getline(words >> std::ws, c.name);
            cases.push_back(std::move(c));
            continue;
        }
        if (cases.empty()) throw std::runtime_error(fmt_line(file, line_number, "directive before any case"));
        VeeCase& c = cases.back();
        std::string w;
        if (directive == "per_day") {
            words >> c.per_day;
        } else if (directive == "values") {
            while (words >> w)
                if (w != "|") c.values.push_back(number(w));
        } else if (directive == "deltas") {
            while (words >> w) c.deltas.push_back(number(w));
        } else if (directive == "registers") {
            while (words >> w) c.registers.push_back(number(w));
        } else if (directive == "previous") {
            words >> w;
            c.previous = number(w);
        } else if (directive == "multiplier") {
            words >> c.multiplier;
        } else if (directive == "active" || directive == "day_types") {
            auto& target = directive == "active" ? c.active : c.day_types;
            while (words >> w) target.push_back(static_cast<std::uint8_t>(std::stoi(w)));
        } else if (directive == "flags") {
            while (words >> w) {
                const auto eq = w.find('=');
                const std::size_t index = std::stoul(w.substr(0, eq));
                std::uint8_t bits = 0;
                std::istringstream names(w.substr(eq + 1));
                std::string name;
                while (std::getline(names, name, '|')) {
                    if (name == "estimated") bits |= interval_estimated;
                    else if (name == "clock_adjusted") bits |= interval_clock_adjusted;
                    else if (name == "power_out") bits |= interval_power_out;
                    else throw std::runtime_error(fmt_line(file, line_number, "unknown flag " + name));
                }
                if (c.flags.size() <= index) c.flags.resize(index + 1, 0);
                c.flags[index] |= bits;
            }
        } else if (directive == "set") {
            std::string rest;
            std::getline(words >> std::ws, rest);
            c.policy += rest + "\n";
        } else if (directive == "expect") {
            std::string kind;
            words >> kind;
            if (kind == "exception") {
                std::string check, index, count;
                words >> check >> index >> count;
                c.expect_exceptions.push_back(check + " " + index + " " + count);
            } else if (kind == "estimate") {
                std::size_t index;
                words >> index >> w;
                c.expect_estimates.emplace_back(index, number(w));
            } else if (kind == "quality") {
                std::size_t index;
                words >> index >> w;
                c.expect_quality.emplace_back(index, w);
            } else if (kind == "usage") {
                std::size_t day;
                std::string q;
                words >> day >> w >> q;
                c.expect_usage.emplace_back(day, number(w), q);
            } else {
                throw std::runtime_error(fmt_line(file, line_number, "unknown expectation " + kind));
            }
        } else {
            throw std::runtime_error(fmt_line(file, line_number, "unknown directive " + directive));
        }
    }
    return cases;
}

void run_case(const VeeCase& c) {
    SCOPED_TRACE(c.file + ":" + std::to_string(c.line) + ": " + c.name);
    const auto policy = Policy::parse(c.policy, c.file);
    ASSERT_TRUE(policy) << policy.error().message();
    const auto settings = vee_settings_from_policy(*policy);
    ASSERT_TRUE(settings) << settings.error().message();
    std::vector<VeeException> exceptions;
    if (!c.registers.empty()) {
        const DailyUsage usage = derive_daily_usage(c.registers, c.previous, c.multiplier, *settings, 0, exceptions);
        for (const auto& [day, kwh, quality] : c.expect_usage) {
            ASSERT_LT(day, usage.kwh.size());
            if (std::isnan(kwh)) EXPECT_TRUE(std::isnan(usage.kwh[day])) << "usage of day " << day;
            else EXPECT_NEAR(usage.kwh[day], kwh, 1e-9) << "usage of day " << day;
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
                              {estimate, quality}, workspace, exceptions, counts);
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
        if (std::isnan(value)) EXPECT_TRUE(std::isnan(estimate[index])) << "estimate " << index;
        else EXPECT_NEAR(estimate[index], value, 1e-9) << "estimate " << index;
    }
    for (const auto& [index, name] : c.expect_quality) {
        ASSERT_LT(index, quality.size());
        EXPECT_EQ(value_quality_name(quality[index]), name) << "quality " << index;
    }
}

TEST(VeeCasesTest, EveryVeeCaseFileHolds) {
    int cases = 0;
    for (const auto& entry : std::filesystem::directory_iterator(cases_dir / "vee")) {
        if (entry.path().extension() != ".test") continue;
        for (const VeeCase& c : read_cases(entry.path())) {
            run_case(c);
            ++cases;
        }
    }
    EXPECT_GE(cases, 8);
}

TEST(VeeCasesTest, ReadingRuleCasesHold) {
    Catalogue catalogue;
    add_reading_rules(catalogue, [](const RegionFrame&) -> const BillingReadColumns* { return nullptr; });
    const auto outcomes = testing::run_rule_cases(cases_dir / "reading", catalogue);
    EXPECT_GE(outcomes.size(), 5u);
    for (const auto& outcome : outcomes) {
        SCOPED_TRACE(outcome.file + ":" + std::to_string(outcome.line) + ": " + outcome.name);
        EXPECT_TRUE(outcome.error.empty()) << outcome.error;
        EXPECT_EQ(outcome.actual, outcome.expected);
    }
}

}  // namespace
}  // namespace gridaudit
