// The pricing engine: one customer-month priced from its registers, under one tariff.
//
// Inputs are what a bill is made from: kWh by time-of-use period, kvarh, the month's maximum demand
// (and per demand period for URDB time-of-use demand charges), the customer's capacity, contracted
// demand and power-factor standard, the days connected, and the customer's tier accumulation so far
// (BillingState, carried from month to month by the caller). Other layers call this API to recompute
// issued bills (billing audit) and to price back-billing; load_series.hpp prices a load series
// through it too. Every rounding step is named in docs/tariffs.md.
// Thread safety: pure functions of their arguments; a Tariff is shared read-only.
#pragma once

#include <cmath>
#include <limits>
#include <optional>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "tariff/bill.hpp"
#include "tariff/tariff.hpp"

namespace gridaudit {

inline constexpr double not_measured = std::numeric_limits<double>::quiet_NaN();

// What the customer's contract says; NaN where unknown.
struct CustomerTerms {
    double capacity_kva = not_measured;              // contracted (operating) capacity
    double contracted_demand_kw = not_measured;      // contracted maximum demand (basis contracted_demand)
    std::optional<PowerFactorStandard> pf_standard;  // takes precedence over the tariff's default
    std::optional<CivilDate> supply_start;           // first day of supply (yearly tier proration)
};

// One month of consumption. kWh are per energy period of the tariff (same order).
struct MonthUsage {
    Period period;
    std::vector<double> period_kwh;
    double kvarh = not_measured;
    double max_demand_kw = not_measured;
    std::vector<double> period_max_demand_kw;  // per demand period; NaN where the period has no data
    int days_connected = 0;                    // 0: the whole month
};

// A customer's accumulations across months, carried by the caller from one month to the next.
// A new calendar year resets them. Set tier_kwh_used before the first month to start mid-year.
struct BillingState {
    int tier_year = 0;
    Quantity tier_kwh_used;  // kWh counted in yearly tier blocks this year so far
    int charge_year = 0;
    Money charges_this_year;  // billed this year before minimum top-ups (yearly minimum charge)
};

// Registers as a billing system reads them: total and the TOU registers (NaN where not read).
struct RegisterReadings {
    double total_kwh = not_measured;
    double peak_kwh = not_measured;
    double flat_kwh = not_measured;
    double valley_kwh = not_measured;
    double critical_peak_kwh = not_measured;
    double deep_valley_kwh = not_measured;
};

// Distributes register readings onto the tariff's energy periods by kind: one period takes the
// total; otherwise each period takes the register of its kind (a missing flat register is total
// minus the others). Fails when a period's register is missing or two periods share a kind.
[[nodiscard]] Result<std::vector<double>> period_kwh_from_registers(const Tariff& tariff,
                                                                    const RegisterReadings& readings);

// Prices one month. Fails (user error) on usage the tariff cannot price: a wrong number of periods,
// negative or non-finite energy, a demand-based charge without demand, a basic charge without
// capacity. Updates `state`. Reuses `bill`'s storage.
[[nodiscard]] Status price_month(const Tariff& tariff, const CustomerTerms& terms, const MonthUsage& usage,
                                 BillingState& state, MonthBill& bill);
[[nodiscard]] Result<MonthBill> price_month(const Tariff& tariff, const CustomerTerms& terms, const MonthUsage& usage,
                                            BillingState& state);

// Named rounding step "prorated tier threshold": a yearly block threshold for a customer whose
// supply starts in `year` on `start` (whole kWh, half-up). Exposed for tests and back-billing.
[[nodiscard]] Quantity prorated_tier_threshold(Quantity threshold, MidYearStart rule, CivilDate start, int year);

}  // namespace gridaudit
