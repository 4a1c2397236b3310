// Loading the TOML policy file with toml++.
#include "rules/policy.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <fstream>
#include <functional>
#include <sstream>

namespace gridaudit {
namespace {

Result<PolicyValue> convert(const toml::node& node, std::string_view where) {
    if (const auto* b = node.as_boolean()) return PolicyValue(b->get());
    if (const auto* i = node.as_integer()) return PolicyValue(static_cast<double>(i->get()));
    if (const auto* f = node.as_floating_point()) return PolicyValue(f->get());
    if (const auto* s = node.as_string()) return PolicyValue(s->get());
    if (const auto* array = node.as_array()) {
        std::vector<std::string> items;
        for (const auto& item : *array) {
            const auto* s = item.as_string();
            if (!s) return user_error(fmt::format("{}: a list must hold only strings", where));
            items.push_back(s->get());
        }
        return PolicyValue(std::move(items));
    }
    return user_error(fmt::format("{}: unsupported value type (use a boolean, number, string or list of strings)", where));
}

}  // namespace

Result<Policy> Policy::load(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return user_error(fmt::format("{}: cannot read the policy file", file.string()));
    std::stringstream content;
    content << in.rdbuf();
    return parse(content.str(), file.string());
}

Result<Policy> Policy::parse(std::string_view toml_text, std::string_view source_name) {
    toml::table root;
    try {
        root = toml::parse(toml_text, source_name);
    } catch (const toml::parse_error& error) {
        const auto& begin = error.source().begin;
        return user_error(fmt::format("{}:{}:{}: {}", source_name, begin.line, begin.column, error.description()));
    }
    Policy policy;
    // A table inside a section is a section of its own, named with a dot ([cases.rule.ID] is
    // section "cases.rule.ID").
    std::function<Status(const std::string&, const toml::table&)> add_table = [&](const std::string& section,
                                                                                   const toml::table& table) -> Status {
        for (const auto& [key, node] : table) {
            if (const auto* inner = node.as_table()) {
                GA_TRY(add_table(section + "." + std::string(key.str()), *inner));
                continue;
            }
            const auto& begin = node.source().begin;
            const std::string where = fmt::format("{}:{}:{}: [{}] {}", source_name, begin.line, begin.column, section,
                                                  std::string(key.str()));
            GA_ASSIGN_OR_RETURN(PolicyValue value, convert(node, where));
            policy.values_[section][std::string(key.str())] = std::move(value);
        }
        return {};
    };
    for (const auto& [key, node] : root) {
        const std::string name(key.str());
        const auto* table = node.as_table();
        if (!table) {
            const auto& begin = node.source().begin;
            return user_error(fmt::format("{}:{}:{}: top-level key '{}' must be a table such as [general] or [rules.ID]",
                                          source_name, begin.line, begin.column, name));
        }
        if (name == "rules") {
            for (const auto& [rule_id, rule_node] : *table) {
                const auto* rule_table = rule_node.as_table();
                if (!rule_table) {
                    const auto& begin = rule_node.source().begin;
                    return user_error(fmt::format("{}:{}:{}: rules.{} must be a table", source_name, begin.line,
                                                  begin.column, std::string(rule_id.str())));
                }
                GA_TRY(add_table("rules." + std::string(rule_id.str()), *rule_table));
            }
        } else {
            GA_TRY(add_table(name, *table));
        }
    }
    return policy;
}

const PolicyValue* Policy::find(std::string_view section, std::string_view key) const {
    const auto table = values_.find(section);
    if (table == values_.end()) return nullptr;
    const auto value = table->second.find(key);
    return value == table->second.end() ? nullptr : &value->second;
}

double Policy::number(std::string_view section, std::string_view key, double fallback) const {
    const PolicyValue* value = find(section, key);
    if (const auto* d = value ? std::get_if<double>(value) : nullptr) return *d;
    return fallback;
}

bool Policy::flag(std::string_view section, std::string_view key, bool fallback) const {
    const PolicyValue* value = find(section, key);
    if (const auto* b = value ? std::get_if<bool>(value) : nullptr) return *b;
    return fallback;
}

std::vector<std::string> Policy::list(std::string_view section, std::string_view key,
                                      const std::vector<std::string>& fallback) const {
    const PolicyValue* value = find(section, key);
    if (const auto* l = value ? std::get_if<std::vector<std::string>>(value) : nullptr) return *l;
    return fallback;
}

}  // namespace gridaudit
