// The Planner's billing and account injections (planner.hpp), the truth of the BILL and ACCOUNT
// rules: customers billed under the wrong tariff category or power-factor standard, and the bill
// and payment anomalies (BillingAnomaly) the series simulation applies to bills and payments.
#include "generator/planner.hpp"

namespace gridaudit::planning {

void Planner::inject_wrong_tariffs(GeneratorRng& random) {
    auto eligible = [&](const PlannedCustomer& c) { return !c.anomalous && c.status == "active" && !c.suspended_from; };
    std::vector<int> large = all_customers_where(
        [&](const PlannedCustomer& c) { return eligible(c) && c.category == LoadCategory::large_industrial; });
    std::vector<int> commercial = all_customers_where([&](const PlannedCustomer& c) {
        return eligible(c) && c.category == LoadCategory::commercial && !c.high_voltage && c.contracted_kva < 100;
    });
    std::vector<int> industrial = all_customers_where([&](const PlannedCustomer& c) {
        return eligible(c) && c.category == LoadCategory::industrial && !c.high_voltage && c.contracted_kva < 100;
    });
    shuffle(large, random);
    shuffle(commercial, random);
    shuffle(industrial, random);
    const int total = target_count(0.005, 5);
    const int from_large = std::min({total / 3, static_cast<int>((large.size() + 2) / 3)});
    int done = 0;
    auto apply = [&](int index, TariffCode wrong, bool reclassify) {
        PlannedCustomer& c = plan_.customers[static_cast<std::size_t>(index)];
        c.anomalous = true;
        c.tariff = wrong;
        if (reclassify) c.category = LoadCategory::industrial;
        c.truth_row = add_truth("customer", c.id, "wrong_tariff_category", c.supply_start, std::nullopt, 1.0,
                                fmt::format("category={} tariff={} expected={}", load_category_code(c.category),
                                            synthetic_tariff(wrong).id, synthetic_tariff(c.correct_tariff).id));
        ++done;
    };
    for (int i = 0; i < from_large; ++i)
        apply(large[static_cast<std::size_t>(i)], TariffCode::industrial_tou_10kv, true);
    std::size_t next_commercial = 0;
    std::size_t next_industrial = 0;
    while (done < total && (next_commercial < commercial.size() || next_industrial < industrial.size())) {
        const bool use_commercial =
            next_industrial >= industrial.size() || (next_commercial < commercial.size() && random.chance(0.6));
        if (use_commercial)
            apply(commercial[next_commercial++], TariffCode::residential_tiered, false);
        else
            apply(industrial[next_industrial++], TariffCode::agricultural_flat, false);
    }
}

// The first day of the billing month that ends on month_ends_[k].
CivilDate Planner::bill_month_start(int k) const {
    return Period::of(month_ends_[static_cast<std::size_t>(k)]).first_day();
}

void Planner::inject_billing_anomalies() {
    GeneratorRng random = rng(RandomStream::billing_anomalies);
    inject_wrong_pf_standards(random);
    const int n = static_cast<int>(month_ends_.size());
    if (n < 2) return;
    // Customers billed every month with steady consumption; bills and payments easy to attribute.
    auto pool_of = [&](const std::function<bool(const PlannedCustomer&)>& extra) {
        std::vector<int> pool =
            all_customers_where([&](const PlannedCustomer& c) { return steady(c) && c.daily_kwh >= 2 && extra(c); });
        shuffle(pool, random);
        return pool;
    };
    auto any = [](const PlannedCustomer&) { return true; };
    const int recent = std::max(1, n - 12);  // the bill-level anomalies fall in the last 12 bills
    auto plan_kind = [&](BillingAnomaly kind, std::string_view name, double rate, int minimum,
                         const std::function<bool(const PlannedCustomer&)>& extra, int first_month, int last_month,
                         const std::function<void(PlannedCustomer&)>& decide) {
        if (last_month < first_month) return;
        const std::vector<int> pool = pool_of(extra);
        const int total = target_count(rate, minimum);
        for (int i = 0; i < total && i < static_cast<int>(pool.size()); ++i) {
            PlannedCustomer& c = plan_.customers[static_cast<std::size_t>(pool[static_cast<std::size_t>(i)])];
            c.anomalous = true;
            c.billing_anomaly = kind;
            c.billing_month = static_cast<int>(random.between(first_month, last_month));
            decide(c);
            // Start, end, magnitude and detail are completed by the simulation, which sees the bill.
            c.billing_truth_row = add_truth("customer", c.id, name, bill_month_start(c.billing_month),
                                            month_ends_[static_cast<std::size_t>(c.billing_month)], 1.0, "");
        }
    };
    plan_kind(BillingAnomaly::recompute_mismatch, "bill_recompute_mismatch", 0.005, 5, any, recent, n - 1,
              [&](PlannedCustomer& c) {
                  c.billing_variant =
                      c.pf_standard > 0 ? static_cast<int>(random.below(3)) : (random.chance(0.5) ? 0 : 2);
                  const double deviation = random.uniform(0.03, 0.20);
                  c.billing_factor = random.chance(0.5) ? 1 + deviation : 1 - deviation;
              });
    plan_kind(BillingAnomaly::energy_vs_reads, "bill_energy_vs_reads", 0.005, 5, any, recent, n - 1,
              [&](PlannedCustomer& c) { c.billing_factor = 1 - random.uniform(0.10, 0.40); });
    constexpr std::array<std::string_view, 3> items{"meter rental", "service fee", "line maintenance"};
    plan_kind(BillingAnomaly::unlisted_charge, "unlisted_charge", 0.003, 5, any, recent, n - 1,
              [&](PlannedCustomer& c) {
                  c.other_charge = random.between(5, 50) * Money::units_per_currency;
                  c.other_charge_item = items[random.below(items.size())];
              });
    if (n - 1 >= 3) {
        const int months = std::min(6, n - 1);
        plan_kind(
            BillingAnomaly::zero_with_capacity, "zero_with_capacity", 0.003, 5,
            [](const PlannedCustomer& c) {
                return c.category != LoadCategory::residential && c.category != LoadCategory::large_industrial &&
                       synthetic_tariff(c.tariff).structure != TariffStructure::two_part;
            },
            1, n - 3,
            [&](PlannedCustomer& c) {
                c.billing_months = static_cast<int>(random.between(3, months));
                c.billing_month = std::min(c.billing_month, n - c.billing_months);
                c.billing_month = std::max(c.billing_month, std::max(1, n - c.billing_months - 9));
            });
    }
    // Account anomalies: a bill whose payment (late by up to 45 days) is still in the export.
    const int paid_last = n - 3;
    const int paid_first = std::max(1, n - 12);  // the last 12 billing months: an audit's default look-back
    plan_kind(BillingAnomaly::paid_without_payment, "account_paid_without_payment", 0.003, 5, any, paid_first,
              paid_last, [](PlannedCustomer&) {});
    plan_kind(BillingAnomaly::payment_without_bill, "account_payment_without_bill", 0.003, 5, any, paid_first,
              paid_last, [&](PlannedCustomer& c) { c.billing_variant = random.chance(0.5) ? 0 : 1; });
    // The late-payment charge missing, under- or over-charged, in turn (no random draw, so the
    // anomalies planned after these stay where they were).
    int late_fee_variant = 0;
    plan_kind(BillingAnomaly::late_fee_missing, "account_late_fee_missing", 0.003, 5, any, paid_first, paid_last,
              [&](PlannedCustomer& c) { c.billing_variant = late_fee_variant++ % 3; });
}

// pf_standard_wrong: customers.csv pf_standard differs from what REFERENCE.md section 5 prescribes
// for the customer's category, voltage and capacity; bills are priced with the recorded one.
void Planner::inject_wrong_pf_standards(GeneratorRng& random) {
    std::vector<int> pool = all_customers_where([&](const PlannedCustomer& c) {
        return !c.anomalous && c.status == "active" && c.category != LoadCategory::residential &&
               (c.pf_standard > 0 || c.connection != MeterConnection::single_phase);
    });
    shuffle(pool, random);
    const int total = target_count(0.003, 5);
    for (int i = 0; i < total && i < static_cast<int>(pool.size()); ++i) {
        PlannedCustomer& c = plan_.customers[static_cast<std::size_t>(pool[static_cast<std::size_t>(i)])];
        const int prescribed = pf_standard_for(c.category, c.contracted_kva, c.high_voltage);
        int recorded = 0;
        switch (prescribed) {
            case 90:
                recorded = 85;
                break;
            case 85:
                recorded = random.chance(0.5) ? 90 : 80;
                break;
            case 80:
                recorded = 85;
                break;
            default:
                recorded = random.chance(0.5) ? 90 : 85;
                break;  // none is due below 100 kVA
        }
        c.anomalous = true;
        c.pf_standard = recorded;
        add_truth("customer", c.id, "pf_standard_wrong", c.supply_start, std::nullopt, recorded / 100.0,
                  fmt::format("recorded={:.2f} prescribed={} category={} voltage_kv={} kva={}", recorded / 100.0,
                              prescribed > 0 ? fmt::format("{:.2f}", prescribed / 100.0) : std::string("none"),
                              load_category_code(c.category), c.voltage_kv, format_kva(c.contracted_kva)));
    }
}

}  // namespace gridaudit::planning
