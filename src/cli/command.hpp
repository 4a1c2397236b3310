// How a subcommand plugs into the `gridaudit` command line.
//
// Each command file registers a CLI11 subcommand and the action to run when it is chosen. An
// action returns the process exit code, or an Error whose class decides it (user 1, other 2).
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

#include "core/result.hpp"

namespace gridaudit {

using CommandAction = std::function<Result<int>()>;

// Adds a subcommand to `app`; the action runs when the user chose it.
struct CommandRegistration {
    CLI::App* subcommand = nullptr;
    CommandAction action;
};

CommandRegistration register_generate_command(CLI::App& app);
CommandRegistration register_import_command(CLI::App& app);
CommandRegistration register_audit_command(CLI::App& app);
CommandRegistration register_rules_command(CLI::App& app);
CommandRegistration register_formats_command(CLI::App& app);
CommandRegistration register_demo_command(CLI::App& app);
CommandRegistration register_bench_command(CLI::App& app);
CommandRegistration register_loss_command(CLI::App& app);
CommandRegistration register_report_command(CLI::App& app);
CommandRegistration register_vee_command(CLI::App& app);
CommandRegistration register_recover_command(CLI::App& app);
CommandRegistration register_tariff_command(CLI::App& app);
CommandRegistration register_user_command(CLI::App& app);
CommandRegistration register_serve_command(CLI::App& app);
CommandRegistration register_cases_command(CLI::App& app);
CommandRegistration register_suspects_command(CLI::App& app);
CommandRegistration register_kpis_command(CLI::App& app);
CommandRegistration register_eval_command(CLI::App& app);
CommandRegistration register_model_command(CLI::App& app);

}  // namespace gridaudit
