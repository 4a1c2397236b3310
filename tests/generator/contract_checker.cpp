// Field and cross-column checks of generated CSV files against the import contract.
#include "contract_checker.hpp"

#include <charconv>
#include <fmt/format.h>
#include <fstream>
#include <sstream>

#include "core/money.hpp"
#include "core/time.hpp"

namespace gridaudit {
namespace {

bool is_digits(std::string_view text) {
    if (text.empty()) return false;
    for (char c : text)
        if (c < '0' || c > '9') return false;
    return true;
}

bool is_integer(std::string_view text) {
    if (!text.empty() && (text[0] == '-' || text[0] == '+')) text.remove_prefix(1);
    return is_digits(text);
}

// "-12.5", "3", no exponent, no grouping; `max_decimals` < 0 means any number of decimals.
bool is_decimal(std::string_view text, int max_decimals = -1) {
    if (!text.empty() && text[0] == '-') text.remove_prefix(1);
    const auto point = text.find('.');
    if (point == std::string_view::npos) return is_digits(text);
    const auto fraction = text.substr(point + 1);
    if (max_decimals >= 0 && static_cast<int>(fraction.size()) > max_decimals) return false;
    return is_digits(text.substr(0, point)) && is_digits(fraction);
}

double number(std::string_view text) {
    double value = 0;
    std::from_chars(text.data(), text.data() + text.size(), value);
    return value;
}

bool in_codes(const ColumnSpec& column, std::string_view value) {
    for (const auto& code : column.codes)
        if (code == value) return true;
    return false;
}

bool in_range(const ColumnSpec& column, double value) {
    if (column.minimum && value < *column.minimum) return false;
    if (column.maximum && value > *column.maximum) return false;
    return true;
}

}  // namespace

int CsvTable::column(std::string_view name) const {
    for (std::size_t i = 0; i < header.size(); ++i)
        if (header[i] == name) return static_cast<int>(i);
    return -1;
}

const std::string& CsvTable::at(std::size_t row, std::string_view name) const {
    return rows[row][static_cast<std::size_t>(column(name))];
}

CsvTable read_csv(const std::filesystem::path& path) {
    CsvTable table;
    std::ifstream in(path, std::ios::binary);
    std::string line;
    auto split = [](const std::string& text) {
        std::vector<std::string> fields;
        std::size_t start = 0;
        while (true) {
            const auto comma = text.find(',', start);
            fields.push_back(text.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
            if (comma == std::string::npos) break;
            start = comma + 1;
        }
        return fields;
    };
    if (std::getline(in, line)) table.header = split(line);
    while (std::getline(in, line)) table.rows.push_back(split(line));
    return table;
}

bool field_is_valid(const ColumnSpec& column, const std::string& value) {
    if (value.empty()) return !column.required;
    if (value.find_first_of("\"\r\n") != std::string::npos) return false;
    switch (column.type) {
        case ColumnType::text: return true;
        case ColumnType::code:
            return in_codes(column, value);
        case ColumnType::integer:
            return is_integer(value) && (column.codes.empty() || in_codes(column, value)) && in_range(column, number(value));
        case ColumnType::decimal: return is_decimal(value) && in_range(column, number(value));
        case ColumnType::money: return is_decimal(value, 4) && Money::parse(value).has_value();
        case ColumnType::date: return value.size() == 10 && CivilDate::parse(value).has_value();
        case ColumnType::period: return Period::parse(value).has_value();
        case ColumnType::instant: return Instant::parse(value).has_value() && value.ends_with("+08:00");
        case ColumnType::ratio: {
            if (value == "1") return true;
            const auto slash = value.find('/');
            return slash != std::string::npos && is_digits(std::string_view(value).substr(0, slash)) &&
                   is_digits(std::string_view(value).substr(slash + 1));
        }
        case ColumnType::flags: {
            std::string_view rest = value;
            while (true) {
                const auto bar = rest.find('|');
                if (!in_codes(column, rest.substr(0, bar))) return false;
                if (bar == std::string_view::npos) return true;
                rest.remove_prefix(bar + 1);
            }
        }
    }
    return false;
}

std::vector<std::string> check_against_contract(const TableSpec& spec, const CsvTable& table, std::size_t limit) {
    std::vector<std::string> problems;
    auto report = [&](std::size_t row, std::string_view what) {
        if (problems.size() < limit) problems.push_back(fmt::format("{} line {}: {}", spec.file, row + 2, what));
    };
    std::vector<std::string> expected;
    for (const auto& c : spec.columns) expected.emplace_back(c.name);
    if (table.header != expected) {
        problems.push_back(fmt::format("{}: header is not the contract's columns", spec.file));
        return problems;
    }
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
        const auto& row = table.rows[r];
        if (row.size() != spec.columns.size()) {
            report(r, fmt::format("{} fields, expected {}", row.size(), spec.columns.size()));
            continue;
        }
        for (std::size_t c = 0; c < row.size(); ++c)
            if (!field_is_valid(spec.columns[c], row[c]))
                report(r, fmt::format("column {}: invalid {} ({})", spec.columns[c].name,
                                      column_type_name(spec.columns[c].type), row[c]));
        // Cross-column rules stated in the contract's notes.
        auto field = [&](std::string_view name) -> const std::string& { return row[static_cast<std::size_t>(spec.column_index(name))]; };
        auto not_before = [&](std::string_view later, std::string_view earlier) {
            if (!field(later).empty() && !field(earlier).empty() && field(later) < field(earlier))
                report(r, fmt::format("{} before {}", later, earlier));
        };
        if (spec.table == "meters") {
            if (field("customer_id").empty() == field("node_id").empty())
                report(r, "exactly one of customer_id and node_id must be given");
            not_before("removed_on", "installed_on");
            not_before("last_tested_on", "installed_on");
        } else if (spec.table == "customers") {
            not_before("supply_end", "supply_start");
            if (field("category") == "temporary" && field("supply_end").empty())
                report(r, "temporary customer without supply_end");
        } else if (spec.table == "work_orders") {
            const auto accepted = Instant::parse(field("accepted_at"));
            for (std::string_view step : {"plan_at", "design_at", "checked_at", "connected_at", "closed_at"}) {
                const auto at = Instant::parse(field(step));
                if (accepted && at && *at < *accepted) report(r, fmt::format("{} before accepted_at", step));
            }
        } else if (spec.table == "ami_interval") {
            const auto start = Instant::parse(field("start"));
            const int minutes = static_cast<int>(number(field("minutes")));
            if (start && minutes > 0 && start->unix_seconds() % (minutes * 60) != 0)
                report(r, "start is not on the interval grid");
        } else if (spec.table == "network") {
            if ((field("kind") == "substation") != field("parent_id").empty())
                report(r, "only a substation has no parent");
        }
    }
    return problems;
}

}  // namespace gridaudit
