// The import benchmark: data set, parse+validate, full import, load back, DuckDB peer.
#include "import_benchmark.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <vector>
#include <nlohmann/json.hpp>

#include "import_dataset.hpp"
#include "ingest/import_folder.hpp"
#include "stage_runner.hpp"
#include "store/store.hpp"

namespace gridaudit {
namespace {

void print_stage(const StageMeasurement& stage, std::string_view unit) {
    fmt::print("  {:<34} {:>12} {:<7} {:>8.2f} s {:>14.0f} {}/s {:>9.0f} MiB peak\n", stage.name, stage.items, unit,
               stage.seconds, stage.items_per_second(), unit, static_cast<double>(stage.peak_rss_bytes) / (1 << 20));
}

struct PeerResult {
    std::string mode;  // scan or materialize
    double seconds = 0;
    std::uint64_t rows = 0;
    std::string version;
};

Result<std::vector<PeerResult>> run_duckdb_peer(const std::filesystem::path& script, const std::filesystem::path& csv) {
    const std::string command = fmt::format("node '{}' read_csv '{}' 2 2>&1", script.string(), csv.string());
    std::FILE* pipe = popen(command.c_str(), "r");
    if (!pipe) return external_error("cannot start node");
    std::string output;
    char buffer[4096];
    while (std::fgets(buffer, sizeof buffer, pipe)) output += buffer;
    const int status = pclose(pipe);
    if (status != 0) return external_error(fmt::format("DuckDB peer failed: {}", output));
    try {
        std::vector<PeerResult> results;
        std::size_t at = 0;
        while ((at = output.find('{', at)) != std::string::npos) {
            const std::size_t end = output.find('\n', at);
            const auto json = nlohmann::json::parse(output.substr(at, end - at));
            results.push_back(PeerResult{json.at("mode").get<std::string>(), json.at("seconds").get<double>(),
                                         json.at("rows").get<std::uint64_t>(), json.at("version").get<std::string>()});
            at = end;
        }
        if (results.empty()) return external_error(fmt::format("DuckDB peer printed no result: {}", output));
        return results;
    } catch (const std::exception& error) {
        return external_error(fmt::format("DuckDB peer printed no result ({}): {}", error.what(), output));
    }
}

}  // namespace

Result<int> run_import_benchmark(const ImportBenchmarkOptions& options) {
    std::filesystem::path dir = options.dir;
    if (dir.empty()) dir = std::filesystem::temp_directory_path() / fmt::format("gridaudit-bench-import-{}", getpid());
    const std::filesystem::path export_dir = dir / "export";
    const std::filesystem::path db = dir / "bench.db";
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);

    fmt::print("Import benchmark: {} meters x {} days of ami_daily.csv\nMachine: {}\n", options.meters, options.days,
               machine_description());
    GA_ASSIGN_OR_RETURN(const auto written, run_stage("write data set", [&]() -> Result<std::uint64_t> {
                            GA_ASSIGN_OR_RETURN(const auto size, write_import_dataset(export_dir, options.meters,
                                                                                      options.days, options.seed));
                            return size.daily_rows;
                        }));
    const auto csv_bytes = std::filesystem::file_size(export_dir / "ami_daily.csv");
    fmt::print("  ami_daily.csv: {} rows, {:.2f} GB\n\n", written.items, static_cast<double>(csv_bytes) / 1e9);
    fmt::print("  {:<34} {:>12} {:<7} {:>10} {:>18} {:>18}\n", "stage", "items", "", "time", "throughput", "memory");
    print_stage(written, "rows");

    auto fresh_store = [&]() -> Result<std::unique_ptr<Store>> {
        for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db.string() + suffix, ignored);
        return Store::open(db.string());
    };

    GA_ASSIGN_OR_RETURN(const auto validated, run_stage("parse + validate (all files)", [&]() -> Result<std::uint64_t> {
                            GA_ASSIGN_OR_RETURN(auto store, fresh_store());
                            ImportFolderOptions validation_only;
                            validation_only.hash_content = false;  // the content hash belongs to the import stage
                            GA_ASSIGN_OR_RETURN(const auto folder, validate_folder(*store, export_dir, validation_only));
                            if (folder.report.rows_rejected() > 0) return internal_error("the data set has rejected rows");
                            return folder.batch.daily.size();
                        }));
    print_stage(validated, "rows");

    GA_ASSIGN_OR_RETURN(const auto imported, run_stage("import end to end (SQLite, commit)", [&]() -> Result<std::uint64_t> {
                            GA_ASSIGN_OR_RETURN(auto store, fresh_store());
                            GA_ASSIGN_OR_RETURN(const auto report, import_folder(*store, export_dir, ImportFolderOptions{}));
                            if (report.rows_rejected() > 0) return internal_error("the data set has rejected rows");
                            return report.outcome ? written.items : 0;
                        }));
    print_stage(imported, "rows");

    GA_ASSIGN_OR_RETURN(const auto loaded, run_stage("load series to columnar memory", [&]() -> Result<std::uint64_t> {
                            GA_ASSIGN_OR_RETURN(auto store, Store::open(db.string()));
                            GA_ASSIGN_OR_RETURN(const auto range, store->daily_range());
                            if (!range) return internal_error("no daily data stored");
                            GA_ASSIGN_OR_RETURN(const auto matrix, store->load_daily({}, range->first, range->second));
                            // Values: both registers of every meter-day cell.
                            return static_cast<std::uint64_t>(matrix.import_register.size() + matrix.export_register.size());
                        }));
    print_stage(loaded, "values");
    const auto db_bytes = std::filesystem::file_size(db, ignored);
    fmt::print("  store file: {:.1f} MB for {} rows ({:.1f} bytes per row)\n", static_cast<double>(db_bytes) / 1e6,
               written.items, static_cast<double>(db_bytes) / static_cast<double>(written.items));

    fmt::print("\nTargets: import >= 3,000,000 rows/s; parse+validate >= DuckDB read_csv; load >= 50,000,000 values/s\n");
    fmt::print("  import end to end: {:>12.0f} rows/s   {}\n", imported.items_per_second(),
               imported.items_per_second() >= 3e6 ? "meets" : "MISSES");
    fmt::print("  load:              {:>12.0f} values/s {}\n", loaded.items_per_second(),
               loaded.items_per_second() >= 50e6 ? "meets" : "MISSES");
    if (!options.peer_script.empty()) {
        const auto peer = run_duckdb_peer(options.peer_script, export_dir / "ami_daily.csv");
        if (peer) {
            double best_rate = 0;
            for (const auto& run : *peer) {
                const double rate = static_cast<double>(run.rows) / run.seconds;
                best_rate = std::max(best_rate, rate);
                fmt::print("  DuckDB {} read_csv, {} (2 threads): {} rows in {:.2f} s = {:.0f} rows/s\n", run.version,
                           run.mode, run.rows, run.seconds, rate);
            }
            fmt::print("  parse+validate vs DuckDB's faster read: {:.2f}x ({})\n", validated.items_per_second() / best_rate,
                       validated.items_per_second() >= best_rate ? "meets" : "MISSES");
            fmt::print("  import end to end (with SQLite commit) vs DuckDB's faster read: {:.2f}x\n",
                       imported.items_per_second() / best_rate);
        } else {
            fmt::print("  DuckDB peer not run: {}\n", peer.error().message());
        }
    } else {
        fmt::print("  DuckDB peer not run (use `make bench`, which installs it)\n");
    }
    if (!options.keep) std::filesystem::remove_all(dir, ignored);
    return 0;
}

}  // namespace gridaudit
