// `gridaudit import --db DB DIR [--strict] [--report DIR] [--quiet]`: validate and load an export
// folder; `gridaudit import --db DB --format sgcc FILE [--truth-out FILE]`: the SGCC theft-data layout.
#include <fmt/core.h>

#include "cli/command.hpp"
#include "cli/import_output.hpp"
#include "cli/progress_line.hpp"
#include "ingest/import_folder.hpp"
#include "ingest/sgcc_file.hpp"

namespace gridaudit {

CommandRegistration register_import_command(CLI::App& app) {
    struct Arguments {
        std::string db, folder, report, format = "export", truth_out;
        bool strict = false, quiet = false;
    };
    auto args = std::make_shared<Arguments>();
    auto* command = app.add_subcommand("import", "Validate an export folder and load it into the store in one transaction");
    command
        ->add_option("--db", args->db, "Store: a SQLite file path (created if missing) or a postgresql:// URI")
        ->required();
    command->add_option("folder", args->folder, "Export folder (see docs/import-format.md), or the file of --format sgcc")->required();
    command->add_flag("--strict", args->strict, "Refuse the whole batch on any problem");
    command->add_option("--report", args->report, "Folder for errors.txt and rejected rows (default: <DIR>.import-report)");
    command->add_option("--format", args->format,
                        "export: an export folder; sgcc: one file in the SGCC theft-data layout (docs/import.md)")
        ->check(CLI::IsMember({"export", "sgcc"}))
        ->capture_default_str();
    command->add_option("--truth-out", args->truth_out, "With --format sgcc: write its FLAGs as a theft_truth.csv");
    command->add_flag("--quiet", args->quiet, "No progress line on a terminal");
    return {command, [args]() -> Result<int> {
                if (args->format == "sgcc") {
                    if (args->strict || !args->report.empty())
                        return user_error("--strict and --report are for export folders (an SGCC file is always strict)");
                    GA_ASSIGN_OR_RETURN(auto store, Store::open(args->db));
                    TerminalProgress progress(args->quiet);
                    GA_ASSIGN_OR_RETURN(const ImportReport report,
                                        import_sgcc_file(*store, args->folder, args->truth_out, progress.observer()));
                    progress.clear();
                    print_import_report(report, 20);
                    return import_exit_code(report);
                }
                if (!args->truth_out.empty()) return user_error("--truth-out is for --format sgcc");
                GA_ASSIGN_OR_RETURN(auto store, Store::open(args->db));
                ImportFolderOptions options;
                options.strict = args->strict;
                options.report_dir = args->report;
                TerminalProgress progress(args->quiet);
                options.progress = &progress.observer();
                GA_ASSIGN_OR_RETURN(const ImportReport report, import_folder(*store, args->folder, options));
                progress.clear();
                print_import_report(report, 20);
                return import_exit_code(report);
            }};
}

}  // namespace gridaudit
