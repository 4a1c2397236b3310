// `gridaudit audit --db DB [--period YYYY-MM] [--as-of DATE] [--policy FILE] [--rule ID]...
//  [--regions S1,S2] [--shard i/n] [--json] [--quiet]`.
#include <fmt/core.h>

#include <charconv>
#include <cstdio>
#include <string_view>

#include "audit/audit_run.hpp"
#include "cli/audit_output.hpp"
#include "cli/command.hpp"
#include "cli/date_options.hpp"
#include "cli/policy_option.hpp"
#include "cli/progress_line.hpp"

namespace gridaudit {
namespace {

// "i/n" with 1 <= i <= n.
Result<AuditShard> shard_option(const std::string& text) {
    AuditShard shard;
    const auto slash = text.find('/');
    const auto number = [](std::string_view part, int& out) {
        const auto [end, error] = std::from_chars(part.data(), part.data() + part.size(), out);
        return error == std::errc() && end == part.data() + part.size() && !part.empty();
    };
    if (slash == std::string::npos || !number(std::string_view(text).substr(0, slash), shard.index) ||
        !number(std::string_view(text).substr(slash + 1), shard.count) || shard.count < 1 || shard.index < 1 ||
        shard.index > shard.count)
        return user_error(fmt::format("--shard must be i/n with 1 <= i <= n ({})", text));
    return shard;
}

}  // namespace

CommandRegistration register_audit_command(CLI::App& app) {
    struct Arguments {
        std::string db, period, as_of, policy, shard;
        std::vector<std::string> rules, regions;
        bool json = false, quiet = false;
    };
    auto args = std::make_shared<Arguments>();
    auto* command = app.add_subcommand("audit", "Run the inspection catalogue over a store and record the findings");
    command->add_option("--db", args->db, "Store: a SQLite file path or a postgresql:// URI")->required();
    command->add_option("--period", args->period, "Billing month audited by periodic rules (YYYY-MM)");
    command->add_option("--as-of", args->as_of, "The audit's today (YYYY-MM-DD); default: last day with data");
    command->add_option("--policy", args->policy, "Policy file (gridaudit.toml); default: built-in defaults");
    command->add_option("--rule", args->rules, "Run only this rule (repeatable)");
    command->add_option("--regions", args->regions,
                        "Audit only these substations' regions (comma-separated ids); their findings replace theirs")
        ->delimiter(',');
    command->add_option("--shard", args->shard,
                        "Audit shard i of n (i/n): the substations whose id hashes to i, for n processes to split a run");
    command->add_flag("--json", args->json, "One JSON document on stdout");
    command->add_flag("--quiet", args->quiet, "No progress line on a terminal (none with --json either)");
    return {command, [args]() -> Result<int> {
                AuditOptions options;
                options.only_rules = args->rules;
                options.regions = args->regions;
                if (!args->shard.empty()) {
                    GA_ASSIGN_OR_RETURN(options.shard, shard_option(args->shard));
                }
                GA_ASSIGN_OR_RETURN(options.period, period_option("--period", args->period));
                GA_ASSIGN_OR_RETURN(options.as_of, date_option("--as-of", args->as_of));
                GA_ASSIGN_OR_RETURN(const Policy policy, load_policy_option(args->policy));
                GA_ASSIGN_OR_RETURN(auto store, Store::open(args->db, StoreOpening::existing_only));
                TerminalProgress progress(args->quiet || args->json);
                GA_ASSIGN_OR_RETURN(const AuditSummary summary,
                                    run_audit(*store, standard_catalogue(), policy, options, progress.observer()));
                progress.clear();
                if (args->json)
                    fmt::print("{}\n", audit_summary_json(summary));
                else
                    print_audit_summary(summary, 3);
                // What the run could not do: once, on stderr (and in the run's record); not an error.
                std::fflush(stdout);
                for (const std::string& warning : summary.warnings)
                    fmt::print(stderr, "gridaudit audit: warning: {}\n", warning);
                return 0;
            }};
}

}  // namespace gridaudit
