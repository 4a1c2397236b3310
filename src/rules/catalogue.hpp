// The inspection catalogue: every rule GridAudit knows, in a stable order.
//
// `standard_catalogue()` is the registry the CLI, the docs (`gridaudit rules --markdown` writes
// docs/rules.md) and the audit use. Thread safety: immutable after construction.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "rules/policy.hpp"
#include "rules/rule.hpp"

namespace gridaudit {

class Catalogue {
public:
    void add(std::unique_ptr<Rule> rule);
    [[nodiscard]] const std::vector<std::unique_ptr<Rule>>& rules() const { return rules_; }
    [[nodiscard]] const Rule* find(std::string_view id) const;

    // Checks a policy against the catalogue: unknown rule ids, unknown parameters and values of
    // the wrong type are user errors (a typo must not silently fall back to a default).
    [[nodiscard]] Status check_policy(const Policy& policy) const;

    // The catalogue as JSON (stable field names) and as Markdown.
    [[nodiscard]] std::string to_json() const;
    [[nodiscard]] std::string to_markdown() const;
    // A policy file setting every parameter to its default, with comments (config/gridaudit.toml).
    [[nodiscard]] std::string to_policy_toml() const;

private:
    std::vector<std::unique_ptr<Rule>> rules_;
};

[[nodiscard]] const Catalogue& standard_catalogue();

// A rule id starts with its area's code and a dash ("METER-ROTATION-OVERDUE"); master-data checks
// (MASTER-*: missing links, duplicate accounts) are the one family named apart, and they are
// reported in PROC, the service process that creates and maintains the account records (档案).
[[nodiscard]] bool rule_id_names_its_area(const RuleInfo& info);

}  // namespace gridaudit
