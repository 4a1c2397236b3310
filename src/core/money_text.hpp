// Money and other figures as people read them: thousands grouped with commas, money with its
// currency ("1,234,567.89 CNY"). Every command, document and report prints money through these.
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "core/money.hpp"

namespace gridaudit {

// "-1234567.89" -> "-1,234,567.89": commas between groups of three digits before the decimal
// point; a leading sign and everything from the point on are kept as they are.
[[nodiscard]] std::string group_thousands(std::string_view plain_number);

// The amount rounded half-up to cents (Money::to_string(2)), grouped, then the currency:
// "1,234,567.89 CNY".
[[nodiscard]] std::string money_text(Money amount, std::string_view currency);

}  // namespace gridaudit
