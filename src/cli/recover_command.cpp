// `gridaudit recover theft|violation|metering|late-payment key=value ... [--policy FILE] [--json]
// [--max-duration-days D]`:
// back-billing and penalties itemised with their article (docs/recovery.md); `recover policy`
// prints the [recovery] policy section at its values. The logic lives in src/recovery/.
#include <fmt/core.h>

#include <cstdio>
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
    std::string max_duration_days;
    bool json = false;
};

Result<RecoveryPolicy> recovery_policy_option(const RecoverArguments& args) {
    GA_ASSIGN_OR_RETURN(const Policy policy, load_policy_option(args.policy));
    GA_ASSIGN_OR_RETURN(RecoveryPolicy recovery, RecoveryPolicy::from(policy));
    if (!args.max_duration_days.empty()) {
        const auto days = Quantity::parse(args.max_duration_days);
        if (!days || days->units() <= 0)
            return user_error(fmt::format("--max-duration-days must be a number of days above 0 ({})",
                                          args.max_duration_days));
        recovery.accepted_duration_days = *days;
    }
    return recovery;
}

std::string computation_list() {
    std::string list;
    for (std::string_view name : recovery_computations()) list += fmt::format("{}, ", name);
    return list + "policy";
}

}  // namespace

CommandRegistration register_recover_command(CLI::App& app) {
    auto* command = app.add_subcommand("recover",
                                       "Back-billing and penalties: theft, contract violations, metering "
                                       "errors, late payment (Supply Business Rules art. 80-103)");
    // Not require_subcommand(): a missing or misspelt computation gets a message listing them.
    command->require_subcommand(0, 1);
    command->allow_extras();
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
        sub->add_option("--max-duration-days", args->max_duration_days,
                        "Compute a case lasting up to D days, beyond the policy's max_duration_days, with a warning");
        sub->footer("Keys:\n" + recovery_arguments_help(name));
    }
    add_policy_option(
        command->add_subcommand("policy", "Print the [recovery] policy section with every key at its value"));
    CommandAction action = [command, args]() -> Result<int> {
        if (command->get_subcommands().empty()) {
            const std::vector<std::string> extra = command->remaining();
            if (extra.empty() || extra.front().starts_with('-'))
                return user_error(fmt::format("give a computation: {}", computation_list()));
            return user_error(
                fmt::format("unknown computation '{}': give one of {}", extra.front(), computation_list()));
        }
        GA_ASSIGN_OR_RETURN(const RecoveryPolicy policy, recovery_policy_option(*args));
        CLI::App* chosen = command->get_subcommands().front();
        if (chosen->get_name() == "policy") {
            fmt::print("{}", policy.to_toml());
            return 0;
        }
        const std::vector<std::string> tokens = chosen->remaining();
        GA_ASSIGN_OR_RETURN(const RecoveryArguments arguments, parse_recovery_arguments(tokens));
        GA_ASSIGN_OR_RETURN(const Recovery recovery, compute_recovery(chosen->get_name(), arguments, policy));
        fmt::print("{}", args->json ? recovery_json(recovery) + "\n" : recovery_text(recovery));
        std::fflush(stdout);
        for (const std::string& warning : recovery.warnings)
            fmt::print(stderr, "gridaudit recover: warning: {}\n", warning);
        return 0;
    };
    return {command, action};
}

}  // namespace gridaudit
