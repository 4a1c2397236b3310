// The back-billing and penalty computations of art. 80-81, 98, 100 and 102-103, itemised.
#include "recovery/recovery.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/exact_ratio.hpp"
#include "rules/late_payment.hpp"

namespace gridaudit {
namespace {

constexpr std::string_view rules_1996 = "Supply Business Rules 1996";

ExactRatio exact_of(Quantity q) {
    return ExactRatio::of(q);
}

ExactRatio exact_of(const Ratio& r) {
    return ExactRatio::reduced(r.numerator.units(), r.denominator.units());
}

// Rounding step "energy": an exact value to 0.0001 (kWh, kW, days), half-up; `inexact` says whether it rounded.
Result<Quantity> to_quantity(ExactRatio value, bool& inexact) {
    GA_ASSIGN_OR_RETURN(const Int128 scaled, checked_multiply(value.numerator(), Quantity::units_per_one));
    const Int128 units = divide_half_up(scaled, value.denominator());
    inexact = units * value.denominator() != scaled;
    if (units > (Int128(1) << 62) || units < -(Int128(1) << 62)) return user_error("the energy is too large");
    return Quantity::from_units(static_cast<std::int64_t>(units));
}

std::string text(Money m) {
    return Quantity::from_units(m.units()).to_string();
}
std::string text(ExactAmount a) {
    return a.to_string();
}

// Builds a Recovery step by step.
class Itemisation {
public:
    Itemisation(const RecoveryPolicy& policy, std::string computation, std::string article, std::string title)
        : policy_(policy) {
        recovery_.computation = std::move(computation);
        recovery_.article = fmt::format("{} art. {}", rules_1996, article);
        recovery_.title = std::move(title);
        recovery_.decimals = policy.rounding_decimals;
        recovery_.rounding = policy.rounding_mode;
        recovery_.currency = policy.currency;
    }
    void input(std::string name, std::string value) {
        recovery_.inputs.emplace_back(std::move(name), std::move(value));
    }
    void step(std::string name, std::string formula, std::string value, std::string unit) {
        recovery_.steps.push_back({std::move(name), std::move(formula), std::move(value), std::move(unit)});
    }
    // Adds a quantity step; an inexact value is rounded half-up to 0.0001 and the formula says so.
    Result<Quantity> quantity_step(std::string name, std::string formula, ExactRatio value, std::string unit) {
        bool inexact = false;
        GA_ASSIGN_OR_RETURN(const Quantity q, to_quantity(value, inexact));
        if (inexact) formula += " (rounded half-up to 0.0001)";
        step(std::move(name), std::move(formula), q.to_string(), std::move(unit));
        return q;
    }
    void money_step(std::string name, std::string formula, ExactAmount value) {
        step(std::move(name), std::move(formula), value.to_string(), recovery_.currency);
    }
    void amount(std::string name, ExactAmount exact) {
        recovery_.amounts.push_back({std::move(name), exact, round_amount(exact, policy_)});
    }
    void note(std::string text) { recovery_.notes.push_back(std::move(text)); }
    void warning(std::string text) { recovery_.warnings.push_back(std::move(text)); }
    [[nodiscard]] const RecoveryPolicy& policy() const { return policy_; }
    void energy(Quantity kwh) { recovery_.energy_kwh = kwh; }
    [[nodiscard]] const std::string& currency() const { return recovery_.currency; }
    Recovery finish() {
        Money total;
        std::string formula;
        for (const RecoveryAmount& a : recovery_.amounts) {
            total += a.rounded;
            if (!formula.empty()) formula += " + ";
            formula += fmt::format("{} {}", a.name, a.rounded.to_string(recovery_.decimals));
        }
        recovery_.total = total;
        step("total", formula.empty() ? "nothing due" : formula, total.to_string(recovery_.decimals),
             recovery_.currency);
        return std::move(recovery_);
    }

private:
    const RecoveryPolicy& policy_;
    Recovery recovery_;
};

Status require_positive(std::optional<Quantity> value, std::string_view name) {
    if (value && value->units() <= 0)
        return user_error(fmt::format("{} must be more than 0 ({})", name, value->to_string()));
    return {};
}

Status require_not_negative(std::optional<Quantity> value, std::string_view name) {
    if (value && value->units() < 0)
        return user_error(fmt::format("{} must not be negative ({})", name, value->to_string()));
    return {};
}

Status require_price(UnitPrice price, std::string_view name) {
    if (price.units() <= 0) return user_error(fmt::format("{} must be more than 0 ({})", name, price.to_string()));
    return {};
}

// Days from start to end; end must come after start.
Result<Quantity> days_between(CivilDate start, CivilDate end) {
    if (end < start) return user_error(fmt::format("end {} is before start {}", end.to_string(), start.to_string()));
    if (end == start) return user_error(fmt::format("end {} is the start day: the period is empty", end.to_string()));
    return Quantity::whole(end - start);
}

std::string_view use_name(SupplyUse use) {
    return use == SupplyUse::power ? "power" : "lighting";
}

Quantity hours_of(SupplyUse use, const RecoveryPolicy& policy) {
    return use == SupplyUse::power ? policy.power_hours_per_day : policy.lighting_hours_per_day;
}

ExactAmount times_multiple(ExactAmount amount, Quantity multiple) {
    return amount.scaled(multiple.units(), Quantity::units_per_one);
}

ExactAmount money_times(Money money, Quantity quantity) {
    return ExactAmount::of(money).scaled(quantity.units(), Quantity::units_per_one);
}

// Refuses a duration of `hours` (units of 0.0001 h) beyond the policy's plausibility limit
// (max_duration_days), unless the command line accepted it (accepted_duration_days): then the
// result carries a warning. `what` names the input ("hours 1000000000").
Status check_plausible_duration(Itemisation& out, Int128 hour_units, std::string_view what) {
    const RecoveryPolicy& policy = out.policy();
    const auto as_hours = [](Quantity days) { return Int128(days.units()) * 24; };
    if (hour_units <= as_hours(policy.max_duration_days)) return {};
    const Quantity days = Quantity::from_units(static_cast<std::int64_t>(hour_units / 24));
    const std::string beyond =
        fmt::format("{} is {} days, beyond the plausibility limit of {} days ([recovery] max_duration_days)", what,
                    days.to_string(), policy.max_duration_days.to_string());
    if (policy.accepted_duration_days && hour_units <= as_hours(*policy.accepted_duration_days)) {
        out.warning(fmt::format("{}; computed because --max-duration-days {} accepts it", beyond,
                                policy.accepted_duration_days->to_string()));
        return {};
    }
    const std::int64_t whole_days = (days.units() + Quantity::units_per_one - 1) / Quantity::units_per_one;
    return user_error(
        fmt::format("{}: check the input, or pass --max-duration-days {} to compute it anyway", beyond, whole_days));
}

Status check_plausible_days(Itemisation& out, Quantity days, std::string_view what) {
    return check_plausible_duration(out, Int128(days.units()) * 24, what);
}

// The period of use: days given, dates given, or the default; adds the inputs and the step.
Result<Quantity> period_days(Itemisation& out, std::optional<Quantity> days, std::optional<CivilDate> start,
                             std::optional<CivilDate> end, std::string_view unknown_formula, Quantity unknown_days) {
    if (days && (start || end)) return user_error("give either days or start and end, not both");
    if (start.has_value() != end.has_value()) return user_error("give both start and end dates");
    if (days) {
        GA_TRY(require_positive(days, "days"));
        out.input("days", days->to_string());
        GA_TRY(check_plausible_days(out, *days, fmt::format("days {}", days->to_string())));
        return *days;
    }
    if (start) {
        out.input("start", start->to_string());
        out.input("end", end->to_string());
        GA_ASSIGN_OR_RETURN(const Quantity between, days_between(*start, *end));
        GA_TRY(check_plausible_days(out, between,
                                    fmt::format("the window {} to {}", start->to_string(), end->to_string())));
        out.step("days", fmt::format("{} - {}", end->to_string(), start->to_string()), between.to_string(), "days");
        return between;
    }
    out.step("days", std::string(unknown_formula), unknown_days.to_string(), "days");
    return unknown_days;
}

}  // namespace

const RecoveryAmount* Recovery::amount(std::string_view name) const {
    for (const auto& a : amounts)
        if (a.name == name) return &a;
    return nullptr;
}

const RecoveryStep* Recovery::step(std::string_view name) const {
    for (const auto& s : steps)
        if (s.name == name) return &s;
    return nullptr;
}

std::optional<Ratio> Ratio::parse(std::string_view text) {
    const auto slash = text.find('/');
    Ratio ratio;
    const auto numerator = Quantity::parse(text.substr(0, slash));
    if (!numerator || numerator->units() <= 0) return std::nullopt;
    ratio.numerator = *numerator;
    if (slash != std::string_view::npos) {
        const auto denominator = Quantity::parse(text.substr(slash + 1));
        if (!denominator || denominator->units() <= 0) return std::nullopt;
        ratio.denominator = *denominator;
    }
    return ratio;
}

std::string Ratio::to_string() const {
    if (denominator == Quantity::whole(1)) return numerator.to_string();
    return numerator.to_string() + "/" + denominator.to_string();
}

Result<UnitPrice> tariff_energy_price(const Tariff& tariff, std::string_view period) {
    std::string names;
    for (const EnergyPeriod& p : tariff.energy_periods) names += (names.empty() ? "" : ", ") + p.name;
    if (tariff.tier_blocks)
        return user_error(
            fmt::format("tariff {} has tier blocks: its price depends on the energy, give price", tariff.id));
    const EnergyPeriod* chosen = nullptr;
    if (period.empty()) {
        if (tariff.energy_periods.size() != 1)
            return user_error(fmt::format("tariff {} has several energy periods ({}): name one", tariff.id, names));
        chosen = &tariff.energy_periods.front();
    } else {
        for (const EnergyPeriod& p : tariff.energy_periods)
            if (p.name == period) chosen = &p;
        if (!chosen)
            return user_error(fmt::format("tariff {} has no energy period '{}' ({})", tariff.id, period, names));
    }
    if (chosen->tiers.size() != 1)
        return user_error(fmt::format("tariff {} period {} has tiers: its price depends on the energy, give price",
                                      tariff.id, chosen->name));
    return chosen->tiers.front().price;
}

Money round_amount(ExactAmount exact, const RecoveryPolicy& policy) {
    return exact.rounded(policy.rounding_decimals, policy.rounding_mode);
}

// ---------------------------------------------------------------------------------------- theft

Result<Recovery> compute_theft(const TheftCase& in, const RecoveryPolicy& policy) {
    const bool tap = in.method == TheftMethod::private_tap;
    Itemisation out(
        policy, "theft", "102-103",
        tap ? "Theft by a private tap on supply lines" : "Theft by other means (meter bypass or tampering)");
    out.input("method", tap ? "private_tap" : "other");
    out.input("use", std::string(use_name(in.use)));
    GA_TRY(require_positive(in.capacity_kw, "capacity_kw"));
    GA_TRY(require_positive(in.rated_current_a, "rated_current_a"));
    GA_TRY(require_positive(in.hours, "hours"));
    GA_TRY(require_positive(in.hours_per_day, "hours_per_day"));
    GA_TRY(require_price(in.price, "price"));
    if (in.hours_per_day && *in.hours_per_day > Quantity::whole(24))
        return user_error(fmt::format("hours_per_day must be at most 24 ({})", in.hours_per_day->to_string()));

    // Capacity.
    Quantity capacity;
    if (in.capacity_kw && in.rated_current_a) return user_error("give either capacity_kw or rated_current_a, not both");
    if (in.capacity_kw) {
        capacity = *in.capacity_kw;
        out.input("capacity_kw", capacity.to_string());
        out.step("capacity_kw",
                 tap ? "rated capacity of the equipment connected (kVA counted as kW)"
                     : "capacity of the current-limiter setting (kVA counted as kW)",
                 capacity.to_string(), "kW");
    } else if (in.rated_current_a) {
        if (tap)
            return user_error(
                "theft by a private tap is computed from capacity_kw (the equipment's rated capacity), "
                "not from the meter's rated current");
        if (in.phases != 1 && in.phases != 3) return user_error(fmt::format("phases must be 1 or 3 ({})", in.phases));
        out.input("rated_current_a", in.rated_current_a->to_string());
        out.input("phases", std::to_string(in.phases));
        GA_ASSIGN_OR_RETURN(ExactRatio kw, times(exact_of(*in.rated_current_a), exact_of(policy.phase_voltage_v)));
        GA_ASSIGN_OR_RETURN(kw, times(kw, ExactRatio{in.phases, 1000}));
        GA_ASSIGN_OR_RETURN(
            capacity,
            out.quantity_step("capacity_kw",
                              fmt::format("{} phase(s) x {} V x {} A / 1000 (meter's rated current)", in.phases,
                                          policy.phase_voltage_v.to_string(), in.rated_current_a->to_string()),
                              kw, "kW"));
    } else {
        return user_error(tap ? "theft by a private tap needs capacity_kw (rated capacity of the equipment connected)"
                              : "theft by other means needs capacity_kw (current-limiter setting) or rated_current_a "
                                "(the billing meter's rated current)");
    }

    // Hours.
    ExactRatio hours;
    Quantity hours_text;
    const int duration_forms = (in.hours ? 1 : 0) + (in.days ? 1 : 0) + (in.start || in.end ? 1 : 0);
    if (duration_forms > 1) return user_error("give one of hours, days, or start and end dates for the duration");
    if (in.hours) {
        if (in.hours_per_day) return user_error("hours_per_day goes with days or dates, not with hours");
        out.input("hours", in.hours->to_string());
        GA_TRY(check_plausible_duration(out, in.hours->units(), fmt::format("hours {}", in.hours->to_string())));
        hours = exact_of(*in.hours);
        hours_text = *in.hours;
        out.step("hours", "actual hours of use", in.hours->to_string(), "h");
    } else {
        const bool known = duration_forms == 1;
        const Quantity per_day = in.hours_per_day ? *in.hours_per_day : hours_of(in.use, policy);
        if (in.hours_per_day) out.input("hours_per_day", per_day.to_string());
        GA_ASSIGN_OR_RETURN(const Quantity days, period_days(out, in.days, in.start, in.end,
                                                             "duration unknown: at least the policy's days (art. 103)",
                                                             policy.theft_unknown_duration_days));
        if (!known) out.note("duration unknown: the art. 103 minimum of days x hours per day applies");
        out.step("hours_per_day",
                 in.hours_per_day
                     ? std::string("given")
                     : fmt::format("{} customer (policy {}_hours_per_day)", use_name(in.use), use_name(in.use)),
                 per_day.to_string(), "h/day");
        GA_ASSIGN_OR_RETURN(hours, times(exact_of(days), exact_of(per_day)));
        GA_ASSIGN_OR_RETURN(
            hours_text,
            out.quantity_step("hours", fmt::format("{} days x {} h/day", days.to_string(), per_day.to_string()), hours,
                              "h"));
    }

    // Energy.
    GA_ASSIGN_OR_RETURN(ExactRatio energy, times(exact_of(capacity), hours));
    std::string energy_formula = fmt::format("{} kW x {} h", capacity.to_string(), hours_text.to_string());
    if (in.ct_ratio) out.input("ct_ratio", in.ct_ratio->to_string());
    if (in.pt_ratio) out.input("pt_ratio", in.pt_ratio->to_string());
    if (in.ct_ratio || in.pt_ratio) {
        if (policy.theft_apply_transformer_ratios) {
            const Ratio ct = in.ct_ratio.value_or(Ratio{});
            const Ratio pt = in.pt_ratio.value_or(Ratio{});
            GA_ASSIGN_OR_RETURN(const ExactRatio ratio, times(exact_of(ct), exact_of(pt)));
            GA_ASSIGN_OR_RETURN(
                const Quantity r,
                out.quantity_step("transformer_ratio", fmt::format("CT {} x PT {}", ct.to_string(), pt.to_string()),
                                  ratio, ""));
            GA_ASSIGN_OR_RETURN(energy, times(energy, ratio));
            energy_formula += fmt::format(" x {}", r.to_string());
        } else {
            out.note("CT and PT ratios not applied: policy theft_apply_transformer_ratios = false");
        }
    }
    GA_ASSIGN_OR_RETURN(const Quantity kwh, out.quantity_step("stolen_kwh", energy_formula, energy, "kWh"));
    out.energy(kwh);
    out.input("price", in.price.to_string());

    // Money.
    const ExactAmount charge = ExactAmount::product(kwh, in.price);
    out.money_step("back_billed_charge",
                   fmt::format("{} kWh x {} {}/kWh", kwh.to_string(), in.price.to_string(), out.currency()), charge);
    const ExactAmount penalty = times_multiple(charge, policy.theft_penalty_multiple);
    out.money_step("penalty",
                   fmt::format("{} x {} (art. 102)", policy.theft_penalty_multiple.to_string(), text(charge)), penalty);
    out.amount("back_billed_charge", charge);
    out.amount("penalty", penalty);
    return out.finish();
}

// ---------------------------------------------------------------------------- contract violations

Result<Recovery> compute_category_violation(const CategoryViolation& in, const RecoveryPolicy& policy) {
    Itemisation out(policy, "violation.category", "100",
                    "Higher-price use on a lower-price category: price difference back-billed, penalty on it");
    if (in.loads.empty()) return user_error("a category violation needs at least one load");
    const Quantity unknown_days = Quantity::from_units(policy.category_unknown_months.units() *
                                                       policy.days_per_month.units() / Quantity::units_per_one);
    const bool any_capacity = std::ranges::any_of(in.loads, [](const CategoryLoad& l) { return !l.kwh.has_value(); });
    Quantity days;
    if (any_capacity) {
        GA_ASSIGN_OR_RETURN(days, period_days(out, in.days, in.start, in.end,
                                              fmt::format("dates unknown: {} months x {} days (art. 100)",
                                                          policy.category_unknown_months.to_string(),
                                                          policy.days_per_month.to_string()),
                                              unknown_days));
        if (!in.days && !in.start) out.note("dates unknown: the use is counted over the policy's months");
    } else if (in.days || in.start || in.end) {
        return user_error("days and dates are used only by loads given by capacity_kw");
    }
    ExactAmount difference;
    std::string sum_formula;
    for (std::size_t i = 0; i < in.loads.size(); ++i) {
        const CategoryLoad& load = in.loads[i];
        const std::string label = fmt::format("load {}", i + 1);
        GA_TRY(require_positive(load.kwh, label + " kwh"));
        GA_TRY(require_positive(load.capacity_kw, label + " capacity_kw"));
        GA_TRY(require_positive(load.hours_per_day, label + " hours_per_day"));
        GA_TRY(require_price(load.price, label + " price"));
        GA_TRY(require_price(load.billed_price, label + " billed_price"));
        if (load.kwh && load.capacity_kw) return user_error(label + ": give either kwh or capacity_kw, not both");
        if (!load.kwh && !load.capacity_kw) return user_error(label + ": needs kwh or capacity_kw");
        if (load.price <= load.billed_price)
            return user_error(fmt::format("{}: price {} is not above billed_price {}: no higher-price use", label,
                                          load.price.to_string(), load.billed_price.to_string()));
        Quantity kwh;
        const std::string prefix = fmt::format("load_{}_", i + 1);
        if (load.kwh) {
            kwh = *load.kwh;
            out.input(prefix + "kwh", kwh.to_string());
            out.step(prefix + "kwh", "energy used, given", kwh.to_string(), "kWh");
        } else {
            const Quantity per_day = load.hours_per_day ? *load.hours_per_day : hours_of(load.use, policy);
            out.input(prefix + "capacity_kw", load.capacity_kw->to_string());
            out.input(prefix + "use", std::string(use_name(load.use)));
            GA_ASSIGN_OR_RETURN(ExactRatio e, times(exact_of(*load.capacity_kw), exact_of(per_day)));
            GA_ASSIGN_OR_RETURN(e, times(e, exact_of(days)));
            GA_ASSIGN_OR_RETURN(
                kwh, out.quantity_step(prefix + "kwh",
                                       fmt::format("{} kW x {} h/day ({}) x {} days", load.capacity_kw->to_string(),
                                                   per_day.to_string(), use_name(load.use), days.to_string()),
                                       e, "kWh"));
        }
        out.input(prefix + "price", load.price.to_string());
        out.input(prefix + "billed_price", load.billed_price.to_string());
        const UnitPrice delta = load.price - load.billed_price;
        out.step(prefix + "price_difference",
                 fmt::format("{} - {}", load.price.to_string(), load.billed_price.to_string()), delta.to_string(),
                 out.currency() + "/kWh");
        const ExactAmount charge = ExactAmount::product(kwh, delta);
        out.money_step(prefix + "difference_charge", fmt::format("{} kWh x {}", kwh.to_string(), delta.to_string()),
                       charge);
        difference += charge;
        if (!sum_formula.empty()) sum_formula += " + ";
        sum_formula += fmt::format("{}x{}", kwh.to_string(), delta.to_string());
    }
    out.money_step("difference_charge", sum_formula, difference);
    const ExactAmount penalty = times_multiple(difference, policy.category_penalty_multiple);
    out.money_step("penalty", fmt::format("{} x {}", policy.category_penalty_multiple.to_string(), text(difference)),
                   penalty);
    out.amount("difference_charge", difference);
    out.amount("penalty", penalty);
    return out.finish();
}

Result<Recovery> compute_capacity_violation(const CapacityViolation& in, const RecoveryPolicy& policy) {
    const bool sealed = in.kind == CapacityViolationKind::sealed_equipment;
    Itemisation out(policy, sealed ? "violation.sealed_equipment" : "violation.capacity", "100",
                    sealed ? "Suspended or sealed equipment used without the utility's consent"
                           : "Capacity connected above the contract");
    out.input("customer", in.two_part ? "two_part" : "other");
    out.input("capacity_kw", in.capacity_kw.to_string());
    GA_TRY(require_positive(in.capacity_kw, "capacity_kw"));
    if (in.two_part) {
        if (in.months <= 0) return user_error(fmt::format("months must be more than 0 ({})", in.months));
        GA_TRY(require_price(in.basic_price, "basic_price"));
        out.input("months", std::to_string(in.months));
        out.input("basic_price", in.basic_price.to_string());
        const ExactAmount basic = ExactAmount::product(in.capacity_kw, in.basic_price) * in.months;
        out.money_step("basic_charge",
                       fmt::format("{} kW x {} {}/kW-month x {} months", in.capacity_kw.to_string(),
                                   in.basic_price.to_string(), out.currency(), in.months),
                       basic);
        const Quantity multiple =
            sealed ? policy.sealed_two_part_penalty_multiple : policy.capacity_two_part_penalty_multiple;
        const ExactAmount penalty = times_multiple(basic, multiple);
        out.money_step("penalty", fmt::format("{} x {}", multiple.to_string(), text(basic)), penalty);
        out.amount("basic_charge", basic);
        out.amount("penalty", penalty);
    } else {
        const Money per_kw = sealed ? policy.sealed_other_penalty_per_kw : policy.capacity_other_penalty_per_kw;
        if (in.times < 1) return user_error(fmt::format("times must be at least 1 ({})", in.times));
        if (!sealed && in.times != 1) return user_error("times applies to sealed equipment only");
        ExactAmount penalty = money_times(per_kw, in.capacity_kw) * in.times;
        std::string formula = fmt::format("{} {}/kW x {} kW", text(per_kw), out.currency(), in.capacity_kw.to_string());
        if (sealed) {
            out.input("times", std::to_string(in.times));
            formula += fmt::format(" x {} time(s)", in.times);
        }
        out.money_step("penalty", formula, penalty);
        out.amount("penalty", penalty);
    }
    return out.finish();
}

Result<Recovery> compute_meter_interference(const MeterInterference& in, const RecoveryPolicy& policy) {
    Itemisation out(policy, "violation.meter_interference", "100",
                    "Meters or devices of the utility moved or operated without consent");
    const bool residential = in.customer == CustomerClass::residential;
    out.input("customer", residential ? "residential" : "other");
    out.input("times", std::to_string(in.times));
    if (in.times < 1) return user_error(fmt::format("times must be at least 1 ({})", in.times));
    const Money each = residential ? policy.meter_interference_residential : policy.meter_interference_other;
    const ExactAmount penalty = ExactAmount::of(each) * in.times;
    out.money_step("penalty", fmt::format("{} {} x {} time(s)", text(each), out.currency(), in.times), penalty);
    out.amount("penalty", penalty);
    return out.finish();
}

// --------------------------------------------------------------------------------- metering errors

Result<Recovery> compute_metering_error(const MeteringError& in, const RecoveryPolicy& policy) {
    static constexpr std::string_view names[] = {"meter_error", "voltage_drop", "wiring", "multiplier", "non_human"};
    static constexpr std::string_view titles[] = {
        "Meter, CT or PT error beyond its class: corrected to 0 % error",
        "Excessive PT secondary voltage drop: back-billed above the allowed drop",
        "Wrong wiring: recorded energy x correction rate",
        "Wrong multiplier: billed energy x (right / billed - 1)",
        "Blown PT fuse or other non-human cause: normal-month consumption",
    };
    const auto index = static_cast<std::size_t>(in.cause);
    Itemisation out(policy, fmt::format("metering.{}", names[index]),
                    in.cause == MeteringCause::non_human || in.cause == MeteringCause::multiplier ? "81" : "80",
                    std::string(titles[index]));
    out.input("cause", std::string(names[index]));
    GA_TRY(require_not_negative(in.recorded_kwh, "recorded_kwh"));
    GA_TRY(require_price(in.price, "price"));
    out.input("recorded_kwh", in.recorded_kwh.to_string());
    const ExactRatio recorded = exact_of(in.recorded_kwh);
    Quantity kwh;
    switch (in.cause) {
        case MeteringCause::meter_error: {
            if (!in.error_percent) return user_error("meter_error needs error_percent (e.g. -10 for 10 % slow)");
            const Quantity error = *in.error_percent;
            out.input("error_percent", error.to_string());
            if (error.units() == 0) return user_error("error_percent is 0: nothing to correct");
            if (error <= Quantity::whole(-100))
                return user_error(fmt::format("error_percent must be above -100 ({})", error.to_string()));
            if (in.class_percent) {
                GA_TRY(require_positive(in.class_percent, "class_percent"));
                out.input("class_percent", in.class_percent->to_string());
                const Quantity size = Quantity::from_units(error.units() < 0 ? -error.units() : error.units());
                if (size <= *in.class_percent)
                    return user_error(
                        fmt::format("error {} % is within class {}: no correction (art. 80 applies beyond the class)",
                                    error.to_string(), in.class_percent->to_string()));
            }
            if (in.last_test.has_value() != in.found.has_value())
                return user_error("give both last_test and found dates, or neither");
            if (in.last_test) {
                out.input("last_test", in.last_test->to_string());
                out.input("found", in.found->to_string());
                GA_ASSIGN_OR_RETURN(const Quantity since, days_between(*in.last_test, *in.found));
                GA_TRY(check_plausible_days(out, since,
                                            fmt::format("the time from last_test {} to found {}",
                                                        in.last_test->to_string(), in.found->to_string())));
                out.step("days_since_last_test",
                         fmt::format("{} - {}", in.found->to_string(), in.last_test->to_string()), since.to_string(),
                         "days");
                GA_ASSIGN_OR_RETURN(const ExactRatio window,
                                    times(exact_of(since), exact_of(policy.meter_error_window_fraction)));
                GA_TRY(out.quantity_step(
                    "corrected_days",
                    fmt::format("{} x {} days", policy.meter_error_window_fraction.to_string(), since.to_string()),
                    window, "days"));
            }
            const ExactRatio hundred{100, 1};
            GA_ASSIGN_OR_RETURN(const ExactRatio registered, plus(hundred, exact_of(error)));
            GA_ASSIGN_OR_RETURN(ExactRatio truth, times(recorded, hundred));
            GA_ASSIGN_OR_RETURN(truth, divided(truth, registered));
            GA_ASSIGN_OR_RETURN(
                const Quantity true_kwh,
                out.quantity_step(
                    "true_kwh",
                    fmt::format("{} kWh x 100 / (100 {} {})", in.recorded_kwh.to_string(),
                                error.units() < 0 ? "-" : "+",
                                Quantity::from_units(error.units() < 0 ? -error.units() : error.units()).to_string()),
                    truth, "kWh"));
            GA_ASSIGN_OR_RETURN(const ExactRatio shortfall, minus(truth, recorded));
            GA_TRY(out.quantity_step("difference_kwh",
                                     fmt::format("{} - {}", true_kwh.to_string(), in.recorded_kwh.to_string()),
                                     shortfall, "kWh"));
            GA_ASSIGN_OR_RETURN(const ExactRatio part, times(shortfall, exact_of(policy.meter_error_window_fraction)));
            GA_ASSIGN_OR_RETURN(kwh, out.quantity_step("back_billed_kwh",
                                                       fmt::format("{} x difference (half the time since the last test "
                                                                   "or replacement)",
                                                                   policy.meter_error_window_fraction.to_string()),
                                                       part, "kWh"));
            break;
        }
        case MeteringCause::voltage_drop: {
            if (!in.measured_drop_percent) return user_error("voltage_drop needs measured_drop_percent");
            GA_TRY(require_not_negative(in.measured_drop_percent, "measured_drop_percent"));
            GA_TRY(require_not_negative(in.allowed_drop_percent, "allowed_drop_percent"));
            const Quantity allowed = in.allowed_drop_percent.value_or(policy.pt_allowed_voltage_drop_percent);
            out.input("measured_drop_percent", in.measured_drop_percent->to_string());
            if (in.allowed_drop_percent) out.input("allowed_drop_percent", allowed.to_string());
            out.step("allowed_drop_percent",
                     in.allowed_drop_percent ? "given" : "policy pt_allowed_voltage_drop_percent", allowed.to_string(),
                     "%");
            Quantity excess = *in.measured_drop_percent - allowed;
            if (excess.units() <= 0) {
                out.note("the measured drop is within the allowed drop: nothing to back-bill (no refund for a drop)");
                excess = Quantity();
            }
            out.step("excess_drop_percent",
                     fmt::format("max(0, {} - {})", in.measured_drop_percent->to_string(), allowed.to_string()),
                     excess.to_string(), "%");
            GA_ASSIGN_OR_RETURN(ExactRatio e, times(recorded, exact_of(excess)));
            GA_ASSIGN_OR_RETURN(e, times(e, ExactRatio{1, 100}));
            GA_ASSIGN_OR_RETURN(kwh,
                                out.quantity_step("back_billed_kwh",
                                                  fmt::format("{} kWh x {} % (since commissioning or load increase)",
                                                              in.recorded_kwh.to_string(), excess.to_string()),
                                                  e, "kWh"));
            break;
        }
        case MeteringCause::wiring: {
            if (!in.correction_rate) return user_error("wiring needs correction_rate (e.g. 1 for +100 %)");
            out.input("correction_rate", in.correction_rate->to_string());
            GA_ASSIGN_OR_RETURN(const ExactRatio e, times(recorded, exact_of(*in.correction_rate)));
            GA_ASSIGN_OR_RETURN(
                kwh, out.quantity_step("back_billed_kwh",
                                       fmt::format("{} kWh x {} (whole time since the last test or "
                                                   "replacement)",
                                                   in.recorded_kwh.to_string(), in.correction_rate->to_string()),
                                       e, "kWh"));
            break;
        }
        case MeteringCause::multiplier: {
            if (!in.right_ratio || !in.billed_ratio) return user_error("multiplier needs right_ratio and billed_ratio");
            out.input("right_ratio", in.right_ratio->to_string());
            out.input("billed_ratio", in.billed_ratio->to_string());
            GA_ASSIGN_OR_RETURN(ExactRatio factor, divided(exact_of(*in.right_ratio), exact_of(*in.billed_ratio)));
            GA_ASSIGN_OR_RETURN(factor, minus(factor, ExactRatio{1, 1}));
            if (factor.numerator() == 0) return user_error("right_ratio equals billed_ratio: the multiplier is right");
            GA_ASSIGN_OR_RETURN(
                const Quantity f,
                out.quantity_step(
                    "factor", fmt::format("({}) / ({}) - 1", in.right_ratio->to_string(), in.billed_ratio->to_string()),
                    factor, ""));
            (void)f;
            GA_ASSIGN_OR_RETURN(const ExactRatio e, times(recorded, factor));
            GA_ASSIGN_OR_RETURN(kwh, out.quantity_step("back_billed_kwh",
                                                       fmt::format("{} kWh billed x factor (reading records)",
                                                                   in.recorded_kwh.to_string()),
                                                       e, "kWh"));
            break;
        }
        case MeteringCause::non_human: {
            if (!in.normal_month_kwh) return user_error("non_human needs normal_month_kwh");
            GA_TRY(require_not_negative(in.normal_month_kwh, "normal_month_kwh"));
            out.input("normal_month_kwh", in.normal_month_kwh->to_string());
            if (!in.days && !in.start && !in.end)
                return user_error("non_human needs days or start and end dates of the fault");
            GA_ASSIGN_OR_RETURN(const Quantity days, period_days(out, in.days, in.start, in.end, "", Quantity()));
            GA_ASSIGN_OR_RETURN(ExactRatio normal, times(exact_of(*in.normal_month_kwh), exact_of(days)));
            GA_ASSIGN_OR_RETURN(normal, divided(normal, exact_of(policy.days_per_month)));
            GA_ASSIGN_OR_RETURN(const Quantity normal_kwh,
                                out.quantity_step("normal_kwh",
                                                  fmt::format("{} kWh/month x {} days / {} days per month",
                                                              in.normal_month_kwh->to_string(), days.to_string(),
                                                              policy.days_per_month.to_string()),
                                                  normal, "kWh"));
            GA_ASSIGN_OR_RETURN(const ExactRatio e, minus(normal, recorded));
            GA_ASSIGN_OR_RETURN(kwh, out.quantity_step("back_billed_kwh",
                                                       fmt::format("{} - {} recorded", normal_kwh.to_string(),
                                                                   in.recorded_kwh.to_string()),
                                                       e, "kWh"));
            break;
        }
    }
    out.energy(kwh);
    out.input("price", in.price.to_string());
    const ExactAmount charge = ExactAmount::product(kwh, in.price);
    out.money_step("back_billed_charge",
                   fmt::format("{} kWh x {} {}/kWh", kwh.to_string(), in.price.to_string(), out.currency()), charge);
    if (kwh.units() < 0) out.note("negative: energy and charge refunded to the customer");
    out.amount("back_billed_charge", charge);
    return out.finish();
}

// ----------------------------------------------------------------------------------- late payment

// The policy's late-payment rates, minimum and rounding as the one computation (rules/late_payment.hpp)
// takes them; BILL-ACCOUNT-RECONCILE reads the same [recovery] keys (LatePaymentTerms::from).
namespace {
LatePaymentTerms late_payment_terms(const RecoveryPolicy& policy) {
    LatePaymentTerms terms;
    terms.residential_rate = policy.late_payment_residential_rate;
    terms.current_year_rate = policy.late_payment_current_year_rate;
    terms.earlier_years_rate = policy.late_payment_earlier_years_rate;
    terms.minimum = policy.late_payment_minimum;
    terms.rounding_decimals = policy.rounding_decimals;
    terms.rounding_mode = policy.rounding_mode;
    return terms;
}
}  // namespace


Result<Recovery> compute_late_payment(const LatePayment& in, const RecoveryPolicy& policy) {
    Itemisation out(policy, "late_payment", "98", "Late-payment charge on overdue bills");
    const bool residential = in.customer == CustomerClass::residential;
    out.input("customer", residential ? "residential" : "other");
    out.input("paid", in.paid.to_string());
    if (in.arrears.empty()) return user_error("late payment needs at least one arrears (amount and due date)");
    ExactAmount total;
    std::string sum_formula;
    for (std::size_t i = 0; i < in.arrears.size(); ++i) {
        const Arrears& a = in.arrears[i];
        const std::string prefix = fmt::format("arrears_{}_", i + 1);
        out.input(prefix + "amount", text(a.amount));
        out.input(prefix + "due", a.due.to_string());
        if (a.year) out.input(prefix + "year", std::to_string(*a.year));
        if (a.amount.units() <= 0)
            return user_error(fmt::format("arrears {}: amount must be more than 0 ({})", i + 1, text(a.amount)));
        const int year = a.year.value_or(a.due.year());
        if (year > in.paid.year())
            return user_error(
                fmt::format("arrears {}: year {} is after the payment year {}", i + 1, year, in.paid.year()));
        const std::int32_t days = in.paid - a.due;
        out.step(prefix + "days_late",
                 fmt::format("{} - {} (from the day after the due date)", in.paid.to_string(), a.due.to_string()),
                 std::to_string(std::max(days, 0)), "days");
        if (days <= 0) {
            out.note(fmt::format("arrears {}: paid by the due date, no charge", i + 1));
            continue;
        }
        GA_TRY(check_plausible_days(out, Quantity::whole(days),
                                    fmt::format("arrears {}: the time from due {} to paid {}", i + 1,
                                                a.due.to_string(), in.paid.to_string())));
        // One computation with BILL-ACCOUNT-RECONCILE (rules/late_payment.hpp): the rate is decided
        // day by day, this year's arrears at the current-year rate, the days after its year at the
        // earlier-years rate.
        const LatePaymentCharge computed =
            late_payment_charge(a.amount, a.due, in.paid, year, residential, late_payment_terms(policy));
        std::string charge_formula;
        for (std::size_t r = 0; r < computed.runs.size(); ++r) {
            const LatePaymentDays& run = computed.runs[r];
            const std::string run_prefix =
                computed.runs.size() == 1 ? prefix : fmt::format("{}{}_", prefix, run.earlier_year ? "earlier_years" : "this_year");
            std::string rate_formula;
            if (residential)
                rate_formula = "residential (policy late_payment_residential_rate)";
            else if (!run.earlier_year)
                rate_formula = fmt::format(
                    "other customer, {} days {}..{} in {}, the arrears' year (policy late_payment_current_year_rate)",
                    run.days, run.first.to_string(), run.last.to_string(), year);
            else
                rate_formula = fmt::format(
                    "other customer, {} days {}..{} after {}, the arrears' year (policy "
                    "late_payment_earlier_years_rate)",
                    run.days, run.first.to_string(), run.last.to_string(), year);
            if (computed.runs.size() > 1)
                out.step(run_prefix + "days", fmt::format("{}..{}", run.first.to_string(), run.last.to_string()),
                         std::to_string(run.days), "days");
            out.step(run_prefix + "rate_per_day", rate_formula, run.rate.to_string(), "per day");
            if (!charge_formula.empty()) charge_formula += " + ";
            charge_formula += fmt::format("{} x {} x {} days", text(a.amount), run.rate.to_string(), run.days);
        }
        ExactAmount charge = computed.computed;
        out.money_step(prefix + "charge", charge_formula, charge);
        if (computed.minimum_applied) {
            charge = computed.exact;
            out.money_step(prefix + "charge_minimum",
                           fmt::format("at least {} (policy late_payment_minimum)", text(policy.late_payment_minimum)),
                           charge);
        }
        total += charge;
        if (!sum_formula.empty()) sum_formula += " + ";
        sum_formula += text(charge);
    }
    out.money_step("late_payment_charge", sum_formula.empty() ? "nothing overdue" : sum_formula, total);
    out.amount("late_payment_charge", total);
    return out.finish();
}

}  // namespace gridaudit
