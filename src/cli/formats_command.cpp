// `gridaudit formats [--markdown]`: the import contract and the inputs outside an export folder
// (the fee center's anomaly CSV, the SGCC theft-data layout, the theft truth file), as a plain listing or as Markdown (docs/import-format.md is its
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
    out +=
        "\n## SGCC CSV (`gridaudit import --db DB --format sgcc FILE [--truth-out FILE]`)\n\n"
        "The public SGCC electricity-theft data layout (State Grid Corporation of China; Zheng et al., IEEE Trans. "
        "Industrial Informatics 14(4), 2018): one row per customer, its days as columns. Not an export folder: "
        "import stores each customer (residential, in synthetic areas `SGCC-A0001`... of 200 customers in file "
        "order, no area meter) with its daily usage, and `--truth-out` writes the FLAGs as a theft truth file "
        "(docs/import.md, \"The SGCC layout\"). Columns in any order; RFC 4180 quoting, UTF-8, blank lines "
        "skipped. The first problem refuses the whole file as `file:line:column: column: what is wrong (value)`.\n\n"
        "| column | type | required | description |\n| --- | --- | --- | --- |\n"
        "| `CONS_NO` | text | yes | Customer number, unique, at most 64 bytes. |\n"
        "| `FLAG` | integer | yes | 1: found stealing, 0: not. |\n"
        "| a day, `YYYY/M/D` or `YYYY-MM-DD` | decimal | no | kWh used that day, 0 .. 1e7; blank when missing. One "
        "column per day, each day once, at most 3,660 days from the first to the last. |\n"
        "\nExample:\n\n```\nCONS_NO,FLAG,2014/1/2,2014/1/1,2014/1/10\n0387DD8A07E07FDA6271170F86AD9151,1,3.5,,0\n```\n";
    out +=
        "\n## `theft_truth.csv` (`gridaudit eval --truth FILE`)\n\n"
        "The customers known to have stolen, one row each; every customer not listed is honest "
        "(docs/suspects.md, \"Evaluation\"). Written by `gridaudit generate --theft-scenario` and by "
        "`gridaudit import --format sgcc --truth-out`. The header is exactly these four columns, in this order. "
        "The first problem refuses the whole file as `file:line:column: column: what is wrong (value)`.\n\n"
        "| column | type | required | description |\n| --- | --- | --- | --- |\n"
        "| `customer_id` | text | yes | The customer, unique. |\n"
        "| `attack` | text | yes | How it stole: `h1-constant-factor` ... `night-bypass` (docs/generator.md), "
        "`sgcc-flag`. |\n"
        "| `attacked_days` | integer | no | Days it stole on, 0 .. 100000 (0 when unknown). |\n"
        "| `stolen_kwh` | decimal | no | kWh it did not meter, 0 .. 1e12; empty when unknown. |\n"
        "\nExample:\n\n```\ncustomer_id,attack,attacked_days,stolen_kwh\nC00010004,h3-on-off-window,17,41.250\n```\n";
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
                fmt::print("{:<20} {:<9} one row per customer, a column per day; `gridaudit import --format sgcc FILE` "
                           "(docs/import.md)\n",
                           "SGCC CSV", "");
                fmt::print("    {:<18} {:<8} required\n    {:<18} {:<8} required\n    {:<18} {:<8}\n", "CONS_NO",
                           "text", "FLAG", "integer", "YYYY/M/D ...", "decimal");
                fmt::print("{:<20} {:<9} one row per customer known to have stolen; `gridaudit eval --truth FILE` "
                           "(docs/suspects.md)\n",
                           "theft_truth.csv", "");
                fmt::print("    {:<18} {:<8} required\n    {:<18} {:<8} required\n    {:<18} {:<8}\n    {:<18} {:<8}\n",
                           "customer_id", "text", "attack", "text", "attacked_days", "integer", "stolen_kwh", "decimal");
                return 0;
            }};
}

}  // namespace gridaudit
