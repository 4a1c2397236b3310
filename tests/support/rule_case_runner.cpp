// Builds a RegionFrame from a case's directives, runs the catalogue, collects the findings.
#include "support/rule_case_runner.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "model/import_contract.hpp"
#include "rules/catalogue.hpp"

namespace gridaudit::testing {
namespace {

using Attributes = std::map<std::string, std::string>;

Attributes parse_attributes(std::istringstream& words) {
    Attributes attributes;
    std::string word;
    while (words >> word) {
        const auto equals = word.find('=');
        if (equals == std::string::npos) continue;
        attributes[word.substr(0, equals)] = word.substr(equals + 1);
    }
    return attributes;
}

std::string get(const Attributes& attributes, const std::string& key, const std::string& fallback) {
    const auto found = attributes.find(key);
    return found == attributes.end() ? fallback : found->second;
}

double number(const Attributes& attributes, const std::string& key, double fallback) {
    const auto found = attributes.find(key);
    return found == attributes.end() ? fallback : std::stod(found->second);
}

std::optional<CivilDate> date(const Attributes& attributes, const std::string& key) {
    const auto found = attributes.find(key);
    if (found == attributes.end() || found->second.empty()) return std::nullopt;
    return CivilDate::parse(found->second);
}

struct CaseBuilder {
    std::string name;
    int line = 0;
    CivilDate as_of = *CivilDate::parse("2026-10-31");
    std::vector<std::string> rules;
    std::string policy_text;
    std::vector<std::pair<std::string, Attributes>> nodes, customers, meters;
    std::vector<std::string> expected;
};

RegionFrame build_frame(const CaseBuilder& builder) {
    RegionFrame frame;
    std::map<std::string, std::uint32_t> node_index, customer_index;
    for (const auto& [id, a] : builder.nodes) {
        node_index[id] = static_cast<std::uint32_t>(frame.network.size());
        frame.network.id.push_back(id);
        const std::string kind = get(a, "kind", "area");
        frame.network.kind.push_back(kind == "substation" ? NodeKind::substation
                                     : kind == "bus"      ? NodeKind::bus
                                     : kind == "feeder"   ? NodeKind::feeder
                                                          : NodeKind::area);
        frame.network.name.push_back(id);
        frame.network.rated_kva.push_back(number(a, "rated_kva", std::nan("")));
    }
    for (const auto& [id, a] : builder.nodes) {
        const auto parent = node_index.find(get(a, "parent", ""));
        frame.network.parent.push_back(parent == node_index.end() ? NodeIndex() : NodeIndex(parent->second));
        frame.network.gateway_meter.push_back(MeterIndex());
    }
    for (const auto& [id, a] : builder.customers) {
        customer_index[id] = static_cast<std::uint32_t>(frame.customers.size());
        frame.customers.id.push_back(id);
        frame.customers.node.push_back(NodeIndex(node_index.at(get(a, "node", ""))));
        frame.customers.category.push_back(get(a, "category", "residential"));
        frame.customers.voltage_kv.push_back(number(a, "voltage_kv", 0.22));
        frame.customers.contracted_kva.push_back(number(a, "contracted_kva", 8));
        frame.customers.tariff_id.push_back(get(a, "tariff", "RES"));
        frame.customers.pf_standard.push_back(number(a, "pf_standard", std::nan("")));
        frame.customers.status.push_back(get(a, "status", "active"));
        frame.customers.supply_start.push_back(date(a, "supply_start").value_or(*CivilDate::parse("2015-01-01")));
        frame.customers.supply_end.push_back(date(a, "supply_end"));
        frame.max_monthly_kwh.push_back(number(a, "monthly_kwh", std::nan("")));
    }
    const std::int32_t days = 60;
    bool any_daily = false;
    for (const auto& [id, a] : builder.meters) any_daily |= a.contains("daily");
    if (any_daily) {
        frame.daily.first_day = builder.as_of - (days - 1);
        frame.daily.day_count = days;
    }
    for (const auto& [id, a] : builder.meters) {
        MeterColumns& m = frame.meters;
        const std::size_t index = m.size();
        m.id.push_back(id);
        const std::string customer = get(a, "customer", "");
        if (!customer.empty()) {
            const std::uint32_t c = customer_index.at(customer);
            m.customer.push_back(CustomerIndex(c));
            m.node.push_back(frame.customers.node[c]);
            m.is_gateway.push_back(false);
        } else {
            const std::uint32_t n = node_index.at(get(a, "node", ""));
            m.customer.push_back(CustomerIndex());
            m.node.push_back(NodeIndex(n));
            m.is_gateway.push_back(true);
            frame.network.gateway_meter[n] = MeterIndex(static_cast<std::uint32_t>(index));
        }
        m.model.push_back(get(a, "model", "DDZY71"));
        m.accuracy_class.push_back(get(a, "accuracy_class", "2.0"));
        m.phases.push_back(static_cast<int>(number(a, "phases", 1)));
        m.rated_current.push_back(number(a, "rated_current", 5));
        m.ct_ratio_text.push_back(get(a, "ct_ratio", "1"));
        m.pt_ratio_text.push_back(get(a, "pt_ratio", "1"));
        m.ct_ratio.push_back(ratio_value(m.ct_ratio_text.back()));
        m.pt_ratio.push_back(ratio_value(m.pt_ratio_text.back()));
        m.ct_class.push_back(get(a, "ct_class", ""));
        m.pt_class.push_back(get(a, "pt_class", ""));
        m.multiplier.push_back(number(a, "multiplier", 1));
        m.installed_on.push_back(date(a, "installed_on").value_or(*CivilDate::parse("2022-01-01")));
        m.last_tested_on.push_back(date(a, "last_tested_on"));
        m.removed_on.push_back(date(a, "removed_on"));
        if (any_daily) {
            frame.daily.meter_ids.push_back(id);
            const std::string daily = get(a, "daily", "");
            const auto colon = daily.find(':');
            for (std::int32_t d = 0; d < days; ++d) {
                const double value = daily.empty() ? std::nan("")
                                                   : std::stod(daily.substr(0, colon)) +
                                                         d * std::stod(daily.substr(colon + 1));
                frame.daily.import_register.push_back(value);
                frame.daily.export_register.push_back(0);
            }
        }
    }
    return frame;
}

RuleCaseOutcome run_case(const std::string& file, const CaseBuilder& builder, const Catalogue& catalogue) {
    RuleCaseOutcome outcome{file, builder.name, builder.line, builder.expected, {}, {}};
    std::sort(outcome.expected.begin(), outcome.expected.end());
    auto policy = Policy::parse(builder.policy_text, file);
    if (!policy) {
        outcome.error = policy.error().message();
        return outcome;
    }
    for (const auto& id : builder.rules)
        if (!catalogue.find(id)) {
            outcome.error = "`rules` names " + id + ", which the catalogue does not have";
            return outcome;
        }
    if (auto checked = catalogue.check_policy(*policy); !checked) {
        outcome.error = checked.error().message();
        return outcome;
    }
    const RegionFrame frame = build_frame(builder);
    const RuleContext context{frame, builder.as_of, std::nullopt};
    std::vector<Finding> findings;
    for (const auto& rule : catalogue.rules()) {
        if (!builder.rules.empty() &&
            std::find(builder.rules.begin(), builder.rules.end(), rule->info().id) == builder.rules.end())
            continue;
        const RuleSettings settings(rule->info(), *policy);
        if (settings.enabled()) rule->evaluate(context, settings, findings);
    }
    for (const auto& f : findings) outcome.actual.push_back(fmt::format("{} {} {}", f.rule_id, f.subject_kind, f.subject_id));
    std::sort(outcome.actual.begin(), outcome.actual.end());
    return outcome;
}

}  // namespace

std::vector<RuleCaseOutcome> run_rule_cases(const std::filesystem::path& folder, const Catalogue& catalogue) {
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(folder))
        if (entry.path().extension() == ".test") files.push_back(entry.path());
    std::sort(files.begin(), files.end());

