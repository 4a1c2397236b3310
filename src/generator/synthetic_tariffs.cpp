// Tariff table, tariff JSON documents and the bill pricing of the synthetic utility.
#include "generator/synthetic_tariffs.hpp"

#include <array>
#include <cmath>
#include <nlohmann/json.hpp>

namespace gridaudit {
namespace {

constexpr std::int64_t tou_peak(std::int64_t flat) { return flat * 16 / 10; }
constexpr std::int64_t tou_valley(std::int64_t flat) { return flat * 4 / 10; }

SyntheticTariff tou(std::string_view id, std::string_view name, std::string_view category, std::string_view voltage,
                    std::int64_t flat, std::int64_t surcharge) {
    SyntheticTariff t;
    t.id = id;
    t.name = name;
    t.category = category;
    t.voltage = voltage;
    t.structure = TariffStructure::time_of_use;
    t.flat_price = flat;
    t.peak_price = tou_peak(flat);
    t.valley_price = tou_valley(flat);
    t.surcharge = surcharge;
    return t;
}

std::array<SyntheticTariff, tariff_code_count> build_tariffs() {
    std::array<SyntheticTariff, tariff_code_count> t{};
    auto& res = t[static_cast<int>(TariffCode::residential_tiered)];
    res.id = "RES-TIER";
    res.name = "Residential, yearly tiers";
    res.category = "residential";
    res.voltage = "0.22/0.38 kV";
    res.structure = TariffStructure::tiered;
    res.flat_price = 5080;
    res.tier2_price = 5580;
    res.tier3_price = 8080;
    res.tier1_limit_kwh = 2760;
    res.tier2_limit_kwh = 4800;
    res.surcharge = 300;
    t[static_cast<int>(TariffCode::commercial_tou_lv)] =
        tou("COM-TOU-LV", "Commercial time-of-use, below 1 kV", "commercial", "0.22/0.38 kV", 6800, 400);
    t[static_cast<int>(TariffCode::commercial_tou_10kv)] =
        tou("COM-TOU-10KV", "Commercial time-of-use, 10 kV", "commercial", "10 kV", 6500, 400);
    t[static_cast<int>(TariffCode::industrial_tou_lv)] =
        tou("IND-TOU-LV", "Industrial time-of-use, below 1 kV", "industrial", "0.38 kV", 6200, 400);
    t[static_cast<int>(TariffCode::industrial_tou_10kv)] =
        tou("IND-TOU-10KV", "Industrial time-of-use, 10 kV", "industrial", "10 kV", 5900, 400);
    auto& li = t[static_cast<int>(TariffCode::large_industrial_two_part)];
    li = tou("LI-2PART-10KV", "Large industrial two-part, 10 kV", "large_industrial", "10 kV", 5600, 400);
    li.structure = TariffStructure::two_part;
    li.basic_per_kva_month = 300000;  // 30.00 per kVA per month
    auto& agr = t[static_cast<int>(TariffCode::agricultural_flat)];
    agr.id = "AGR-FLAT";
    agr.name = "Agricultural production, flat";
    agr.category = "agricultural";
    agr.voltage = "0.22/0.38 kV";
    agr.structure = TariffStructure::flat;
    agr.flat_price = 4800;
    agr.surcharge = 100;
    auto& tmp = t[static_cast<int>(TariffCode::temporary_flat)];
    tmp.id = "TMP-FLAT";
    tmp.name = "Temporary supply, flat";
    tmp.category = "temporary";
    tmp.voltage = "0.38 kV";
    tmp.structure = TariffStructure::flat;
    tmp.flat_price = 7500;
    tmp.surcharge = 400;
    return t;
}

std::string_view structure_name(TariffStructure structure) {
    switch (structure) {
        case TariffStructure::tiered: return "tiered";
        case TariffStructure::time_of_use: return "time_of_use";
        case TariffStructure::two_part: return "two_part";
        case TariffStructure::flat: return "flat";
    }
    return "flat";
}

// A fixed-point price as a JSON number with four decimals.
nlohmann::json price(std::int64_t units) {
    return nlohmann::json(static_cast<double>(units) / 10000.0);
}

// Rounds `value`, counted in units of 1/per_cent of a cent, to whole cents, half-up (away from zero).
Money round_to_cents(std::int64_t value, std::int64_t per_cent) {
    const std::int64_t magnitude = value < 0 ? -value : value;
    std::int64_t cents = magnitude / per_cent;
    if ((magnitude % per_cent) * 2 >= per_cent) ++cents;
    return Money::from_units((value < 0 ? -cents : cents) * 100);
}

// Hundredths of a kWh times prices in 0.0001 currency are 0.000001 currency: 10,000 per cent.
Money cents_from_micro(std::int64_t micro) { return round_to_cents(micro, 10'000); }

}  // namespace

const SyntheticTariff& synthetic_tariff(TariffCode code) {
    static const std::array<SyntheticTariff, tariff_code_count> table = build_tariffs();
    return table[static_cast<std::size_t>(code)];
}

std::string synthetic_tariff_json(const SyntheticTariff& tariff) {
    nlohmann::ordered_json doc;
    doc["id"] = tariff.id;
    doc["name"] = tariff.name;
    doc["category"] = tariff.category;
    doc["voltage"] = tariff.voltage;
    doc["structure"] = structure_name(tariff.structure);
    doc["currency"] = "CNY";
    doc["billing_period"] = "month";
    nlohmann::ordered_json energy;
    switch (tariff.structure) {
        case TariffStructure::tiered:
            energy["unit"] = "per_kwh";
            energy["tier_period"] = "calendar_year";
            energy["tiers"] = nlohmann::ordered_json::array(
                {nlohmann::ordered_json{{"up_to_kwh", tariff.tier1_limit_kwh}, {"price", price(tariff.flat_price)}},
                 nlohmann::ordered_json{{"up_to_kwh", tariff.tier2_limit_kwh}, {"price", price(tariff.tier2_price)}},
                 nlohmann::ordered_json{{"up_to_kwh", nullptr}, {"price", price(tariff.tier3_price)}}});
            break;
        case TariffStructure::time_of_use:
        case TariffStructure::two_part:
            energy["unit"] = "per_kwh";
            energy["peak"] = price(tariff.peak_price);
            energy["flat"] = price(tariff.flat_price);
            energy["valley"] = price(tariff.valley_price);
            energy["ratio"] = "1.6:1:0.4";
            energy["periods"] = nlohmann::ordered_json{
                {"peak", nlohmann::ordered_json::array({"08:00-11:00", "18:00-23:00"})},
                {"flat", nlohmann::ordered_json::array({"07:00-08:00", "11:00-18:00"})},
                {"valley", nlohmann::ordered_json::array({"23:00-07:00"})}};
            energy["flat_energy"] = "total minus peak minus valley";
            break;
        case TariffStructure::flat:
            energy["unit"] = "per_kwh";
            energy["flat"] = price(tariff.flat_price);
            break;
    }
    doc["energy"] = energy;
    if (tariff.structure == TariffStructure::two_part) {
        doc["basic_charge"] = nlohmann::ordered_json{{"basis", "contracted_kva"},
                                                     {"price_per_kva_month", price(tariff.basic_per_kva_month)},
                                                     {"proration", "none (whole months only)"}};
    }
    doc["surcharges_per_kwh"] = price(tariff.surcharge);
    doc["power_factor_adjustment"] = nlohmann::ordered_json{
        {"applies", "when the customer has a pf_standard"},
        {"base", "energy charge + basic charge"},
        {"table", "1983 rules (REFERENCE.md section 5)"}};
    doc["rounding"] = "each charge rounded once to 0.01 half-up; total = sum of the rounded charges";
    return doc.dump(2) + "\n";
}

int power_factor_hundredths(double active, double reactive) {
    const double apparent = std::sqrt(active * active + reactive * reactive);
    if (!(apparent > 0)) return 100;
    return static_cast<int>(std::floor(active / apparent * 100.0 + 0.5 + 1e-9));
}

int power_factor_adjustment_basis_points(int pf, int standard) {
    if (standard == 90) {
        if (pf >= 95) return -75;
        if (pf > 90) return -15 * (pf - 90);
        if (pf == 90) return 0;
        if (pf >= 70) return 50 * (90 - pf);
        if (pf >= 65) return 1000 + 100 * (70 - pf);
        return 1500 + 200 * (65 - pf);
    }
    if (standard == 85) {
        if (pf >= 94) return -110;
        if (pf == 93) return -95;
        if (pf == 92) return -80;
        if (pf == 91) return -65;
        if (pf > 85) return -10 * (pf - 85);
        if (pf == 85) return 0;
        if (pf >= 65) return 50 * (85 - pf);
        if (pf >= 60) return 1000 + 100 * (65 - pf);
        return 1500 + 200 * (60 - pf);
    }
    // standard 80
    if (pf >= 92) return -130;
    if (pf == 91) return -115;
    if (pf > 80) return -10 * (pf - 80);
    if (pf == 80) return 0;
    if (pf >= 60) return 50 * (80 - pf);
    if (pf >= 55) return 1000 + 100 * (60 - pf);
    return 1500 + 200 * (55 - pf);
}

BillCharges price_bill(const SyntheticTariff& tariff, const BillEnergy& energy, std::int64_t year_to_date,
                       double contracted_kva, int pf_standard) {
    BillCharges charges;
    std::int64_t micro = 0;  // energy charge in 0.000001 currency
    switch (tariff.structure) {
        case TariffStructure::tiered: {
            const std::int64_t limit1 = tariff.tier1_limit_kwh * 100;
            const std::int64_t limit2 = tariff.tier2_limit_kwh * 100;
            std::int64_t remaining = energy.total;
            std::int64_t position = year_to_date;
            const std::int64_t in1 = std::max<std::int64_t>(0, std::min(remaining, limit1 - position));
            remaining -= in1;
            position += in1;
            const std::int64_t in2 = std::max<std::int64_t>(0, std::min(remaining, limit2 - position));
            remaining -= in2;
            micro = in1 * tariff.flat_price + in2 * tariff.tier2_price + remaining * tariff.tier3_price;
            break;
        }
        case TariffStructure::time_of_use:
        case TariffStructure::two_part: {
            const std::int64_t flat = energy.total - energy.peak - energy.valley;
            micro = energy.peak * tariff.peak_price + flat * tariff.flat_price + energy.valley * tariff.valley_price;
            break;
        }
        case TariffStructure::flat: micro = energy.total * tariff.flat_price; break;
    }
    charges.energy = cents_from_micro(micro);
    if (tariff.structure == TariffStructure::two_part) {
        // Hundredths of a kVA x the price in 0.0001 units per kVA-month.
        const auto kva_hundredths = static_cast<std::int64_t>(std::llround(contracted_kva * 100));
        charges.basic = cents_from_micro(kva_hundredths * tariff.basic_per_kva_month);
    }
    if (pf_standard > 0 && energy.reactive && energy.total > 0) {
        const int pf = power_factor_hundredths(static_cast<double>(energy.total), static_cast<double>(*energy.reactive));
        const int basis_points = power_factor_adjustment_basis_points(pf, pf_standard);
        // (energy + basic) in 0.0001 units x basis points (0.0001) is in 0.00000001 currency: 10^6 per cent.
        charges.power_factor = round_to_cents((charges.energy.units() + charges.basic.units()) * basis_points, 1'000'000);
    }
    charges.surcharges = cents_from_micro(energy.total * tariff.surcharge);
    charges.total = charges.energy + charges.basic + charges.power_factor + charges.surcharges;
    return charges;
}

}  // namespace gridaudit
