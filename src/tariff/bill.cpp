// Names of bill components and charge kinds, and human descriptions of bill lines.
#include "tariff/bill.hpp"

#include <fmt/format.h>

#include "tariff/tariff.hpp"

namespace gridaudit {

std::string_view bill_component_name(BillComponent component) {
    switch (component) {
        case BillComponent::energy:
            return "energy";
        case BillComponent::demand:
            return "demand";
        case BillComponent::basic:
            return "basic";
        case BillComponent::power_factor:
            return "power_factor";
        case BillComponent::funds:
            return "funds";
        case BillComponent::fixed:
            return "fixed";
        case BillComponent::minimum:
            return "minimum";
    }
    return "energy";
}

std::string_view charge_kind_name(ChargeKind kind) {
    switch (kind) {
        case ChargeKind::energy:
            return "energy";
        case ChargeKind::tier_increment:
            return "tier_increment";
        case ChargeKind::demand:
            return "demand";
        case ChargeKind::monthly_demand:
            return "monthly_demand";
        case ChargeKind::basic:
            return "basic";
        case ChargeKind::basic_excess:
            return "basic_excess";
        case ChargeKind::power_factor:
            return "power_factor";
        case ChargeKind::fund:
            return "fund";
        case ChargeKind::fixed:
            return "fixed";
        case ChargeKind::minimum:
            return "minimum";
    }
    return "energy";
}

BillComponent component_of(ChargeKind kind) {
    switch (kind) {
        case ChargeKind::energy:
        case ChargeKind::tier_increment:
            return BillComponent::energy;
        case ChargeKind::demand:
        case ChargeKind::monthly_demand:
            return BillComponent::demand;
        case ChargeKind::basic:
        case ChargeKind::basic_excess:
            return BillComponent::basic;
        case ChargeKind::power_factor:
            return BillComponent::power_factor;
        case ChargeKind::fund:
            return BillComponent::funds;
        case ChargeKind::fixed:
            return BillComponent::fixed;
        case ChargeKind::minimum:
            return BillComponent::minimum;
    }
    return BillComponent::energy;
}

void MonthBill::clear() {
    period = Period();
    days_in_month = 0;
    days_connected = 0;
    energy_kwh = Quantity();
    reactive_kvarh.reset();
    max_demand_kw.reset();
    power_factor.reset();
    pf_standard.reset();
    tier_position_before = Quantity();
    tier_thresholds.clear();
    lines.clear();
    exact.fill(ExactAmount());
    components.fill(Money());
    total = Money();
    notes = note_none;
}

std::string describe_line(const Tariff& tariff, const BillLine& line) {
    const auto tier_suffix = [&]() { return line.tier >= 0 ? fmt::format(" tier {}", line.tier + 1) : std::string(); };
    const auto index = [](std::int16_t value) { return static_cast<std::size_t>(value); };
    switch (line.kind) {
        case ChargeKind::energy:
            return fmt::format("energy {}{}", tariff.energy_periods[index(line.period)].name, tier_suffix());
        case ChargeKind::tier_increment:
            return fmt::format("tier block {} increment", line.tier + 1);
        case ChargeKind::demand:
            return fmt::format("demand {}{}", tariff.demand->periods[index(line.period)].name, tier_suffix());
        case ChargeKind::monthly_demand:
            return fmt::format("monthly demand{}", tier_suffix());
        case ChargeKind::basic: {
            const std::string basis(basic_charge_basis_name(tariff.basic->basis));
            if (line.prorate_days > 0)
                return fmt::format("basic charge ({}, {}/{} days)", basis, line.prorate_days,
                                   tariff.basic->partial_month_days);
            return fmt::format("basic charge ({})", basis);
        }
        case ChargeKind::basic_excess:
            return fmt::format("basic charge, demand above {} x contracted (x{})",
                               tariff.basic->excess_threshold.to_string(), tariff.basic->excess_multiplier);
        case ChargeKind::power_factor:
            return fmt::format("power factor adjustment ({:+.2f} %)", line.basis_points / 100.0);
        case ChargeKind::fund:
            return fmt::format("fund {}", tariff.funds[index(line.item)].name);
        case ChargeKind::fixed:
            return fmt::format("fixed {}", tariff.fixed_charges[index(line.item)].name);
        case ChargeKind::minimum:
            return line.item == 1 ? "yearly minimum charge top-up" : "monthly minimum charge top-up";
    }
    return "";
}

std::string_view line_unit(const Tariff& tariff, const BillLine& line) {
    switch (line.kind) {
        case ChargeKind::energy:
        case ChargeKind::tier_increment:
        case ChargeKind::fund:
            return "kWh";
        case ChargeKind::demand:
        case ChargeKind::monthly_demand:
        case ChargeKind::basic_excess:
            return "kW";
        case ChargeKind::basic:
            return tariff.basic && tariff.basic->basis == BasicChargeBasis::capacity ? "kVA" : "kW";
        case ChargeKind::power_factor:
            return "PF";
        case ChargeKind::fixed:
            return tariff.fixed_charges[static_cast<std::size_t>(line.item)].per == ChargeFrequency::day ? "day"
                                                                                                         : "month";
        case ChargeKind::minimum:
            return "";
    }
    return "";
}

}  // namespace gridaudit
