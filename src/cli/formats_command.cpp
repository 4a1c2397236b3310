// `gridaudit formats [--markdown]`: the import contract (docs/import-format.md is its output) and,
// in the plain listing, the inputs outside an export folder (the fee center's anomaly CSV).
#include <fmt/core.h>

#include "cases/fee_center_csv.hpp"
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
                fmt::print("\nOther inputs (not part of an export folder):\n");
                fmt::print("{:<20} {:<9} one row per anomaly the fee center found; `gridaudit cases import FILE` "
                           "(docs/cases.md)\n",
                           "fee-center CSV", "");
                for (const auto& [name, type, what] : fee_center_csv_columns())
                    fmt::print("    {:<18} {:<8} required  {}\n", name, type, what);
                return 0;
            }};
}

}  // namespace gridaudit
