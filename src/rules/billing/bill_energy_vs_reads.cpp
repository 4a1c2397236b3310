// BILL-ENERGY-VS-READS: billed kWh against the billing reads' register delta x multiplier.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "engine/vee/usage_derivation.hpp"
#include "rules/billing/billing_rules.hpp"
#include "rules/billing/billing_scope.hpp"
#include "rules/evidence.hpp"

namespace gridaudit {
namespace {

// Digits of a register showing `value` (at least 4): where it rolls over.
int register_digits(double value) {
    int digits = 4;
    while (digits < 12 && value >= std::pow(10.0, digits)) ++digits;
    return digits;
}

struct RegisterEnergy {
    double total = 0, peak = 0, flat = 0, valley = 0;
    bool tou_known = true;  // every meter had peak, flat and valley at both ends
};

class BillEnergyVsReadsRule final : public Rule {
public:
    BillEnergyVsReadsRule() {
        info_.id = "BILL-ENERGY-VS-READS";
        info_.area = InspectionArea::BILL;
        info_.title = "Billed energy differs from the reads";
        info_.description =
            "For each bill, the energy its billing reads give: for every meter of the customer, the register at "
            "the last read of the billing month minus the register at the last read before it (a rollover counts "
            "by the register's digits), times the meter's multiplier; meters exchanged in the month add up. When "
            "the billed kWh (total, and peak, flat and valley where both sides have them) differs from that by "
            "more than the tolerance, the bill was edited, keyed wrongly or billed from other reads. Bills whose "
            "month has no read of a meter in service cannot be compared (SERV-MISSED-READ reports those).";
        info_.parameters = {
            {"tolerance_kwh", 1.0, "kWh", "Smallest difference reported, whatever the bill's size."},
            {"tolerance_share", 0.01, "", "Smallest difference reported, as a share of the read energy."},
            {"lookback_months", 12.0, "months", "Billing months judged up to the audit day (without --period)."},
        };
        info_.evidence_fields = {"bill_id", "registers", "meters"};
        info_.truth_anomalies = {"bill_energy_vs_reads", "zero_with_capacity"};
    }

    const RuleInfo& info() const override { return info_; }

