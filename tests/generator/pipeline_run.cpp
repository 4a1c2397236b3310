// Developer tool, not a test: what `gridaudit demo` does, on the committed layers only --
// generate, import into a fresh SQLite store, run the catalogue, score it against truth.csv --
// with the time of each step. Lets the generator be checked end to end while the CLI is changing.
//   pipeline_run DIR [customers] [days] [seed]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fmt/format.h>

#include "audit/audit_run.hpp"
#include "audit/truth_score.hpp"
#include "generator/synthetic_utility.hpp"
#include "ingest/import_folder.hpp"
#include "rules/catalogue.hpp"
#include "rules/policy.hpp"
#include "store/store.hpp"

namespace {

gridaudit::Status run(int argc, char** argv) {
    using namespace gridaudit;
    const std::filesystem::path dir = argv[1];
    GeneratorOptions options;
    options.out = dir / "export";
    if (argc > 2) options.customers = std::atoi(argv[2]);
    if (argc > 3) options.days = std::atoi(argv[3]);
    if (argc > 4) options.seed = std::strtoull(argv[4], nullptr, 10);
    auto lap = [start = std::chrono::steady_clock::now()]() mutable {
        const auto now = std::chrono::steady_clock::now();
        const double seconds = std::chrono::duration<double>(now - start).count();
        start = now;
        return seconds;
    };
    GA_ASSIGN_OR_RETURN(const auto generated, generate_utility(options));
    fmt::print("generate: {:.2f} s, {} bytes\n", lap(), generated.total_bytes);

    const std::string db = (dir / "pipeline.db").string();
    for (const char* suffix : {"", "-wal", "-shm"}) std::remove((db + suffix).c_str());
    GA_ASSIGN_OR_RETURN(auto store, Store::open(db));
    ImportFolderOptions import_options;
    GA_ASSIGN_OR_RETURN(const auto report, import_folder(*store, options.out, import_options));
    fmt::print("import: {:.2f} s, {} problems\n", lap(), report.problem_count);

    GA_ASSIGN_OR_RETURN(const auto summary, run_audit(*store, standard_catalogue(), Policy(), AuditOptions{}));
    fmt::print("audit: {:.2f} s, {} findings, as of {}\n", lap(), summary.findings.size(), summary.as_of.to_string());

    GA_ASSIGN_OR_RETURN(const auto truth, read_truth(options.out / "truth.csv"));
    GA_ASSIGN_OR_RETURN(const auto scores,
                        score_against_truth(*store, standard_catalogue(), summary.rules_run, summary.findings, truth));
    for (const auto& score : scores)
        fmt::print("  {:<28} injected {:>5} reported {:>5} recall {:>6.1f}% precision {:>6.1f}%\n", score.rule_id,
                   score.truth_subjects, score.found_subjects, 100 * score.recall(), 100 * score.precision());
    return {};
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: pipeline_run DIR [customers] [days] [seed]\n");
        return 1;
    }
    const auto status = run(argc, argv);
    if (!status) {
        std::fprintf(stderr, "error: %s\n", status.error().message().c_str());
        return gridaudit::exit_code(status.error().kind());
    }
    return 0;
}
