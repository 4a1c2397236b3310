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
#include "rules/reading/billing_reads.hpp"
#include "tariff/tariff_book.hpp"

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

// A step instant: ISO 8601, or a bare date meaning 09:00 at +08:00; nullopt when absent or empty.
std::optional<Instant> instant(const Attributes& attributes, const std::string& key) {
    const auto found = attributes.find(key);
    if (found == attributes.end() || found->second.empty()) return std::nullopt;
    if (found->second.size() == 10) return Instant::parse(found->second + "T09:00:00+08:00");
    return Instant::parse(found->second);
}

struct CaseBuilder {
    std::filesystem::path folder;  // of the case file, for `tariff` paths
    std::string name;
    int line = 0;
    CivilDate as_of = *CivilDate::parse("2026-10-31");
    std::vector<std::string> rules;
    std::string policy_text;
    std::vector<std::pair<std::string, Attributes>> nodes, customers, meters, bills, payments, collections,
        work_orders, events;
    std::vector<std::tuple<std::string, std::string, std::string, Attributes>> reads;  // meter, day, value
    std::vector<std::string> tariff_files;
    std::vector<std::string> expected;
};

std::optional<Money> money(const Attributes& attributes, const std::string& key) {
    const auto found = attributes.find(key);
    if (found == attributes.end() || found->second.empty()) return std::nullopt;
    return Money::parse(found->second);
}

PaymentStatus payment_status(const std::string& code) {
    if (code == "paid") return PaymentStatus::paid;
    if (code == "partial") return PaymentStatus::partial;
    if (code == "unpaid") return PaymentStatus::unpaid;
    return PaymentStatus::not_stated;
}

// Bills, payments, reads and tariffs of a case into the frame (after customers and meters).
std::string add_billing(const CaseBuilder& builder, const std::map<std::string, std::uint32_t>& customer_index,
                        RegionFrame& frame) {
    std::vector<TariffDocument> documents;
    for (const auto& file : builder.tariff_files) {
        std::ifstream in(builder.folder / file);
        if (!in) return "cannot read tariff file " + file;
        std::stringstream content;
        content << in.rdbuf();
        documents.push_back(TariffDocument{"", file, content.str(), ""});
    }
    if (!documents.empty()) {
        auto book = TariffBook::from_documents(documents);
        if (!book) return book.error().message();
        frame.tariffs = std::make_shared<const TariffBook>(std::move(*book));
    }
    // Bills, sorted by customer then period.
    auto bills = builder.bills;
    std::stable_sort(bills.begin(), bills.end(), [&](const auto& a, const auto& b) {
        return std::make_pair(customer_index.at(get(a.second, "customer", "")), get(a.second, "period", "")) <
               std::make_pair(customer_index.at(get(b.second, "customer", "")), get(b.second, "period", ""));
    });
    BillColumns& columns = frame.bills;
    std::map<std::string, std::uint32_t> bill_index;
    for (const auto& [id, a] : bills) {
        bill_index[id] = static_cast<std::uint32_t>(columns.size());
        columns.id.push_back(id);
        columns.customer.push_back(CustomerIndex(customer_index.at(get(a, "customer", ""))));
        columns.period.push_back(*Period::parse(get(a, "period", "2026-09")));
        columns.kwh_total.push_back(number(a, "kwh", 0));
        columns.kwh_peak.push_back(number(a, "peak", std::nan("")));
        columns.kwh_flat.push_back(number(a, "flat", std::nan("")));
        columns.kwh_valley.push_back(number(a, "valley", std::nan("")));
        columns.kvarh.push_back(number(a, "kvarh", std::nan("")));
        columns.demand_kw.push_back(number(a, "demand", std::nan("")));
        const Money energy = money(a, "energy").value_or(Money());
        columns.energy_charge.push_back(energy);
        columns.basic_charge.push_back(money(a, "basic"));
        columns.pf_adjustment.push_back(money(a, "pf"));
        columns.surcharges.push_back(money(a, "surcharges"));
        columns.fixed_charges.push_back(money(a, "fixed"));
        columns.other_charges.push_back(money(a, "other"));
        columns.other_charges_item.push_back(get(a, "item", ""));
        Money sum = energy;
        for (const auto* part : {&columns.basic_charge.back(), &columns.pf_adjustment.back(),
                                 &columns.surcharges.back(), &columns.fixed_charges.back(),
                                 &columns.other_charges.back()})
            sum += part->value_or(Money());
        columns.total.push_back(money(a, "total").value_or(sum));
        columns.issued_on.push_back(date(a, "issued_on").value_or(columns.period.back().last_day() + 3));
        columns.due_on.push_back(date(a, "due_on").value_or(columns.period.back().last_day() + 18));
        columns.payment_status.push_back(payment_status(get(a, "status", "")));
    }
    columns.first_of_customer.assign(frame.customers.size() + 1, 0);
    for (const CustomerIndex c : columns.customer) ++columns.first_of_customer[c.value() + 1];
    for (std::size_t c = 0; c < frame.customers.size(); ++c)
        columns.first_of_customer[c + 1] += columns.first_of_customer[c];
    for (const auto& [id, a] : builder.payments) {
        PaymentColumns& p = frame.payments;
        p.id.push_back(id);
        const std::string bill = get(a, "bill", "");
        p.bill_id.push_back(bill);
        p.bill.push_back(bill_index.contains(bill) ? BillIndex(bill_index.at(bill)) : BillIndex());
        const std::string customer = get(a, "customer", "");
        p.customer.push_back(customer_index.contains(customer) ? CustomerIndex(customer_index.at(customer))
                                                               : CustomerIndex());
        p.paid_on.push_back(*date(a, "paid_on"));
        p.amount.push_back(money(a, "amount").value_or(Money()));
        p.channel.push_back(get(a, "channel", "online"));
        p.late_fee.push_back(money(a, "late_fee"));
        p.late_fee_waiver.push_back(get(a, "waiver", ""));
    }
    std::map<std::string, std::uint32_t> meter_index;
    for (std::size_t m = 0; m < frame.meters.size(); ++m) meter_index[frame.meters.id[m]] = static_cast<std::uint32_t>(m);
    for (const auto& [meter, day, value, a] : builder.reads) {
        const std::string source = get(a, "source", "ami");
        frame.billing_reads.push(MeterIndex(meter_index.at(meter)), *CivilDate::parse(day), std::stod(value),
                                 source == "manual"      ? ReadSource::manual
                                 : source == "estimated" ? ReadSource::estimated
                                                         : ReadSource::ami,
                                 get(a, "reader", ""), "", number(a, "peak", std::nan("")),
                                 number(a, "flat", std::nan("")), number(a, "valley", std::nan("")));
    }
    sort_billing_reads(frame.billing_reads);
    return "";
}

