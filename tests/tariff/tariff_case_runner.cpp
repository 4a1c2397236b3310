// Prices what a tariff case describes and checks its expectations (format: tariff_case_runner.hpp).
#include "tariff/tariff_case_runner.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <sstream>

#include "tariff/calendar_json.hpp"
#include "tariff/load_series.hpp"
#include "tariff/pricing_engine.hpp"
#include "tariff/tariff_file.hpp"

namespace gridaudit::testing {
namespace {

using Attributes = std::map<std::string, std::string>;

std::vector<std::string> split_words(const std::string& text) {
    std::istringstream in(text);
    std::vector<std::string> words;
    for (std::string word; in >> word;) words.push_back(word);
    return words;
}

Attributes attributes_of(const std::vector<std::string>& words, std::size_t from) {
    Attributes attributes;
    for (std::size_t i = from; i < words.size(); ++i) {
        const auto equals = words[i].find('=');
        if (equals == std::string::npos) continue;
        attributes[words[i].substr(0, equals)] = words[i].substr(equals + 1);
    }
    return attributes;
}

std::optional<std::string> get(const Attributes& attributes, const std::string& key) {
    const auto found = attributes.find(key);
    if (found == attributes.end()) return std::nullopt;
    return found->second;
}

// A decimal amount written in a case as an exact amount; throws on malformed text (a bad case file).
ExactAmount amount_of(const std::string& text) {
    const auto amount = ExactAmount::parse(text);
    if (!amount) throw std::runtime_error("not an amount: " + text);
    return *amount;
}

double number_of(const std::string& text) {
    std::size_t used = 0;
    const double value = std::stod(text, &used);
    if (used != text.size()) throw std::runtime_error("not a number: " + text);
    return value;
}

// "+9.5" -> 950 hundredths of a percent.
int basis_points_of(const std::string& text) {
    const auto units = parse_scaled_decimal(text[0] == '+' ? text.substr(1) : text, 2, DecimalFit::exact, 1'000'000);
    if (!units) throw std::runtime_error("not a percentage: " + text);
    return static_cast<int>(*units);
}

std::optional<BillComponent> component_named(const std::string& name) {
    for (int c = 0; c < bill_component_count; ++c)
        if (bill_component_name(static_cast<BillComponent>(c)) == name) return static_cast<BillComponent>(c);
    return std::nullopt;
}

std::optional<ChargeKind> kind_named(const std::string& name) {
    for (int k = 0; k <= static_cast<int>(ChargeKind::minimum); ++k)
        if (charge_kind_name(static_cast<ChargeKind>(k)) == name) return static_cast<ChargeKind>(k);
    return std::nullopt;
}

std::optional<std::uint32_t> note_named(const std::string& name) {
    static const std::map<std::string, std::uint32_t> notes{
        {"pf_no_reactive", note_pf_no_reactive},   {"pf_no_energy", note_pf_no_energy},
        {"pf_no_standard", note_pf_no_standard},   {"tiers_prorated", note_tiers_prorated},
        {"basic_prorated", note_basic_prorated},   {"demand_floor", note_demand_floor},
        {"monthly_minimum", note_monthly_minimum}, {"yearly_minimum", note_yearly_minimum}};
    const auto found = notes.find(name);
    if (found == notes.end()) return std::nullopt;
    return found->second;
}

// What a case's run found: its failures and how many expectations it evaluated.
struct TariffCaseOutcome {
    std::vector<CaseFailure> failures;
    int checks = 0;
};

class CaseRun {
public:
    CaseRun(std::filesystem::path folder, TariffCaseOutcome& outcome) : folder_(std::move(folder)), outcome_(outcome) {}

    void fail(int line, const std::string& message) { outcome_.failures.push_back({line, message}); }

    void tariff(int line, const Attributes& attributes, const std::string& inline_json) {
        const auto format_text = get(attributes, "format").value_or("gridaudit");
        const auto format = parse_tariff_format(format_text);
        if (!format) return fail(line, "unknown tariff format " + format_text);
        Result<Tariff> loaded = [&]() -> Result<Tariff> {
            if (const auto file = get(attributes, "file")) return load_tariff_file(folder_ / *file, *format);
            return parse_tariff(inline_json, "case.json", *format);
        }();
        if (loaded) {
            if (auto resolved = resolve_calendar(*loaded, calendars_); !resolved) {
                tariff_.reset();
                return record_error(line, resolved.error().message());
            }
            tariff_ = std::move(*loaded);
        } else {
            tariff_.reset();
            pending_error_ = loaded.error().message();
            pending_error_line_ = line;
        }
    }

