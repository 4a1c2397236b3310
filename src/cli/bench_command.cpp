// `gridaudit bench import [--meters N] [--days D] [--dir DIR] [--peer FILE] [--keep]`.
#include "cli/command.hpp"
#include "import_benchmark.hpp"

namespace gridaudit {

CommandRegistration register_bench_command(CLI::App& app) {
    auto options = std::make_shared<ImportBenchmarkOptions>();
    auto* command = app.add_subcommand("bench", "Reproducible benchmarks (see docs/benchmarks.md)");
    command->require_subcommand(1);
    auto* import = command->add_subcommand("import", "Import ami_daily.csv: parse, validate, store, load back");
    import->add_option("--meters", options->meters, "Meters")->capture_default_str();
    import->add_option("--days", options->days, "Days per meter")->capture_default_str();
    import->add_option("--dir", options->dir, "Working folder (default: a temporary folder)");
    import->add_option("--peer", options->peer_script, "DuckDB peer script (bench/duckdb_peer.mjs)");
    import->add_flag("--keep", options->keep, "Keep the working folder");
    return {command, [options]() -> Result<int> { return run_import_benchmark(*options); }};
}

}  // namespace gridaudit
