// The date options several commands share (--period YYYY-MM, --as-of YYYY-MM-DD, a window given
// as --period or --from/--to), each parsed with the one error message users see for it.
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

// The days a command looks at, from `--period` or `--from`/`--to` (each end open when not given).
struct DayWindowOptions {
    std::optional<CivilDate> from, to;
};

// A user error when both forms are given, a text is malformed, or --to is before --from.
[[nodiscard]] inline Result<DayWindowOptions> day_window_options(const std::string& period_text,
                                                                 const std::string& from_text,
                                                                 const std::string& to_text) {
    if (!period_text.empty() && (!from_text.empty() || !to_text.empty()))
        return user_error("give --period or --from/--to, not both");
    GA_ASSIGN_OR_RETURN(const std::optional<Period> period, period_option("--period", period_text));
    DayWindowOptions window;
    GA_ASSIGN_OR_RETURN(window.from, date_option("--from", from_text));
    GA_ASSIGN_OR_RETURN(window.to, date_option("--to", to_text));
    if (period) window.from = period->first_day(), window.to = period->last_day();
    if (window.from && window.to && *window.to < *window.from)
        return user_error(
            fmt::format("--to is before --from ({} < {})", window.to->to_string(), window.from->to_string()));
    return window;
}

}  // namespace gridaudit
