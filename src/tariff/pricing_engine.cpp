// Pricing one customer-month: energy by period and tier, 阶梯 blocks, demand charges, the two-part
// basic charge, the power-factor adjustment, funds, fixed and minimum charges.
#include "tariff/pricing_engine.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace gridaudit {
namespace {

constexpr std::size_t max_periods = 64;

// Named rounding step "quantity". Messages are built only on failure (pricing allocates nothing).
Result<Quantity> measured(double value, std::string_view what, Period period, std::string_view name = {}) {
    const auto quantity = Quantity::from_double(value);
    if (!quantity || quantity->units() < 0) {
        return user_error(
            fmt::format("{}: {}{} must be a finite number, at least 0 ({})", period.to_string(), what, name, value));
    }
    return *quantity;
}

// a x b for two quantities (both 1e-4), back at 1e-4, half-up: the named step "quantity product"
// (demand floor = floor share x capacity; excess threshold = threshold x contracted demand).
Quantity quantity_product(Quantity a, Quantity b) {
    return Quantity::from_units(
        static_cast<std::int64_t>(divide_half_up(Int128(a.units()) * b.units(), Quantity::units_per_one)));
}

// The part of [from, to) that falls in [lower, upper).
Quantity overlap(Quantity from, Quantity to, Quantity lower, Quantity upper) {
    const Quantity start = std::max(from, lower);
    const Quantity end = std::min(to, upper);
    return end > start ? end - start : Quantity();
}

void add_line(MonthBill& bill, BillLine line) {
    bill.lines.push_back(line);
}

BillLine priced(ChargeKind kind, Quantity quantity, UnitPrice price) {
    BillLine line;
    line.kind = kind;
    line.quantity = quantity;
    line.price = price;
    line.amount = ExactAmount::product(quantity, price);
    return line;
}

// Tiered charge of one quantity (demand tiers): each tier charges the part of `quantity` inside it.
void add_tiered(MonthBill& bill, ChargeKind kind, std::int16_t period, const std::vector<PriceTier>& tiers,
                Quantity quantity) {
    Quantity lower;
    for (std::size_t t = 0; t < tiers.size(); ++t) {
        const Quantity piece = overlap(Quantity(), quantity, lower, tiers[t].up_to);
        if (piece.units() > 0) {
            BillLine line = priced(kind, piece, tiers[t].price);
            line.period = period;
            line.tier = tiers.size() > 1 ? static_cast<std::int16_t>(t) : std::int16_t{-1};
            add_line(bill, line);
        }
        if (tiers[t].up_to >= quantity) break;
        lower = tiers[t].up_to;
    }
}

// Energy of each period at its price. With URDB-style period tiers, the tier thresholds apply to
// the month's total energy and each period takes its share of every tier (kWh rounded to 0.0001,
// the period's last tier taking the remainder, so each period's kWh add up exactly).
void add_energy(const Tariff& tariff, const std::array<Quantity, max_periods>& energy, std::size_t count,
                Quantity total, MonthBill& bill) {
    for (std::size_t p = 0; p < count; ++p) {
        if (energy[p].units() == 0) continue;
        const auto& tiers = tariff.energy_periods[p].tiers;
        if (tiers.size() == 1) {
            BillLine line = priced(ChargeKind::energy, energy[p], tiers[0].price);
            line.period = static_cast<std::int16_t>(p);
            add_line(bill, line);
            continue;
        }
        Quantity remaining = energy[p];
        Quantity lower;
        for (std::size_t t = 0; t < tiers.size() && remaining.units() > 0; ++t) {
            const Quantity upper = tiers[t].up_to;
            const bool last_used = upper >= total || t + 1 == tiers.size();
            Quantity share = remaining;
            if (!last_used) {
                const Quantity tier_total = std::min(total, upper) - lower;
                share = Quantity::from_units(static_cast<std::int64_t>(
                    divide_half_up(Int128(tier_total.units()) * energy[p].units(), total.units())));
                share = std::min(share, remaining);
            }
            if (share.units() > 0) {
                BillLine line = priced(ChargeKind::energy, share, tiers[t].price);
                line.period = static_cast<std::int16_t>(p);
                line.tier = static_cast<std::int16_t>(t);
                add_line(bill, line);
            }
            remaining = remaining - share;
            if (last_used) break;
            lower = upper;
        }
    }
}

void add_tier_blocks(const Tariff& tariff, const CustomerTerms& terms, Quantity total, BillingState& state,
                     MonthBill& bill) {
    const TierBlocks& blocks = *tariff.tier_blocks;
    const int year = bill.period.year();
    Quantity position;
    const bool yearly = blocks.accumulation == TierAccumulation::year;
    if (yearly) {
        if (state.tier_year != year) {
            state.tier_year = year;
            state.tier_kwh_used = Quantity();
        }
        position = state.tier_kwh_used;
    }
    const bool prorate = yearly && blocks.mid_year_start != MidYearStart::none && terms.supply_start &&
                         terms.supply_start->year() == year && *terms.supply_start > CivilDate::from_ymd(year, 1, 1);
    if (prorate) bill.notes |= note_tiers_prorated;
    bill.tier_position_before = position;
    Quantity lower;
    for (std::size_t t = 0; t < blocks.blocks.size(); ++t) {
        Quantity upper = blocks.blocks[t].up_to;
        if (prorate && !upper.is_unbounded())
            upper = prorated_tier_threshold(upper, blocks.mid_year_start, *terms.supply_start, year);
        if (!upper.is_unbounded()) bill.tier_thresholds.push_back(upper);
        const Quantity piece = overlap(position, position + total, lower, upper);
        if (piece.units() > 0) {
            BillLine line = priced(ChargeKind::tier_increment, piece, blocks.blocks[t].price);
            line.tier = static_cast<std::int16_t>(t);
            add_line(bill, line);
        }
        lower = upper;
    }
    if (yearly) state.tier_kwh_used = position + total;
}

Status add_demand(const Tariff& tariff, const MonthUsage& usage, const std::optional<Quantity>& max_demand,
                  MonthBill& bill) {
    const DemandCharges& demand = *tariff.demand;
    const unsigned month = bill.period.month();
    if (!demand.periods.empty()) {
        if (usage.period_max_demand_kw.size() != demand.periods.size()) {
            return user_error(
                fmt::format("{}: the tariff charges demand in {} demand periods; the usage gives {} "
                            "period maxima",
                            bill.period.to_string(), demand.periods.size(), usage.period_max_demand_kw.size()));
        }
        for (std::size_t d = 0; d < demand.periods.size(); ++d) {
            if (!demand.schedule.occurs_in_month(month, static_cast<int>(d))) continue;
            const double value = usage.period_max_demand_kw[d];
            if (std::isnan(value)) continue;
            GA_ASSIGN_OR_RETURN(const Quantity peak, measured(value, "demand period maximum (kW)", bill.period));
            add_tiered(bill, ChargeKind::demand, static_cast<std::int16_t>(d), demand.periods[d].tiers, peak);
        }
    }
    const std::int8_t structure = demand.monthly_structure_of_month[month - 1];
    if (structure >= 0) {
        if (!max_demand)
            return user_error(fmt::format("{}: the tariff has a monthly demand charge; the usage has no maximum demand",
                                          bill.period.to_string()));
        add_tiered(bill, ChargeKind::monthly_demand, -1, demand.monthly_structures[static_cast<std::size_t>(structure)],
                   *max_demand);
    }
    return {};
}

Status add_basic(const Tariff& tariff, const CustomerTerms& terms, const std::optional<Quantity>& max_demand,
                 MonthBill& bill) {
    const BasicCharge& basic = *tariff.basic;
    std::int16_t prorate_days = 0;
    if (bill.days_connected < bill.days_in_month) {
        prorate_days = static_cast<std::int16_t>(std::min(bill.days_connected, basic.partial_month_days));
        bill.notes |= note_basic_prorated;
    }
    const auto add = [&](ChargeKind kind, Quantity quantity, UnitPrice price) {
        if (quantity.units() <= 0) return;
        BillLine line = priced(kind, quantity, price);
        if (prorate_days > 0) {
            line.prorate_days = prorate_days;
            line.amount = line.amount.scaled(prorate_days, basic.partial_month_days);
        }
        add_line(bill, line);
    };
    std::optional<Quantity> capacity;
    if (!std::isnan(terms.capacity_kva)) {
        GA_ASSIGN_OR_RETURN(capacity, measured(terms.capacity_kva, "capacity (kVA)", bill.period));
    }
    switch (basic.basis) {
        case BasicChargeBasis::capacity: {
            if (!capacity)
                return user_error(fmt::format("{}: the basic charge is per kVA; the customer has no capacity",
                                              bill.period.to_string()));
            add(ChargeKind::basic, *capacity, basic.price);
            break;
        }
        case BasicChargeBasis::contracted_demand: {
            if (std::isnan(terms.contracted_demand_kw))
                return user_error(
                    fmt::format("{}: the basic charge is per kW of contracted demand; the customer has none",
                                bill.period.to_string()));
            GA_ASSIGN_OR_RETURN(Quantity contracted,
                                measured(terms.contracted_demand_kw, "contracted demand (kW)", bill.period));
            if (capacity) {
                const Quantity floor = quantity_product(basic.demand_floor, *capacity);
                if (contracted < floor) {
                    contracted = floor;
                    bill.notes |= note_demand_floor;
                }
            }
            if (!max_demand)
                return user_error(
                    fmt::format("{}: the basic charge on contracted demand needs the month's maximum demand",
                                bill.period.to_string()));
            // Up to the threshold the contracted demand is billed; above it, the threshold is billed and
            // the excess over it pays `excess_multiplier` times the price (发改办价格〔2016〕1583号).
            const Quantity threshold = quantity_product(basic.excess_threshold, contracted);
            const Quantity billed = *max_demand > threshold ? threshold : contracted;
            add(ChargeKind::basic, billed, basic.price);
            if (*max_demand > threshold)
                add(ChargeKind::basic_excess, *max_demand - threshold, basic.price * basic.excess_multiplier);
            break;
        }
        case BasicChargeBasis::actual_demand: {
            if (!max_demand)
                return user_error(fmt::format("{}: the basic charge on actual demand needs the month's maximum demand",
                                              bill.period.to_string()));
            Quantity billed = *max_demand;
            if (capacity && basic.actual_demand_floor.units() > 0) {
                const Quantity floor = quantity_product(basic.actual_demand_floor, *capacity);
                if (billed < floor) {
                    billed = floor;
                    bill.notes |= note_demand_floor;
                }
            }
            add(ChargeKind::basic, billed, basic.price);
            break;
        }
    }
    return {};
}

void sum_components(MonthBill& bill, const RoundingRule& rounding) {
    bill.exact.fill(ExactAmount());
    for (const auto& line : bill.lines) bill.exact[static_cast<std::size_t>(component_of(line.kind))] += line.amount;
    bill.total = Money();
    for (std::size_t c = 0; c < bill.exact.size(); ++c) {
        bill.components[c] = bill.exact[c].rounded(rounding.decimals, rounding.mode);
        bill.total += bill.components[c];
    }
}

}  // namespace

