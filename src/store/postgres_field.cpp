// Conversions between FieldValue and PostgreSQL text values, per contract column type.
#include "store/postgres_field.hpp"

#include <fmt/format.h>

namespace gridaudit {
namespace {

using T = ColumnType;

bool holds_type_of(const FieldValue& value, ColumnType type) {
    switch (type) {
        case T::text:
        case T::code:
        case T::ratio:
        case T::flags:
            return std::holds_alternative<std::string>(value);
        case T::integer:
            return std::holds_alternative<std::int64_t>(value);
        case T::decimal:
            return std::holds_alternative<double>(value);
        case T::money:
            return std::holds_alternative<Money>(value);
        case T::date:
            return std::holds_alternative<CivilDate>(value);
        case T::period:
            return std::holds_alternative<Period>(value);
        case T::instant:
            return std::holds_alternative<Instant>(value);
    }
    return false;
}

Error damaged(const ColumnSpec& column, std::string_view stored) {
    return Error(ErrorClass::external, fmt::format("stored value of column {} is not a {} ({})", column.name,
                                                   column_type_name(column.type), stored));
}

}  // namespace

Status add_field(CopyRows& rows, const FieldValue& value, const ColumnSpec& column) {
    if (std::holds_alternative<std::monostate>(value)) {
        rows.add_null();
        return {};
    }
    if (!holds_type_of(value, column.type))
        return internal_error(fmt::format("column {} of type {} was given a value of another type", column.name,
                                          column_type_name(column.type)));
    struct Adder {
        CopyRows& rows;
        void operator()(std::monostate) const { rows.add_null(); }
        void operator()(const std::string& text) const { rows.add_text(text); }
        void operator()(std::int64_t number) const { rows.add_int64(number); }
        void operator()(double number) const { rows.add_double(number); }
        void operator()(Money money) const { rows.add_int64(money.units()); }
        void operator()(CivilDate date) const { rows.add_text(date.to_string()); }
        void operator()(Period period) const { rows.add_text(period.to_string()); }
        void operator()(Instant instant) const { rows.add_int64(instant.unix_seconds()); }
    };
    std::visit(Adder{rows}, value);
    return {};
}

std::optional<std::string> field_parameter(const FieldValue& value) {
    struct Text {
        std::optional<std::string> operator()(std::monostate) const { return std::nullopt; }
        std::optional<std::string> operator()(const std::string& text) const { return text; }
        std::optional<std::string> operator()(std::int64_t number) const { return fmt::format("{}", number); }
        std::optional<std::string> operator()(double number) const { return fmt::format("{}", number); }
        std::optional<std::string> operator()(Money money) const { return fmt::format("{}", money.units()); }
        std::optional<std::string> operator()(CivilDate date) const { return date.to_string(); }
        std::optional<std::string> operator()(Period period) const { return period.to_string(); }
        std::optional<std::string> operator()(Instant instant) const {
            return fmt::format("{}", instant.unix_seconds());
        }
    };
    return std::visit(Text{}, value);
}

Result<FieldValue> read_field(const PostgresResult& result, int row, int index, const ColumnSpec& column) {
    if (result.is_null(row, index)) return FieldValue{};
    const auto text = result.text(row, index);
    switch (column.type) {
        case T::text:
        case T::code:
        case T::ratio:
        case T::flags:
            return FieldValue{std::string(text)};
        case T::integer:
            return FieldValue{result.int64(row, index)};
        case T::decimal:
            return FieldValue{result.float64(row, index)};
        case T::money:
            return FieldValue{Money::from_units(result.int64(row, index))};
        case T::instant:
            return FieldValue{Instant::from_unix_seconds(result.int64(row, index))};
        case T::date: {
            const auto date = CivilDate::parse(text);
            if (!date) return std::unexpected(damaged(column, text));
            return FieldValue{*date};
        }
        case T::period: {
            const auto period = Period::parse(text);
            if (!period) return std::unexpected(damaged(column, text));
            return FieldValue{*period};
        }
    }
    return internal_error("unknown column type");
}

}  // namespace gridaudit
