// Load CSV reading (with the text layer's RFC 4180 reader), monthly aggregation onto tariff periods, and month-by-month
// pricing.
#include "tariff/load_series.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <deque>
#include <limits>
#include <map>
#include <string>

#include "text/csv_reader.hpp"
#include "text/printable_text.hpp"

namespace gridaudit {
namespace {

constexpr std::int64_t minutes_per_day = 24 * 60;

struct CsvLine {
    std::uint32_t number = 0;
    std::vector<std::string_view> fields;  // trimmed of spaces and tabs
    std::vector<std::uint32_t> columns;    // 1-based character column of each field
};

bool is_blank(char c) {
    return c == ' ' || c == '\t';
}

// The records of `content` read with the shared RFC 4180 reader, each field trimmed of spaces and
// tabs; records of one unquoted blank field (a line of spaces and tabs) are skipped. A quoted field
// with a doubled quote is unescaped into `unescaped` (the lines' views point there).
Result<std::vector<CsvLine>> read_lines(std::string_view content, std::string_view source,
                                        std::deque<std::string>& unescaped) {
    std::vector<CsvLine> lines;
    CsvReader reader(content);
    while (true) {
        const CsvStatus status = reader.next();
        if (status == CsvStatus::end) break;
        if (status == CsvStatus::malformed) {
            const CsvSyntaxError& error = reader.error();
            return user_error(fmt::format("{}:{}:{}: {}", source, error.line, error.column, error.what));
        }
        const CsvRecord& record = reader.record();
        if (record.fields.size() == 1 && !record.fields[0].quoted &&
            std::ranges::all_of(record.fields[0].text, is_blank))
            continue;
        CsvLine line;
        line.number = record.line;
        for (const CsvField& field : record.fields) {
            std::string_view text = field.text;
            std::size_t leading = 0;
            while (leading < text.size() && is_blank(text[leading])) ++leading;
            text.remove_prefix(leading);
            while (!text.empty() && is_blank(text.back())) text.remove_suffix(1);
            const bool in_input = text.empty() || (text.data() >= content.data() &&
                                                   text.data() + text.size() <= content.data() + content.size());
            if (!in_input) text = unescaped.emplace_back(text);
            line.fields.push_back(text);
            line.columns.push_back(field.column + static_cast<std::uint32_t>(field.quoted ? 0 : leading));
        }
        lines.push_back(std::move(line));
    }
    return lines;
}

std::optional<double> parse_number(std::string_view text) {
    double value = 0;
    if (text.empty()) return std::nullopt;
    const char* begin = text.data();
    if (*begin == '+') ++begin;
    const auto [end, error] = std::from_chars(begin, text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) return std::nullopt;
    return value;
}

// "2026-01-01T00:15", "2026-01-01 00:15:00", with an optional "Z" or "+08:00" (not applied).
std::optional<std::pair<CivilDate, int>> parse_local_time(std::string_view text) {
    if (text.size() < 16 || (text[10] != 'T' && text[10] != ' ') || text[13] != ':') return std::nullopt;
    const auto day = CivilDate::parse(text.substr(0, 10));
    if (!day) return std::nullopt;
    const auto digits = [&](std::size_t at) {
        if (text[at] < '0' || text[at] > '9' || text[at + 1] < '0' || text[at + 1] > '9') return -1;
        return (text[at] - '0') * 10 + (text[at + 1] - '0');
    };
    const int hours = digits(11);
    const int minutes = digits(14);
    if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59) return std::nullopt;
    std::string_view rest = text.substr(16);
    if (rest.size() >= 3 && rest[0] == ':') {
        if (digits(17) != 0) return std::nullopt;  // whole minutes only
        rest.remove_prefix(3);
    }
    const bool offset_ok =
        rest.empty() || rest == "Z" || (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':');
    if (!offset_ok) return std::nullopt;
    return std::pair{*day, hours * 60 + minutes};
}

Error csv_error(std::string_view source, const CsvLine& line, std::size_t field, std::string_view column,
                std::string_view message) {
    const std::uint32_t at = field < line.columns.size() ? line.columns[field] : 1;
    const std::string_view value = field < line.fields.size() ? line.fields[field] : std::string_view();
    return Error(ErrorClass::user, fmt::format("{}:{}:{}: {}: {} ({})", source, line.number, at, column, message,
                                               printable_value(value)));
}

// a / b rounded down (C++ division rounds toward zero, wrong for the minutes before 1970).
std::int64_t floor_div(std::int64_t a, std::int64_t b) {
    return a / b - static_cast<std::int64_t>(a % b != 0 && (a < 0) != (b < 0));
}

std::int64_t absolute_minute(const LoadInterval& interval) {
    return static_cast<std::int64_t>(interval.day.days_since_epoch()) * minutes_per_day + interval.start_minute;
}

}  // namespace

