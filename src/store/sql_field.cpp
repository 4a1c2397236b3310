// Conversions between FieldValue and SQLite values, per contract column type.
#include "store/sql_field.hpp"

#include <fmt/format.h>

#include <chrono>

namespace gridaudit {
namespace {

using T = ColumnType;

// The alternative index of FieldValue that a column of this type holds.
std::size_t alternative_of(ColumnType type) {
    switch (type) {
        case T::text:
        case T::code:
        case T::ratio:
        case T::flags:
            return 1;  // std::string
        case T::integer:
            return 2;
        case T::decimal:
            return 3;
        case T::money:
            return 4;
        case T::date:
            return 5;
        case T::period:
            return 6;
        case T::instant:
            return 7;
    }
    return 0;
}

// Writes `value` as `width` decimal digits at `at` (REQUIRES: 0 <= value < 10^width).
char* put_digits(char* at, int value, int width) {
    for (int i = width - 1; i >= 0; --i, value /= 10) at[i] = static_cast<char>('0' + value % 10);
    return at + width;
}

// "YYYY-MM-DD" (years 0..9999, as the contract's dates) into a caller's buffer, without allocating.
std::string_view format_date(CivilDate date, char (&buffer)[16]) {
    const std::chrono::year_month_day ymd{date.sys_days()};
    const int year = static_cast<int>(ymd.year());
    if (year < 0 || year > 9999)
        return {buffer, static_cast<std::size_t>(fmt::format_to_n(buffer, sizeof buffer, "{}", date.to_string()).size)};
    char* at = put_digits(buffer, year, 4);
    *at++ = '-';
    at = put_digits(at, static_cast<int>(static_cast<unsigned>(ymd.month())), 2);
    *at++ = '-';
    at = put_digits(at, static_cast<int>(static_cast<unsigned>(ymd.day())), 2);
    return {buffer, static_cast<std::size_t>(at - buffer)};
}

// "YYYY-MM" into a caller's buffer, without allocating.
std::string_view format_period(Period period, char (&buffer)[16]) {
    if (period.year() < 0 || period.year() > 9999)
        return {buffer,
                static_cast<std::size_t>(fmt::format_to_n(buffer, sizeof buffer, "{}", period.to_string()).size)};
    char* at = put_digits(buffer, period.year(), 4);
    *at++ = '-';
    at = put_digits(at, static_cast<int>(period.month()), 2);
    return {buffer, static_cast<std::size_t>(at - buffer)};
}

std::string money_text(Money money) {
    std::string text = money.to_string(4);
    while (text.back() == '0') text.pop_back();
    if (text.back() == '.') text.pop_back();
    return text;
}

Error damaged(const ColumnSpec& column, std::string_view stored) {
    return Error(ErrorClass::external, fmt::format("stored value of column {} is not a {} ({})", column.name,
                                                   column_type_name(column.type), stored));
}

}  // namespace

std::string_view sql_column_type(ColumnType type) {
    switch (type) {
        case T::integer:
        case T::money:
        case T::instant:
            return "INTEGER";
        case T::decimal:
            return "REAL";
        case T::text:
        case T::code:
        case T::ratio:
        case T::flags:
        case T::date:
        case T::period:
            return "TEXT";
    }
    return "TEXT";
}

std::string quoted_identifier(std::string_view name) {
    std::string quoted = "\"";
    for (const char c : name) {
        if (c == '"') quoted += '"';
        quoted += c;
    }
    return quoted + '"';
}

Status bind_field(SqliteStatement& statement, int index, const FieldValue& value, const ColumnSpec& column) {
    if (std::holds_alternative<std::monostate>(value)) {
        statement.bind_null(index);
        return {};
    }
    if (value.index() != alternative_of(column.type))
        return internal_error(fmt::format("column {} of type {} was given a value of another type", column.name,
                                          column_type_name(column.type)));
    switch (column.type) {
        case T::text:
        case T::code:
        case T::ratio:
        case T::flags:
            statement.bind_text(index, std::get<std::string>(value));
            break;
        case T::integer:
            statement.bind_int64(index, std::get<std::int64_t>(value));
            break;
        case T::decimal:
            statement.bind_double(index, std::get<double>(value));
            break;
        case T::money:
            statement.bind_int64(index, std::get<Money>(value).units());
            break;
        case T::date: {
            char buffer[16];
            statement.bind_text_copy(index, format_date(std::get<CivilDate>(value), buffer));
            break;
        }
        case T::period: {
            char buffer[16];
            statement.bind_text_copy(index, format_period(std::get<Period>(value), buffer));
            break;
        }
        case T::instant:
            statement.bind_int64(index, std::get<Instant>(value).unix_seconds());
            break;
    }
    return {};
}

Result<FieldValue> read_field(const SqliteStatement& statement, int index, const ColumnSpec& column) {
    if (statement.column_is_null(index)) return FieldValue{};
    switch (column.type) {
        case T::text:
        case T::code:
        case T::ratio:
        case T::flags:
            return FieldValue{std::string(statement.column_text(index))};
        case T::integer:
            return FieldValue{statement.column_int64(index)};
        case T::decimal:
            return FieldValue{statement.column_double(index)};
        case T::money:
            return FieldValue{Money::from_units(statement.column_int64(index))};
        case T::instant:
            return FieldValue{Instant::from_unix_seconds(statement.column_int64(index))};
        case T::date: {
            const auto text = statement.column_text(index);
            const auto date = CivilDate::parse(text);
            if (!date) return std::unexpected(damaged(column, text));
            return FieldValue{*date};
        }
        case T::period: {
            const auto text = statement.column_text(index);
            const auto period = Period::parse(text);
            if (!period) return std::unexpected(damaged(column, text));
            return FieldValue{*period};
        }
    }
    return internal_error("unknown column type");
}

std::optional<std::string> field_text(const FieldValue& value) {
    struct Visitor {
        std::optional<std::string> operator()(std::monostate) const { return std::nullopt; }
        std::optional<std::string> operator()(const std::string& text) const { return text; }
        std::optional<std::string> operator()(std::int64_t number) const { return fmt::format("{}", number); }
        std::optional<std::string> operator()(double number) const { return fmt::format("{}", number); }
        std::optional<std::string> operator()(Money money) const { return money_text(money); }
        std::optional<std::string> operator()(CivilDate date) const { return date.to_string(); }
        std::optional<std::string> operator()(Period period) const { return period.to_string(); }
        std::optional<std::string> operator()(Instant instant) const { return instant.to_string(0); }
    };
    return std::visit(Visitor{}, value);
}

}  // namespace gridaudit