    std::vector<RuleCaseOutcome> outcomes;
    for (const auto& path : files) {
        std::ifstream in(path);
        std::string text;
        std::optional<CaseBuilder> current;
        int line_number = 0;
        auto finish = [&] {
            if (current) outcomes.push_back(run_case(path.filename().string(), *current, catalogue));
            current.reset();
        };
        while (std::getline(in, text)) {
            ++line_number;
            const auto hash = text.find('#');
            const std::string content = hash == 0 ? "" : text;
            std::istringstream words(content);
            std::string directive;
            if (!(words >> directive)) continue;
            if (directive == "case") {
                finish();
                current.emplace();
                std::getline(words >> std::ws, current->name);
                current->line = line_number;
                continue;
            }
            if (!current) {
                outcomes.push_back({path.filename().string(), "", line_number, {}, {}, "directive before `case`"});
                continue;
            }
            std::string id;
            if (directive == "as_of") {
                words >> id;
                current->as_of = CivilDate::parse(id).value_or(current->as_of);
            } else if (directive == "rules") {
                while (words >> id) current->rules.push_back(id);
            } else if (directive == "policy") {
                std::string rest;
                std::getline(words >> std::ws, rest);
                current->policy_text += rest + "\n";
            } else if (directive == "node" || directive == "customer" || directive == "meter") {
                words >> id;
                auto attributes = parse_attributes(words);
                auto& list = directive == "node" ? current->nodes : directive == "customer" ? current->customers
                                                                                             : current->meters;
                list.emplace_back(id, std::move(attributes));
            } else if (directive == "expect") {
                std::string rule, kind, subject;
                words >> rule >> kind >> subject;
                current->expected.push_back(fmt::format("{} {} {}", rule, kind, subject));
            } else {
                outcomes.push_back({path.filename().string(), current->name, line_number, {}, {},
                                    "unknown directive `" + directive + "`"});
            }
        }
        finish();
    }
    return outcomes;
}

}  // namespace gridaudit::testing
