// `gridaudit formats [--markdown]`: the import contract (docs/import-format.md is its output).
#include <fmt/core.h>

#include "cli/command.hpp"
#include "model/import_contract.hpp"

namespace gridaudit {

CommandRegistration register_formats_command(CLI::App& app) {
    auto* command = app.add_subcommand("formats", "Describe the import contract: files and columns");
    auto markdown = std::make_shared<bool>(false);
    command->add_flag("--markdown", *markdown, "The full contract as Markdown (docs/import-format.md)");
    return {command, [markdown]() -> Result<int> {
                if (*markdown) {
                    fmt::print("{}", import_contract_markdown());
                    return 0;
                }
                for (const auto& table : import_contract()) {
                    fmt::print("{:<20} {:<9} one row per {}\n", table.file, table.required_file ? "required" : "optional",
                               table.one_row_per);
                    for (const auto& column : table.columns)
                        fmt::print("    {:<18} {:<8}{}\n", column.name, column_type_name(column.type),
                                   column.required ? " required" : "");
                }
                return 0;
            }};
}

}  // namespace gridaudit
