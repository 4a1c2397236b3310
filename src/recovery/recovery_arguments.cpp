// Reading `key=value` arguments into the calculator's typed cases.
#include "recovery/recovery_arguments.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>

#include "tariff/tariff_file.hpp"

namespace gridaudit {
namespace {

constexpr std::string_view computations[] = {"theft", "violation", "metering", "late-payment"};

// The largest magnitudes the fixed-point types hold (Quantity and UnitPrice: 2^62 units; Money:
// what Money::parse accepts), for an "out of range" message.
constexpr double largest_quantity = 4.6e14;
constexpr double largest_price = 4.6e10;
constexpr double largest_amount = 9.2e14;

struct KeyHelp {
    std::string_view computation;
    std::string_view key;
    std::string_view meaning;
};

constexpr KeyHelp key_help[] = {
    {"theft", "method", "private_tap (default) or other (bypass, tampering)"},
    {"theft", "use", "power (default, 12 h/day) or lighting (6 h/day) when the duration is unknown"},
    {"theft", "capacity_kw",
     "private tap: rated capacity of the equipment (kVA as kW); other: current-limiter capacity"},
    {"theft", "rated_current_a", "other methods: the billing meter's rated current (A)"},
    {"theft", "phases", "with rated_current_a: 1 (default) or 3"},
    {"theft", "hours", "actual hours of use, when known"},
    {"theft", "days", "days of use, when known (x hours_per_day)"},
    {"theft", "start", "first day of use, YYYY-MM-DD (with end)"},
    {"theft", "end", "day the theft was found, YYYY-MM-DD"},
    {"theft", "hours_per_day", "hours per day with days or dates (default: the use's hours)"},
    {"theft", "ct_ratio", "theft through instrument transformers: CT ratio, e.g. 600/5"},
    {"theft", "pt_ratio", "theft through instrument transformers: PT ratio, e.g. 10000/100"},
    {"theft", "price", "applicable tariff price per kWh (or tariff=)"},
    {"theft", "tariff", "tariff file whose energy price applies (docs/tariffs.md), instead of price"},
    {"theft", "tariff_format", "with tariff: gridaudit (default) or urdb"},
    {"theft", "tariff_period", "with tariff: the energy period whose price applies (default its only period)"},
    {"violation", "type", "category, capacity, sealed_equipment or meter_interference (required)"},
    {"violation", "load",
     "category (repeat per load): kw=5,use=power,price=0.7625,billed_price=0.5653 or kwh=..,price=..,billed_price=.. "
     "[,hours_per_day=]"},
    {"violation", "days", "category: days of use when known"},
    {"violation", "start", "category: first day of use (with end)"},
    {"violation", "end", "category: last day of use"},
    {"violation", "customer",
     "capacity, sealed_equipment: two_part or other; meter_interference: residential or other"},
    {"violation", "capacity_kw", "capacity, sealed_equipment: capacity added or used (kVA as kW)"},
    {"violation", "months", "two-part customers: months of use"},
    {"violation", "basic_price", "two-part customers: basic charge per kW (kVA) and month"},
    {"violation", "times", "sealed_equipment (other customers), meter_interference: times (default 1)"},
    {"metering", "cause", "meter_error, voltage_drop, wiring, multiplier or non_human (required)"},
    {"metering", "recorded_kwh", "energy recorded (billed) over the cause's window (required)"},
    {"metering", "price", "price per kWh (or tariff=, tariff_format=, tariff_period= as for theft)"},
    {"metering", "error_percent", "meter_error: error found, percent (-10 = 10 % slow)"},
    {"metering", "class_percent", "meter_error: accuracy class, percent (refuses errors within it)"},
    {"metering", "last_test", "meter_error: date of the last test or replacement"},
    {"metering", "found", "meter_error: date the error was found"},
    {"metering", "measured_drop_percent", "voltage_drop: measured PT secondary drop, percent"},
    {"metering", "allowed_drop_percent", "voltage_drop: allowed drop, percent (default from the policy)"},
    {"metering", "correction_rate", "wiring: correction rate as a fraction (1 = +100 %)"},
    {"metering", "right_ratio", "multiplier: the right CT x PT ratio or multiplier, e.g. 600/5"},
    {"metering", "billed_ratio", "multiplier: the ratio billed, e.g. 300/5"},
    {"metering", "normal_month_kwh", "non_human: consumption of a normal month"},
    {"metering", "days", "non_human: days of the fault"},
    {"metering", "start", "non_human: first day of the fault (with end)"},
    {"metering", "end", "non_human: day the fault was corrected"},
    {"late-payment", "customer", "residential or other (required)"},
    {"late-payment", "paid", "day paid, or day the charge is computed to (required)"},
    {"late-payment", "arrears", "repeat per bill: amount=1000,due=2026-03-15[,year=2025]"},
    {"late-payment", "amount", "one bill: amount overdue (with due)"},
    {"late-payment", "due", "one bill: due date"},
    {"late-payment", "year", "one bill: the arrears' year (default the due date's year)"},
};

std::string normalised_word(std::string_view text) {
    std::string word(text);
    std::ranges::replace(word, '-', '_');
    return word;
}

// Reads typed values out of key=value pairs; remembers which keys were used.
class ArgumentReader {
public:
    ArgumentReader(const RecoveryArguments& arguments, std::string context)
        : arguments_(arguments), used_(arguments.size(), false), context_(std::move(context)) {}

