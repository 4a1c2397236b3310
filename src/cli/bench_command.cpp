// `gridaudit bench import|loss|vee|tariff|audit|api|suspects|scale ...`: the benchmarks of docs/benchmarks.md.
#include "api_benchmark.hpp"
#include "audit_benchmark.hpp"
#include "cli/command.hpp"
#include "cli/progress_line.hpp"
#include "import_benchmark.hpp"
#include "loss_benchmark.hpp"
#include "scale_benchmark.hpp"
#include "stage_runner.hpp"
#include "tariff_benchmark.hpp"
#include "suspects_benchmark.hpp"
#include "vee_benchmark.hpp"

namespace gridaudit {

CommandRegistration register_bench_command(CLI::App& app) {
    auto options = std::make_shared<ImportBenchmarkOptions>();
    auto loss = std::make_shared<LossBenchmarkOptions>();
    auto vee = std::make_shared<VeeBenchmarkOptions>();
    auto tariff = std::make_shared<TariffBenchmarkOptions>();
    auto audit = std::make_shared<AuditBenchmarkOptions>();
    auto api = std::make_shared<ApiBenchmarkOptions>();
    auto suspects = std::make_shared<SuspectsBenchmarkOptions>();
    auto scale = std::make_shared<ScaleBenchmarkOptions>();
    auto* command = app.add_subcommand("bench", "Reproducible benchmarks (see docs/benchmarks.md)");
    command->require_subcommand(1);
    auto* import = command->add_subcommand("import", "Import ami_daily.csv: parse, validate, store, load back");
    import->add_option("--meters", options->meters, "Meters")->capture_default_str();
    import->add_option("--days", options->days, "Days per meter")->capture_default_str();
    import->add_option("--dir", options->dir, "Working folder (default: a temporary folder)");
    import->add_option("--peer", options->peer_script, "DuckDB peer script (bench/duckdb_peer.mjs)");
    import->add_flag("--keep", options->keep, "Keep the working folder");
    auto* loss_command = command->add_subcommand("loss", "Energy balance at every level and culprit ranking");
    loss_command->add_option("--customers", loss->customers, "Customers")->capture_default_str();
    loss_command->add_option("--days", loss->days, "Days")->capture_default_str();
    loss_command->add_option("--peer", loss->peer_script, "DuckDB peer script (bench/duckdb_loss_peer.mjs)");
    loss_command->add_option("--repeats", loss->repeats, "Best of N")->capture_default_str();
    auto* vee_command = command->add_subcommand("vee", "Validate and estimate 15-minute interval values in memory");
    vee_command->add_option("--meters", vee->meters, "Meters")->capture_default_str();
    vee_command->add_option("--days", vee->days, "Days")->capture_default_str();
    vee_command->add_option("--gap-fraction", vee->gap_fraction, "Share of values missing")->capture_default_str();
    auto* tariff_command =
        command->add_subcommand("tariff", "Recompute a year of monthly bills for many customers in memory");
    tariff_command->add_option("--customers", tariff->customers, "Customers (x 12 months)")->capture_default_str();
    tariff_command->add_option("--threads", tariff->threads, "Threads (0: all cores)")->capture_default_str();
    auto* audit_command =
        command->add_subcommand("audit", "The PROC, METER and MASTER rules over a generated and imported utility");
    audit_command->add_option("--customers", audit->customers, "Customers")->capture_default_str();
    audit_command->add_option("--days", audit->days, "Days of AMI data")->capture_default_str();
    audit_command->add_option("--repeats", audit->repeats, "Best of N")->capture_default_str();
    audit_command->add_option("--dir", audit->dir, "Working folder (default: a temporary folder)");
    audit_command->add_flag("--keep", audit->keep, "Keep the working folder (with --dir it is always kept)");
    audit_command->add_flag("--reuse", audit->reuse, "Reuse the store a kept --dir holds (no generation or import)");
    auto* api_command = command->add_subcommand(
        "api", "The HTTP API under wrk: findings and case reads, case transitions, over a generated utility");
    api_command->add_option("--customers", api->customers, "Customers")->capture_default_str();
    api_command->add_option("--days", api->days, "Days of AMI data")->capture_default_str();
    api_command->add_option("--seconds", api->seconds, "Seconds of each load")->capture_default_str();
    api_command->add_option("--connections", api->connections, "wrk connections")->capture_default_str();
    api_command->add_option("--wrk-threads", api->wrk_threads, "wrk threads")->capture_default_str();
    api_command->add_option("--dir", api->dir, "Working folder (default: a temporary folder)");
    api_command->add_flag("--keep", api->keep, "Keep the working folder (with --dir it is always kept)");
    api_command->add_flag("--reuse", api->reuse, "Reuse the store a kept --dir holds (no generation or import)");
    auto* suspects_command = command->add_subcommand(
        "suspects", "The suspect ranking of synthetic areas in memory: daily data and half-hour intervals");
    suspects_command->add_option("--customers", suspects->daily_customers, "Customers with daily data")
        ->capture_default_str();
    suspects_command->add_option("--days", suspects->daily_days, "Days of daily data")->capture_default_str();
    suspects_command->add_option("--interval-customers", suspects->interval_customers, "Customers with intervals")
        ->capture_default_str();
    suspects_command->add_option("--training-customers", suspects->training_customers,
                                 "Labelled customers the learned model is trained on")
        ->capture_default_str();
    suspects_command->add_option("--interval-days", suspects->interval_days, "Days of intervals")
        ->capture_default_str();
    auto* scale_command = command->add_subcommand(
        "scale", "The commands end to end at utility size, each a cold process, beside DuckDB (issue 17)");
    scale_command->add_option("--customers", scale->customers, "Customers")->capture_default_str();
    scale_command->add_option("--days", scale->days, "Days of AMI data")->capture_default_str();
    scale_command->add_option("--period", scale->period, "Month of the loss table (default: the last with data)");
    scale_command->add_option("--peer", scale->peer_script, "DuckDB peer script (bench/duckdb_scale_peer.mjs)");
    scale_command->add_option("--threads", scale->threads, "The peer's threads")->capture_default_str();
    scale_command->add_option("--dir", scale->dir, "Working folder (default: a temporary folder)");
    scale_command->add_flag("--keep", scale->keep, "Keep the working folder (with --dir it is always kept)");
    scale_command->add_flag("--reuse", scale->reuse, "Reuse the store (and DuckDB file) a kept --dir holds");
    auto quiet = std::make_shared<bool>(false);
    for (CLI::App* benchmark : command->get_subcommands({}))
        benchmark->add_flag("--quiet", *quiet, "No progress line (the stage running) on a terminal");
    const auto run = [=]() -> Result<int> {
        if (suspects_command->parsed()) return run_suspects_benchmark(*suspects);
        if (scale_command->parsed()) return run_scale_benchmark(*scale);
        if (api_command->parsed()) return run_api_benchmark(*api);
        if (audit_command->parsed()) return run_audit_benchmark(*audit);
        if (tariff_command->parsed()) return run_tariff_benchmark(*tariff);
        if (loss_command->parsed()) return run_loss_benchmark(*loss);
        if (vee_command->parsed()) return run_vee_benchmark(*vee);
        return run_import_benchmark(*options);
    };
    return {command, [=]() -> Result<int> {
                // Each stage runs in a child process (bench/stage_runner.hpp); the line shows which, and
                // for how long, and is erased before the stage's row is printed.
                TerminalProgress progress(*quiet);
                report_stages_to(progress.observer());
                Result<int> outcome = run();
                progress.clear();
                report_stages_to(null_progress());
                return outcome;
            }};
}

}  // namespace gridaudit