    // A shared calendar document, for the tariffs of this case that reference it by id.
    void calendar(int line, const Attributes& attributes, const std::string& inline_json) {
        Result<SharedCalendar> loaded = [&]() -> Result<SharedCalendar> {
            if (const auto file = get(attributes, "file")) return load_calendar_file(folder_ / *file);
            return parse_calendar_json(inline_json, "calendar.json");
        }();
        if (!loaded) return record_error(line, loaded.error().message());
        calendars_.push_back(std::move(*loaded));
    }

    void terms(const Attributes& attributes) {
        if (const auto value = get(attributes, "capacity_kva")) terms_.capacity_kva = number_of(*value);
        if (const auto value = get(attributes, "contracted_kw")) terms_.contracted_demand_kw = number_of(*value);
        if (const auto value = get(attributes, "pf_standard")) terms_.pf_standard = parse_power_factor_standard(*value);
        if (const auto value = get(attributes, "supply_start")) terms_.supply_start = CivilDate::parse(*value);
    }

    void state(const Attributes& attributes) {
        if (const auto value = get(attributes, "tier_kwh")) state_.tier_kwh_used = Quantity::parse(*value).value();
        if (const auto value = get(attributes, "tier_year")) state_.tier_year = std::stoi(*value);
    }

    void month(int line, const std::vector<std::string>& words) {
        if (!ready(line)) return;
        const auto period = words.size() > 1 ? Period::parse(words[1]) : std::nullopt;
        if (!period) return fail(line, "month needs YYYY-MM");
        if (state_.tier_year == 0) state_.tier_year = period->year();
        MonthUsage usage;
        usage.period = *period;
        usage.period_kwh.assign(tariff_->energy_periods.size(), 0.0);
        if (tariff_->demand) usage.period_max_demand_kw.assign(tariff_->demand->periods.size(), not_measured);
        RegisterReadings registers;
        bool use_registers = false;
        for (const auto& [key, value] : attributes_of(words, 2)) {
            if (key == "kvarh") {
                usage.kvarh = number_of(value);
            } else if (key == "demand_kw") {
                usage.max_demand_kw = number_of(value);
            } else if (key == "days") {
                usage.days_connected = std::stoi(value);
            } else if (key.rfind("reg.", 0) == 0) {
                use_registers = true;
                const std::string name = key.substr(4);
                double* target = name == "total"           ? &registers.total_kwh
                                 : name == "peak"          ? &registers.peak_kwh
                                 : name == "flat"          ? &registers.flat_kwh
                                 : name == "valley"        ? &registers.valley_kwh
                                 : name == "critical_peak" ? &registers.critical_peak_kwh
                                 : name == "deep_valley"   ? &registers.deep_valley_kwh
                                                           : nullptr;
                if (!target) return fail(line, "unknown register " + name);
                *target = number_of(value);
            } else if (key.rfind("demand.", 0) == 0) {
                const std::string name = key.substr(7);
                bool found = false;
                for (std::size_t d = 0; tariff_->demand && d < tariff_->demand->periods.size(); ++d) {
                    if (tariff_->demand->periods[d].name == name) {
                        usage.period_max_demand_kw[d] = number_of(value);
                        found = true;
                    }
                }
                if (!found) return fail(line, "no demand period " + name);
            } else {
                bool found = false;
                for (std::size_t p = 0; p < tariff_->energy_periods.size(); ++p) {
                    if (tariff_->energy_periods[p].name == key) {
                        usage.period_kwh[p] = number_of(value);
                        found = true;
                    }
                }
                if (!found) return fail(line, "no energy period " + key);
            }
        }
        if (use_registers) {
            auto kwh = period_kwh_from_registers(*tariff_, registers);
            if (!kwh) return record_error(line, kwh.error().message());
            usage.period_kwh = *kwh;
        }
        bills_.clear();
        MonthBill bill;
        if (auto status = price_month(*tariff_, terms_, usage, state_, bill); !status)
            return record_error(line, status.error().message());
        bills_.push_back(std::move(bill));
    }

