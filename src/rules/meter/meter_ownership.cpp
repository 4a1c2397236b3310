// METER-OWNERSHIP: meters whose owner is not clear: in service on a closed customer, a gateway meter
// its node does not name, or one physical meter registered under two meter ids.
#include <fmt/format.h>

#include <algorithm>
#include <tuple>

#include "rules/evidence.hpp"
#include "rules/meter/meter_rules.hpp"
#include "rules/meter/meter_service.hpp"

namespace gridaudit {
namespace {

class MeterOwnershipRule final : public Rule {
public:
    MeterOwnershipRule() {
        info_.id = "METER-OWNERSHIP";
        info_.area = InspectionArea::METER;
        info_.title = "Meter without a clear owner";
        info_.description =
            "Every meter in service must belong to exactly one live account or be the gateway meter its node names. "
            "Three cases are flagged: a customer meter still in service although its customer is closed, or its "
            "supply ended more than grace_days ago (temporary supplies excepted: PROC-TEMPORARY-EXPIRED); a meter "
            "filed as a gateway of a node whose network record names another meter (a node naming none is "
            "MASTER-MISSING-LINK's); and two customer meters "
            "in service whose daily import registers are identical value for value over at least min_identical_days "
            "and advancing, which is one physical meter registered twice (as two assets, often on two accounts). "
            "Energy registered on a closed account's meter after the supply ended is the energy at risk. The "
            "metering team should remove the meter or correct the asset records.";
        info_.parameters = {
            {"grace_days", 30.0, "days", "Days after the supply end before a meter still in service is flagged."},
            {"excluded_categories", std::vector<std::string>{"temporary"}, "",
             "Customer categories whose ended supply is left to other rules."},
            {"min_identical_days", 30.0, "days", "Valid days two register series must share to be one meter."},
            {"lookback_days", 365.0, "days", "Window of daily registers compared."},
        };
        info_.evidence_fields = {"problem", "customer_id",   "customer_status", "supply_end",        "kwh_after_end",
                                 "node_id", "named_gateway", "same_as",         "same_as_customers", "identical_days"};
        info_.truth_anomalies = {"meter_after_supply_end", "gateway_not_named", "meter_registered_twice"};
    }

    const RuleInfo& info() const override { return info_; }

    void evaluate(const RuleContext& context, const RuleSettings& settings,
                  std::vector<Finding>& findings) const override {
        closed_owner(context, settings, findings);
        unnamed_gateway(context, findings);
        registered_twice(context, settings, findings);
    }

private:
    Finding finding_for(const MeterColumns& meters, std::size_t m, Severity severity, std::string summary,
                        const Evidence& evidence) const {
        Finding finding = finding_of(info_, "meter", meters.id[m]);
        finding.severity = severity;
        finding.summary = std::move(summary);
        finding.evidence_json = evidence.dump();
        return finding;
    }