CivilDate default_series_start() {
    return CivilDate::from_ymd(2018, 1, 1);
}

LoadSeries hourly_load(CivilDate start, std::span<const double> kw, std::span<const double> kvar) {
    LoadSeries series;
    series.has_reactive = !kvar.empty();
    series.intervals.reserve(kw.size());
    for (std::size_t i = 0; i < kw.size(); ++i) {
        LoadInterval interval;
        interval.day = start + static_cast<std::int32_t>(i / 24);
        interval.start_minute = static_cast<std::int32_t>(i % 24) * 60;
        interval.minutes = 60;
        interval.kwh = kw[i];
        if (i < kvar.size()) interval.kvarh = kvar[i];
        series.intervals.push_back(interval);
    }
    return series;
}

Result<LoadSeries> parse_load_csv(std::string_view content, std::string_view source_name,
                                  std::optional<CivilDate> start) {
    std::deque<std::string> unescaped;
    GA_ASSIGN_OR_RETURN(const std::vector<CsvLine> lines, read_lines(content, source_name, unescaped));
    if (lines.empty()) return user_error(fmt::format("{}: no load values", source_name));
    // Header or not: a first line that is one number is data.
    const bool header = !(lines[0].fields.size() == 1 && parse_number(lines[0].fields[0]));
    int kw = -1, kwh = -1, kvar = -1, kvarh = -1, start_column = -1, minutes_column = -1;
    std::vector<std::string> names;
    std::size_t width = 1;
    if (header && lines[0].fields.size() > 1) {
        width = lines[0].fields.size();
        for (std::size_t f = 0; f < width; ++f) {
            const std::string name(lines[0].fields[f]);
            names.push_back(name);
            int* slot = name == "kw"        ? &kw
                        : name == "kwh"     ? &kwh
                        : name == "kvar"    ? &kvar
                        : name == "kvarh"   ? &kvarh
                        : name == "start"   ? &start_column
                        : name == "minutes" ? &minutes_column
                                            : nullptr;
            if (name.rfind("x_", 0) == 0) continue;
            if (!slot)
                return std::unexpected(
                    csv_error(source_name, lines[0], f, "header",
                              "unknown column; expected start, minutes, kw, kwh, kvar, kvarh or x_..."));
            if (*slot >= 0) return std::unexpected(csv_error(source_name, lines[0], f, "header", "column given twice"));
            *slot = static_cast<int>(f);
        }
        const bool timed = start_column >= 0;
        if (timed ? (kw >= 0) == (kwh >= 0) : (kw < 0 || kwh >= 0 || kvarh >= 0 || minutes_column >= 0))
            return std::unexpected(csv_error(source_name, lines[0], 0, "header",
                                             "give either kw[,kvar] (hourly) or start,kwh|kw[,kvarh|kvar][,minutes]"));
        if (timed && kvar >= 0 && kvarh >= 0)
            return std::unexpected(csv_error(source_name, lines[0], 0, "header", "give kvar or kvarh, not both"));
    } else {
        kw = 0;
        names.push_back(header ? std::string(lines[0].fields[0]) : "kw");
    }
    const bool timed = start_column >= 0;
    if (timed && start)
        return user_error(fmt::format("{}: the load has timestamps; --start dates untimed series only", source_name));

    LoadSeries series;
    series.timestamped = timed;
    series.has_reactive = kvar >= 0 || kvarh >= 0;
    const CivilDate first_day = start.value_or(default_series_start());
    std::vector<int> given_minutes;
    const auto column_name = [&](int column) { return names[static_cast<std::size_t>(column)]; };
    for (std::size_t l = header ? 1 : 0; l < lines.size(); ++l) {
        const CsvLine& line = lines[l];
        if (line.fields.size() != width) {
            return std::unexpected(
                Error(ErrorClass::user, fmt::format("{}:{}:1: {} fields where the header has {}", source_name,
                                                    line.number, line.fields.size(), width)));
        }
        const auto value_of = [&](int column) -> Result<double> {
            const auto value = parse_number(line.fields[static_cast<std::size_t>(column)]);
            if (!value || *value < 0)
                return std::unexpected(csv_error(source_name, line, static_cast<std::size_t>(column),
                                                 column_name(column), "must be a finite number, at least 0"));
            return *value;
        };
        LoadInterval interval;
        if (timed) {
            const auto at = parse_local_time(line.fields[static_cast<std::size_t>(start_column)]);
            if (!at)
                return std::unexpected(csv_error(source_name, line, static_cast<std::size_t>(start_column), "start",
                                                 "must be a local time YYYY-MM-DDTHH:MM"));
            interval.day = at->first;
            interval.start_minute = at->second;
            interval.minutes = 0;  // set below
            if (minutes_column >= 0) {
                const auto text = line.fields[static_cast<std::size_t>(minutes_column)];
                int minutes = 0;
                const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), minutes);
                if (error != std::errc() || end != text.data() + text.size() || minutes < 1 || minutes > 1440)
                    return std::unexpected(csv_error(source_name, line, static_cast<std::size_t>(minutes_column),
                                                     "minutes", "must be a whole number of minutes, 1..1440"));
                interval.minutes = minutes;
            }
            GA_ASSIGN_OR_RETURN(const double energy, value_of(kwh >= 0 ? kwh : kw));
            interval.kwh = energy;  // kW is converted once the length is known
            if (kvarh >= 0 || kvar >= 0) {
                GA_ASSIGN_OR_RETURN(interval.kvarh, value_of(kvarh >= 0 ? kvarh : kvar));
            }
        } else {
            const std::size_t hour = series.intervals.size();
            interval.day = first_day + static_cast<std::int32_t>(hour / 24);
            interval.start_minute = static_cast<std::int32_t>(hour % 24) * 60;
            interval.minutes = 60;
            GA_ASSIGN_OR_RETURN(interval.kwh, value_of(kw));
            if (kvar >= 0) {
                GA_ASSIGN_OR_RETURN(interval.kvarh, value_of(kvar));
            }
        }
        if (timed && !series.intervals.empty() &&
            absolute_minute(interval) <= absolute_minute(series.intervals.back())) {
            return std::unexpected(csv_error(source_name, line, static_cast<std::size_t>(start_column), "start",
                                             "not after the previous interval's start"));
        }
        series.intervals.push_back(interval);
    }
    if (series.intervals.empty()) return user_error(fmt::format("{}: no load values", source_name));
    if (timed) {
        // Interval lengths: given, or the most common spacing of the starts.
        int spacing = 60;
        if (minutes_column < 0 && series.intervals.size() > 1) {
            std::map<std::int64_t, int> counts;
            for (std::size_t i = 1; i < series.intervals.size(); ++i)
                ++counts[absolute_minute(series.intervals[i]) - absolute_minute(series.intervals[i - 1])];
            const auto most = std::max_element(counts.begin(), counts.end(),
                                               [](const auto& a, const auto& b) { return a.second < b.second; });
            if (most->first > minutes_per_day)
                return user_error(
                    fmt::format("{}: intervals are more than a day apart; give a minutes column", source_name));
            spacing = static_cast<int>(most->first);
        }
        const std::size_t first_line = header ? 1 : 0;
        for (std::size_t i = 0; i < series.intervals.size(); ++i) {
            LoadInterval& interval = series.intervals[i];
            if (minutes_column < 0) interval.minutes = spacing;
            if (i + 1 < series.intervals.size() &&
                absolute_minute(interval) + interval.minutes > absolute_minute(series.intervals[i + 1])) {
                return std::unexpected(
                    csv_error(source_name, lines[first_line + i + 1], static_cast<std::size_t>(start_column), "start",
                              fmt::format("overlaps the previous interval of {} minutes", interval.minutes)));
            }
            if (kw >= 0) interval.kwh = interval.kwh * interval.minutes / 60.0;
            if (kvar >= 0) interval.kvarh = interval.kvarh * interval.minutes / 60.0;
        }
    }
    return series;
}

