// MASTER-MISSING-LINK: customers, meters and areas missing the link that the balance, the billing
// and the metering checks need.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "rules/evidence.hpp"
#include "rules/master/master_rules.hpp"

namespace gridaudit {
namespace {

class MasterMissingLinkRule final : public Rule {
public:
    MasterMissingLinkRule() {
        info_.id = "MASTER-MISSING-LINK";
        info_.area = InspectionArea::PROC;
        info_.title = "Master data missing a link";
        info_.description =
            "Records without the link other checks rely on: a low-voltage customer (below the high-voltage "
            "threshold) recorded on a node that is not a transformer area, so no area balance counts it; an "
            "active customer without any meter in service on the audit day; a transformer area without a gateway "
            "meter named in the network records, so its line loss (and its feeder's) cannot be computed (a gateway "
            "meter installed on it but not named is listed with it). A gateway meter beside the one its node names is "
            "METER-OWNERSHIP's.";
        info_.parameters = {
            {"high_voltage_kv", 1.0, "kV", "Supply voltage from which a customer may hang on a feeder."},
        };
        info_.evidence_fields = {"problem", "node_id", "node_kind", "voltage_kv", "unnamed_gateway_meters"};
        info_.truth_anomalies = {"missing_link"};
    }

    const RuleInfo& info() const override { return info_; }

    void evaluate(const RuleContext& context, const RuleSettings& settings,
                  std::vector<Finding>& findings) const override {
        const RegionFrame& frame = context.frame;
        const auto add = [&](std::string kind, std::string id, std::string problem, std::string summary,
                             Evidence evidence) {
            Finding finding = finding_of(info_, std::move(kind), std::move(id));
            finding.severity = Severity::medium;
            finding.summary = std::move(summary);
            evidence.text("problem", problem);
            finding.evidence_json = evidence.dump();
            findings.push_back(std::move(finding));
        };
        const CustomerColumns& customers = frame.customers;
        const MeterColumns& meters = frame.meters;
        std::vector<char> metered(customers.size(), 0);
        for (std::size_t m = 0; m < meters.size(); ++m) {
            if (!meters.customer[m].valid()) continue;
            const bool in_service = meters.installed_on[m] <= context.as_of &&
                                    (!meters.removed_on[m] || *meters.removed_on[m] > context.as_of);
            if (in_service) metered[meters.customer[m].value()] = 1;
        }
        const double high_voltage = settings.number("high_voltage_kv");
        for (std::size_t c = 0; c < customers.size(); ++c) {
            const std::size_t node = customers.node[c].value();
            if (customers.voltage_kv[c] < high_voltage && frame.network.kind[node] != NodeKind::area)
                add("customer", customers.id[c], "not_under_an_area",
                    fmt::format("low-voltage customer {} ({} kV) is recorded on {}, which is not a transformer area",
                                customers.id[c], customers.voltage_kv[c], frame.network.id[node]),
                    Evidence(info_)
                        .text("node_id", frame.network.id[node])
                        .number("voltage_kv", customers.voltage_kv[c]));
            else if (customers.status[c] == "active" && !metered[c])
                add("customer", customers.id[c], "no_meter",
                    fmt::format("active customer {} has no meter in service on {}", customers.id[c],
                                context.as_of.to_string()),
                    Evidence(info_).text("node_id", frame.network.id[node]));
        }
        // Gateway meters installed on each node, and which meters a node names as its gateway.
        std::vector<char> named_gateway(meters.size(), 0);
        std::vector<std::vector<std::string>> installed_gateways(frame.network.size());
        for (std::size_t n = 0; n < frame.network.size(); ++n)
            if (frame.network.gateway_meter[n].valid()) named_gateway[frame.network.gateway_meter[n].value()] = 1;
        for (std::size_t m = 0; m < meters.size(); ++m) {
            const bool removed = meters.removed_on[m] && *meters.removed_on[m] <= context.as_of;
            if (meters.is_gateway[m] && !named_gateway[m] && !removed)
                installed_gateways[meters.node[m].value()].push_back(meters.id[m]);
        }
        for (std::size_t n = 0; n < frame.network.size(); ++n) {
            const auto& unnamed = installed_gateways[n];
            if (!frame.network.gateway_meter[n].valid() && frame.network.kind[n] == NodeKind::area)
                add("node", frame.network.id[n], "area_without_gateway",
                    unnamed.empty()
                        ? fmt::format("transformer area {} has no gateway meter: its line loss cannot be computed",
                                      frame.network.id[n])
                        : fmt::format("transformer area {} names no gateway meter although {} is installed on it: "
                                      "its line loss cannot be computed",
                                      frame.network.id[n], fmt::join(unnamed, ", ")),
                    Evidence(info_)
                        .text("node_id", frame.network.id[n])
                        .text("node_kind", "area")
                        .texts("unnamed_gateway_meters", unnamed));
        }
    }

private:
    RuleInfo info_;
};

}  // namespace

std::unique_ptr<Rule> make_master_missing_link_rule() { return std::make_unique<MasterMissingLinkRule>(); }

void add_master_rules(Catalogue& catalogue) {
    catalogue.add(make_master_missing_link_rule());
    catalogue.add(make_master_duplicate_customer_rule());
}

}  // namespace gridaudit
