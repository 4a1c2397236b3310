// Text view of an ImportReport.
#include "cli/import_output.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>

namespace gridaudit {

void print_import_report(const ImportReport& report, std::size_t problems_shown) {
    fmt::print("Imported {}\n", report.folder);
    fmt::print("  {:<22} {:>12} {:>12} {:>10}\n", "file", "read", "accepted", "rejected");
    std::size_t tariff_files = 0, tariffs_accepted = 0, tariffs_rejected = 0;
    for (const auto& file : report.files) {
        if (file.file.rfind("tariffs/", 0) == 0) {
            ++tariff_files;
            tariffs_accepted += file.rows_accepted;
            tariffs_rejected += file.rows_rejected;
            continue;
        }
        fmt::print("  {:<22} {:>12} {:>12} {:>10}\n", file.file, file.rows_read, file.rows_accepted, file.rows_rejected);
    }
    if (tariff_files)
        fmt::print("  {:<22} {:>12} {:>12} {:>10}\n", "tariffs/*.json", tariff_files, tariffs_accepted, tariffs_rejected);
    for (const auto& ignored : report.ignored_files) fmt::print("  ignored (not in the contract): {}\n", ignored);
    if (report.outcome) {
        if (report.outcome->already_imported) {
            fmt::print("This export was already imported (batch {}): nothing changed.\n", report.outcome->batch_id);
        } else {
            std::string changed;
            for (const auto& change : report.outcome->changes)
                if (change.inserted + change.corrected > 0)
                    changed += fmt::format(" {} +{}{}", change.table, change.inserted,
                                           change.corrected ? fmt::format(" ({} corrected)", change.corrected) : "");
            if (changed.empty())
                fmt::print("Batch {} committed: nothing changed (every row was already stored).\n",
                           report.outcome->batch_id);
            else
                fmt::print("Batch {} committed:{}\n", report.outcome->batch_id, changed);
        }
    }
    if (report.problem_count > 0) {
        std::fflush(stdout);
        const std::size_t shown = std::min(problems_shown, report.messages.size());
        for (std::size_t i = 0; i < shown; ++i) fmt::print(stderr, "{}\n", report.messages[i]);
        if (report.problem_count > shown) fmt::print(stderr, "... and {} more problems\n", report.problem_count - shown);
        fmt::print(stderr, "{} problem(s), {} row(s) rejected; full list and rejected rows in {}\n",
                   report.problem_count, report.rows_rejected(), report.report_dir.string());
    }
}

int import_exit_code(const ImportReport& report) { return report.rows_rejected() > 0 || report.problem_count > 0 ? 1 : 0; }

}  // namespace gridaudit
