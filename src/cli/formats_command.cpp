// `gridaudit formats [--markdown]`: the import contract and the inputs outside an export folder
// (the fee center's anomaly CSV), as a plain listing or as Markdown (docs/import-format.md is its
// output; tests/cli/formats_command_test.cpp checks both list the same formats).
#include <fmt/core.h>

#include "cases/fee_center_csv.hpp"
#include "cli/command.hpp"
#include "model/import_contract.hpp"

namespace gridaudit {
namespace {

// The inputs outside an export folder, after the import contract's Markdown.
std::string other_inputs_markdown() {
    std::string out =
        "## fee-center CSV (`gridaudit cases import FILE`)\n\n"
        "One row per anomaly the fee center (电费管理中心) found. Not part of an export folder: "
        "`gridaudit cases import FILE` turns each row into a case, or attaches it to the open case of its subject "
        "and kind (docs/cases.md). The header is exactly these six columns, in this order; RFC 4180 quoting, UTF-8, "
        "blank lines skipped. Any problem refuses the whole file, each named `file:line:column: column: what is "
        "wrong (value)`.\n\n"
        "| column | type | required | description |\n| --- | --- | --- | --- |\n";
    for (const auto& [name, type, what] : fee_center_csv_columns())
        out += fmt::format("| `{}` | {} | yes | {} |\n", name, type, what);
    out += fmt::format(
        "\nExample:\n\n```\n{}\ncustomer,C000123,BILL-ENERGY-VS-READS,\"billed 0 kWh, meter advanced 1,520 "
        "kWh\",812.40,2026-09-28\n```\n",
        fee_center_csv_header);
    return out;
}

}  // namespace

CommandRegistration register_formats_command(CLI::App& app) {
    auto* command = app.add_subcommand("formats", "Describe the import contract: files and columns");
    auto markdown = std::make_shared<bool>(false);
    command->add_flag("--markdown", *markdown, "The full contract as Markdown (docs/import-format.md)");
    return {command, [markdown]() -> Result<int> {
                if (*markdown) {
                    fmt::print("{}{}", import_contract_markdown(), other_inputs_markdown());
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