    // The single value of `key`, or nullopt; a repeated key is an error.
    Result<std::optional<std::string>> text(std::string_view key) {
        std::optional<std::string> value;
        for (std::size_t i = 0; i < arguments_.size(); ++i) {
            if (arguments_[i].first != key) continue;
            if (value) return user_error(fmt::format("{}: {} is given twice", context_, key));
            value = arguments_[i].second;
            used_[i] = true;
        }
        return value;
    }
    std::vector<std::string> all(std::string_view key) {
        std::vector<std::string> values;
        for (std::size_t i = 0; i < arguments_.size(); ++i) {
            if (arguments_[i].first != key) continue;
            values.push_back(arguments_[i].second);
            used_[i] = true;
        }
        return values;
    }
    Result<std::optional<Quantity>> quantity(std::string_view key) {
        GA_ASSIGN_OR_RETURN(const auto value, text(key));
        if (!value) return std::optional<Quantity>();
        const auto q = Quantity::parse(*value);
        if (!q) return refused_number(key, *value, Quantity::decimals, largest_quantity, "a number");
        return q;
    }
    Result<std::optional<UnitPrice>> price(std::string_view key) {
        GA_ASSIGN_OR_RETURN(const auto value, text(key));
        if (!value) return std::optional<UnitPrice>();
        const auto p = UnitPrice::parse(*value, DecimalFit::exact);
        if (!p) return refused_number(key, *value, UnitPrice::decimals, largest_price, "a price");
        return p;
    }
    Result<UnitPrice> required_price(std::string_view key) {
        GA_ASSIGN_OR_RETURN(const auto value, price(key));
        if (!value) return missing(key);
        return *value;
    }
    // `price=`, or the price of `tariff=FILE` [`tariff_format=urdb`] [`tariff_period=NAME`]; the
    // source is remembered for the inputs.
    Result<UnitPrice> applicable_price() {
        GA_ASSIGN_OR_RETURN(const auto given, price("price"));
        GA_ASSIGN_OR_RETURN(const auto file, text("tariff"));
        GA_ASSIGN_OR_RETURN(const auto format_name, text("tariff_format"));
        GA_ASSIGN_OR_RETURN(const auto period, text("tariff_period"));
        if (given && file) return user_error(fmt::format("{}: give either price or tariff, not both", context_));
        if (given) {
            if (format_name || period)
                return user_error(fmt::format("{}: tariff_format and tariff_period go with tariff", context_));
            return *given;
        }
        if (!file) return missing("price (or tariff)");
        const auto format = parse_tariff_format(format_name.value_or("gridaudit"));
        if (!format) return bad("tariff_format", *format_name, "gridaudit or urdb");
        auto tariff = load_tariff_file(*file, *format);
        if (!tariff) return std::unexpected(tariff.error().with_context(context_));
        auto unit_price = tariff_energy_price(*tariff, period.value_or(""));
        if (!unit_price) return std::unexpected(unit_price.error().with_context(context_));
        price_source_ = fmt::format("tariff {} ({}){}", tariff->id, *file,
                                    period ? fmt::format(", period {}", *period) : std::string());
        return *unit_price;
    }
    // Where the price came from when it came from a tariff, else empty.
    [[nodiscard]] const std::string& price_source() const { return price_source_; }