    void load(int line, const Attributes& attributes) {
        if (!ready(line)) return;
        const auto file = get(attributes, "file");
        if (!file) return fail(line, "load needs file=");
        std::optional<CivilDate> start;
        if (const auto value = get(attributes, "start")) start = CivilDate::parse(*value);
        const auto path = folder_ / *file;
        auto content = read_text_file(path);
        if (!content) return fail(line, content.error().message());
        auto series = parse_load_csv(*content, file->c_str(), start);
        if (!series) return record_error(line, series.error().message());
        auto bills = price_load_series(*tariff_, terms_, *series, state_);
        if (!bills) return record_error(line, bills.error().message());
        bills_ = std::move(*bills);
    }

    void expect(int line, const std::vector<std::string>& words, const std::string& rest) {
        ++outcome_.checks;
        if (words.size() < 2) return fail(line, "expect what?");
        const std::string& what = words[1];
        if (what == "error") {
            std::string text = rest.substr(rest.find("error") + 5);
            text.erase(0, text.find_first_not_of(' '));
            if (!pending_error_) return fail(line, "expected an error containing '" + text + "', got none");
            if (pending_error_->find(text) == std::string::npos)
                fail(line, "expected an error containing '" + text + "', got: " + *pending_error_);
            pending_error_.reset();
            return;
        }
        if (pending_error_) return;  // reported at the end of the case
        if (bills_.empty()) return fail(line, "no bill to check");
        const Attributes attributes = attributes_of(words, 2);
        if (what == "total" || what == "component") {
            const std::size_t value_at = what == "total" ? 2 : 3;
            if (words.size() <= value_at) return fail(line, "expect " + what + " needs an amount");
            std::optional<BillComponent> component;
            if (what == "component") {
                component = component_named(words[2]);
                if (!component) return fail(line, "unknown component " + words[2]);
            }
            Money sum;
            for (const auto& bill : bills_) sum += component ? bill.component(*component) : bill.total;
            const ExactAmount expected = amount_of(words[value_at]);
            const ExactAmount tolerance = amount_of(get(attributes, "tolerance").value_or("0"));
            const ExactAmount difference = ExactAmount::of(sum) - expected;
            if (difference > tolerance || -difference > tolerance)
                fail(line, fmt::format("{} is {}, expected {}", component ? words[2] : "total", sum.to_string(4),
                                       words[value_at]));
            return;
        }
        if (what == "months") {
            if (bills_.size() != std::stoul(words.at(2)))
                fail(line, fmt::format("{} months, expected {}", bills_.size(), words[2]));
            return;
        }
        const MonthBill& bill = bills_.back();
        if (what == "line" || what == "no_line") {
            const auto kind = words.size() > 2 ? kind_named(words[2]) : std::nullopt;
            if (!kind) return fail(line, "unknown line kind");
            const BillLine* match = nullptr;
            for (const BillLine& candidate : bill.lines) {
                if (candidate.kind != *kind) continue;
                if (const auto period = get(attributes, "period")) {
                    if (candidate.period < 0) continue;
                    const std::string& name =
                        *kind == ChargeKind::demand
                            ? tariff_->demand->periods[static_cast<std::size_t>(candidate.period)].name
                            : tariff_->energy_periods[static_cast<std::size_t>(candidate.period)].name;
                    if (name != *period) continue;
                }
                if (const auto tier = get(attributes, "tier"); tier && candidate.tier + 1 != std::stoi(*tier)) continue;
                if (const auto item = get(attributes, "item"); item && candidate.item != std::stoi(*item)) continue;
                match = &candidate;
                break;
            }
            if (what == "no_line") {
                if (match) fail(line, "unexpected line " + describe_line(*tariff_, *match));
                return;
            }
            if (!match) return fail(line, "no such line; the bill has:\n" + lines_text(bill));
            if (const auto quantity = get(attributes, "quantity");
                quantity && match->quantity != Quantity::parse(*quantity))
                fail(line, fmt::format("quantity {}, expected {}", match->quantity.to_string(), *quantity));
            if (const auto price = get(attributes, "price");
                price && match->price != UnitPrice::parse(*price, DecimalFit::exact))
                fail(line, fmt::format("price {}, expected {}", match->price.to_string(), *price));
            if (const auto amount = get(attributes, "amount"); amount && match->amount != amount_of(*amount))
                fail(line, fmt::format("amount {}, expected {}", match->amount.to_string(), *amount));
            if (const auto percent = get(attributes, "percent");
                percent && match->basis_points != basis_points_of(*percent))
                fail(line, fmt::format("percent {} (basis points), expected {}", match->basis_points, *percent));
            if (const auto days = get(attributes, "days"); days && match->prorate_days != std::stoi(*days))
                fail(line, fmt::format("prorated days {}, expected {}", match->prorate_days, *days));
            return;
        }
        if (what == "pf") {
            const std::string expected = words.at(2);
            const std::string actual = bill.power_factor
                                           ? fmt::format("{}.{:02}", *bill.power_factor / 100, *bill.power_factor % 100)
                                           : "none";
            if (actual != expected) fail(line, "power factor " + actual + ", expected " + expected);
            return;
        }
        if (what == "note") {
            const auto note = note_named(words.at(2));
            if (!note) return fail(line, "unknown note " + words[2]);
            if (!(bill.notes & *note)) fail(line, "the bill lacks note " + words[2]);
            return;
        }
        if (what == "thresholds") {
            std::string actual;
            for (const Quantity threshold : bill.tier_thresholds)
                actual += (actual.empty() ? "" : ",") + threshold.to_string();
            if (actual != words.at(2)) fail(line, "thresholds " + actual + ", expected " + words[2]);
            return;
        }
        fail(line, "unknown expectation " + what);
    }

