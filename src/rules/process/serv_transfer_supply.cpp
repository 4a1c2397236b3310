// SERV-TRANSFER-SUPPLY: accounts that appear to resupply others (转供电): a consumption sustained near
// the contracted capacity, or several meters in service at once under one account.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "rules/evidence.hpp"
#include "rules/process/process_rules.hpp"
#include "rules/process/process_scope.hpp"

namespace gridaudit {
namespace {

class ServTransferSupplyRule final : public Rule {
public:
    ServTransferSupplyRule() {
        info_.id = "SERV-TRANSFER-SUPPLY";
        info_.area = InspectionArea::SERV;
        info_.title = "Account that appears to resupply others (转供电)";
        info_.description =
            "A landlord, market or park operator that takes supply on one account and resells it to tenants "
            "(转供电) shows two signs in the data: its consumption is the sum of many households or shops, so it "
            "stays high around the clock and all year, near what its contracted capacity can deliver; or it has "
            "several meters in service at once (sub-meters registered under one account). The first sign is "
            "measured as the load factor, the average daily energy over the look-back window divided by the "
            "contracted capacity x 24 h, together with the share of days whose own load factor stays high (a "
            "sustained level, not a seasonal peak); energy is the daily import registers x CT x PT ratio, so a "
            "mistyped multiplier does not raise it. Accounts with too few days of data are judged on the meters "
            "only. Tenants resupplied this way pay a surcharge above the regulated price, which regulators ask "
            "utilities to find and convert to direct supply.";
        info_.parameters = {
            {"categories", std::vector<std::string>{"commercial", "industrial", "agricultural"}, "",
             "Categories judged on their load factor (large industrial plants run near capacity by design)."},
            {"window_days", 365.0, "days", "Look-back window of daily registers ending on the audit day."},
            {"min_days", 30.0, "days", "Days with a register advance needed to judge the load factor."},
            {"min_load_factor", 0.55, "",
             "Average daily energy / (contracted kVA x 24 h) from which the load "
             "counts as sustained near capacity."},
            {"day_load_factor", 0.3, "", "A day's own load factor that counts as a high day."},
            {"min_high_share", 0.8, "", "Share of days at or above day_load_factor needed as well."},
            {"min_meters", 3.0, "meters", "Meters in service at once under one account that count as sub-meters."},
        };
        info_.evidence_fields = {"category",    "contracted_kva", "load_factor",       "high_day_share", "days",
                                 "kwh_per_day", "weekend_ratio",  "meters_in_service", "indicators"};
        info_.truth_anomalies = {"transfer_supply"};
    }

    const RuleInfo& info() const override { return info_; }

