// `gridaudit rules [--json|--markdown]`: the inspection catalogue with descriptions and parameters.
#include <fmt/core.h>

#include "cli/command.hpp"
#include "rules/catalogue.hpp"

namespace gridaudit {

CommandRegistration register_rules_command(CLI::App& app) {
    auto* command = app.add_subcommand("rules", "List the inspection catalogue: rules, areas, parameters");
    auto json = std::make_shared<bool>(false);
    auto markdown = std::make_shared<bool>(false);
    auto policy_toml = std::make_shared<bool>(false);
    command->add_flag("--json", *json, "One JSON document on stdout");
    command->add_flag("--policy-toml", *policy_toml, "A policy file with every parameter at its default");
    command->add_flag("--markdown", *markdown, "The catalogue as Markdown (docs/rules.md)");
    return {command, [json, markdown, policy_toml]() -> Result<int> {
                const Catalogue& catalogue = standard_catalogue();
                if (*json) {
                    fmt::print("{}\n", catalogue.to_json());
                } else if (*policy_toml) {
                    fmt::print("{}", catalogue.to_policy_toml());
                } else if (*markdown) {
                    fmt::print("{}", catalogue.to_markdown());
                } else {
                    for (const auto& rule : catalogue.rules()) {
                        const RuleInfo& info = rule->info();
                        fmt::print("{:<28} {:<6} {}\n", info.id, inspection_area_code(info.area), info.title);
                        for (const auto& parameter : info.parameters)
                            fmt::print("{:<35} {} {}\n", "", parameter.name, parameter.unit.empty() ? "" : "(" + parameter.unit + ")");
                    }
                }
                return 0;
            }};
}

}  // namespace gridaudit
