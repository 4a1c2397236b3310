// Insert-or-compare merge of rows-kind tables, with corrections for changed values.
#include "store/table_writer.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "store/sql_field.hpp"

namespace gridaudit {
namespace {

struct TableStatements {
    SqliteStatement insert;  // every column, ON CONFLICT DO NOTHING
    SqliteStatement select;  // every column of the row with the given key
    SqliteStatement update;  // non-key columns ?1..?m, then key columns
    bool has_update = false;
};

std::vector<std::string> quoted_names(const TableSpec& table, const std::vector<std::size_t>& columns) {
    std::vector<std::string> names;
    for (const auto column : columns) names.push_back(quoted_identifier(table.columns[column].name));
    return names;
}

// "a" = ?k AND "b" = ?k+1 ...
std::string key_condition(const TableSpec& table, const std::vector<std::size_t>& keys, std::size_t first_parameter) {
    std::vector<std::string> terms;
    for (std::size_t k = 0; k < keys.size(); ++k)
        terms.push_back(fmt::format("{} = ?{}", quoted_identifier(table.columns[keys[k]].name), first_parameter + k));
    return fmt::format("{}", fmt::join(terms, " AND "));
}

Result<TableStatements> prepare_statements(SqliteConnection& connection, const TableSpec& table,
                                           const std::vector<std::size_t>& keys,
                                           const std::vector<std::size_t>& others) {
    std::vector<std::size_t> all(table.columns.size());
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
    std::vector<std::string> parameters;
    for (std::size_t i = 0; i < all.size(); ++i) parameters.push_back(fmt::format("?{}", i + 1));
    const std::string name = quoted_identifier(table.table);

    TableStatements statements;
    GA_ASSIGN_OR_RETURN(
        statements.insert,
        connection.prepare(fmt::format("INSERT INTO {} ({}) VALUES ({}) ON CONFLICT DO NOTHING", name,
                                       fmt::join(quoted_names(table, all), ", "), fmt::join(parameters, ", "))));
    GA_ASSIGN_OR_RETURN(statements.select, connection.prepare(fmt::format("{} WHERE {}", select_columns_sql(table),
                                                                          key_condition(table, keys, 1))));
    if (!others.empty()) {
        std::vector<std::string> assignments;
        for (std::size_t k = 0; k < others.size(); ++k)
            assignments.push_back(fmt::format("{} = ?{}", quoted_identifier(table.columns[others[k]].name), k + 1));
        GA_ASSIGN_OR_RETURN(statements.update, connection.prepare(fmt::format(
                                                   "UPDATE {} SET {} WHERE {}", name, fmt::join(assignments, ", "),
                                                   key_condition(table, keys, others.size() + 1))));
        statements.has_update = true;
    }
    return statements;
}

std::string row_key_text(const Row& row, const std::vector<std::size_t>& keys) {
    std::string key;
    for (std::size_t k = 0; k < keys.size(); ++k) {
        if (k > 0) key += '|';
        key += field_text(row.values[keys[k]]).value_or("");
    }
    return key;
}

Result<std::vector<FieldValue>> read_stored_row(SqliteStatement& select, const TableSpec& table, const Row& row,
                                                const std::vector<std::size_t>& keys) {
    for (std::size_t k = 0; k < keys.size(); ++k)
        GA_TRY(bind_field(select, static_cast<int>(k + 1), row.values[keys[k]], table.columns[keys[k]]));
    GA_ASSIGN_OR_RETURN(const bool found, select.step());
    if (!found) {
        select.reset();
        return internal_error(
            fmt::format("{}: row {} neither inserted nor found", table.table, row_key_text(row, keys)));
    }
    std::vector<FieldValue> stored;
    stored.reserve(table.columns.size());
    for (std::size_t i = 0; i < table.columns.size(); ++i) {
        auto value = read_field(select, static_cast<int>(i), table.columns[i]);
        if (!value) {
            select.reset();
            return std::unexpected(std::move(value).error());
        }
        stored.push_back(std::move(*value));
    }
    select.reset();
    return stored;
}

Status update_row(SqliteStatement& update, const TableSpec& table, const Row& row, const std::vector<std::size_t>& keys,
                  const std::vector<std::size_t>& others) {
    for (std::size_t k = 0; k < others.size(); ++k)
        GA_TRY(bind_field(update, static_cast<int>(k + 1), row.values[others[k]], table.columns[others[k]]));
    for (std::size_t k = 0; k < keys.size(); ++k)
        GA_TRY(
            bind_field(update, static_cast<int>(others.size() + k + 1), row.values[keys[k]], table.columns[keys[k]]));
    return update.run();
}

// Compares a stored row with its new version; updates it and records corrections if they differ.
// Returns whether the row was corrected.
Result<bool> merge_existing_row(TableStatements& statements, const TableSpec& table, const Row& row,
                                const std::vector<std::size_t>& keys, const std::vector<std::size_t>& others,
                                CorrectionLog& corrections) {
    GA_ASSIGN_OR_RETURN(const auto stored, read_stored_row(statements.select, table, row, keys));
    std::string row_key;
    bool corrected = false;
    for (const auto column : others) {
        if (stored[column] == row.values[column]) continue;
        if (!corrected) row_key = row_key_text(row, keys);
        corrected = true;
        GA_TRY(corrections.record(table.table, row_key, table.columns[column].name, field_text(stored[column]),
                                  field_text(row.values[column])));
    }
    if (corrected && statements.has_update) GA_TRY(update_row(statements.update, table, row, keys, others));
    return corrected;
}

}  // namespace

std::string select_columns_sql(const TableSpec& table) {
    std::vector<std::string> names;
    for (const auto& column : table.columns) names.push_back(quoted_identifier(column.name));
    return fmt::format("SELECT {} FROM {}", fmt::join(names, ", "), quoted_identifier(table.table));
}

Result<TableChange> write_table_rows(SqliteConnection& connection, const TableRows& rows, CorrectionLog& corrections) {
    if (rows.spec == nullptr || rows.spec->storage != StorageKind::rows)
        return internal_error("write_table_rows needs a rows-kind table of the import contract");
    const TableSpec& table = *rows.spec;
    std::vector<std::size_t> keys, others;
    for (std::size_t i = 0; i < table.columns.size(); ++i) {
        const bool is_key = std::find(table.key.begin(), table.key.end(), table.columns[i].name) != table.key.end();
        (is_key ? keys : others).push_back(i);
    }
    if (keys.size() != table.key.size()) return internal_error(fmt::format("{}: key column missing", table.table));
    GA_ASSIGN_OR_RETURN(auto statements, prepare_statements(connection, table, keys, others));

    TableChange change{std::string(table.table)};
    for (const Row& row : rows.rows) {
        if (row.values.size() != table.columns.size())
            return internal_error(fmt::format("{} line {}: {} values for {} columns", table.table, row.line,
                                              row.values.size(), table.columns.size()));
        for (std::size_t i = 0; i < table.columns.size(); ++i)
            GA_TRY(bind_field(statements.insert, static_cast<int>(i + 1), row.values[i], table.columns[i]));
        if (auto inserted = statements.insert.run(); !inserted)
            return std::unexpected(inserted.error().with_context(fmt::format("{} line {}", table.file, row.line)));
        if (connection.changes() == 1) {
            ++change.inserted;
            continue;
        }
        GA_ASSIGN_OR_RETURN(const bool corrected,
                            merge_existing_row(statements, table, row, keys, others, corrections));
        ++(corrected ? change.corrected : change.unchanged);
    }
    return change;
}

}  // namespace gridaudit