    Result<std::optional<Money>> money(std::string_view key) {
        GA_ASSIGN_OR_RETURN(const auto value, text(key));
        if (!value) return std::optional<Money>();
        const auto m = Money::parse(*value);
        if (!m) return refused_number(key, *value, 4, largest_amount, "an amount");
        return m;
    }
    Result<std::optional<CivilDate>> date(std::string_view key) {
        GA_ASSIGN_OR_RETURN(const auto value, text(key));
        if (!value) return std::optional<CivilDate>();
        const auto d = CivilDate::parse(*value);
        if (!d) return bad(key, *value, "a date YYYY-MM-DD");
        return d;
    }
    Result<std::optional<Ratio>> ratio(std::string_view key) {
        GA_ASSIGN_OR_RETURN(const auto value, text(key));
        if (!value) return std::optional<Ratio>();
        const auto r = Ratio::parse(*value);
        if (!r) return bad(key, *value, "a positive ratio such as 600/5 or 120");
        return r;
    }
    Result<std::optional<std::int64_t>> whole(std::string_view key) {
        GA_ASSIGN_OR_RETURN(const auto value, text(key));
        if (!value) return std::optional<std::int64_t>();
        std::int64_t number = 0;
        const auto [end, error] = std::from_chars(value->data(), value->data() + value->size(), number);
        if (error != std::errc() || end != value->data() + value->size()) return bad(key, *value, "a whole number");
        return number;
    }
    // The position of the value of `key` in `words` (dashes read as underscores); `fallback` when
    // absent, or an error when there is none.
    Result<std::size_t> choice(std::string_view key, std::initializer_list<std::string_view> words,
                               std::optional<std::size_t> fallback) {
        GA_ASSIGN_OR_RETURN(const auto value, text(key));
        if (!value) {
            if (fallback) return *fallback;
            return missing(key);
        }
        const std::string w = normalised_word(*value);
        std::size_t index = 0;
        for (std::string_view candidate : words) {
            if (candidate == w) return index;
            ++index;
        }
        std::string list;
        for (std::string_view candidate : words) list += (list.empty() ? "" : ", ") + std::string(candidate);
        return bad(key, *value, "one of " + list);
    }
    Status finish() const {
        for (std::size_t i = 0; i < arguments_.size(); ++i)
            if (!used_[i])
                return user_error(fmt::format("{}: unknown key '{}' here (see --help or docs/recovery.md)", context_,
                                              arguments_[i].first));
        return {};
    }

private:
    // Why the fixed-point parser refused `value`: too large (1e308), too many decimals, or not a
    // number at all, each said as such.
    std::unexpected<Error> refused_number(std::string_view key, std::string_view value, int decimals,
                                          double largest, std::string_view noun) const {
        const auto rounded = parse_scaled_decimal(value, decimals, DecimalFit::half_up, Int128(1) << 120);
        double number = 0;
        const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), number);
        const bool parsed = end == value.data() + value.size() &&
                            ((error == std::errc() && std::isfinite(number)) || error == std::errc::result_out_of_range);
        if (parsed && (error == std::errc::result_out_of_range || std::fabs(number) > largest))
            return user_error(fmt::format("{}: {} is out of range ({}): at most {:.0f}", context_, key, value,
                                          largest));
        if (rounded) return bad(key, value, fmt::format("{} with at most {} decimals", noun, decimals));
        return bad(key, value, noun);
    }
    std::unexpected<Error> bad(std::string_view key, std::string_view value, std::string_view expected) const {
        return user_error(fmt::format("{}: {} must be {} ({})", context_, key, expected, value));
    }
    std::unexpected<Error> missing(std::string_view key) const {
        return user_error(fmt::format("{}: {} is required", context_, key));
    }

