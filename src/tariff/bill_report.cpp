// Text statements and JSON documents of priced months.
#include "tariff/bill_report.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace gridaudit {
namespace {

using Json = nlohmann::ordered_json;

constexpr std::array<BillComponent, bill_component_count> all_components{
    BillComponent::energy, BillComponent::demand, BillComponent::basic,  BillComponent::power_factor,
    BillComponent::funds,  BillComponent::fixed,  BillComponent::minimum};

std::string pf_text(int hundredths) {
    return fmt::format("{}.{:02}", hundredths / 100, hundredths % 100);
}

std::string percent_text(int basis_points) {
    const int size = basis_points < 0 ? -basis_points : basis_points;
    return fmt::format("{}{}.{:02}", basis_points < 0 ? "-" : "+", size / 100, size % 100);
}

std::string quantity_text(const Tariff& tariff, const BillLine& line) {
    if (line.kind == ChargeKind::minimum) return "";
    if (line.kind == ChargeKind::power_factor) return "PF " + pf_text(static_cast<int>(line.quantity.units() / 100));
    return fmt::format("{} {}", line.quantity.to_string(), line_unit(tariff, line));
}

std::string price_text(const BillLine& line) {
    if (line.kind == ChargeKind::minimum) return "";
    if (line.kind == ChargeKind::power_factor) return percent_text(line.basis_points) + " %";
    return line.price.to_string();
}

}  // namespace

std::vector<std::string> bill_notes(const MonthBill& bill) {
    std::vector<std::string> notes;
    if (bill.notes & note_pf_no_reactive)
        notes.emplace_back("no reactive energy: power-factor adjustment not computed");
    if (bill.notes & note_pf_no_energy) notes.emplace_back("no active or reactive energy: no power factor");
    if (bill.notes & note_pf_no_standard)
        notes.emplace_back("no power-factor standard for this customer: no adjustment");
    if (bill.notes & note_tiers_prorated)
        notes.emplace_back("yearly tier thresholds prorated: supply started this year");
    if (bill.notes & note_basic_prorated) notes.emplace_back("partial month: basic charge prorated by days");
    if (bill.notes & note_demand_floor) notes.emplace_back("demand raised to the floor share of capacity");
    if (bill.notes & note_monthly_minimum) notes.emplace_back("monthly minimum charge applied");
    if (bill.notes & note_yearly_minimum) notes.emplace_back("yearly minimum charge applied");
    return notes;
}

std::string bills_text(const Tariff& tariff, std::span<const MonthBill> bills) {
    std::string out = fmt::format("Tariff {} ({}), {}\n", tariff.id, tariff.name, tariff.currency);
    std::array<Money, bill_component_count> totals{};
    Money grand_total;
    for (const MonthBill& bill : bills) {
        out += fmt::format("\n{}  {} kWh", bill.period.to_string(), bill.energy_kwh.to_string());
        if (bill.reactive_kvarh) out += fmt::format(", {} kvarh", bill.reactive_kvarh->to_string());
        if (bill.max_demand_kw) out += fmt::format(", max {} kW", bill.max_demand_kw->to_string());
        if (bill.power_factor) out += fmt::format(", PF {}", pf_text(*bill.power_factor));
        if (bill.days_connected < bill.days_in_month)
            out += fmt::format(", {} of {} days", bill.days_connected, bill.days_in_month);
        out += "\n";
        for (const BillLine& line : bill.lines) {
            out += fmt::format("  {:<46} {:>18} {:>14} {:>14}\n", describe_line(tariff, line),
                               quantity_text(tariff, line), price_text(line), line.amount.to_money().to_string(4));
        }
        for (const BillComponent component : all_components) {
            const Money amount = bill.component(component);
            totals[static_cast<std::size_t>(component)] += amount;
            if (amount.units() == 0) continue;
            out += fmt::format("  {:<46} {:>48}\n", bill_component_name(component),
                               amount.to_string(tariff.rounding.decimals));
        }
        out += fmt::format("  {:<46} {:>48}\n", "total", bill.total.to_string(tariff.rounding.decimals));
        for (const auto& note : bill_notes(bill)) out += fmt::format("  note: {}\n", note);
        grand_total += bill.total;
    }
    out += fmt::format("\nTotals over {} months\n", bills.size());
    for (const BillComponent component : all_components) {
        const Money amount = totals[static_cast<std::size_t>(component)];
        if (amount.units() == 0) continue;
        out += fmt::format("  {:<46} {:>48}\n", bill_component_name(component),
                           amount.to_string(tariff.rounding.decimals));
    }
    out += fmt::format("  {:<46} {:>48}\n", "total", grand_total.to_string(tariff.rounding.decimals));
    return out;
}

