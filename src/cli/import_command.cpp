// `gridaudit import --db DB DIR [--strict] [--report DIR]`: validate and load an export folder.
#include <fmt/core.h>

#include "cli/command.hpp"
#include "cli/import_output.hpp"
#include "ingest/import_folder.hpp"

namespace gridaudit {

CommandRegistration register_import_command(CLI::App& app) {
    struct Arguments {
        std::string db, folder, report;
        bool strict = false;
    };
    auto args = std::make_shared<Arguments>();
    auto* command = app.add_subcommand("import", "Validate an export folder and load it into the store in one transaction");
    command->add_option("--db", args->db, "Store: a SQLite file path (created if missing)")->required();
    command->add_option("folder", args->folder, "Export folder (see docs/import-format.md)")->required();
    command->add_flag("--strict", args->strict, "Refuse the whole batch on any problem");
    command->add_option("--report", args->report, "Folder for errors.txt and rejected rows (default: <DIR>.import-report)");
    return {command, [args]() -> Result<int> {
                GA_ASSIGN_OR_RETURN(auto store, Store::open(args->db));
                ImportFolderOptions options;
                options.strict = args->strict;
                options.report_dir = args->report;
                GA_ASSIGN_OR_RETURN(const ImportReport report, import_folder(*store, args->folder, options));
                print_import_report(report, 20);
                return import_exit_code(report);
            }};
}

}  // namespace gridaudit