    const RecoveryArguments& arguments_;
    std::vector<bool> used_;
    std::string context_;
    std::string price_source_;
};

// Records a tariff the price was read from as the first input.
Result<Recovery> with_price_source(Result<Recovery> recovery, const ArgumentReader& in) {
    if (recovery && !in.price_source().empty())
        recovery->inputs.insert(recovery->inputs.begin(), {"tariff", in.price_source()});
    return recovery;
}

// "kw=5,use=power,price=0.7625" -> pairs.
Result<RecoveryArguments> split_list(std::string_view text, std::string_view key) {
    RecoveryArguments pairs;
    std::size_t begin = 0;
    while (begin <= text.size()) {
        std::size_t comma = text.find(',', begin);
        if (comma == std::string_view::npos) comma = text.size();
        const std::string_view item = text.substr(begin, comma - begin);
        const auto equals = item.find('=');
        if (equals == std::string_view::npos || equals == 0)
            return user_error(
                fmt::format("{}: '{}' must be name=value items separated by commas ({})", key, item, text));
        pairs.emplace_back(std::string(item.substr(0, equals)), std::string(item.substr(equals + 1)));
        begin = comma + 1;
    }
    return pairs;
}

Result<Recovery> theft(ArgumentReader& in, const RecoveryPolicy& policy) {
    TheftCase c;
    GA_ASSIGN_OR_RETURN(const std::size_t method, in.choice("method", {"private_tap", "other"}, 0));
    c.method = method == 1 ? TheftMethod::other : TheftMethod::private_tap;
    GA_ASSIGN_OR_RETURN(const std::size_t use, in.choice("use", {"power", "lighting"}, 0));
    c.use = use == 1 ? SupplyUse::lighting : SupplyUse::power;
    GA_ASSIGN_OR_RETURN(c.capacity_kw, in.quantity("capacity_kw"));
    GA_ASSIGN_OR_RETURN(c.rated_current_a, in.quantity("rated_current_a"));
    GA_ASSIGN_OR_RETURN(const auto phases, in.whole("phases"));
    c.phases = static_cast<int>(phases.value_or(1));
    GA_ASSIGN_OR_RETURN(c.hours, in.quantity("hours"));
    GA_ASSIGN_OR_RETURN(c.days, in.quantity("days"));
    GA_ASSIGN_OR_RETURN(c.start, in.date("start"));
    GA_ASSIGN_OR_RETURN(c.end, in.date("end"));
    GA_ASSIGN_OR_RETURN(c.hours_per_day, in.quantity("hours_per_day"));
    GA_ASSIGN_OR_RETURN(c.ct_ratio, in.ratio("ct_ratio"));
    GA_ASSIGN_OR_RETURN(c.pt_ratio, in.ratio("pt_ratio"));
    GA_ASSIGN_OR_RETURN(c.price, in.applicable_price());
    GA_TRY(in.finish());
    return with_price_source(compute_theft(c, policy), in);
}

