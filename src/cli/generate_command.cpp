// `gridaudit generate --out DIR [--customers N] [--days D] [--seed S] [--last-day DATE]`.
#include <fmt/core.h>

#include "cli/command.hpp"
#include "generator/synthetic_utility.hpp"

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

CommandRegistration register_generate_command(CLI::App& app) {
    struct Arguments {
        std::string out, last_day = "2026-10-31";
        int customers = 10000, days = 730;
        std::uint64_t seed = 1;
    };
    auto args = std::make_shared<Arguments>();
    auto* command = app.add_subcommand("generate", "Write a synthetic county utility (export folder + truth.csv)");
    command->add_option("--out", args->out, "Output folder (created; an earlier generator output is replaced)")->required();
    command->add_option("--customers", args->customers, "Number of customers")->capture_default_str();
    command->add_option("--days", args->days, "Days of AMI data")->capture_default_str();
    command->add_option("--seed", args->seed, "Random seed: the same arguments give the same bytes")->capture_default_str();
    command->add_option("--last-day", args->last_day, "Last day of data (YYYY-MM-DD)")->capture_default_str();
    return {command, [args]() -> Result<int> {
                GeneratorOptions options;
                options.out = args->out;
                options.customers = args->customers;
                options.days = args->days;
                options.seed = args->seed;
                const auto last_day = CivilDate::parse(args->last_day);
                if (!last_day) return user_error(fmt::format("--last-day must be YYYY-MM-DD ({})", args->last_day));
                options.last_day = *last_day;
                GA_ASSIGN_OR_RETURN(const auto summary, generate_utility(options));
                print_generation_summary(summary, options.out);
                return 0;
            }};
}

}  // namespace gridaudit
