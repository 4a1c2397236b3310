// The utility's policy: every threshold a rule uses, with the regulation's value as default.
//
// Read from a TOML file (`gridaudit.toml`); a rule's parameters live in the table
// `[rules.<RULE-ID>]`, general settings in `[general]`. A value the file does not set falls back
// to the default the rule declares. Thread safety: immutable after load; share freely.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <variant>
#include <vector>

#include "core/result.hpp"

namespace gridaudit {

using PolicyValue = std::variant<bool, double, std::string, std::vector<std::string>>;

class Policy {
public:
    Policy() = default;

    // Parses a policy file; a syntax error or a value of the wrong type is a user error naming
    // the file, line and column.
    [[nodiscard]] static Result<Policy> load(const std::filesystem::path& file);
    [[nodiscard]] static Result<Policy> parse(std::string_view toml_text, std::string_view source_name);

    // Value of `[section] key`, or nullopt when not set.
    [[nodiscard]] const PolicyValue* find(std::string_view section, std::string_view key) const;

    [[nodiscard]] double number(std::string_view section, std::string_view key, double fallback) const;
    [[nodiscard]] bool flag(std::string_view section, std::string_view key, bool fallback) const;
    [[nodiscard]] std::vector<std::string> list(std::string_view section, std::string_view key,
                                                const std::vector<std::string>& fallback) const;

    // Every (section, key) the file set, for checking against declared parameters.
    [[nodiscard]] const std::map<std::string, std::map<std::string, PolicyValue, std::less<>>, std::less<>>& values() const {
        return values_;
    }

private:
    std::map<std::string, std::map<std::string, PolicyValue, std::less<>>, std::less<>> values_;
};

}  // namespace gridaudit
