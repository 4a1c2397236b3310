// The network, customers and meters as typed columns (master_columns.hpp): one fill per table over
// either a SQLite statement (sqlite_master_columns.hpp) or the generic rows of any other Store.
#include "store/master_columns.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <array>
#include <limits>
#include <span>
#include <string_view>
#include <variant>

#include "model/import_contract.hpp"
#include "store/sqlite_master_columns.hpp"

namespace gridaudit {
namespace {

constexpr double missing = std::numeric_limits<double>::quiet_NaN();

// Column lists, in SELECT order: the ones every read needs first, then the details.
constexpr std::array network_columns{"node_id", "parent_id",        "kind",     "name",
                                     "unit_id", "gateway_meter_id", "rated_kva"};
constexpr std::size_t customer_basic = 3;
constexpr std::array customer_columns{"customer_id",    "node_id",     "category",     "name",      "address",
                                      "unit_id",        "industry",    "tariff_id",    "status",    "voltage_kv",
                                      "contracted_kva", "pf_standard", "supply_start", "supply_end"};
constexpr std::size_t meter_basic = 6;
constexpr std::array meter_columns{"meter_id",   "customer_id", "node_id",        "multiplier",    "installed_on",
                                   "removed_on", "model",       "accuracy_class", "ct_ratio",      "pt_ratio",
                                   "ct_class",   "pt_class",    "phases",         "rated_current", "last_tested_on"};

// One SQLite result row: values by SELECT position.
struct StatementCells {
    const SqliteStatement& statement;
    std::string_view table;
    [[nodiscard]] std::string text(int c) const {
        return statement.column_is_null(c) ? std::string() : std::string(statement.column_text(c));
    }
    [[nodiscard]] double number(int c) const {
        return statement.column_is_null(c) ? missing : statement.column_double(c);
    }
    [[nodiscard]] Result<std::optional<CivilDate>> date(int c) const {
        if (statement.column_is_null(c)) return std::nullopt;
        const auto text = statement.column_text(c);
        const auto day = CivilDate::parse(text);
        if (!day) return external_error(fmt::format("{} holds a damaged date ({})", table, text));
        return day;
    }
};

// One generic row: values by the table's column positions, in SELECT order.
struct RowCells {
    const Row& row;
    std::span<const int> position;
    [[nodiscard]] const FieldValue* value(int c) const {
        const int at = position[static_cast<std::size_t>(c)];
        return at < 0 ? nullptr : &row.values[static_cast<std::size_t>(at)];
    }
    [[nodiscard]] std::string text(int c) const {
        const auto* v = value(c);
        const auto* s = v ? std::get_if<std::string>(v) : nullptr;
        return s ? *s : std::string();
    }
    [[nodiscard]] double number(int c) const {
        const auto* v = value(c);
        if (v == nullptr) return missing;
        if (const auto* d = std::get_if<double>(v)) return *d;
        if (const auto* i = std::get_if<std::int64_t>(v)) return static_cast<double>(*i);
        return missing;
    }
    [[nodiscard]] Result<std::optional<CivilDate>> date(int c) const {
        const auto* v = value(c);
        const auto* d = v ? std::get_if<CivilDate>(v) : nullptr;
        return d ? std::optional<CivilDate>(*d) : std::nullopt;
    }
};

template <class Cells>
Status add_node(NetworkTable& table, const Cells& cells) {
    table.node_id.push_back(cells.text(0));
    table.parent_id.push_back(cells.text(1));
    table.kind.push_back(cells.text(2));
    table.name.push_back(cells.text(3));
    table.unit_id.push_back(cells.text(4));
    table.gateway_meter_id.push_back(cells.text(5));
    table.rated_kva.push_back(cells.number(6));
    return {};
}

template <class Cells>
Status add_customer(CustomerTable& table, const Cells& cells, bool details) {
    table.customer_id.push_back(cells.text(0));
    table.node_id.push_back(cells.text(1));
    table.category.push_back(cells.text(2));
    if (!details) return {};
    table.name.push_back(cells.text(3));
    table.address.push_back(cells.text(4));
    table.unit_id.push_back(cells.text(5));
    table.industry.push_back(cells.text(6));
    table.tariff_id.push_back(cells.text(7));
    table.status.push_back(cells.text(8));
    table.voltage_kv.push_back(cells.number(9));
    table.contracted_kva.push_back(cells.number(10));
    table.pf_standard.push_back(cells.number(11));
    GA_ASSIGN_OR_RETURN(const auto start, cells.date(12));
    table.supply_start.push_back(start.value_or(CivilDate()));
    GA_ASSIGN_OR_RETURN(const auto end, cells.date(13));
    table.supply_end.push_back(end);
    return {};
}

template <class Cells>
Status add_meter(MeterTable& table, const Cells& cells, bool details) {
    table.meter_id.push_back(cells.text(0));
    table.customer_id.push_back(cells.text(1));
    table.node_id.push_back(cells.text(2));
    table.multiplier.push_back(cells.number(3));
    GA_ASSIGN_OR_RETURN(const auto installed, cells.date(4));
    table.installed_on.push_back(installed.value_or(CivilDate()));
    GA_ASSIGN_OR_RETURN(const auto removed, cells.date(5));
    table.removed_on.push_back(removed);
    if (!details) return {};
    table.model.push_back(cells.text(6));
    table.accuracy_class.push_back(cells.text(7));
    table.ct_ratio.push_back(cells.text(8));
    table.pt_ratio.push_back(cells.text(9));
    table.ct_class.push_back(cells.text(10));
    table.pt_class.push_back(cells.text(11));
    table.phases.push_back(static_cast<int>(cells.number(12)));
    table.rated_current.push_back(cells.number(13));
    GA_ASSIGN_OR_RETURN(const auto tested, cells.date(14));
    table.last_tested_on.push_back(tested);
    return {};
}

// Runs `SELECT columns FROM table ORDER BY key` and hands every row's cells to `add`.
template <class Add>
Status select_each(SqliteConnection& connection, std::string_view table, std::span<const char* const> columns,
                   std::string_view key, Add add) {
    GA_ASSIGN_OR_RETURN(auto select, connection.prepare(fmt::format("SELECT {} FROM {} ORDER BY {}",
                                                                    fmt::join(columns, ", "), table, key)));
    for (;;) {
        GA_ASSIGN_OR_RETURN(const bool has_row, select.step());
        if (!has_row) return {};
        GA_TRY(add(StatementCells{select, table}));
    }
}

// Reads `table` through Store::read_rows and hands every row's cells (in `columns` order) to `add`.
template <class Add>
Status rows_each(Store& store, std::string_view table, std::span<const char* const> columns, Add add) {
    const TableSpec* spec = find_table(table);
    if (spec == nullptr) return internal_error(fmt::format("read_master_columns: no contract table {}", table));
    std::vector<int> position;
    for (const char* name : columns) position.push_back(spec->column_index(name));
    GA_ASSIGN_OR_RETURN(const std::vector<Row> rows, store.read_rows(*spec));
    for (const Row& row : rows) GA_TRY(add(RowCells{row, position}));
    return {};
}

template <class Each>
Result<MasterColumns> read_all(bool details, Each each) {
    MasterColumns columns;
    GA_TRY(each("network", std::span<const char* const>(network_columns), "node_id",
                [&](const auto& cells) { return add_node(columns.network, cells); }));
    GA_TRY(
        each("customers",
             std::span<const char* const>(customer_columns).first(details ? customer_columns.size() : customer_basic),
             "customer_id", [&](const auto& cells) { return add_customer(columns.customers, cells, details); }));
    GA_TRY(each("meters",
                std::span<const char* const>(meter_columns).first(details ? meter_columns.size() : meter_basic),
                "meter_id", [&](const auto& cells) { return add_meter(columns.meters, cells, details); }));
    return columns;
}

}  // namespace

Result<MasterColumns> read_master_columns(Store& store, bool details) {
    if (auto* reads = dynamic_cast<MasterColumnReads*>(&store)) return reads->read_master_columns(details);
    return read_all(details, [&](std::string_view table, std::span<const char* const> columns, std::string_view,
                                 auto add) { return rows_each(store, table, columns, add); });
}

Result<MasterColumns> read_sqlite_master_columns(SqliteConnection& connection, bool details) {
    return read_all(details, [&](std::string_view table, std::span<const char* const> columns, std::string_view key,
                                 auto add) { return select_each(connection, table, columns, key, add); });
}

}  // namespace gridaudit
