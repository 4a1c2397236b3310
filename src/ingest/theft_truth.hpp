// The truth of a theft evaluation: `theft_truth.csv` as `gridaudit generate --theft-scenario` and
// `gridaudit import --format sgcc` write it (docs/suspects.md, "Evaluation"), one row per customer
// known to have stolen: customer_id, attack, attacked_days, stolen_kwh. Every customer not listed
// is honest. Read strictly: every problem is `file:line:column: column: what is wrong (value)`.
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace gridaudit {

struct TheftTruthRow {
    std::string customer_id;
    std::string attack;              // "h1-constant-factor", ..., "sgcc-flag"
    std::int32_t attacked_days = 0;  // 0 when unknown
    double stolen_kwh = 0;           // NaN when unknown (an empty field)
};

inline constexpr std::string_view theft_truth_header = "customer_id,attack,attacked_days,stolen_kwh";

// Parses the text of a truth file; `file_name` names it in messages.
[[nodiscard]] Result<std::vector<TheftTruthRow>> parse_theft_truth(std::string_view text, std::string_view file_name);
[[nodiscard]] Result<std::vector<TheftTruthRow>> read_theft_truth(const std::filesystem::path& file);

// The rows as a truth file (header first, LF line ends); stolen_kwh with 3 decimals.
[[nodiscard]] std::string theft_truth_csv(const std::vector<TheftTruthRow>& rows);

}  // namespace gridaudit