    void pf_row(int line, const std::vector<std::string>& words) {
        ++outcome_.checks;
        if (words.size() != 4) return fail(line, "pf STANDARD PF PERCENT");
        const auto standard = parse_power_factor_standard(words[1]);
        const auto pf = parse_scaled_decimal(words[2], 2, DecimalFit::exact, 100);
        if (!standard || !pf) return fail(line, "bad pf row");
        const int actual = power_factor_adjustment_basis_points(*standard, static_cast<int>(*pf));
        if (actual != basis_points_of(words[3]))
            fail(line,
                 fmt::format("standard {} PF {}: {} basis points, expected {}", words[1], words[2], actual, words[3]));
    }

    void power_factor(int line, const std::vector<std::string>& words) {
        ++outcome_.checks;
        const Attributes attributes = attributes_of(words, 1);
        const auto kwh = Quantity::parse(get(attributes, "kwh").value_or("x"));
        const auto kvarh = Quantity::parse(get(attributes, "kvarh").value_or("x"));
        if (!kwh || !kvarh || words.size() != 4) return fail(line, "power_factor kwh=P kvarh=Q 0.xx");
        const auto pf = power_factor_hundredths(*kwh, *kvarh);
        const std::string actual = pf ? fmt::format("{}.{:02}", *pf / 100, *pf % 100) : "none";
        if (actual != words[3]) fail(line, "power factor " + actual + ", expected " + words[3]);
    }