Result<Recovery> violation(ArgumentReader& in, const RecoveryPolicy& policy) {
    GA_ASSIGN_OR_RETURN(
        const std::size_t type,
        in.choice("type", {"category", "capacity", "sealed_equipment", "meter_interference"}, std::nullopt));
    if (type == 0) {
        CategoryViolation c;
        for (const std::string& text : in.all("load")) {
            GA_ASSIGN_OR_RETURN(const RecoveryArguments items, split_list(text, "load"));
            ArgumentReader load(items, fmt::format("load {}", c.loads.size() + 1));
            CategoryLoad l;
            GA_ASSIGN_OR_RETURN(l.kwh, load.quantity("kwh"));
            GA_ASSIGN_OR_RETURN(l.capacity_kw, load.quantity("kw"));
            GA_ASSIGN_OR_RETURN(const std::size_t use, load.choice("use", {"power", "lighting"}, 0));
            l.use = use == 1 ? SupplyUse::lighting : SupplyUse::power;
            GA_ASSIGN_OR_RETURN(l.hours_per_day, load.quantity("hours_per_day"));
            GA_ASSIGN_OR_RETURN(l.price, load.required_price("price"));
            GA_ASSIGN_OR_RETURN(l.billed_price, load.required_price("billed_price"));
            GA_TRY(load.finish());
            c.loads.push_back(l);
        }
        GA_ASSIGN_OR_RETURN(c.days, in.quantity("days"));
        GA_ASSIGN_OR_RETURN(c.start, in.date("start"));
        GA_ASSIGN_OR_RETURN(c.end, in.date("end"));
        GA_TRY(in.finish());
        return compute_category_violation(c, policy);
    }
    if (type == 3) {
        MeterInterference c;
        GA_ASSIGN_OR_RETURN(const std::size_t customer, in.choice("customer", {"residential", "other"}, std::nullopt));
        c.customer = customer == 0 ? CustomerClass::residential : CustomerClass::other;
        GA_ASSIGN_OR_RETURN(const auto times, in.whole("times"));
        c.times = times.value_or(1);
        GA_TRY(in.finish());
        return compute_meter_interference(c, policy);
    }
    CapacityViolation c;
    c.kind = type == 1 ? CapacityViolationKind::capacity_above_contract : CapacityViolationKind::sealed_equipment;
    GA_ASSIGN_OR_RETURN(const std::size_t customer, in.choice("customer", {"two_part", "other"}, std::nullopt));
    c.two_part = customer == 0;
    GA_ASSIGN_OR_RETURN(const auto capacity, in.quantity("capacity_kw"));
    if (!capacity) return user_error("violation: capacity_kw is required");
    c.capacity_kw = *capacity;
    GA_ASSIGN_OR_RETURN(const auto months, in.whole("months"));
    GA_ASSIGN_OR_RETURN(const auto basic, in.price("basic_price"));
    GA_ASSIGN_OR_RETURN(const auto times, in.whole("times"));
    if (c.two_part && (!months || !basic))
        return user_error("violation: two-part customers need months and basic_price");
    if (!c.two_part && (months || basic))
        return user_error("violation: months and basic_price apply to two-part customers only");
    c.months = months.value_or(0);
    c.basic_price = basic.value_or(UnitPrice());
    c.times = times.value_or(1);
    if (c.two_part && times) return user_error("violation: times applies to other (not two-part) customers only");
    GA_TRY(in.finish());
    return compute_capacity_violation(c, policy);
}

Result<Recovery> metering(ArgumentReader& in, const RecoveryPolicy& policy) {
    MeteringError c;
    GA_ASSIGN_OR_RETURN(
        const std::size_t cause,
        in.choice("cause", {"meter_error", "voltage_drop", "wiring", "multiplier", "non_human"}, std::nullopt));
    c.cause = static_cast<MeteringCause>(cause);  // same order as the enumeration
    GA_ASSIGN_OR_RETURN(const auto recorded, in.quantity("recorded_kwh"));
    if (!recorded) return user_error("metering: recorded_kwh is required");
    c.recorded_kwh = *recorded;
    GA_ASSIGN_OR_RETURN(c.price, in.applicable_price());
    GA_ASSIGN_OR_RETURN(c.error_percent, in.quantity("error_percent"));
    GA_ASSIGN_OR_RETURN(c.class_percent, in.quantity("class_percent"));
    GA_ASSIGN_OR_RETURN(c.last_test, in.date("last_test"));
    GA_ASSIGN_OR_RETURN(c.found, in.date("found"));
    GA_ASSIGN_OR_RETURN(c.measured_drop_percent, in.quantity("measured_drop_percent"));
    GA_ASSIGN_OR_RETURN(c.allowed_drop_percent, in.quantity("allowed_drop_percent"));
    GA_ASSIGN_OR_RETURN(c.correction_rate, in.quantity("correction_rate"));
    GA_ASSIGN_OR_RETURN(c.right_ratio, in.ratio("right_ratio"));
    GA_ASSIGN_OR_RETURN(c.billed_ratio, in.ratio("billed_ratio"));
    GA_ASSIGN_OR_RETURN(c.normal_month_kwh, in.quantity("normal_month_kwh"));
    GA_ASSIGN_OR_RETURN(c.days, in.quantity("days"));
    GA_ASSIGN_OR_RETURN(c.start, in.date("start"));
    GA_ASSIGN_OR_RETURN(c.end, in.date("end"));
    GA_TRY(in.finish());
    return with_price_source(compute_metering_error(c, policy), in);
}