Quantity prorated_tier_threshold(Quantity threshold, MidYearStart rule, CivilDate start, int year) {
    if (rule == MidYearStart::none || start.year() != year) return threshold;
    Int128 numerator = 0;
    Int128 denominator = 1;
    if (rule == MidYearStart::prorate_months) {
        numerator = 12 - static_cast<int>(start.month()) + 1;  // the start month counts
        denominator = 12;
    } else {
        const CivilDate first = CivilDate::from_ymd(year, 1, 1);
        const CivilDate next = CivilDate::from_ymd(year + 1, 1, 1);
        numerator = next - start;  // the start day counts
        denominator = next - first;
    }
    const Int128 whole_kwh =
        divide_half_up(Int128(threshold.units()) * numerator, denominator * Quantity::units_per_one);
    return Quantity::whole(static_cast<std::int64_t>(whole_kwh));
}

Result<std::vector<double>> period_kwh_from_registers(const Tariff& tariff, const RegisterReadings& readings) {
    const std::size_t count = tariff.energy_periods.size();
    std::vector<double> kwh(count, 0.0);
    if (count == 1) {
        double total = readings.total_kwh;
        if (std::isnan(total)) {
            total = 0;
            bool any = false;
            for (const double part : {readings.critical_peak_kwh, readings.peak_kwh, readings.flat_kwh,
                                      readings.valley_kwh, readings.deep_valley_kwh}) {
                if (!std::isnan(part)) {
                    total += part;
                    any = true;
                }
            }
            if (!any) return user_error("no total register reading");
        }
        kwh[0] = total;
        return kwh;
    }
    std::optional<std::size_t> flat_period;
    double others = 0;
    std::array<bool, 6> kind_seen{};
    for (std::size_t p = 0; p < count; ++p) {
        const EnergyPeriod& period = tariff.energy_periods[p];
        if (kind_seen[static_cast<std::size_t>(period.kind)])
            return user_error(fmt::format("tariff {}: two periods of kind {}; registers cannot be split between them",
                                          tariff.id, period_kind_name(period.kind)));
        kind_seen[static_cast<std::size_t>(period.kind)] = true;
        double value = not_measured;
        switch (period.kind) {
            case PeriodKind::critical_peak:
                value = readings.critical_peak_kwh;
                break;
            case PeriodKind::peak:
                value = readings.peak_kwh;
                break;
            case PeriodKind::flat:
                value = readings.flat_kwh;
                break;
            case PeriodKind::valley:
                value = readings.valley_kwh;
                break;
            case PeriodKind::deep_valley:
                value = readings.deep_valley_kwh;
                break;
            case PeriodKind::other:
                return user_error(fmt::format("tariff {}: period {} has no register kind", tariff.id, period.name));
        }
        if (std::isnan(value) && period.kind == PeriodKind::flat) {
            flat_period = p;
            continue;
        }
        if (std::isnan(value))
            return user_error(fmt::format("tariff {}: no {} register reading for period {}", tariff.id,
                                          period_kind_name(period.kind), period.name));
        kwh[p] = value;
        others += value;
    }
    if (flat_period) {
        if (std::isnan(readings.total_kwh))
            return user_error(fmt::format("tariff {}: neither a flat nor a total register reading", tariff.id));
        kwh[*flat_period] = readings.total_kwh - others;
        if (kwh[*flat_period] < 0)
            return user_error(fmt::format("tariff {}: the TOU registers add up to more than the total ({} > {})",
                                          tariff.id, others, readings.total_kwh));
    }
    return kwh;
}

