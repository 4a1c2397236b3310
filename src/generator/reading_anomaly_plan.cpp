// The Planner's meter-reading injections (planner.hpp), the truth of the READ rules: estimated and
// missed month-end reads, manual reads that disagree with AMI (wrong_read) and 6-digit registers
// that roll over inside the window (register_rollover).
#include "generator/planner.hpp"

namespace gridaudit::planning {

// register_rollover: a 6-digit total register that passes 999999.99 inside the window (the
// initial register is set just below 10^6). Written values wrap; reads and bills do not
// change (billing handles the rollover). Direct single-register customers only.
void Planner::inject_rollovers(GeneratorRng& random) {
    std::vector<int> pool = all_customers_where([&](const PlannedCustomer& c) {
        const auto structure = synthetic_tariff(c.tariff).structure;
        return steady(c) && c.pf_standard == 0 && c.daily_kwh >= 2 && c.pv_kwp == 0 &&
               c.usage != LoadCategory::large_industrial &&
               (structure == TariffStructure::tiered || structure == TariffStructure::flat);
    });
    shuffle(pool, random);
    const int total = target_count(0.002, 3);
    for (int i = 0; i < total && i < static_cast<int>(pool.size()); ++i) {
        PlannedCustomer& c = plan_.customers[static_cast<std::size_t>(pool[static_cast<std::size_t>(i)])];
        c.anomalous = true;
        PlannedMeter& meter = meter_of(c);
        meter.rolls_over = true;
        // About `ahead` days of mean consumption below the wrap.
        const double ahead = random.uniform(0.15, 0.4) * days_;
        meter.initial_register = std::floor(1e6 - ahead * c.daily_kwh / static_cast<double>(meter.true_multiplier));
        // The day of the wrap is known only after the simulation; the truth row is completed there.
        meter.truth_row = add_truth("meter", meter.id, "register_rollover", first_, std::nullopt, 1e6,
                                    fmt::format("customer={} digits=6", c.id));
    }
}

// wrong_read: a month-end total read taken by hand that disagrees with the AMI value of the day
// (in the last 11 month ends, so a 12-month audit and a 400-day frame see it).
void Planner::inject_wrong_reads(GeneratorRng& random) {
    if (month_ends_.size() < 2) return;
    std::vector<int> pool = all_customers_where([&](const PlannedCustomer& c) {
        const auto structure = synthetic_tariff(c.tariff).structure;
        return steady(c) && c.pf_standard == 0 && c.daily_kwh >= 2 &&
               (structure == TariffStructure::tiered || structure == TariffStructure::flat);
    });
    shuffle(pool, random);
    const int total = target_count(0.005, 5);
    const std::size_t first = std::max<std::size_t>(1, month_ends_.size() > 11 ? month_ends_.size() - 11 : 1);
    for (int i = 0; i < total && i < static_cast<int>(pool.size()); ++i) {
        PlannedCustomer& c = plan_.customers[static_cast<std::size_t>(pool[static_cast<std::size_t>(i)])];
        c.anomalous = true;
        PlannedMeter& meter = meter_of(c);
        const CivilDate on = month_ends_[first + random.below(month_ends_.size() - first)];
        meter.wrong_read_on = on;
        meter.wrong_read_factor = random.chance(0.5) ? random.uniform(0.5, 0.9) : random.uniform(1.1, 1.5);
        meter.truth_row = add_truth("meter", meter.id, "wrong_read", on, on, meter.wrong_read_factor,
                                    fmt::format("customer={} register=total source=manual", c.id));
    }
}

void Planner::inject_read_problems(GeneratorRng& random) {
    if (month_ends_.size() < 2) return;
    std::vector<int> pool = all_customers_where([&](const PlannedCustomer& c) {
        const auto structure = synthetic_tariff(c.tariff).structure;
        return steady(c) && c.pf_standard == 0 && c.daily_kwh >= 2 &&
               (structure == TariffStructure::tiered || structure == TariffStructure::flat);
    });
    shuffle(pool, random);
    const int estimated = target_count(0.01, 6);
    const int missed = target_count(0.005, 5);
    for (int i = 0; i < estimated + missed && i < static_cast<int>(pool.size()); ++i) {
        PlannedCustomer& c = plan_.customers[static_cast<std::size_t>(pool[static_cast<std::size_t>(i)])];
        c.anomalous = true;
        PlannedMeter& meter = meter_of(c);
        // One of the last 12 month ends: inside the default 12-month look-back of an audit of
        // the export, so every injected read can be found (an older one would be out of scope).
        const std::size_t recent = std::min<std::size_t>(12, month_ends_.size() - 1);
        const CivilDate on = month_ends_[month_ends_.size() - recent + random.below(recent)];
        if (i < estimated) {
            meter.estimated_read_on = on;
            meter.estimate_factor = random.chance(0.5) ? random.uniform(0.3, 0.75) : random.uniform(1.25, 1.7);
            meter.truth_row = add_truth("meter", meter.id, "estimated_read", on, on, meter.estimate_factor,
                                        fmt::format("customer={} register=total", c.id));
        } else {
            meter.missed_read_on = on;
            meter.truth_row =
                add_truth("meter", meter.id, "missed_read", on, on, 0.0, fmt::format("customer={}", c.id));
        }
    }
}

}  // namespace gridaudit::planning
