// The public SGCC electricity-theft data layout (State Grid Corporation of China, released with
// Zheng et al., "Wide and deep convolutional neural networks for electricity-theft detection",
// IEEE Trans. Industrial Informatics 14(4), 2018): one row per customer, `CONS_NO` (the customer
// number), `FLAG` (1: found stealing, 0: not) and one column per day named by its date
// (`2014/1/1`; `2014-01-01` also accepted), the day columns in any order, a blank for a missing
// day. Parsed strictly: the first problem stops the parse as `file:line:column: column: what is
// wrong (value)`. `sgcc_export_files` turns the parsed file into the export files import takes
// (docs/import.md, "The SGCC layout"). Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/progress.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "ingest/import_report.hpp"
#include "store/store.hpp"
#include "text/file_content.hpp"

namespace gridaudit {

struct SgccData {
    CivilDate first_day;                 // the earliest day column
    std::int32_t days = 0;               // first_day .. the latest day column; days without a column are missing
    std::vector<std::string> customers;  // CONS_NO, in file order
    std::vector<std::uint8_t> flag;      // FLAG per customer
    std::vector<double> usage;           // customers x days, kWh per day, NaN missing
};

// Limits: at most 3,660 days between the first and last day column, 2,000,000 customers and
// 100,000,000 customer days (the published file has 42,372 x 1,035).
inline constexpr std::int32_t sgcc_max_days = 3660;
inline constexpr std::size_t sgcc_max_customers = 2'000'000;
inline constexpr std::size_t sgcc_max_values = 100'000'000;
// Customers per synthetic transformer area of the import.
inline constexpr std::size_t sgcc_area_customers = 200;

[[nodiscard]] Result<SgccData> parse_sgcc(std::string_view text, std::string_view file_name);

// The export files of `data` (network.csv, customers.csv, meters.csv, ami_daily.csv): substation
// SGCC-S, bus SGCC-B, feeder SGCC-F and areas SGCC-A0001... of sgcc_area_customers customers each
// in file order, no gateway meters; each customer residential, its meter `M-<CONS_NO>` (multiplier
// 1, installed on the first day) and its midnight registers from 0 (the running sum of its days,
// 3 decimals; no row for a missing day).
[[nodiscard]] std::vector<InputFile> sgcc_export_files(const SgccData& data);

// Parses `file` and imports its export files in one transaction as import_folder does (the
// generated files are valid by construction; a problem in them is an internal error). `truth_out`,
// when not empty, receives sgcc_truth_csv. `progress` hears "reading <file>", then import_folder's
// stages.
[[nodiscard]] Result<ImportReport> import_sgcc_file(Store& store, const std::filesystem::path& file,
                                                    const std::filesystem::path& truth_out,
                                                    ProgressObserver& progress = null_progress());

// theft_truth.csv of the flags: one row per customer with FLAG 1, attack `sgcc-flag`.
[[nodiscard]] std::string sgcc_truth_csv(const SgccData& data);

}  // namespace gridaudit