    // exact [k x (] q x p + q x p [)] = EXACT round D MODE = ROUNDED
    void exact(int line, const std::string& rest) {
        ++outcome_.checks;
        const auto equals = rest.find('=');
        const auto round_at = rest.find(" round ");
        const auto second_equals = rest.find('=', round_at);
        if (equals == std::string::npos || round_at == std::string::npos || second_equals == std::string::npos)
            return fail(line, "exact EXPR = EXACT round D MODE = ROUNDED");
        std::string expression = rest.substr(5, equals - 5);
        std::int64_t factor = 1;
        if (const auto open = expression.find('('); open != std::string::npos) {
            const auto x = expression.find('x');
            factor = std::stoll(expression.substr(0, x));
            expression = expression.substr(open + 1, expression.rfind(')') - open - 1);
        }
        ExactAmount sum;
        std::istringstream terms(expression);
        for (std::string term; std::getline(terms, term, '+');) {
            const auto words = split_words(term);
            if (words.size() != 1) return fail(line, "term QxP: " + term);
            const auto x = words[0].find('x');
            const auto quantity = Quantity::parse(words[0].substr(0, x));
            const auto price = UnitPrice::parse(words[0].substr(x + 1), DecimalFit::exact);
            if (x == std::string::npos || !quantity || !price) return fail(line, "term QxP: " + term);
            sum += ExactAmount::product(*quantity, *price);
        }
        sum = sum * factor;
        const auto exact_words = split_words(rest.substr(equals + 1, round_at - equals - 1));
        const auto round_words = split_words(rest.substr(round_at + 7, second_equals - round_at - 7));
        const auto rounded_words = split_words(rest.substr(second_equals + 1));
        if (exact_words.size() != 1 || round_words.size() != 2 || rounded_words.size() != 1)
            return fail(line, "exact EXPR = EXACT round D MODE = ROUNDED");
        if (sum != amount_of(exact_words[0]))
            fail(line, "exact sum " + sum.to_string() + ", expected " + exact_words[0]);
        const auto mode = parse_rounding(round_words[1]);
        if (!mode) return fail(line, "unknown rounding mode " + round_words[1]);
        const Money rounded = sum.rounded(std::stoi(round_words[0]), *mode);
        if (ExactAmount::of(rounded) != amount_of(rounded_words[0]))
            fail(line, "rounded " + rounded.to_string(4) + ", expected " + rounded_words[0]);
    }

    void finish() {
        if (pending_error_) fail(pending_error_line_, "unexpected error: " + *pending_error_);
    }

private:
    bool ready(int line) {
        if (pending_error_) return false;
        if (!tariff_) {
            fail(line, "no tariff");
            return false;
        }
        return true;
    }

    void record_error(int line, const std::string& message) {
        pending_error_ = message;
        pending_error_line_ = line;
    }

    std::string lines_text(const MonthBill& bill) const {
        std::string text;
        for (const auto& line : bill.lines)
            text += fmt::format("  {} {} {} {}\n", charge_kind_name(line.kind), describe_line(*tariff_, line),
                                line.quantity.to_string(), line.amount.to_string());
        return text;
    }

    std::filesystem::path folder_;
    TariffCaseOutcome& outcome_;
    std::optional<Tariff> tariff_;
    std::vector<SharedCalendar> calendars_;
    CustomerTerms terms_;
    BillingState state_;
    std::vector<MonthBill> bills_;
    std::optional<std::string> pending_error_;
    int pending_error_line_ = 0;
};

}  // namespace

std::vector<CaseFailure> run_tariff_case(const TextCase& text_case) {
    TariffCaseOutcome outcome;
    CaseRun run(text_case.file.parent_path(), outcome);
    for (const CaseLine& directive : text_case.lines) {
        const auto& words = directive.words;
        const int line = directive.line;
        try {
            if (words[0] == "tariff") {
                run.tariff(line, attributes_of(words, 1), directive.block);
            } else if (words[0] == "calendar") {
                run.calendar(line, attributes_of(words, 1), directive.block);
            } else if (words[0] == "terms") {
                run.terms(attributes_of(words, 1));
            } else if (words[0] == "state") {
                run.state(attributes_of(words, 1));
            } else if (words[0] == "month") {
                run.month(line, words);
            } else if (words[0] == "load") {
                run.load(line, attributes_of(words, 1));
            } else if (words[0] == "expect") {
                run.expect(line, words, directive.text);
            } else if (words[0] == "pf") {
                run.pf_row(line, words);
            } else if (words[0] == "power_factor") {
                run.power_factor(line, words);
            } else if (words[0] == "exact") {
                run.exact(line, directive.text);
            } else {
                run.fail(line, "unknown directive " + words[0]);
            }
        } catch (const std::exception& error) {
            run.fail(line, std::string("malformed directive: ") + error.what());
        }
    }
    run.finish();
    if (outcome.checks == 0) outcome.failures.push_back({text_case.line, "a case without expectations"});
    return std::move(outcome.failures);
}

bool tariff_block(const CaseLine& line) {
    return (line.words[0] == "tariff" || line.words[0] == "calendar") && !line.attributes(1).contains("file");
}

}  // namespace gridaudit::testing
