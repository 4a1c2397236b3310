// The date options several commands share (--period YYYY-MM, --as-of YYYY-MM-DD), each parsed
// with the one error message users see for it.
#pragma once

#include <fmt/format.h>

#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "core/time.hpp"

namespace gridaudit {

// nullopt when `text` is empty (the option was not given); a user error when it is not YYYY-MM.
[[nodiscard]] inline Result<std::optional<Period>> period_option(std::string_view option, const std::string& text) {
    if (text.empty()) return std::optional<Period>();
    const auto period = Period::parse(text);
    if (!period) return user_error(fmt::format("{} must be YYYY-MM ({})", option, text));
    return period;
}

// nullopt when `text` is empty; a user error when it is not YYYY-MM-DD.
[[nodiscard]] inline Result<std::optional<CivilDate>> date_option(std::string_view option, const std::string& text) {
    if (text.empty()) return std::optional<CivilDate>();
    const auto date = CivilDate::parse(text);
    if (!date) return user_error(fmt::format("{} must be YYYY-MM-DD ({})", option, text));
    return date;
}

}  // namespace gridaudit