Status price_month(const Tariff& tariff, const CustomerTerms& terms, const MonthUsage& usage, BillingState& state,
                   MonthBill& bill) {
    bill.clear();
    if (tariff.calendar_pending) [[unlikely]]
        return user_error(fmt::format("tariff {} ({}) references calendar '{}', which was not loaded", tariff.id,
                                      tariff.source, tariff.calendar_id));
    bill.period = usage.period;
    bill.days_in_month = usage.period.day_count();
    if (usage.days_connected < 0 || usage.days_connected > bill.days_in_month)
        return user_error(fmt::format("{}: days connected must be 0..{} ({})", usage.period.to_string(),
                                      bill.days_in_month, usage.days_connected));
    bill.days_connected = usage.days_connected == 0 ? bill.days_in_month : usage.days_connected;
    const std::size_t count = tariff.energy_periods.size();
    if (usage.period_kwh.size() != count || count > max_periods) {
        return user_error(fmt::format("{}: the usage gives {} period values; tariff {} has {} energy periods",
                                      usage.period.to_string(), usage.period_kwh.size(), tariff.id, count));
    }
    std::array<Quantity, max_periods> energy{};
    Quantity total;
    for (std::size_t p = 0; p < count; ++p) {
        GA_ASSIGN_OR_RETURN(
            energy[p], measured(usage.period_kwh[p], "kWh of period ", usage.period, tariff.energy_periods[p].name));
        total += energy[p];
    }
    bill.energy_kwh = total;
    if (!std::isnan(usage.kvarh)) {
        GA_ASSIGN_OR_RETURN(bill.reactive_kvarh, measured(usage.kvarh, "reactive energy (kvarh)", usage.period));
        bill.power_factor = power_factor_hundredths(total, *bill.reactive_kvarh);
    }
    if (!std::isnan(usage.max_demand_kw)) {
        GA_ASSIGN_OR_RETURN(bill.max_demand_kw, measured(usage.max_demand_kw, "maximum demand (kW)", usage.period));
    }

    add_energy(tariff, energy, count, total, bill);
    if (tariff.tier_blocks) add_tier_blocks(tariff, terms, total, state, bill);
    if (tariff.demand) GA_TRY(add_demand(tariff, usage, bill.max_demand_kw, bill));
    if (tariff.basic) GA_TRY(add_basic(tariff, terms, bill.max_demand_kw, bill));

    if (tariff.power_factor.adjusted) {
        const auto standard = terms.pf_standard ? terms.pf_standard : tariff.power_factor.default_standard;
        bill.pf_standard = standard;
        if (!standard) {
            bill.notes |= note_pf_no_standard;
        } else if (!bill.reactive_kvarh) {
            bill.notes |= note_pf_no_reactive;
        } else if (!bill.power_factor) {
            bill.notes |= note_pf_no_energy;
        } else {
            ExactAmount energy_charge, basic_charge;
            for (const auto& line : bill.lines) {
                if (component_of(line.kind) == BillComponent::energy) energy_charge += line.amount;
                if (component_of(line.kind) == BillComponent::basic) basic_charge += line.amount;
            }
            if (tariff.power_factor.base == PowerFactorBase::rounded_components) {
                const RoundingRule& rule = tariff.rounding;
                energy_charge = ExactAmount::of(energy_charge.rounded(rule.decimals, rule.mode));
                basic_charge = ExactAmount::of(basic_charge.rounded(rule.decimals, rule.mode));
            }
            const ExactAmount base = energy_charge + basic_charge;
            BillLine line;
            line.kind = ChargeKind::power_factor;
            line.quantity = Quantity::from_units(*bill.power_factor * 100);
            line.basis_points = power_factor_adjustment_basis_points(*standard, *bill.power_factor);
            line.amount = base.scaled(line.basis_points, 10'000);
            add_line(bill, line);
        }
    }
    for (std::size_t f = 0; f < tariff.funds.size(); ++f) {
        if (total.units() == 0) break;
        BillLine line = priced(ChargeKind::fund, total, tariff.funds[f].price);
        line.item = static_cast<std::int16_t>(f);
        add_line(bill, line);
    }
    for (std::size_t f = 0; f < tariff.fixed_charges.size(); ++f) {
        const FixedCharge& charge = tariff.fixed_charges[f];
        const Quantity quantity =
            charge.per == ChargeFrequency::day ? Quantity::whole(bill.days_connected) : Quantity::whole(1);
        BillLine line = priced(ChargeKind::fixed, quantity, UnitPrice::of(charge.amount));
        line.item = static_cast<std::int16_t>(f);
        add_line(bill, line);
    }

    sum_components(bill, tariff.rounding);
    const Money subtotal = bill.total;
    const int year = usage.period.year();
    if (state.charge_year != year) {
        state.charge_year = year;
        state.charges_this_year = Money();
    }
    state.charges_this_year += subtotal;
    // Minimum charges compare the bills before any top-up (the yearly one: the calendar year's bills
    // so far, SAM's convention); each top-up is its own line.
    bool topped_up = false;
    const auto add_top_up = [&](Money amount, std::int16_t which) {
        BillLine line;
        line.kind = ChargeKind::minimum;
        line.item = which;
        line.amount = ExactAmount::of(amount);
        add_line(bill, line);
        topped_up = true;
    };
    if (tariff.monthly_minimum.units() > 0 && subtotal < tariff.monthly_minimum) {
        add_top_up(tariff.monthly_minimum - subtotal, 0);
        bill.notes |= note_monthly_minimum;
    }
    if (tariff.yearly_minimum.units() > 0 && usage.period.month() == 12 &&
        state.charges_this_year < tariff.yearly_minimum) {
        add_top_up(tariff.yearly_minimum - state.charges_this_year, 1);
        bill.notes |= note_yearly_minimum;
    }
    if (topped_up) sum_components(bill, tariff.rounding);
    return {};
}

Result<MonthBill> price_month(const Tariff& tariff, const CustomerTerms& terms, const MonthUsage& usage,
                              BillingState& state) {
    MonthBill bill;
    GA_TRY(price_month(tariff, terms, usage, state, bill));
    return bill;
}

}  // namespace gridaudit