    void evaluate(const RuleContext& context, const RuleSettings& settings,
                  std::vector<Finding>& findings) const override {
        const RegionFrame& frame = context.frame;
        const BillColumns& bills = frame.bills;
        const BillingReadColumns& reads = frame.billing_reads;
        if (bills.size() == 0 || reads.size() == 0) return;
        const BillWindow window = bill_window(context, settings);
        const double tolerance_kwh = settings.number("tolerance_kwh");
        const double tolerance_share = settings.number("tolerance_share");
        // Reads of each meter: [begin, end) in the sorted columns; meters of each customer.
        std::vector<std::pair<std::size_t, std::size_t>> read_range(frame.meters.size(), {0, 0});
        for (std::size_t i = 0; i < reads.size();) {
            std::size_t end = i;
            while (end < reads.size() && reads.meter[end] == reads.meter[i]) ++end;
            read_range[reads.meter[i].value()] = {i, end};
            i = end;
        }
        std::vector<std::vector<std::size_t>> meters_of(frame.customers.size());
        for (std::size_t m = 0; m < frame.meters.size(); ++m)
            if (frame.meters.customer[m].valid()) meters_of[frame.meters.customer[m].value()].push_back(m);

        for (std::size_t b = 0; b < bills.size(); ++b) {
            if (!window.contains(bills.period[b])) continue;
            const std::size_t c = bills.customer[b].value();
            const Period period = bills.period[b];
            RegisterEnergy energy;
            nlohmann::json meter_evidence = nlohmann::json::array();
            bool comparable = !meters_of[c].empty();
            for (const std::size_t m : meters_of[c]) {
                if (!comparable) break;
                const CivilDate installed = frame.meters.installed_on[m];
                const auto removed = frame.meters.removed_on[m];
                if (installed > period.last_day() || (removed && *removed <= period.first_day())) continue;
                const auto [begin, end] = read_range[m];
                // Last read in the month, and last read before the month.
                std::optional<std::size_t> closing, opening;
                for (std::size_t r = begin; r < end; ++r) {
                    if (reads.read_on[r] <= period.last_day() && reads.read_on[r] >= period.first_day()) closing = r;
                    if (reads.read_on[r] < period.first_day()) opening = r;
                }
                if (!opening && closing && installed >= period.first_day()) {
                    // Installed this month: its first read in the month opens it.
                    for (std::size_t r = begin; r < end; ++r)
                        if (reads.read_on[r] >= period.first_day()) {
                            opening = r;
                            break;
                        }
                }
                if (!closing || !opening || *closing == *opening) {
                    comparable = false;
                    break;
                }
                const double multiplier = frame.meters.multiplier[m];
                const auto advance = [&](double from, double to) {
                    const RegisterAdvance a = register_advance(from, to, register_digits(from), 0.1);
                    return a.advance * multiplier;
                };
                const double total = advance(reads.value[*opening], reads.value[*closing]);
                if (std::isnan(total)) {
                    comparable = false;
                    break;
                }
                energy.total += total;
                const double peak = advance(reads.peak[*opening], reads.peak[*closing]);
                const double flat = advance(reads.flat[*opening], reads.flat[*closing]);
                const double valley = advance(reads.valley[*opening], reads.valley[*closing]);
                if (std::isnan(peak) || std::isnan(valley)) energy.tou_known = false;
                energy.peak += peak;
                energy.valley += valley;
                energy.flat += std::isnan(flat) ? total - peak - valley : flat;
                meter_evidence.push_back({{"meter_id", frame.meters.id[m]},
                                          {"opening", reads.read_on[*opening].to_string()},
                                          {"opening_value", reads.value[*opening]},
                                          {"closing", reads.read_on[*closing].to_string()},
                                          {"closing_value", reads.value[*closing]},
                                          {"multiplier", multiplier},
                                          {"kwh", total}});
            }
            if (!comparable) continue;
            const auto differs = [&](double billed, double read) {
                return !std::isnan(billed) && !std::isnan(read) &&
                       std::fabs(billed - read) > std::max(tolerance_kwh, tolerance_share * std::fabs(read));
            };
            nlohmann::json registers = nlohmann::json::object();
            const auto check = [&](const char* name, double billed, double read) {
                if (differs(billed, read)) registers[name] = {{"billed", billed}, {"read", read}, {"difference", billed - read}};
            };
            check("total", bills.kwh_total[b], energy.total);
            if (energy.tou_known) {
                check("peak", bills.kwh_peak[b], energy.peak);
                check("flat", bills.kwh_flat[b], energy.flat);
                check("valley", bills.kwh_valley[b], energy.valley);
            }
            if (registers.empty()) continue;
            const double missing_kwh = energy.total - bills.kwh_total[b];
            Finding finding = billing_finding(info_, frame, c, period.to_string());
            finding.severity = std::fabs(missing_kwh) > 0.2 * std::fabs(energy.total) ? Severity::high : Severity::medium;
            finding.summary = fmt::format("bill {} ({}) of customer {} bills {:.2f} kWh; its reads give {:.2f} kWh",
                                          bills.id[b], period.to_string(), frame.customers.id[c], bills.kwh_total[b],
                                          energy.total);
            finding.evidence_json = Evidence(info_)
                                        .text("bill_id", bills.id[b])
                                        .json("registers", std::move(registers))
                                        .json("meters", std::move(meter_evidence))
                                        .dump();
            if (!std::isnan(missing_kwh)) finding.kwh_at_risk = missing_kwh;
            if (const auto money = charge_for_reads(frame, c, b, energy)) finding.money_at_risk = *money;
            findings.push_back(std::move(finding));
        }
    }

private:
    // About what the bill should have charged more (or less): the month priced at the read energy
    // minus the billed total. The tier position is taken from the customer's earlier bills as
    // billed; nullopt when the tariff cannot price it.
    static std::optional<Money> charge_for_reads(const RegionFrame& frame, std::size_t c, std::size_t b,
                                                 const RegisterEnergy& energy) {
        if (!frame.tariffs) return std::nullopt;
        const BillColumns& bills = frame.bills;
        auto tariff = frame.tariffs->find(frame.customers.tariff_id[c], bills.period[b].last_day());
        if (!tariff) return std::nullopt;
        RegisterReadings readings;
        readings.total_kwh = energy.total;
        if (energy.tou_known) {
            readings.peak_kwh = energy.peak;
            readings.flat_kwh = energy.flat;
            readings.valley_kwh = energy.valley;
        } else if (bills.kwh_total[b] > 0) {
            const double scale = energy.total / bills.kwh_total[b];
            readings.peak_kwh = bills.kwh_peak[b] * scale;
            readings.flat_kwh = bills.kwh_flat[b] * scale;
            readings.valley_kwh = bills.kwh_valley[b] * scale;
        }
        auto period_kwh = period_kwh_from_registers(**tariff, readings);
        if (!period_kwh) return std::nullopt;
        CustomerTerms terms;
        terms.capacity_kva = frame.customers.contracted_kva[c];
        terms.pf_standard = customer_pf_standard(frame.customers.pf_standard[c]);
        terms.supply_start = frame.customers.supply_start[c];
        BillingState state;
        const BillRange range = bills_of_customer(bills, c);
        for (std::size_t earlier = range.begin; earlier < b; ++earlier) {
            if (bills.period[earlier].year() != bills.period[b].year()) continue;
            if (auto kwh = Quantity::from_double(bills.kwh_total[earlier])) state.tier_kwh_used += *kwh;
        }
        state.tier_year = bills.period[b].year();
        MonthUsage usage;
        usage.period = bills.period[b];
        usage.period_kwh = std::move(*period_kwh);
        usage.kvarh = bills.kvarh[b];
        usage.max_demand_kw = bills.demand_kw[b];
        usage.days_connected = days_connected(frame.customers, c, bills.period[b]);
        auto priced = price_month(**tariff, terms, usage, state);
        if (!priced) return std::nullopt;
        return priced->total - bills.total[b];
    }

    RuleInfo info_;
};

}  // namespace

std::unique_ptr<Rule> make_bill_energy_vs_reads_rule() { return std::make_unique<BillEnergyVsReadsRule>(); }

}  // namespace gridaudit