CollectionColumns collections_of(const CaseBuilder& builder) {
    CollectionColumns collections;
    for (const auto& [day, a] : builder.collections) {
        collections.day.push_back(*CivilDate::parse(day));
        collections.channel.push_back(get(a, "channel", "online"));
        collections.payments.push_back(static_cast<std::int64_t>(number(a, "payments", 0)));
        collections.amount.push_back(money(a, "amount").value_or(Money()));
    }
    return collections;
}

RegionFrame build_frame(const CaseBuilder& builder, std::string& problem) {
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
        frame.network.unit_id.push_back(get(a, "unit", ""));
    }
    for (const auto& [id, a] : builder.nodes) {
        const auto parent = node_index.find(get(a, "parent", ""));
        frame.network.parent.push_back(parent == node_index.end() ? NodeIndex() : NodeIndex(parent->second));
        frame.network.gateway_meter.push_back(MeterIndex());
    }
    for (const auto& [id, a] : builder.customers) {
        customer_index[id] = static_cast<std::uint32_t>(frame.customers.size());
        frame.customers.id.push_back(id);
        const auto spaced = [](std::string text) {  // `_` stands for a space in a case file
            std::replace(text.begin(), text.end(), '_', ' ');
            return text;
        };
        frame.customers.name.push_back(spaced(get(a, "name", id)));
        frame.customers.address.push_back(spaced(get(a, "address", "")));
        frame.customers.unit_id.push_back(get(a, "unit", ""));
        frame.customers.node.push_back(NodeIndex(node_index.at(get(a, "node", ""))));
        frame.customers.industry.push_back(get(a, "industry", ""));
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
            if (get(a, "named", "true") != "false")  // the node names it as its gateway
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
    problem = add_billing(builder, customer_index, frame);
    // Work orders, in their listed order (cases list them by acceptance).
    for (const auto& [id, a] : builder.work_orders) {
        WorkOrderColumns& w = frame.work_orders;
        const std::string customer = get(a, "customer", "");
        const auto accepted = instant(a, "accepted_at");
        if (!accepted || (!customer.empty() && !customer_index.contains(customer))) {
            if (problem.empty()) problem = "work_order " + id + ": no accepted_at, or an unknown customer";
            continue;
        }
        w.id.push_back(id);
        w.customer.push_back(customer.empty() ? CustomerIndex() : CustomerIndex(customer_index.at(customer)));
        w.customer_id.push_back(customer);
        w.type.push_back(get(a, "type", "new_connection"));
        w.segment.push_back(get(a, "segment", "residential"));
        w.accepted_at.push_back(*accepted);
        w.plan_at.push_back(instant(a, "plan_at"));
        w.design_at.push_back(instant(a, "design_at"));
        w.checked_at.push_back(instant(a, "checked_at"));
        w.connected_at.push_back(instant(a, "connected_at"));
        w.closed_at.push_back(instant(a, "closed_at"));
        w.staff_id.push_back(get(a, "staff", ""));
        w.old_value.push_back(get(a, "old", ""));
        w.new_value.push_back(get(a, "new", ""));
    }
    // Meter events (`event METER at=... code=... [phase=A] [duration=3600]`), ordered as the loader orders them.
    std::vector<std::tuple<std::uint32_t, Instant, std::string, std::string, double>> events;
    for (const auto& [meter, a] : builder.events) {
        const auto at = instant(a, "at");
        const auto found = std::find(frame.meters.id.begin(), frame.meters.id.end(), meter);
        if (!at || found == frame.meters.id.end()) {
            if (problem.empty()) problem = "event " + meter + ": no at, or an unknown meter";
            continue;
        }
        events.emplace_back(static_cast<std::uint32_t>(found - frame.meters.id.begin()), *at, get(a, "code", ""),
                            get(a, "phase", ""), number(a, "duration", std::nan("")));
    }
    std::stable_sort(events.begin(), events.end(), [](const auto& x, const auto& y) {
        return std::tie(std::get<0>(x), std::get<1>(x), std::get<2>(x)) <
               std::tie(std::get<0>(y), std::get<1>(y), std::get<2>(y));
    });
    for (const auto& [meter, at, code, phase, duration] : events) {
        MeterEventColumns& e = frame.meter_events;
        e.meter.push_back(MeterIndex(meter));
        e.at.push_back(at);
        e.day.push_back(at.civil_date(480));
        e.code.push_back(code);
        e.phase.push_back(phase);
        e.duration_s.push_back(duration);
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
    std::string problem;
    const std::vector<RegionFrame> frames{build_frame(builder, problem)};
    if (!problem.empty()) {
        outcome.error = problem;
        return outcome;
    }
    const CollectionColumns collections = collections_of(builder);
    const RuleContext context{frames.front(), builder.as_of, std::nullopt};
    const UtilityContext utility{frames, collections, builder.as_of, std::nullopt};
    std::vector<Finding> findings;
    for (const auto& rule : catalogue.rules()) {
        if (!builder.rules.empty() &&
            std::find(builder.rules.begin(), builder.rules.end(), rule->info().id) == builder.rules.end())
            continue;
        const RuleSettings settings(rule->info(), *policy);
        if (!settings.enabled()) continue;
        rule->evaluate(context, settings, findings);
        rule->evaluate_utility(utility, settings, findings);
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
                current->folder = path.parent_path();
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
            } else if (directive == "node" || directive == "customer" || directive == "meter" ||
                       directive == "bill" || directive == "payment" || directive == "collection" ||
                       directive == "work_order" || directive == "event") {
                words >> id;
                auto attributes = parse_attributes(words);
                auto& list = directive == "node"       ? current->nodes
                             : directive == "customer" ? current->customers
                             : directive == "meter"    ? current->meters
                             : directive == "bill"     ? current->bills
                             : directive == "payment"  ? current->payments
                             : directive == "work_order" ? current->work_orders
                             : directive == "event"      ? current->events
                                                       : current->collections;
                list.emplace_back(id, std::move(attributes));
            } else if (directive == "read") {
                std::string day, value;
                words >> id >> day >> value;
                current->reads.emplace_back(id, day, value, parse_attributes(words));
            } else if (directive == "tariff") {
                words >> id;
                current->tariff_files.push_back(id);
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
