// `gridaudit demo`: generate a synthetic county utility, import it, audit it, summarise, and open
// cases for the top findings.
#include <fmt/core.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "access/demo_users.hpp"
#include "audit/audit_run.hpp"
#include "audit/truth_score.hpp"
#include "cases/case_workflow.hpp"
#include "cli/audit_output.hpp"
#include "cli/command.hpp"
#include "cli/import_output.hpp"
#include "cli/progress_line.hpp"
#include "generator/synthetic_utility.hpp"
#include "ingest/import_folder.hpp"

namespace gridaudit {

void print_generation_summary(const GenerationSummary& summary, const std::filesystem::path& out);

namespace {

class StepTimer {
public:
    double lap() {
        const auto now = std::chrono::steady_clock::now();
        const double seconds = std::chrono::duration<double>(now - last_).count();
        last_ = now;
        return seconds;
    }

private:
    std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
};

Instant wall_clock_now() {
    const auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    return Instant::from_unix_seconds(now.time_since_epoch().count());
}

// Adds one user per role, prints them with their passwords and keeps them in `file` (readable by
// the owner only), so the closed loop can be tried at once.
Status add_and_print_demo_users(Store& store, const std::filesystem::path& file) {
    GA_ASSIGN_OR_RETURN(const auto users, add_demo_users(store.access(), wall_clock_now()));
    std::ofstream out(file, std::ios::trunc);
    if (!out) return external_error(fmt::format("{}: cannot write the demo users", file.string()));
    ::chmod(file.c_str(), S_IRUSR | S_IWUSR);
    out << "username,role,unit_id,password\n";
    fmt::print("  {:<16} {:<14} {:<18} {}\n", "username", "role", "unit", "password");
    for (const auto& user : users) {
        out << user.username << ',' << role_name(user.role) << ',' << user.unit_id << ',' << user.password << '\n';
        fmt::print("  {:<16} {:<14} {:<18} {}\n", user.username, role_name(user.role),
                   user.unit_id.empty() ? "(whole utility)" : user.unit_id, user.password);
    }
    out.close();
    if (!out) return external_error(fmt::format("{}: cannot write the demo users", file.string()));
    fmt::print("  (also in {}, readable by you only; the store keeps only Argon2id hashes)\n", file.string());
    return {};
}

}  // namespace

CommandRegistration register_demo_command(CLI::App& app) {
    struct Arguments {
        std::string dir = "demo-data";
        int customers = 10000, days = 730;
        std::uint64_t seed = 1;
        std::size_t cases = 25;
        bool quiet = false;
    };
    auto args = std::make_shared<Arguments>();
    auto* command = app.add_subcommand("demo", "Generate a synthetic utility, import it, audit it and summarise");
    command->add_option("--dir", args->dir, "Working folder (export/, gridaudit.db)")->capture_default_str();
    command->add_option("--customers", args->customers, "Number of customers")->capture_default_str();
    command->add_option("--days", args->days, "Days of AMI data")->capture_default_str();
    command->add_option("--seed", args->seed, "Random seed")->capture_default_str();
    command->add_option("--cases", args->cases, "Cases to open for the top findings")->capture_default_str();
    command->add_flag("--quiet", args->quiet, "No progress line on a terminal");
    return {
        command, [args]() -> Result<int> {
            const std::filesystem::path dir = args->dir;
            const std::filesystem::path export_dir = dir / "export";
            const std::filesystem::path db = dir / "gridaudit.db";
            StepTimer timer;
            // One line for the long steps, erased before each step prints (finish()).
            TerminalProgress progress(args->quiet);

            fmt::print("== 1. Generate a synthetic county utility ==\n");
            GeneratorOptions generator;
            generator.out = export_dir;
            generator.customers = args->customers;
            generator.days = args->days;
            generator.seed = args->seed;
            generator.progress = &progress.observer();
            GA_ASSIGN_OR_RETURN(const auto generated, generate_utility(generator));
            progress.observer().finish();
            print_generation_summary(generated, export_dir);
            const double generate_seconds = timer.lap();

            fmt::print("\n== 2. Import it into a fresh store ({}) ==\n", db.string());
            std::error_code ignored;
            for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db.string() + suffix, ignored);
            GA_ASSIGN_OR_RETURN(auto store, Store::open(db.string()));
            ImportFolderOptions import_options;
            import_options.progress = &progress.observer();
            GA_ASSIGN_OR_RETURN(const ImportReport report, import_folder(*store, export_dir, import_options));
            progress.observer().finish();
            print_import_report(report, 10);
            fmt::print("Data-quality problems found by the import: {}\n", report.problem_count);
            const double import_seconds = timer.lap();

            fmt::print("\n== 3. Audit: run the inspection catalogue ==\n");
            GA_ASSIGN_OR_RETURN(const AuditSummary summary,
                                run_audit(*store, standard_catalogue(), Policy(), AuditOptions{}, progress.observer()));
            progress.clear();
            print_audit_summary(summary, 2);
            const double audit_seconds = timer.lap();

            fmt::print("\n== 4. Measured against the injected truth ({}) ==\n", (export_dir / "truth.csv").string());
            GA_ASSIGN_OR_RETURN(const auto truth, read_truth(export_dir / "truth.csv"));
            GA_ASSIGN_OR_RETURN(const auto scores, score_against_truth(*store, standard_catalogue(), summary.rules_run,
                                                                       summary.findings, truth));
            fmt::print("  {:<28} {:>9} {:>9} {:>8} {:>10}\n", "rule", "injected", "reported", "recall", "precision");
            for (const auto& score : scores)
                fmt::print("  {:<28} {:>9} {:>9} {:>7.1f}% {:>9.1f}%\n", score.rule_id, score.truth_subjects,
                           score.found_subjects, 100 * score.recall(), 100 * score.precision());
            GA_ASSIGN_OR_RETURN(const CulpritScore culprits, score_culprits(*store, summary.findings, truth));
            fmt::print(
                "  Abnormal areas and feeders flagged: {} of {} ({:.1f}%); culprits ranked in the top 3 of "
                "their flagged node: {} of {} reachable slots ({:.1f}%, {} culprits)\n",
                culprits.abnormal_found, culprits.abnormal_nodes, 100 * culprits.node_recall(), culprits.top_three_hits,
                culprits.slots, 100 * culprits.hit_rate(), culprits.culprits);

            fmt::print("\n== 5. Cases: the top findings opened for the inspection team ==\n");
            // The loop starts on the audit's day: deadlines count from it, as the SHARE rules do.
            const Instant opened_at =
                Instant::from_unix_seconds(std::int64_t{summary.as_of.days_since_epoch()} * 86400 + 3600);
            GA_ASSIGN_OR_RETURN(CaseWorkflow workflow, CaseWorkflow::open(*store, CasePolicy::defaults()));
            OpenOptions top;
            top.limit = args->cases;
            GA_ASSIGN_OR_RETURN(const OpeningReport opened, workflow.open_by_policy(Actor::system(), opened_at, top));
            fmt::print(
                "{} case(s) opened by the default [cases] policy (severity high or above, most money and "
                "kWh at risk first, at most {}) with {} finding(s) as their evidence; the other findings "
                "wait for an analyst (gridaudit cases open, dismiss).\n",
                opened.opened, args->cases, opened.findings_linked);
            fmt::print("\n== 6. Demo users, one per role (docs/users.md) ==\n");
            GA_TRY(add_and_print_demo_users(*store, dir / "demo-users.csv"));

            fmt::print("\nTimes: generate {:.1f} s, import {:.1f} s, audit {:.1f} s.\n", generate_seconds,
                       import_seconds, audit_seconds);
            fmt::print(
                "Explore further:\n"
                "  gridaudit audit --db {0} --json     # every finding with its evidence\n"
                "  gridaudit rules                      # what each rule checks\n"
                "  gridaudit cases --db {0} list        # the cases opened, then show, assign, transition\n"
                "  sqlite3 {0} 'SELECT * FROM findings LIMIT 5'\n",
                db.string());
            return 0;
        }};
}

}  // namespace gridaudit
