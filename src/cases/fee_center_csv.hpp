// The fee center's anomaly list (电费管理中心): a strict CSV that `gridaudit cases import` turns into
// cases (docs/cases.md, `gridaudit formats`).
//
//   subject_kind,subject_id,kind,description,amount,found_on
//   customer,C000123,BILL-ENERGY-VS-READS,"billed 0 kWh, meter advanced 1,520 kWh",812.40,2026-09-28
//
// The header is exactly these six columns. subject_kind: customer, meter or node; subject_id: 1 to
// 64 characters; kind: the cause the case is worked under (a rule id or a word of the policy, 1 to
// 64 of A-Z a-z 0-9 _ - .); description: 1 to 1,000 characters of UTF-8; amount: the CNY at
// stake, a decimal of at least 0 with at most 2 decimals (0 when unknown); found_on: YYYY-MM-DD, not
// after today. Read with text/'s CsvReader (RFC 4180 quoting, the size caps).
// Thread safety: a pure function.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "model/case_record.hpp"

namespace gridaudit {

inline constexpr std::string_view fee_center_csv_header = "subject_kind,subject_id,kind,description,amount,found_on";

struct FeeCenterColumn {
    std::string_view name;
    std::string_view type;
    std::string_view meaning;
};

// The columns in order, with their type and what they hold (`gridaudit formats`).
[[nodiscard]] std::span<const FeeCenterColumn> fee_center_csv_columns();

// The rows of a fee-center CSV, each with `source` "file_name:line". Any problem refuses the
// whole file: a user error listing each as `file:line:column: column: what is wrong (value)` (the
// first 20, then how many more), in file order.
[[nodiscard]] Result<std::vector<FeeCenterAnomaly>> parse_fee_center_csv(std::string_view bytes,
                                                                         std::string_view file_name, CivilDate today);

}  // namespace gridaudit