    void closed_owner(const RuleContext& context, const RuleSettings& settings, std::vector<Finding>& findings) const {
        const RegionFrame& frame = context.frame;
        const MeterColumns& meters = frame.meters;
        const CustomerColumns& customers = frame.customers;
        const auto grace = static_cast<std::int32_t>(settings.number("grace_days"));
        const auto& excluded = settings.list("excluded_categories");
        for (std::size_t m = 0; m < meters.size(); ++m) {
            if (meters.is_gateway[m] || !in_service(meters, m, context.as_of)) continue;
            const std::uint32_t c = meters.customer[m].value();
            if (std::find(excluded.begin(), excluded.end(), customers.category[c]) != excluded.end()) continue;
            const auto& end = customers.supply_end[c];
            const bool closed = customers.status[c] == "closed";
            const bool ended = end && *end + grace < context.as_of;
            if (!ended && !(closed && !end)) continue;
            Evidence evidence(info_);
            evidence.text("problem", closed ? "customer_closed" : "supply_ended")
                .text("customer_id", customers.id[c])
                .text("customer_status", customers.status[c])
                .date("supply_end", end);
            // Energy the meter registered after the supply end (daily registers x multiplier).
            std::optional<double> after;
            if (end && frame.has_daily()) {
                const DailyMatrix& daily = frame.daily;
                const std::int32_t from = std::max<std::int32_t>(0, (*end + 1) - daily.first_day);
                const std::int32_t count = daily.day_count - from;
                if (count > 1) {
                    const double delta = registered_advance(
                        daily.import_register.data() + m * static_cast<std::size_t>(daily.day_count) + from, count);
                    if (!std::isnan(delta)) after = std::max(0.0, delta) * meters.multiplier[m];
                }
            }
            evidence.number("kwh_after_end", after);
            Finding finding = finding_for(
                meters, m, after && *after > 0 ? Severity::high : Severity::medium,
                fmt::format("Meter {} still in service on {} customer {}{}{}", meters.id[m], customers.status[c],
                            customers.id[c], end ? " whose supply ended " + end->to_string() : std::string(),
                            after && *after > 0 ? fmt::format(", {:.1f} kWh registered since", *after) : std::string()),
                evidence);
            if (after && *after > 0) finding.kwh_at_risk = *after;
            findings.push_back(std::move(finding));
        }
    }

    void unnamed_gateway(const RuleContext& context, std::vector<Finding>& findings) const {
        const RegionFrame& frame = context.frame;
        const MeterColumns& meters = frame.meters;
        for (std::size_t m = 0; m < meters.size(); ++m) {
            if (!meters.is_gateway[m] || !in_service(meters, m, context.as_of)) continue;
            const std::uint32_t n = meters.node[m].value();
            // A node that names no gateway at all is an area without gateway (MASTER-MISSING-LINK).
            const MeterIndex named = frame.network.gateway_meter[n];
            if (!named.valid() || named.value() == m) continue;
            const std::string& named_id = meters.id[named.value()];
            findings.push_back(
                finding_for(meters, m, Severity::medium,
                            fmt::format("Gateway meter {} is filed on node {}, which names {} as its gateway",
                                        meters.id[m], frame.network.id[n], named_id),
                            Evidence(info_)
                                .text("problem", "gateway_not_named")
                                .text("node_id", frame.network.id[n])
                                .text("named_gateway", named_id)));
        }
    }

    // Customer meters in service with identical, advancing daily import series. Keyed by the first and
    // last valid value and their days (found from the ends of each row, so the key costs a few reads),
    // sorted, and compared value for value only within a key: linear in meters, not in pairs.
    void registered_twice(const RuleContext& context, const RuleSettings& settings,
                          std::vector<Finding>& findings) const {
        const RegionFrame& frame = context.frame;
        if (!frame.has_daily()) return;
        const MeterColumns& meters = frame.meters;
        const DailyMatrix& daily = frame.daily;
        const std::int32_t days =
            std::min(static_cast<std::int32_t>(settings.number("lookback_days")), daily.day_count);
        const std::int32_t from = daily.day_count - days;
        const auto min_days = static_cast<std::int32_t>(settings.number("min_identical_days"));
        const auto row = [&](std::size_t m) {
            return daily.import_register.data() + m * static_cast<std::size_t>(daily.day_count) + from;
        };
        struct Key {
            double first_value, last_value;
            std::int32_t first_day, last_day;
            std::uint32_t meter;
            [[nodiscard]] auto tied() const { return std::tie(first_value, last_value, first_day, last_day); }
        };
        std::vector<Key> keyed;
        for (std::size_t m = 0; m < meters.size(); ++m) {
            if (meters.is_gateway[m] || !in_service(meters, m, context.as_of)) continue;
            const double* values = row(m);
            std::int32_t first = 0;
            while (first < days && std::isnan(values[first])) ++first;
            std::int32_t last = days - 1;
            while (last > first && std::isnan(values[last])) --last;
            if (last - first + 1 < min_days || !(values[last] > values[first])) continue;  // short, or not advancing
            keyed.push_back(Key{values[first], values[last], first, last, static_cast<std::uint32_t>(m)});
        }
        std::sort(keyed.begin(), keyed.end(), [](const Key& a, const Key& b) {
            return std::make_tuple(a.first_value, a.last_value, a.first_day, a.last_day, a.meter) <
                   std::make_tuple(b.first_value, b.last_value, b.first_day, b.last_day, b.meter);
        });
        std::vector<std::uint32_t> group;
        for (std::size_t i = 0; i < keyed.size();) {
            std::size_t j = i + 1;
            while (j < keyed.size() && keyed[j].tied() == keyed[i].tied()) ++j;
            if (j - i > 1) {
                group.clear();
                for (std::size_t k = i; k < j; ++k) group.push_back(keyed[k].meter);
                report_twins(context, group, row, days, min_days, findings);
            }
            i = j;
        }
    }

