// Bills for people and programs: an itemised text statement and the stable JSON document of
// `gridaudit tariff bill --json` (field reference in docs/tariffs.md).
// Thread safety: pure functions.
#pragma once

#include <span>
#include <string>

#include "tariff/bill.hpp"
#include "tariff/tariff.hpp"

namespace gridaudit {

// Month by month: the lines (quantity, unit price, amount), the rounded components, the total;
// then the totals over all months.
[[nodiscard]] std::string bills_text(const Tariff& tariff, std::span<const MonthBill> bills);

// One JSON document: {"tariff": {...}, "months": [...], "totals": {...}}; money as decimal strings.
[[nodiscard]] std::string bills_json(const Tariff& tariff, std::span<const MonthBill> bills);

// The notes of a bill in words, one per element.
[[nodiscard]] std::vector<std::string> bill_notes(const MonthBill& bill);

}  // namespace gridaudit