Result<std::vector<MonthUsage>> monthly_usage(const Tariff& tariff, const LoadSeries& series) {
    std::vector<MonthUsage> months;
    std::vector<std::int32_t> last_day_counted;  // per month, the last day counted as connected
    const std::size_t period_count = tariff.energy_periods.size();
    const std::size_t demand_period_count = tariff.demand ? tariff.demand->periods.size() : 0;
    CivilDate cached_day = CivilDate::from_days(std::numeric_limits<std::int32_t>::min());
    Period cached_period;
    unsigned cached_month = 1;
    DayType cached_type = DayType::workday;
    for (const LoadInterval& interval : series.intervals) {
        if (!(interval.kwh >= 0) || !std::isfinite(interval.kwh) || interval.minutes <= 0)
            return user_error(fmt::format("load interval at {} is not valid", interval.day.to_string()));
        const double kw = interval.kwh * 60.0 / interval.minutes;
        const std::int64_t begin = absolute_minute(interval);
        const std::int64_t end = begin + interval.minutes;
        for (std::int64_t at = begin; at < end;) {
            const std::int64_t next = std::min(end, (floor_div(at, slot_minutes) + 1) * slot_minutes);
            const double share = static_cast<double>(next - at) / interval.minutes;
            const std::int64_t day_number = floor_div(at, minutes_per_day);
            const CivilDate day = CivilDate::from_days(static_cast<std::int32_t>(day_number));
            if (day != cached_day) {
                cached_day = day;
                cached_period = Period::of(day);
                cached_month = day.month();
                cached_type = tariff.calendar.day_type(day);
            }
            if (months.empty() || months.back().period != cached_period) {
                if (!months.empty() && cached_period < months.back().period)
                    return user_error("load intervals are not in time order");
                MonthUsage usage;
                usage.period = cached_period;
                usage.period_kwh.assign(period_count, 0.0);
                usage.kvarh = series.has_reactive ? 0.0 : not_measured;
                usage.max_demand_kw = 0;
                usage.period_max_demand_kw.assign(demand_period_count, not_measured);
                months.push_back(std::move(usage));
                last_day_counted.push_back(std::numeric_limits<std::int32_t>::min());
            }
            MonthUsage& usage = months.back();
            const int slot = static_cast<int>((at - day_number * minutes_per_day) / slot_minutes);
            const int period = tariff.energy_schedule.period_at(cached_month, cached_type, slot);
            usage.period_kwh[static_cast<std::size_t>(period)] += interval.kwh * share;
            if (series.has_reactive) usage.kvarh += interval.kvarh * share;
            usage.max_demand_kw = std::max(usage.max_demand_kw, kw);
            if (demand_period_count > 0) {
                const auto d =
                    static_cast<std::size_t>(tariff.demand->schedule.period_at(cached_month, cached_type, slot));
                double& peak = usage.period_max_demand_kw[d];
                peak = std::isnan(peak) ? kw : std::max(peak, kw);
            }
            if (last_day_counted.back() != day.days_since_epoch()) {
                last_day_counted.back() = day.days_since_epoch();
                ++usage.days_connected;
            }
            at = next;
        }
    }
    for (MonthUsage& usage : months)
        if (usage.days_connected == usage.period.day_count()) usage.days_connected = 0;  // the whole month
    return months;
}

Result<std::vector<MonthBill>> price_load_series(const Tariff& tariff, const CustomerTerms& terms,
                                                 const LoadSeries& series, BillingState state) {
    GA_ASSIGN_OR_RETURN(const std::vector<MonthUsage> months, monthly_usage(tariff, series));
    std::vector<MonthBill> bills(months.size());
    for (std::size_t m = 0; m < months.size(); ++m) GA_TRY(price_month(tariff, terms, months[m], state, bills[m]));
    return bills;
}

}  // namespace gridaudit