    void evaluate(const RuleContext& context, const RuleSettings& settings,
                  std::vector<Finding>& findings) const override {
        const RegionFrame& frame = context.frame;
        const CustomerColumns& customers = frame.customers;
        const MeterColumns& meters = frame.meters;
        const auto& categories = settings.list("categories");
        const auto window = static_cast<std::int32_t>(settings.number("window_days"));
        const double min_days = settings.number("min_days");
        const double min_load_factor = settings.number("min_load_factor");
        const double day_load_factor = settings.number("day_load_factor");
        const double min_high_share = settings.number("min_high_share");
        const auto min_meters = static_cast<std::size_t>(settings.number("min_meters"));
        const CustomerOrders meters_of = meters_by_customer(meters, customers.size());
        // Days of the daily matrix in the window (index range [from, to]).
        std::int32_t from = 0, to = -1;
        if (frame.has_daily()) {
            to = std::min(frame.daily.day_count - 1, context.as_of - frame.daily.first_day);
            from = std::max(1, to - window + 1);  // day 0 has no register before it
        }
        std::vector<double> day_kwh(static_cast<std::size_t>(std::max(0, to - from + 1)));
        std::vector<std::pair<CivilDate, int>> changes;  // meter installations (+1) and removals (-1)
        for (std::size_t c = 0; c < customers.size(); ++c) {
            if (customers.status[c] != "active") continue;
            std::vector<std::string> indicators;
            // Meters in service at once.
            changes.clear();
            for (std::uint32_t i = meters_of.first[c]; i < meters_of.first[c + 1]; ++i) {
                const std::uint32_t m = meters_of.rows[i];
                changes.emplace_back(meters.installed_on[m], 1);
                if (meters.removed_on[m]) changes.emplace_back(*meters.removed_on[m], -1);
            }
            std::sort(changes.begin(), changes.end());  // a removal sorts before an installation the same day
            int in_service = 0;
            std::size_t most_in_service = 0;
            for (const auto& [day, change] : changes) {
                in_service += change;
                most_in_service = std::max(most_in_service, static_cast<std::size_t>(std::max(0, in_service)));
            }
            if (min_meters > 0 && most_in_service >= min_meters)
                indicators.push_back(fmt::format("{} meters in service at once", most_in_service));

            // Load factor against the contracted capacity.
            const double kva = customers.contracted_kva[c];
            const bool judged =
                std::find(categories.begin(), categories.end(), customers.category[c]) != categories.end();
            double load_factor = std::nan(""), high_share = std::nan(""), weekend_ratio = std::nan("");
            int days = 0;
            if (judged && kva > 0 && !day_kwh.empty()) {
                std::fill(day_kwh.begin(), day_kwh.end(), std::nan(""));
                for (std::uint32_t i = meters_of.first[c]; i < meters_of.first[c + 1]; ++i) {
                    const std::uint32_t m = meters_of.rows[i];
                    const double factor = register_factor(meters, m);
                    for (std::int32_t d = from; d <= to; ++d) {
                        const double advance = frame.daily.import_at(m, d) - frame.daily.import_at(m, d - 1);
                        if (!(advance >= 0)) continue;  // missing, or a register that went down
                        double& slot = day_kwh[static_cast<std::size_t>(d - from)];
                        slot = (std::isnan(slot) ? 0.0 : slot) + advance * factor;
                    }
                }
                double total = 0, weekday = 0, weekend = 0;
                int high = 0, weekdays = 0, weekends = 0;
                for (std::size_t i = 0; i < day_kwh.size(); ++i) {
                    if (std::isnan(day_kwh[i])) continue;
                    ++days;
                    total += day_kwh[i];
                    if (day_kwh[i] >= day_load_factor * kva * 24) ++high;
                    const CivilDate day = frame.daily.first_day + (from + static_cast<std::int32_t>(i));
                    if (day.weekday_from_monday() >= 5) {
                        weekend += day_kwh[i];
                        ++weekends;
                    } else {
                        weekday += day_kwh[i];
                        ++weekdays;
                    }
                }
                if (days >= min_days) {
                    load_factor = total / days / (kva * 24);
                    high_share = static_cast<double>(high) / days;
                    if (weekdays > 0 && weekends > 0 && weekday > 0)
                        weekend_ratio = (weekend / weekends) / (weekday / weekdays);
                    if (load_factor >= min_load_factor && high_share >= min_high_share)
                        indicators.push_back(fmt::format("load factor {:.2f} of {} kVA, {:.0f} % of days above {:.2f}",
                                                         load_factor, kva, 100 * high_share, day_load_factor));
                }
            }
            if (indicators.empty()) continue;

            Finding finding = finding_of(info_, "customer", customers.id[c]);
            finding.severity = Severity::medium;
            finding.summary = fmt::format("customer {} ({}, {} kVA) appears to resupply others: {}", customers.id[c],
                                          customers.category[c], kva, fmt::join(indicators, "; "));
            finding.evidence_json = Evidence(info_)
                                        .text("category", customers.category[c])
                                        .number("contracted_kva", kva)
                                        .number("load_factor", load_factor)
                                        .number("high_day_share", high_share)
                                        .integer("days", days)
                                        .number("kwh_per_day", days > 0 ? load_factor * kva * 24 : NAN)
                                        .number("weekend_ratio", weekend_ratio)
                                        .integer("meters_in_service", static_cast<std::int64_t>(most_in_service))
                                        .texts("indicators", indicators)
                                        .dump();
            findings.push_back(std::move(finding));
        }
    }

private:
    RuleInfo info_;
};

}  // namespace

std::unique_ptr<Rule> make_serv_transfer_supply_rule() {
    return std::make_unique<ServTransferSupplyRule>();
}

}  // namespace gridaudit
