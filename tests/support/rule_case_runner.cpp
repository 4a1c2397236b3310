// Builds a RegionFrame from a case's directives, runs the catalogue, collects the findings.
#include "support/rule_case_runner.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "model/import_contract.hpp"
#include "rules/catalogue.hpp"
#include "rules/evidence.hpp"
#include "rules/reading/billing_reads.hpp"
#include "tariff/tariff_book.hpp"

namespace gridaudit::testing {
namespace {

using Attributes = std::map<std::string, std::string>;

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
    std::string file;              // its name, for messages
    std::string name;
    int line = 0;
    CivilDate as_of = *CivilDate::parse("2026-10-31");
    std::vector<std::string> rules;
    std::string policy_text;
    std::vector<std::pair<std::string, Attributes>> nodes, customers, meters, bills, payments, collections, work_orders,
        events;
    std::vector<std::tuple<std::string, std::string, std::string, Attributes>> reads;  // meter, day, value
    std::vector<std::string> tariff_files;
    std::vector<std::pair<int, std::string>> expected;  // line, "RULE kind id"
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
        for (const auto* part :
             {&columns.basic_charge.back(), &columns.pf_adjustment.back(), &columns.surcharges.back(),
              &columns.fixed_charges.back(), &columns.other_charges.back()})
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
    for (std::size_t m = 0; m < frame.meters.size(); ++m)
        meter_index[frame.meters.id[m]] = static_cast<std::uint32_t>(m);
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
                const double value = daily.empty()
                                         ? std::nan("")
                                         : std::stod(daily.substr(0, colon)) + d * std::stod(daily.substr(colon + 1));
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

// What a case's findings miss (at the `expect` line) and have beyond its expectations (at the header).
std::vector<CaseFailure> compare(const CaseBuilder& builder, std::vector<std::string> actual) {
    std::vector<CaseFailure> failures;
    std::ranges::sort(actual);
    std::vector<std::string> expected;
    for (const auto& [line, finding] : builder.expected) {
        const auto found = std::ranges::find(actual, finding);
        if (found == actual.end()) {
            failures.push_back({line, "expected finding " + finding + " is missing"});
        } else {
            actual.erase(found);
        }
    }
    for (const auto& finding : actual) failures.push_back({builder.line, "unexpected finding " + finding});
    return failures;
}

std::vector<CaseFailure> run_case(const CaseBuilder& builder, const Catalogue& catalogue) {
    auto policy = Policy::parse(builder.policy_text, builder.file);
    if (!policy) return {{builder.line, policy.error().message()}};
    for (const auto& id : builder.rules)
        if (!catalogue.find(id)) return {{builder.line, "`rules` names " + id + ", which the catalogue does not have"}};
    if (auto checked = catalogue.check_policy(*policy); !checked) return {{builder.line, checked.error().message()}};
    std::string problem;
    const std::vector<RegionFrame> frames{build_frame(builder, problem)};
    if (!problem.empty()) return {{builder.line, problem}};
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
    std::vector<std::string> actual;
    for (const auto& f : findings) actual.push_back(fmt::format("{} {} {}", f.rule_id, f.subject_kind, f.subject_id));
    std::vector<CaseFailure> failures = compare(builder, std::move(actual));
    // Every field of a finding's evidence is one its rule declares (rules/evidence.hpp).
    for (const auto& f : findings)
        for (const auto& field : undeclared_evidence_fields(catalogue.find(f.rule_id)->info(), f.evidence_json))
            failures.push_back({builder.line, fmt::format("finding {} {} {} has the evidence field {}, which its rule "
                                                          "does not declare in evidence_fields",
                                                          f.rule_id, f.subject_kind, f.subject_id, field)});
    return failures;
}

// The attributes each row directive takes: a word that is not one of them is an error of the case.
const std::map<std::string, std::set<std::string>>& row_attributes() {
    static const std::map<std::string, std::set<std::string>> attributes{
        {"node", {"kind", "parent", "rated_kva", "unit"}},
        {"customer",
         {"node", "category", "contracted_kva", "voltage_kv", "monthly_kwh", "tariff", "pf_standard", "status",
          "supply_start", "supply_end", "name", "address", "unit", "industry"}},
        {"meter",
         {"customer", "node", "phases", "accuracy_class", "ct_ratio", "pt_ratio", "ct_class", "pt_class", "multiplier",
          "installed_on", "removed_on", "last_tested_on", "model", "named", "daily", "rated_current"}},
        {"bill",
         {"customer", "period", "kwh", "peak", "flat", "valley", "kvarh", "demand", "energy", "basic", "pf",
          "surcharges", "fixed", "other", "item", "total", "issued_on", "due_on", "status"}},
        {"payment", {"bill", "customer", "paid_on", "amount", "channel", "late_fee", "waiver"}},
        {"collection", {"channel", "payments", "amount"}},
        {"read", {"source", "peak", "flat", "valley", "reader"}},
        {"work_order",
         {"customer", "type", "segment", "accepted_at", "plan_at", "design_at", "checked_at", "connected_at",
          "closed_at", "staff", "old", "new"}},
        {"event", {"at", "code", "phase", "duration"}}};
    return attributes;
}

// The row's attributes from word `from` on, or the failure naming the first word it does not take.
std::optional<CaseFailure> row_of(const CaseLine& line, std::size_t from, Attributes& attributes) {
    const auto& allowed = row_attributes().at(line.words[0]);
    for (std::size_t i = from; i < line.words.size(); ++i) {
        const auto equals = line.words[i].find('=');
        const std::string key = line.words[i].substr(0, equals);
        if (equals == std::string::npos || !allowed.contains(key))
            return CaseFailure{line.line, fmt::format("`{}` takes no `{}`", line.words[0], line.words[i])};
        attributes[key] = line.words[i].substr(equals + 1);
    }
    return std::nullopt;
}

// The case's directives into a builder; the failures of directives it cannot read.
std::vector<CaseFailure> read_case(const TextCase& text_case, CaseBuilder& builder) {
    builder.folder = text_case.file.parent_path();
    builder.file = text_case.file.filename().string();
    builder.name = text_case.name;
    builder.line = text_case.line;
    std::vector<CaseFailure> failures;
    const auto fail = [&](const CaseLine& line, std::string message) {
        failures.push_back({line.line, std::move(message)});
    };
    for (const CaseLine& line : text_case.lines) {
        const std::string& directive = line.words[0];
        const std::size_t count = line.words.size();
        if (directive == "as_of") {
            const auto day = count == 2 ? CivilDate::parse(line.words[1]) : std::nullopt;
            if (!day) fail(line, "as_of YYYY-MM-DD");
            builder.as_of = day.value_or(builder.as_of);
        } else if (directive == "rules") {
            builder.rules.insert(builder.rules.end(), line.words.begin() + 1, line.words.end());
        } else if (directive == "policy") {
            builder.policy_text += line.rest(1) + "\n";
        } else if (directive == "node" || directive == "customer" || directive == "meter" || directive == "bill" ||
                   directive == "payment" || directive == "collection" || directive == "work_order" ||
                   directive == "event") {
            if (count < 2) {
                fail(line, "`" + directive + "` needs an id");
                continue;
            }
            Attributes attributes;
            if (auto failure = row_of(line, 2, attributes)) {
                failures.push_back(*failure);
                continue;
            }
            auto& list = directive == "node"         ? builder.nodes
                         : directive == "customer"   ? builder.customers
                         : directive == "meter"      ? builder.meters
                         : directive == "bill"       ? builder.bills
                         : directive == "payment"    ? builder.payments
                         : directive == "work_order" ? builder.work_orders
                         : directive == "event"      ? builder.events
                                                     : builder.collections;
            list.emplace_back(line.words[1], std::move(attributes));
        } else if (directive == "read") {
            Attributes attributes;
            if (count < 4) {
                fail(line, "read METER YYYY-MM-DD VALUE");
            } else if (auto failure = row_of(line, 4, attributes)) {
                failures.push_back(*failure);
            } else {
                builder.reads.emplace_back(line.words[1], line.words[2], line.words[3], std::move(attributes));
            }
        } else if (directive == "tariff") {
            if (count != 2)
                fail(line, "tariff FILE");
            else
                builder.tariff_files.push_back(line.words[1]);
        } else if (directive == "expect") {
            if (count != 4)
                fail(line, "expect RULE-ID KIND ID");
            else
                builder.expected.emplace_back(line.line,
                                              fmt::format("{} {} {}", line.words[1], line.words[2], line.words[3]));
        } else {
            fail(line, "unknown directive `" + directive + "`");
        }
    }
    return failures;
}

}  // namespace

std::vector<CaseFailure> run_rule_case(const TextCase& text_case, const Catalogue& catalogue) {
    CaseBuilder builder;
    if (auto failures = read_case(text_case, builder); !failures.empty()) return failures;
    try {
        return run_case(builder, catalogue);
    } catch (const std::exception& error) {  // std::stod or a missing row named by another
        return {{text_case.line, std::string("malformed case: ") + error.what()}};
    }
}

}  // namespace gridaudit::testing
