// `gridaudit recover theft|violation|metering|late-payment key=value ... [--policy FILE] [--json]`:
// back-billing and penalties itemised with their article (docs/recovery.md); `recover policy`
// prints the [recovery] policy section at its values. The logic lives in src/recovery/.
#include <fmt/core.h>

#include <memory>

#include "cli/command.hpp"
#include "cli/policy_option.hpp"
#include "recovery/recovery_arguments.hpp"
#include "recovery/recovery_report.hpp"

namespace gridaudit {

CommandRegistration register_recover_command(CLI::App& app);

namespace {

struct RecoverArguments {
    std::string policy;
    bool json = false;
};

Result<RecoveryPolicy> recovery_policy_option(const std::string& path) {
    GA_ASSIGN_OR_RETURN(const Policy policy, load_policy_option(path));
    return RecoveryPolicy::from(policy);
}

}  // namespace

CommandRegistration register_recover_command(CLI::App& app) {
    auto* command = app.add_subcommand("recover",
                                       "Back-billing and penalties: theft, contract violations, metering "
                                       "errors, late payment (Supply Business Rules art. 80-103)");
    command->require_subcommand(1);
    auto args = std::make_shared<RecoverArguments>();
    const auto add_policy_option = [&](CLI::App* sub) {
        sub->add_option("--policy", args->policy, "Policy TOML file; its [recovery] section (default: the regulation)");
    };
    for (std::string_view name : recovery_computations()) {
        auto* sub = command->add_subcommand(std::string(name),
                                            fmt::format("Compute {}; arguments key=value or --key value", name));
        sub->allow_extras();
        add_policy_option(sub);
        sub->add_flag("--json", args->json, "Print the itemised computation as JSON");
        sub->footer("Keys:\n" + recovery_arguments_help(name));
    }
    add_policy_option(
        command->add_subcommand("policy", "Print the [recovery] policy section with every key at its value"));
    CommandAction action = [command, args]() -> Result<int> {
        GA_ASSIGN_OR_RETURN(const RecoveryPolicy policy, recovery_policy_option(args->policy));
        CLI::App* chosen = command->get_subcommands().front();
        if (chosen->get_name() == "policy") {
            fmt::print("{}", policy.to_toml());
            return 0;
        }
        const std::vector<std::string> tokens = chosen->remaining();
        GA_ASSIGN_OR_RETURN(const RecoveryArguments arguments, parse_recovery_arguments(tokens));
        GA_ASSIGN_OR_RETURN(const Recovery recovery, compute_recovery(chosen->get_name(), arguments, policy));
        fmt::print("{}", args->json ? recovery_json(recovery) + "\n" : recovery_text(recovery));
        return 0;
    };
    return {command, action};
}

}  // namespace gridaudit
