// `gridaudit generate --out DIR [--customers N] [--days D] [--seed S] [--last-day DATE] [--quiet]`, and
// `gridaudit generate --theft-scenario --out DIR [--areas N] [--days D] [--seed S] [--attack NAME]`:
// the interval theft scenario as an export folder plus theft_truth.csv (docs/generator.md).
#include <fmt/core.h>

#include <fstream>

#include "cli/command.hpp"
#include "cli/progress_line.hpp"
#include "generator/synthetic_utility.hpp"
#include "generator/theft_scenario_files.hpp"

namespace gridaudit {

void print_generation_summary(const GenerationSummary& summary, const std::filesystem::path& out) {
    fmt::print("Generated a county utility in {}: {} customers, {} meters, {} transformer areas, days {} .. {}\n",
               out.string(), summary.customers, summary.meters, summary.areas, summary.first_day.to_string(),
               summary.last_day.to_string());
    std::uint64_t tariff_files = 0;
    for (const auto& file : summary.files) {
        if (file.file.rfind("tariffs/", 0) == 0) {
            ++tariff_files;
            continue;
        }
        fmt::print("  {:<20} {:>12} rows {:>10.1f} MB\n", file.file, file.rows, static_cast<double>(file.bytes) / 1e6);
    }
    fmt::print("  {:<20} {:>12} files\n", "tariffs/*.json", tariff_files);
    fmt::print("Injected anomalies (truth.csv):");
    for (const auto& anomaly : summary.anomalies) fmt::print(" {} {}", anomaly.anomaly, anomaly.count);
    fmt::print("\n");
}

namespace {

template <typename Arguments>
Result<int> generate_theft_scenario_folder(const CLI::App& command, const Arguments& args) {
    if (command.count("--last-day") != 0) return user_error("--last-day is not an option of --theft-scenario");
    TheftScenarioOptions options;
    if (command.count("--customers") != 0) {
        if (args.customers < 5 || args.customers > 2000)
            return user_error(fmt::format("--customers must be 5 .. 2000 per area with --theft-scenario ({})",
                                          args.customers));
        options.min_customers = options.max_customers = args.customers;
    }
    options.seed = args.seed;
    if (args.areas < 1 || args.areas > 1000) return user_error(fmt::format("--areas must be 1 .. 1000 ({})", args.areas));
    options.areas = args.areas;
    if (command.count("--days") != 0) {
        if (args.days < 7 || args.days > 400)
            return user_error(fmt::format("--days must be 7 .. 400 with --theft-scenario ({})", args.days));
        options.days = args.days;
    }
    if (!(args.interval_share >= 0 && args.interval_share <= 1))
        return user_error(fmt::format("--interval-share must be 0 .. 1 ({})", args.interval_share));
    options.interval_share = args.interval_share;
    if (!args.attack.empty()) {
        options.attack = theft_attack_from_name(args.attack);
        if (!options.attack) {
            std::string names;
            for (int a = 0; a < theft_attack_count; ++a)
                names += fmt::format("{}{}", a == 0 ? "" : ", ", theft_attack_name(static_cast<TheftAttack>(a)));
            return user_error(fmt::format("--attack must be one of {} ({})", names, args.attack));
        }
    }
    const TheftScenario scenario = generate_theft_scenario(options);
    GA_ASSIGN_OR_RETURN(const TheftScenarioFilesSummary summary, write_theft_scenario_files(scenario, args.out));
    fmt::print("Generated the interval theft scenario in {}: {} areas, {} customers ({} with half-hours), {} tampered, "
               "days {} .. {}\n",
               args.out, summary.areas, summary.customers, summary.interval_customers, summary.tampered,
               scenario.first_day.to_string(), (scenario.first_day + scenario.days - 1).to_string());
    for (const auto& file : summary.files)
        fmt::print("  {:<20} {:>12} rows {:>10.1f} MB\n", file.file, file.rows, static_cast<double>(file.bytes) / 1e6);
    if (!args.sgcc.empty()) {
        std::ofstream out(args.sgcc, std::ios::binary | std::ios::trunc);
        out << theft_scenario_sgcc_csv(scenario, args.seed, 0.02);
        if (!out.flush()) return external_error(fmt::format("{}: cannot write the SGCC file", args.sgcc));
        fmt::print("  {} (SGCC layout, {} customers, 2 % of the days blank)\n", args.sgcc, summary.customers);
    }
    return 0;
}

}  // namespace

CommandRegistration register_generate_command(CLI::App& app) {
    struct Arguments {
        std::string out, last_day = "2026-10-31";
        int customers = 10000, days = 730;
        std::uint64_t seed = 1;
        bool theft_scenario = false;
        int areas = 10;
        std::string attack;
        double interval_share = 0.5;
        std::string sgcc;
        bool quiet = false;
    };
    auto args = std::make_shared<Arguments>();
    auto* command = app.add_subcommand("generate", "Write a synthetic county utility (export folder + truth.csv)");
    command->add_option("--out", args->out, "Output folder (created; an earlier generator output is replaced)")->required();
    command->add_option("--customers", args->customers,
                        "Number of customers (with --theft-scenario: per area; default 30-300 drawn per area)")->capture_default_str();
    command->add_option("--days", args->days, "Days of AMI data")->capture_default_str();
    command->add_option("--seed", args->seed, "Random seed: the same arguments give the same bytes")->capture_default_str();
    command->add_option("--last-day", args->last_day, "Last day of data (YYYY-MM-DD)")->capture_default_str();
    command->add_flag("--theft-scenario", args->theft_scenario,
                      "The interval theft scenario instead: areas with half-hours and thieves, plus theft_truth.csv");
    command->add_option("--areas", args->areas, "Theft scenario: transformer areas (1 .. 1000)")->capture_default_str();
    command->add_option("--attack", args->attack, "Theft scenario: every thief uses this attack (h1-constant-factor, ...)");
    command->add_option("--interval-share", args->interval_share,
                        "Theft scenario: share of customers whose meters record intervals (0 .. 1)")
        ->capture_default_str();
    command->add_option("--sgcc", args->sgcc,
                        "Theft scenario: also write its customers' days in the SGCC theft-data layout to this file");
    command->add_flag("--quiet", args->quiet, "No progress line on a terminal");
    return {command, [command, args]() -> Result<int> {
                if (args->theft_scenario) return generate_theft_scenario_folder(*command, *args);
                for (const char* option : {"--areas", "--attack", "--interval-share", "--sgcc"}) {
                    if (command->count(option) != 0)
                        return user_error(fmt::format("{} is an option of --theft-scenario", option));
                }
                GeneratorOptions options;
                options.out = args->out;
                options.customers = args->customers;
                options.days = args->days;
                options.seed = args->seed;
                const auto last_day = CivilDate::parse(args->last_day);
                if (!last_day) return user_error(fmt::format("--last-day must be YYYY-MM-DD ({})", args->last_day));
                options.last_day = *last_day;
                TerminalProgress progress(args->quiet);
                options.progress = &progress.observer();
                GA_ASSIGN_OR_RETURN(const auto summary, generate_utility(options));
                progress.clear();
                print_generation_summary(summary, options.out);
                return 0;
            }};
}

}  // namespace gridaudit
