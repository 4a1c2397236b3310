// The `gridaudit` executable: parses the command line and runs the chosen command.
#include <fmt/core.h>

#include <CLI/CLI.hpp>
#include <cstdio>

#include "cli/command.hpp"

int main(int argc, char** argv) {
    using namespace gridaudit;
    CLI::App app{
        "GridAudit: revenue assurance and marketing inspection for electric power utilities.\n"
        "Docs: README.md and docs/ in the source tree."};
    app.require_subcommand(1);
    app.set_version_flag("--version", "gridaudit 0.1.0");

    std::vector<CommandRegistration> commands{
        register_demo_command(app),  register_generate_command(app), register_import_command(app),
        register_audit_command(app), register_loss_command(app),     register_report_command(app),
        register_vee_command(app),   register_rules_command(app),    register_tariff_command(app),
        register_formats_command(app), register_recover_command(app), register_serve_command(app),
        register_bench_command(app), register_user_command(app),
        register_cases_command(app), register_suspects_command(app), register_kpis_command(app),
        register_eval_command(app),
        register_model_command(app),
    };

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
        const int code = app.exit(error);
        return code == 0 ? 0 : 1;  // usage errors are the user's to fix
    }

    for (const auto& command : commands) {
        if (!command.subcommand->parsed()) continue;
        const Result<int> outcome = command.action();
        if (!outcome) {
            std::fflush(stdout);
            fmt::print(stderr, "gridaudit {}: error: {}\n", command.subcommand->get_name(), outcome.error().message());
            return exit_code(outcome.error().kind());
        }
        return *outcome;
    }
    return 1;
}
