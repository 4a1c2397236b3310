// The audit benchmark: generate and import a utility, then time the PROC/METER/MASTER catalogue.
#include "audit_benchmark.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>

#include "audit/audit_session.hpp"
#include "generator/synthetic_utility.hpp"
#include "ingest/import_folder.hpp"
#include "rules/catalogue.hpp"
#include "stage_runner.hpp"
#include "store/store.hpp"

namespace gridaudit {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point started) {
    return std::chrono::duration<double>(Clock::now() - started).count();
}

bool in_timed_catalogue(const RuleInfo& info) {
    return info.area == InspectionArea::PROC || info.area == InspectionArea::METER;
}

// The timed rules (areas PROC and METER) or the whole catalogue, under the default policy.
RuleSelection bench_rules(bool timed_only) {
    return select_rules(standard_catalogue(), Policy(),
                        [&](const RuleInfo& info) { return !timed_only || in_timed_catalogue(info); });
}

Status prepare(const AuditBenchmarkOptions& options, const std::filesystem::path& dir) {
    const std::filesystem::path db = dir / "gridaudit.db";
    if (options.reuse) {
        if (!std::filesystem::exists(db))
            return user_error(fmt::format("bench audit --reuse: no store at {}", db.string()));
        fmt::print("Reusing the store {}\n", db.string());
        return {};
    }
    std::filesystem::create_directories(dir);
    auto started = Clock::now();
    GeneratorOptions generator;
    generator.out = dir / "export";
    generator.customers = options.customers;
    generator.days = options.days;
    generator.seed = options.seed;
    GA_ASSIGN_OR_RETURN(const auto generated, generate_utility(generator));
    (void)generated;
    fmt::print("  generate {} customers x {} days: {:.1f} s\n", options.customers, options.days, seconds_since(started));
    std::fflush(stdout);
    started = Clock::now();
    std::error_code ignored;
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db.string() + suffix, ignored);
    GA_ASSIGN_OR_RETURN(auto store, Store::open(db.string()));
    GA_ASSIGN_OR_RETURN(const ImportReport report, import_folder(*store, generator.out, ImportFolderOptions{}));
    if (report.problem_count > 0)
        return internal_error(fmt::format("bench audit: the generated export has {} problems", report.problem_count));
    fmt::print("  import into {}: {:.1f} s\n", db.string(), seconds_since(started));
    std::fflush(stdout);
    return {};
}

}  // namespace

Result<int> run_audit_benchmark(const AuditBenchmarkOptions& options) {
    if (options.customers < 200 || options.repeats < 1)
        return user_error("bench audit: at least 200 customers and 1 repeat");
    std::filesystem::path dir = options.dir;
    if (dir.empty()) dir = std::filesystem::temp_directory_path() / fmt::format("gridaudit-bench-audit-{}", getpid());
    const RuleSelection timed = bench_rules(true);
    fmt::print("Audit benchmark: {} customers x {} days; {} PROC/METER/MASTER rules of {} in the catalogue\n"
               "Machine: {}\n\nPreparation (not part of the target):\n",
               options.customers, options.days, timed.rules.size(), standard_catalogue().rules().size(),
               machine_description());
    std::fflush(stdout);
    GA_TRY(prepare(options, dir));

    double best = 0;
    GA_ASSIGN_OR_RETURN(
        const auto stage, run_stage("load frames + evaluate", [&]() -> Result<std::uint64_t> {
            GA_ASSIGN_OR_RETURN(auto store, Store::open((dir / "gridaudit.db").string()));
            auto started = Clock::now();
            GA_ASSIGN_OR_RETURN(const AuditSession session,
                                AuditSession::load(*store, standard_catalogue(), Policy(), AuditSessionOptions{}));
            GA_ASSIGN_OR_RETURN(const auto range, store->daily_range());
            if (!range) return internal_error("bench audit: the store holds no daily data");
            std::uint64_t loaded_customers = 0;
            for (const RegionFrame& frame : session.frames()) loaded_customers += frame.customers.size();
            fmt::print("\n  load {} regions, {} customers into frames: {:.2f} s\n", session.frames().size(),
                       loaded_customers, seconds_since(started));
            double fastest = 1e300;
            std::vector<Finding> findings;
            for (int r = 0; r < options.repeats; ++r) {
                started = Clock::now();
                findings = session.run(timed, range->second, std::nullopt);
                fastest = std::min(fastest, seconds_since(started));
            }
            std::map<std::string, std::size_t> by_rule;
            for (const Finding& finding : findings) ++by_rule[finding.rule_id];
            fmt::print("  PROC/METER/MASTER rules, best of {}: {:.3f} s = {:.0f} customers/s; {} findings\n",
                       options.repeats, fastest, static_cast<double>(loaded_customers) / fastest, findings.size());
            fmt::print("    {:<30} {:>9} {:>9}\n", "rule (alone, once)", "findings", "seconds");
            for (std::size_t i = 0; i < timed.rules.size(); ++i) {
                started = Clock::now();
                (void)session.run(timed.only(i), range->second, std::nullopt);
                const std::string& id = timed.rules[i]->info().id;
                fmt::print("    {:<30} {:>9} {:>9.3f}\n", id, by_rule[id], seconds_since(started));
            }
            const RuleSelection all = bench_rules(false);
            started = Clock::now();
            const auto every = session.run(all, range->second, std::nullopt);
            fmt::print("  whole catalogue ({} rules), once: {:.3f} s; {} findings\n", all.rules.size(),
                       seconds_since(started), every.size());
            std::fflush(stdout);
            // The stage runs in a child process: it leaves the timed seconds for the parent in a file.
            std::FILE* out = std::fopen((dir / "timed_seconds").c_str(), "w");
            if (!out) return external_error("bench audit: cannot write " + (dir / "timed_seconds").string());
            fmt::print(out, "{:.6f}\n", fastest);
            std::fclose(out);
            return loaded_customers;
        }));
    std::FILE* in = std::fopen((dir / "timed_seconds").c_str(), "r");
    if (!in || std::fscanf(in, "%lf", &best) != 1) {
        if (in) std::fclose(in);
        return internal_error("bench audit: the evaluation stage left no time");
    }
    std::fclose(in);
    fmt::print("\n  {:<28} {:>8.2f} s (stage, load included) {:>9.1f} MB peak\n", stage.name, stage.seconds,
               static_cast<double>(stage.peak_rss_bytes) / 1e6);
    const bool meets = best < 5.0;
    fmt::print("PROC/METER/MASTER catalogue over {} customers: {:.3f} s. Target: < 5 s: {}\n", stage.items, best,
               meets ? "meets" : "MISSES");
    if (!options.keep && options.dir.empty()) {
        std::error_code ignored;
        std::filesystem::remove_all(dir, ignored);
    }
    return meets ? 0 : 1;
}

}  // namespace gridaudit