    template <class Row>
    void report_twins(const RuleContext& context, const std::vector<std::uint32_t>& group, const Row& row,
                      std::int32_t days, std::int32_t min_days, std::vector<Finding>& findings) const {
        const RegionFrame& frame = context.frame;
        const MeterColumns& meters = frame.meters;
        const auto identical = [&](std::size_t a, std::size_t b) {
            const double* x = row(a);
            const double* y = row(b);
            for (std::int32_t d = 0; d < days; ++d)
                if (std::isnan(x[d]) != std::isnan(y[d]) || (!std::isnan(x[d]) && x[d] != y[d])) return false;
            return true;
        };
        // The most recently registered meter of each identical set is the duplicate; it names the others.
        std::vector<bool> done(group.size(), false);
        for (std::size_t i = 0; i < group.size(); ++i) {
            if (done[i]) continue;
            std::vector<std::uint32_t> twins{group[i]};
            for (std::size_t k = i + 1; k < group.size(); ++k)
                if (!done[k] && identical(group[i], group[k])) {
                    twins.push_back(group[k]);
                    done[k] = true;
                }
            if (twins.size() < 2) continue;
            const auto later = [&](std::uint32_t a, std::uint32_t b) {
                return std::tie(meters.installed_on[a], meters.id[a]) < std::tie(meters.installed_on[b], meters.id[b]);
            };
            std::sort(twins.begin(), twins.end(), later);
            const std::uint32_t duplicate = twins.back();
            std::vector<std::string> others, owners;
            for (std::size_t t = 0; t + 1 < twins.size(); ++t) {
                others.push_back(meters.id[twins[t]]);
                owners.push_back(frame.customers.id[meters.customer[twins[t]].value()]);
            }
            std::int32_t valid = 0;
            for (std::int32_t d = 0; d < days; ++d) valid += std::isnan(row(duplicate)[d]) ? 0 : 1;
            if (valid < min_days) continue;
            const std::string& owner = frame.customers.id[meters.customer[duplicate].value()];
            findings.push_back(finding_for(
                meters, duplicate, Severity::high,
                fmt::format("Meter {} (customer {}) reads exactly as meter {} (customer {}) on {} days: one meter "
                            "registered twice",
                            meters.id[duplicate], owner, fmt::join(others, ", "), fmt::join(owners, ", "), valid),
                Evidence(info_)
                    .text("problem", "registered_twice")
                    .text("customer_id", owner)
                    .texts("same_as", others)
                    .texts("same_as_customers", owners)
                    .integer("identical_days", valid)));
        }
    }

    // Advance of a register series from its first to its last valid value; NaN without two values.
    static double registered_advance(const double* values, std::int32_t count) {
        std::int32_t first = 0;
        while (first < count && std::isnan(values[first])) ++first;
        std::int32_t last = count - 1;
        while (last > first && std::isnan(values[last])) --last;
        return first >= last ? std::nan("") : values[last] - values[first];
    }

    RuleInfo info_;
};

}  // namespace

std::unique_ptr<Rule> make_meter_ownership_rule() {
    return std::make_unique<MeterOwnershipRule>();
}

}  // namespace gridaudit
