// The runner of tests/cases/recovery/*.test (format: recovery_case_runner.hpp).
#include "recovery/recovery_case_runner.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <sstream>

#include "recovery/recovery_arguments.hpp"
#include "rules/policy.hpp"

namespace gridaudit::testing {
namespace {

std::string rest_after(const std::string& line, std::size_t words) {
    return CaseLine{0, line, {}, ""}.rest(words);
}

class CaseRun {
public:
    explicit CaseRun(const TextCase& text_case) : text_case_(text_case) {}

    std::vector<CaseFailure> run() {
        for (const CaseLine& line : text_case_.lines) {
            const auto& words = line.words;
            if (words[0] == "policy") {
                set_policy(line.block);
            } else if (words[0] == "policy_error") {
                expect_policy_error(line.rest(1), line.line);
            } else if (words[0] == "run") {
                run_computation(words, line.line);
            } else if (words[0] == "expect" && words.size() >= 2) {
                expect(words, line.text, line.line);
            } else {
                fail(line.line, "unknown directive: " + line.text);
            }
        }
        if (checks_ == 0) fail(text_case_.line, "a case without expectations");
        return std::move(failures_);
    }

private:
    void fail(int line, std::string message) { failures_.push_back({line, std::move(message)}); }

    void set_policy(const std::string& toml) {
        auto policy = Policy::parse(toml, "case.toml");
        if (!policy) {
            policy_failure_ = policy.error().message();
            return;
        }
        auto recovery = RecoveryPolicy::from(*policy);
        if (!recovery) {
            policy_failure_ = recovery.error().message();
            return;
        }
        policy_ = *recovery;
    }
    void expect_policy_error(const std::string& text, int line) {
        ++checks_;
        if (!policy_failure_) return fail(line, "the policy was accepted; expected an error containing: " + text);
        if (policy_failure_->find(text) == std::string::npos)
            fail(line, fmt::format("policy error '{}' does not contain '{}'", *policy_failure_, text));
        policy_failure_.reset();
    }

    void run_computation(const std::vector<std::string>& words, int line) {
        if (policy_failure_) fail(line, "the policy was refused: " + *policy_failure_);
        if (words.size() < 2) return fail(line, "run needs a computation");
        std::vector<std::string> tokens(words.begin() + 2, words.end());
        for (std::string& token : tokens)  // tariff files are named relative to the case file
            if (token.starts_with("tariff=") && !std::filesystem::path(token.substr(7)).is_absolute())
                token = "tariff=" + (text_case_.file.parent_path() / token.substr(7)).string();
        auto arguments = parse_recovery_arguments(tokens);
        if (!arguments) {
            result_ = std::unexpected(arguments.error());
            return;
        }
        result_ = compute_recovery(words[1], *arguments, policy_);
    }

    const Recovery* recovery(int line, std::string_view what) {
        if (!result_) {
            fail(line, fmt::format("expect {} before any run", what));
            return nullptr;
        }
        if (!*result_) {
            fail(line, fmt::format("expect {}: the run failed: {}", what, result_->error().message()));
            return nullptr;
        }
        return &**result_;
    }

    void check_money(int line, std::string_view what, Money actual, const std::string& expected_text) {
        const auto expected = Money::parse(expected_text);
        if (!expected) return fail(line, "not an amount: " + expected_text);
        if (actual != *expected)
            fail(line, fmt::format("{}: got {}, expected {}", what, Quantity::from_units(actual.units()).to_string(),
                                   expected_text));
    }

    void expect(const std::vector<std::string>& words, const std::string& line_text, int line) {
        ++checks_;
        const std::string& kind = words[1];
        if (kind == "error" || kind == "external_error") {
            const std::string text = rest_after(line_text, 2);
            if (!result_) return fail(line, "expect error before any run");
            if (*result_) return fail(line, "the run succeeded; expected an error containing: " + text);
            if (result_->error().message().find(text) == std::string::npos)
                fail(line, fmt::format("error '{}' does not contain '{}'", result_->error().message(), text));
            const ErrorClass expected = kind == "error" ? ErrorClass::user : ErrorClass::external;
            if (result_->error().kind() != expected) fail(line, "the error is not of the expected class");
            return;
        }
        const Recovery* r = recovery(line, kind);
        if (!r) return;
        if (kind == "energy" && words.size() == 3) {
            const auto expected = Quantity::parse(words[2]);
            if (!expected) return fail(line, "not a kWh value: " + words[2]);
            if (!r->energy_kwh) return fail(line, "the computation has no energy");
            if (*r->energy_kwh != *expected)
                fail(line, fmt::format("energy: got {}, expected {}", r->energy_kwh->to_string(), words[2]));
        } else if (kind == "amount" && (words.size() == 4 || words.size() == 5)) {
            const RecoveryAmount* a = r->amount(words[2]);
            if (!a) return fail(line, "no amount named " + words[2]);
            check_money(line, words[2], a->rounded, words[3]);
            if (words.size() == 5) {
                if (!words[4].starts_with("exact=")) return fail(line, "expected exact=<decimal>: " + words[4]);
                const auto exact = ExactAmount::parse(words[4].substr(6));
                if (!exact) return fail(line, "not an exact amount: " + words[4]);
                if (a->exact != *exact)
                    fail(line, fmt::format("{} exact: got {}, expected {}", words[2], a->exact.to_string(),
                                           words[4].substr(6)));
            }
        } else if (kind == "no_amount" && words.size() == 3) {
            if (r->amount(words[2])) fail(line, "unexpected amount " + words[2]);
        } else if (kind == "total" && words.size() == 3) {
            check_money(line, "total", r->total, words[2]);
        } else if (kind == "step" && words.size() == 4) {
            const RecoveryStep* s = r->step(words[2]);
            if (!s) return fail(line, "no step named " + words[2]);
            if (s->value != words[3])
                fail(line, fmt::format("step {}: got {} ({}), expected {}", words[2], s->value, s->formula, words[3]));
        } else if (kind == "note") {
            const std::string text = rest_after(line_text, 2);
            if (std::ranges::none_of(r->notes, [&](const std::string& n) { return n.find(text) != std::string::npos; }))
                fail(line, "no note containing: " + text);
        } else {
            fail(line, "unknown expectation: " + line_text);
        }
    }

    const TextCase& text_case_;
    std::vector<CaseFailure> failures_;
    int checks_ = 0;
    RecoveryPolicy policy_ = RecoveryPolicy::defaults();
    std::optional<std::string> policy_failure_;
    std::optional<Result<Recovery>> result_;
};

}  // namespace

std::vector<CaseFailure> run_recovery_case(const TextCase& text_case) {
    return CaseRun(text_case).run();
}

bool recovery_block(const CaseLine& line) {
    return line.words[0] == "policy";
}

}  // namespace gridaudit::testing
