// The scale benchmark: the commands end to end as cold processes, beside DuckDB (scale_benchmark.hpp).
#include "scale_benchmark.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

#include "generator/synthetic_utility.hpp"
#include "ingest/import_folder.hpp"
#include "stage_runner.hpp"
#include "store/store.hpp"

namespace gridaudit {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct ProcessMeasurement {
    double seconds = 0;
    std::uint64_t peak_rss_bytes = 0;
    std::string output;  // its standard output
};

// Runs `argv` as a child process with its standard output into `output_file`, timed from fork to
// exit, with its peak resident memory from wait4.
Result<ProcessMeasurement> run_process(const std::vector<std::string>& argv, const fs::path& output_file) {
    std::vector<char*> arguments;
    for (const std::string& argument : argv) arguments.push_back(const_cast<char*>(argument.c_str()));
    arguments.push_back(nullptr);
    std::fflush(stdout);
    std::fflush(stderr);
    const auto started = Clock::now();
    const pid_t child = fork();
    if (child < 0) return external_error("fork failed");
    if (child == 0) {
        const int out = open(output_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (out < 0 || dup2(out, STDOUT_FILENO) < 0) _exit(127);
        execvp(arguments[0], arguments.data());
        _exit(127);
    }
    int status = 0;
    rusage usage{};
    if (wait4(child, &status, 0, &usage) < 0) return external_error("wait4 failed");
    ProcessMeasurement measurement;
    measurement.seconds = std::chrono::duration<double>(Clock::now() - started).count();
    measurement.peak_rss_bytes = static_cast<std::uint64_t>(usage.ru_maxrss) * 1024;
    std::ifstream in(output_file);
    std::stringstream text;
    text << in.rdbuf();
    measurement.output = text.str();
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return external_error(fmt::format("{} failed (status {}): {}", argv[0], status, measurement.output));
    return measurement;
}

struct TableLine {
    std::string stage;
    double seconds = 0;
    std::uint64_t peak_rss_bytes = 0;
    std::string note;
};

void print_line(const TableLine& line) {
    fmt::print("| {:<40} | {:>9.2f} s | {:>9.1f} MB | {} |\n", line.stage, line.seconds,
               static_cast<double>(line.peak_rss_bytes) / 1e6, line.note);
    std::fflush(stdout);
}

Status prepare_store(const ScaleBenchmarkOptions& options, const fs::path& dir) {
    const fs::path db = dir / "gridaudit.db";
    if (options.reuse) {
        if (!fs::exists(db)) return user_error(fmt::format("bench scale --reuse: no store at {}", db.string()));
        fmt::print("Reusing the store {}\n", db.string());
        return {};
    }
    fs::create_directories(dir);
    GA_ASSIGN_OR_RETURN(const StageMeasurement generated, run_stage("generate", [&]() -> Result<std::uint64_t> {
                            GeneratorOptions generator;
                            generator.out = dir / "export";
                            generator.customers = options.customers;
                            generator.days = options.days;
                            generator.seed = options.seed;
                            GA_ASSIGN_OR_RETURN(const auto files, generate_utility(generator));
                            std::uint64_t rows = 0;
                            for (const auto& file : files.files) rows += file.rows;
                            return rows;
                        }));
    print_line({fmt::format("generate {} x {} days", options.customers, options.days), generated.seconds,
                generated.peak_rss_bytes, fmt::format("{} rows", generated.items)});
    std::error_code ignored;
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(db.string() + suffix, ignored);
    GA_ASSIGN_OR_RETURN(const StageMeasurement imported, run_stage("import", [&]() -> Result<std::uint64_t> {
                            GA_ASSIGN_OR_RETURN(auto store, Store::open(db.string()));
                            GA_ASSIGN_OR_RETURN(const ImportReport report,
                                                import_folder(*store, dir / "export", ImportFolderOptions{}));
                            if (report.problem_count > 0)
                                return internal_error(fmt::format("bench scale: the generated export has {} problems",
                                                                  report.problem_count));
                            return std::uint64_t{0};
                        }));
    print_line({"import (whole export)", imported.seconds, imported.peak_rss_bytes, "one transaction"});
    fs::remove(dir / "peer.duckdb", ignored);
    return {};
}

}  // namespace

Result<int> run_scale_benchmark(const ScaleBenchmarkOptions& options) {
    if (options.customers < 200 || options.days < 62)
        return user_error("bench scale: at least 200 customers and 62 days");
    fs::path dir = options.dir;
    if (dir.empty()) dir = fs::temp_directory_path() / fmt::format("gridaudit-bench-scale-{}", getpid());
    fmt::print("Scale benchmark: {} customers x {} days, every stage a cold process\nMachine: {}\n\n",
               options.customers, options.days, machine_description());
    fmt::print("| {:<40} | {:>11} | {:>12} | {} |\n|{:-<42}|{:->13}|{:->14}|------|\n", "stage", "time", "peak memory",
               "note", "", "", "");
    GA_TRY(prepare_store(options, dir));
    const fs::path db = dir / "gridaudit.db";
    std::string period = options.period;
    if (period.empty()) {
        GA_ASSIGN_OR_RETURN(auto store, Store::open(db.string(), StoreOpening::existing_only));
        GA_ASSIGN_OR_RETURN(const auto range, store->daily_range());
        if (!range) return user_error("bench scale: the store holds no daily data");
        period = Period::of(range->second).to_string();
    }

    GA_ASSIGN_OR_RETURN(const ProcessMeasurement loss, run_process({"/proc/self/exe", "loss", "--db", db.string(),
                                                                    "--level", "area", "--period", period, "--json"},
                                                                   dir / "loss.json"));
    double supply = 0, sales = 0;
    std::size_t areas = 0;
    try {
        const nlohmann::json table = nlohmann::json::parse(loss.output);
        for (const auto& row : table.at("rows")) {
            if (row.at("supply_kwh").is_null() || row.at("loss_rate").is_null()) continue;
            supply += row.at("supply_kwh").get<double>();
            sales += row.at("sales_kwh").get<double>();
            ++areas;
        }
    } catch (const nlohmann::json::exception& error) {
        return internal_error(fmt::format("bench scale: gridaudit loss printed no table ({})", error.what()));
    }
    print_line({fmt::format("gridaudit loss --level area --period {}", period), loss.seconds, loss.peak_rss_bytes,
                fmt::format("{} areas computable, supply {:.0f} kWh, sales {:.0f} kWh", areas, supply, sales)});

    GA_ASSIGN_OR_RETURN(const ProcessMeasurement audit,
                        run_process({"/proc/self/exe", "audit", "--db", db.string(), "--json"}, dir / "audit.json"));
    std::size_t findings = 0, regions = 0, rules = 0;
    try {
        const nlohmann::json summary = nlohmann::json::parse(audit.output);
        for (const auto& [rule, count] : summary.at("findings_by_rule").items()) {
            findings += count.get<std::size_t>();
            ++rules;
        }
        regions = summary.at("regions").get<std::size_t>();
    } catch (const nlohmann::json::exception& error) {
        return internal_error(fmt::format("bench scale: gridaudit audit printed no summary ({})", error.what()));
    }
    print_line({"gridaudit audit", audit.seconds, audit.peak_rss_bytes,
                fmt::format("{} rules over {} regions, {} findings", rules, regions, findings)});
    GA_ASSIGN_OR_RETURN(const ProcessMeasurement vee,
                        run_process({"/proc/self/exe", "vee", "--db", db.string(), "--period", period, "--dry-run",
                                     "--json"},
                                    dir / "vee.json"));
    print_line({fmt::format("gridaudit vee --period {} --dry-run", period), vee.seconds, vee.peak_rss_bytes,
                "estimates not stored"});
    GA_ASSIGN_OR_RETURN(const ProcessMeasurement report,
                        run_process({"/proc/self/exe", "report", "--db", db.string(), "--period", period, "--out",
                                     (dir / "report.html").string(), "--now", "2030-01-01T00:00:00Z"},
                                    dir / "report.log"));
    print_line({fmt::format("gridaudit report --period {} (html)", period), report.seconds, report.peak_rss_bytes,
                "loss at every level, findings, KPIs"});
    const bool audit_meets = audit.seconds < 5.0;
    fmt::print("\ngridaudit audit: {:.2f} s. Target (issue 17): under 5 s: {}\n", audit.seconds,
               audit_meets ? "meets" : "MISSES");

    if (options.peer_script.empty()) {
        fmt::print("\nDuckDB peer not run (pass --peer bench/duckdb_scale_peer.mjs)\n");
        return audit_meets ? 0 : 1;
    }
    const fs::path peer_db = dir / "peer.duckdb";
    const std::string threads = std::to_string(options.threads);
    if (!fs::exists(peer_db)) {
        if (!fs::exists(dir / "export"))
            return user_error(fmt::format("bench scale: no export in {} to build the DuckDB file from", dir.string()));
        GA_ASSIGN_OR_RETURN(
            const ProcessMeasurement prepared,
            run_process({"node", options.peer_script, "prepare", (dir / "export").string(), peer_db.string(), threads},
                        dir / "peer-prepare.json"));
        print_line({"DuckDB: read the CSVs into a file", prepared.seconds, prepared.peak_rss_bytes, "not timed"});
    }
    GA_ASSIGN_OR_RETURN(const ProcessMeasurement peer,
                        run_process({"node", options.peer_script, "balance", peer_db.string(), period, threads},
                                    dir / "peer-balance.json"));
    nlohmann::json answer;
    try {
        answer = nlohmann::json::parse(peer.output);
    } catch (const nlohmann::json::exception& error) {
        return external_error(
            fmt::format("bench scale: the DuckDB peer printed no result ({}): {}", error.what(), peer.output));
    }
    print_line({fmt::format("DuckDB {} area balance {} ({} threads)", answer.value("version", std::string("?")), period,
                            options.threads),
                peer.seconds, peer.peak_rss_bytes,
                fmt::format("{} areas, supply {:.0f} kWh, sales {:.0f} kWh; query {:.2f} s in the process",
                            answer.value("areas", 0), answer.value("supply_kwh", 0.0), answer.value("sales_kwh", 0.0),
                            answer.value("query_seconds", 0.0))});
    const double ratio = loss.seconds / peer.seconds;
    const bool meets = ratio <= 1.0;
    fmt::print(
        "\ngridaudit loss / DuckDB: {:.2f}x the time, {:.2f}x the peak memory. Target (issue 17): within 1x: {}\n",
        ratio, static_cast<double>(loss.peak_rss_bytes) / static_cast<double>(peer.peak_rss_bytes),
        meets ? "meets" : "MISSES");
    if (!options.keep && options.dir.empty()) {
        std::error_code ignored;
        fs::remove_all(dir, ignored);
    }
    return meets && audit_meets ? 0 : 1;
}

}  // namespace gridaudit