Result<Arrears> arrears_of(ArgumentReader& in) {
    Arrears a;
    GA_ASSIGN_OR_RETURN(const auto amount, in.money("amount"));
    GA_ASSIGN_OR_RETURN(const auto due, in.date("due"));
    GA_ASSIGN_OR_RETURN(const auto year, in.whole("year"));
    if (!amount || !due) return user_error("arrears need amount and due");
    a.amount = *amount;
    a.due = *due;
    if (year) a.year = static_cast<int>(*year);
    return a;
}

Result<Recovery> late_payment(ArgumentReader& in, const RecoveryPolicy& policy) {
    LatePayment c;
    GA_ASSIGN_OR_RETURN(const std::size_t customer, in.choice("customer", {"residential", "other"}, std::nullopt));
    c.customer = customer == 0 ? CustomerClass::residential : CustomerClass::other;
    GA_ASSIGN_OR_RETURN(const auto paid, in.date("paid"));
    if (!paid) return user_error("late-payment: paid is required");
    c.paid = *paid;
    for (const std::string& text : in.all("arrears")) {
        GA_ASSIGN_OR_RETURN(const RecoveryArguments items, split_list(text, "arrears"));
        ArgumentReader item(items, fmt::format("arrears {}", c.arrears.size() + 1));
        GA_ASSIGN_OR_RETURN(const Arrears a, arrears_of(item));
        GA_TRY(item.finish());
        c.arrears.push_back(a);
    }
    GA_ASSIGN_OR_RETURN(const auto amount, in.text("amount"));
    GA_ASSIGN_OR_RETURN(const auto due, in.text("due"));
    GA_ASSIGN_OR_RETURN(const auto year, in.text("year"));
    if (amount || due || year) {
        RecoveryArguments single;
        if (amount) single.emplace_back("amount", *amount);
        if (due) single.emplace_back("due", *due);
        if (year) single.emplace_back("year", *year);
        ArgumentReader item(single, "late-payment");
        GA_ASSIGN_OR_RETURN(const Arrears a, arrears_of(item));
        c.arrears.push_back(a);
    }
    GA_TRY(in.finish());
    return compute_late_payment(c, policy);
}

}  // namespace

std::span<const std::string_view> recovery_computations() {
    return computations;
}

Result<RecoveryArguments> parse_recovery_arguments(std::span<const std::string> tokens) {
    RecoveryArguments arguments;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        std::string_view token = tokens[i];
        const bool dashed = token.starts_with("--");
        if (dashed) token.remove_prefix(2);
        const auto equals = token.find('=');
        std::string key(token.substr(0, equals));
        std::string value;
        if (equals != std::string_view::npos) {
            value = std::string(token.substr(equals + 1));
        } else if (dashed && i + 1 < tokens.size()) {
            value = tokens[++i];
        } else {
            return user_error(fmt::format("'{}' must be key=value or --key value", tokens[i]));
        }
        if (key.empty()) return user_error(fmt::format("'{}' has no key", tokens[i]));
        std::ranges::replace(key, '-', '_');
        arguments.emplace_back(std::move(key), std::move(value));
    }
    return arguments;
}

Result<Recovery> compute_recovery(std::string_view computation, const RecoveryArguments& arguments,
                                  const RecoveryPolicy& policy) {
    ArgumentReader in(arguments, std::string(computation));
    if (computation == "theft") return theft(in, policy);
    if (computation == "violation") return violation(in, policy);
    if (computation == "metering") return metering(in, policy);
    if (computation == "late-payment" || computation == "late_payment") return late_payment(in, policy);
    return user_error(
        fmt::format("unknown computation '{}' (theft, violation, metering or late-payment)", computation));
}

std::string recovery_arguments_help(std::string_view computation) {
    std::string text;
    for (const KeyHelp& help : key_help)
        if (help.computation == computation) text += fmt::format("  {:<22} {}\n", help.key, help.meaning);
    return text;
}

}  // namespace gridaudit
