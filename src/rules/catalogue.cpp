// The catalogue registry, policy checking, and the catalogue's JSON and Markdown views.
#include "rules/catalogue.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "rules/billing/billing_rules.hpp"
#include "rules/late_payment.hpp"
#include "rules/loss/loss_rules.hpp"
#include "rules/master/master_rules.hpp"
#include "rules/meter/meter_rules.hpp"
#include "rules/process/process_rules.hpp"
#include "rules/reading/reading_rules.hpp"
#include "rules/share/share_rules.hpp"

namespace gridaudit {
namespace {

nlohmann::json policy_value_json(const PolicyValue& value) {
    return std::visit([](const auto& v) { return nlohmann::json(v); }, value);
}

std::string policy_value_text(const PolicyValue& value) {
    if (const auto* list = std::get_if<std::vector<std::string>>(&value)) {
        std::string out = "[";
        for (std::size_t i = 0; i < list->size(); ++i) out += fmt::format("{}\"{}\"", i ? ", " : "", (*list)[i]);
        return out + "]";
    }
    if (const auto* d = std::get_if<double>(&value)) return fmt::format("{:g}", *d);
    if (const auto* b = std::get_if<bool>(&value)) return *b ? "true" : "false";
    return fmt::format("\"{}\"", std::get<std::string>(value));
}

}  // namespace

RuleSettings::RuleSettings(const RuleInfo& info, const Policy& policy) {
    const std::string section = "rules." + info.id;
    enabled_ = policy.flag(section, "enabled", true);
    for (const RuleParameter& parameter : info.parameters) {
        const PolicyValue* set = policy.find(section, parameter.name);
        values_.emplace_back(parameter.name, set ? *set : parameter.default_value);
    }
    // The late-payment terms of [recovery], shared with `gridaudit recover` (rules/late_payment.hpp):
    // BILL-ACCOUNT-RECONCILE reads them back with LatePaymentTerms::from(settings).
    for (auto& value : LatePaymentTerms::from(policy).setting_values()) values_.push_back(std::move(value));
}

const PolicyValue& RuleSettings::value(std::string_view name) const {
    for (const auto& [key, value] : values_)
        if (key == name) return value;
    static const PolicyValue none = 0.0;
    return none;  // programmer error: an undeclared parameter; the catalogue test guards against it
}

double RuleSettings::number(std::string_view name) const {
    const auto* d = std::get_if<double>(&value(name));
    return d ? *d : 0.0;
}

bool RuleSettings::flag(std::string_view name) const {
    const auto* b = std::get_if<bool>(&value(name));
    return b && *b;
}

const std::vector<std::string>& RuleSettings::list(std::string_view name) const {
    static const std::vector<std::string> empty;
    const auto* l = std::get_if<std::vector<std::string>>(&value(name));
    return l ? *l : empty;
}

Finding finding_of(const RuleInfo& info, std::string subject_kind, std::string subject_id) {
    Finding finding;
    finding.rule_id = info.id;
    finding.area = info.area;
    finding.subject_kind = std::move(subject_kind);
    finding.subject_id = std::move(subject_id);
    return finding;
}

bool rule_id_names_its_area(const RuleInfo& info) {
    if (info.id.starts_with("MASTER-")) return info.area == InspectionArea::PROC;
    return info.id.starts_with(std::string(inspection_area_code(info.area)) + "-");
}

void Catalogue::add(std::unique_ptr<Rule> rule) { rules_.push_back(std::move(rule)); }

const Rule* Catalogue::find(std::string_view id) const {
    for (const auto& rule : rules_)
        if (rule->info().id == id) return rule.get();
    return nullptr;
}

Status Catalogue::check_policy(const Policy& policy) const {
    for (const auto& [section, keys] : policy.values()) {
        if (!section.starts_with("rules.")) continue;
        const std::string id = section.substr(6);
        const Rule* rule = find(id);
        if (!rule) return user_error(fmt::format("policy: [{}] names no rule of the catalogue (see `gridaudit rules`)", section));
        for (const auto& [key, value] : keys) {
            if (key == "enabled") {
                if (!std::holds_alternative<bool>(value))
                    return user_error(fmt::format("policy: [{}] enabled must be true or false", section));
                continue;
            }
            const RuleParameter* declared = nullptr;
            for (const auto& parameter : rule->info().parameters)
                if (parameter.name == key) declared = &parameter;
            if (!declared) return user_error(fmt::format("policy: [{}] has no parameter '{}'", section, key));
            if (value.index() != declared->default_value.index())
                return user_error(fmt::format("policy: [{}] {} has the wrong type (default is {})", section, key,
                                              policy_value_text(declared->default_value)));
        }
    }
    return {};
}

std::string Catalogue::to_json() const {
    nlohmann::json rules = nlohmann::json::array();
    for (const auto& rule : rules_) {
        const RuleInfo& info = rule->info();
        nlohmann::json parameters = nlohmann::json::array();
        for (const auto& p : info.parameters)
            parameters.push_back({{"name", p.name}, {"default", policy_value_json(p.default_value)}, {"unit", p.unit},
                                  {"description", p.description}});
        rules.push_back({{"id", info.id},
                         {"area", inspection_area_code(info.area)},
                         {"title", info.title},
                         {"description", info.description},
                         {"parameters", parameters},
                         {"evidence_fields", info.evidence_fields}});
    }
    return nlohmann::json{{"rules", rules}}.dump(2);
}

std::string Catalogue::to_markdown() const {
    std::string out =
        "# Inspection catalogue\n\n"
        "<!-- Generated by `gridaudit rules --markdown` from the rule registry (src/rules/); do not edit. -->\n\n"
        "Every rule belongs to one of the six inspection areas (PROC, METER, BILL, LOSS, SERV, SHARE); the "
        "master-data checks (MASTER-*) are reported in PROC, the service process that creates the account records. "
        "Parameters "
        "are set in the policy file `gridaudit.toml` under `[rules.<ID>]`; `enabled = false` switches a rule off.\n\n"
        "| id | area | title |\n| --- | --- | --- |\n";
    for (const auto& rule : rules_)
        out += fmt::format("| `{}` | {} | {} |\n", rule->info().id, inspection_area_code(rule->info().area),
                           rule->info().title);
    for (const auto& rule : rules_) {
        const RuleInfo& info = rule->info();
        out += fmt::format("\n## `{}` ({})\n\n**{}.** {}\n\n", info.id, inspection_area_code(info.area), info.title,
                           info.description);
        if (!info.parameters.empty()) {
            out += "| parameter | default | unit | meaning |\n| --- | --- | --- | --- |\n";
            for (const auto& p : info.parameters)
                out += fmt::format("| `{}` | `{}` | {} | {} |\n", p.name, policy_value_text(p.default_value), p.unit,
                                   p.description);
            out += "\n";
        }
        if (!info.evidence_fields.empty())
            out += fmt::format("Evidence: `{}`.\n", fmt::join(info.evidence_fields, "`, `"));
    }
    return out;
}

std::string Catalogue::to_policy_toml() const {
    std::string out =
        "# GridAudit policy: every rule parameter at its default.\n"
        "# Generated by `gridaudit rules --policy-toml`; copy it, change what your utility's rules differ in,\n"
        "# and pass it with --policy. A rule is switched off with `enabled = false`.\n";
    for (const auto& rule : rules_) {
        const RuleInfo& info = rule->info();
        out += fmt::format("\n# {}\n[rules.{}]\nenabled = true\n", info.title, info.id);
        for (const auto& p : info.parameters)
            out += fmt::format("{} = {}  # {}{}\n", p.name, policy_value_text(p.default_value), p.description,
                               p.unit.empty() ? "" : " (" + p.unit + ")");
    }
    return out;
}

const Catalogue& standard_catalogue() {
    static const Catalogue catalogue = [] {
        Catalogue c;
        add_meter_rules(c);
        add_reading_rules(c, [](const RegionFrame& frame) { return &frame.billing_reads; });
        add_loss_rules(c);
        add_billing_rules(c);
        add_process_rules(c);
        add_master_rules(c);
        add_share_rules(c);
        return c;
    }();
    return catalogue;
}

}  // namespace gridaudit