std::string bills_json(const Tariff& tariff, std::span<const MonthBill> bills) {
    const int decimals = tariff.rounding.decimals;
    Json doc = Json::object();
    doc["tariff"] =
        Json{{"id", tariff.id}, {"name", tariff.name}, {"currency", tariff.currency}, {"source", tariff.source}};
    Json months = Json::array();
    std::array<Money, bill_component_count> totals{};
    Money grand_total;
    Quantity energy;
    for (const MonthBill& bill : bills) {
        Json month = Json::object();
        month["period"] = bill.period.to_string();
        month["days_in_month"] = bill.days_in_month;
        month["days_connected"] = bill.days_connected;
        month["energy_kwh"] = bill.energy_kwh.to_double();
        month["reactive_kvarh"] = bill.reactive_kvarh ? Json(bill.reactive_kvarh->to_double()) : Json(nullptr);
        month["max_demand_kw"] = bill.max_demand_kw ? Json(bill.max_demand_kw->to_double()) : Json(nullptr);
        month["power_factor"] = bill.power_factor ? Json(pf_text(*bill.power_factor)) : Json(nullptr);
        month["pf_standard"] =
            bill.pf_standard ? Json(std::string(power_factor_standard_name(*bill.pf_standard))) : Json(nullptr);
        if (tariff.tier_blocks) {
            month["tier_position_before_kwh"] = bill.tier_position_before.to_double();
            Json thresholds = Json::array();
            for (const Quantity threshold : bill.tier_thresholds) thresholds.push_back(threshold.to_double());
            month["tier_thresholds_kwh"] = thresholds;
        }
        Json lines = Json::array();
        for (const BillLine& line : bill.lines) {
            Json item = Json::object();
            item["kind"] = std::string(charge_kind_name(line.kind));
            item["component"] = std::string(bill_component_name(component_of(line.kind)));
            item["description"] = describe_line(tariff, line);
            if (line.kind == ChargeKind::energy)
                item["period"] = tariff.energy_periods[static_cast<std::size_t>(line.period)].name;
            if (line.kind == ChargeKind::demand)
                item["period"] = tariff.demand->periods[static_cast<std::size_t>(line.period)].name;
            if (line.tier >= 0) item["tier"] = line.tier + 1;
            if (line.kind == ChargeKind::power_factor) {
                item["power_factor"] = pf_text(static_cast<int>(line.quantity.units() / 100));
                item["percent"] = percent_text(line.basis_points);
            } else if (line.kind != ChargeKind::minimum) {
                item["quantity"] = line.quantity.to_double();
                item["unit"] = std::string(line_unit(tariff, line));
                item["price"] = line.price.to_string();
            }
            if (line.prorate_days > 0) item["prorated_days"] = line.prorate_days;
            item["amount"] = line.amount.to_money().to_string(4);
            item["amount_exact"] = line.amount.to_string();
            lines.push_back(item);
        }
        month["lines"] = lines;
        Json components = Json::object();
        for (const BillComponent component : all_components) {
            components[std::string(bill_component_name(component))] = bill.component(component).to_string(decimals);
            totals[static_cast<std::size_t>(component)] += bill.component(component);
        }
        month["components"] = components;
        month["total"] = bill.total.to_string(decimals);
        month["notes"] = bill_notes(bill);
        months.push_back(month);
        grand_total += bill.total;
        energy += bill.energy_kwh;
    }
    doc["months"] = months;
    Json totals_json = Json::object();
    totals_json["months"] = bills.size();
    totals_json["energy_kwh"] = energy.to_double();
    for (const BillComponent component : all_components)
        totals_json[std::string(bill_component_name(component))] =
            totals[static_cast<std::size_t>(component)].to_string(decimals);
    totals_json["total"] = grand_total.to_string(decimals);
    doc["totals"] = totals_json;
    return doc.dump(2);
}

}  // namespace gridaudit
