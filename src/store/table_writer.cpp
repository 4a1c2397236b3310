// Insert-or-compare merge of rows-kind tables, with corrections for changed values.
//
// Every statement numbers its parameters by contract column (?1 is column 0), so a row is bound
// the same way everywhere. On a table that was empty when the batch started, rows are plain
// inserts (a duplicate key within the batch fails the insert and takes the compare path).
// Otherwise a probe `SELECT (c IS ?i) AND ... WHERE key` tells in SQLite whether the
// stored row is identical, so unchanged rows cost one lookup and no value is copied out;
// only a changed row is read back in full to record its corrections.
#include "store/table_writer.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "store/sql_field.hpp"

namespace gridaudit {
namespace {

std::string parameter(std::size_t column) {
    return fmt::format("?{}", column + 1);
}

class TableWriter {
public:
    TableWriter(const TableSpec& table, CorrectionLog& corrections) : table_(table), corrections_(corrections) {
        for (std::size_t i = 0; i < table.columns.size(); ++i) {
            all_.push_back(i);
            const bool is_key = std::find(table.key.begin(), table.key.end(), table.columns[i].name) != table.key.end();
            (is_key ? keys_ : others_).push_back(i);
        }
    }

    Status prepare(SqliteConnection& connection) {
        if (keys_.size() != table_.key.size())
            return internal_error(fmt::format("{}: a key column is not a column", table_.table));
        const std::string name = quoted_identifier(table_.table);
        std::vector<std::string> columns, parameters, same, assignments;
        for (std::size_t i = 0; i < table_.columns.size(); ++i) {
            columns.push_back(quoted_identifier(table_.columns[i].name));
            parameters.push_back(parameter(i));
        }
        for (const auto i : others_) {
            same.push_back(fmt::format("{} IS {}", columns[i], parameter(i)));
            assignments.push_back(fmt::format("{} = {}", columns[i], parameter(i)));
        }
        std::vector<std::string> key_terms;
        for (const auto i : keys_) key_terms.push_back(fmt::format("{} = {}", columns[i], parameter(i)));
        const std::string where = fmt::format("{}", fmt::join(key_terms, " AND "));

        GA_ASSIGN_OR_RETURN(
            insert_, connection.prepare(fmt::format("INSERT INTO {} ({}) VALUES ({})", name, fmt::join(columns, ", "),
                                                    fmt::join(parameters, ", "))));
        GA_ASSIGN_OR_RETURN(
            probe_, connection.prepare(fmt::format("SELECT {} FROM {} WHERE {}",
                                                   same.empty() ? "1" : fmt::format("{}", fmt::join(same, " AND ")),
                                                   name, where)));
        GA_ASSIGN_OR_RETURN(select_, connection.prepare(fmt::format("{} WHERE {}", select_columns_sql(table_), where)));
        if (!others_.empty()) {
            GA_ASSIGN_OR_RETURN(update_, connection.prepare(fmt::format("UPDATE {} SET {} WHERE {}", name,
                                                                        fmt::join(assignments, ", "), where)));
        }
        GA_ASSIGN_OR_RETURN(const auto any,
                            connection.query_int64(fmt::format("SELECT EXISTS (SELECT 1 FROM {})", name)));
        table_was_empty_ = any == 0;
        return {};
    }

    Status write(const Row& row) {
        if (row.values.size() != table_.columns.size())
            return internal_error(fmt::format("{} line {}: {} values for {} columns", table_.table, row.line,
                                              row.values.size(), table_.columns.size()));
        if (!table_was_empty_) {
            GA_ASSIGN_OR_RETURN(const auto same, probe(row));
            if (same) return merge_existing(row, *same);
        }
        GA_TRY(bind(insert_, row, all_));
        if (auto inserted = insert_.run(); inserted) {
            ++change_.inserted;
            return {};
        } else if (!table_was_empty_ || !insert_.failed_on_duplicate_key()) {
            return std::unexpected(inserted.error().with_context(fmt::format("{} line {}", table_.file, row.line)));
        }
        // Fast path only: the key came earlier in this batch, and this row corrects that one.
        GA_ASSIGN_OR_RETURN(const auto same, probe(row));
        return merge_existing(row, same.value_or(true));
    }

    [[nodiscard]] const TableChange& change() const { return change_; }

private:
    Status bind(SqliteStatement& statement, const Row& row, const std::vector<std::size_t>& columns) {
        for (const auto i : columns)
            GA_TRY(bind_field(statement, static_cast<int>(i + 1), row.values[i], table_.columns[i]));
        return {};
    }

    Status merge_existing(const Row& row, bool same) {
        if (same) {
            ++change_.unchanged;
            return {};
        }
        GA_TRY(correct(row));
        ++change_.corrected;
        return {};
    }

    // Whether the stored row with this key equals `row`; nullopt when there is none.
    Result<std::optional<bool>> probe(const Row& row) {
        GA_TRY(bind(probe_, row, all_));
        GA_ASSIGN_OR_RETURN(const bool found, probe_.step());
        const std::optional<bool> same = found ? std::optional<bool>(probe_.column_int64(0) != 0) : std::nullopt;
        probe_.reset();
        return same;
    }

    Result<std::vector<FieldValue>> read_stored(const Row& row) {
        GA_TRY(bind(select_, row, keys_));
        GA_ASSIGN_OR_RETURN(const bool found, select_.step());
        std::vector<FieldValue> stored;
        for (std::size_t i = 0; found && i < table_.columns.size(); ++i) {
            auto value = read_field(select_, static_cast<int>(i), table_.columns[i]);
            if (!value) {
                select_.reset();
                return std::unexpected(std::move(value).error());
            }
            stored.push_back(std::move(*value));
        }
        select_.reset();
        if (!found) return internal_error(fmt::format("{}: row {} vanished", table_.table, row_key(row)));
        return stored;
    }

    // Records one correction per differing value and updates the stored row.
    Status correct(const Row& row) {
        GA_ASSIGN_OR_RETURN(const auto stored, read_stored(row));
        const std::string key = row_key(row);
        for (const auto i : others_) {
            if (stored[i] == row.values[i]) continue;
            GA_TRY(corrections_.record(table_.table, key, table_.columns[i].name, field_text(stored[i]),
                                       field_text(row.values[i])));
        }
        if (others_.empty()) return {};
        GA_TRY(bind(update_, row, all_));
        return update_.run();
    }

    std::string row_key(const Row& row) const {
        std::string key;
        for (std::size_t k = 0; k < keys_.size(); ++k) {
            if (k > 0) key += '|';
            key += field_text(row.values[keys_[k]]).value_or("");
        }
        return key;
    }

    const TableSpec& table_;
    CorrectionLog& corrections_;
    std::vector<std::size_t> keys_, others_, all_;
    SqliteStatement insert_, probe_, select_, update_;
    bool table_was_empty_ = false;
    TableChange change_{std::string(table_.table)};
};

}  // namespace

std::string select_columns_sql(const TableSpec& table) {
    std::vector<std::string> names;
    for (const auto& column : table.columns) names.push_back(quoted_identifier(column.name));
    return fmt::format("SELECT {} FROM {}", fmt::join(names, ", "), quoted_identifier(table.table));
}

Result<TableChange> write_table_rows(SqliteConnection& connection, const TableRows& rows, CorrectionLog& corrections) {
    if (rows.spec == nullptr || rows.spec->storage != StorageKind::rows)
        return internal_error("write_table_rows needs a rows-kind table of the import contract");
    TableWriter writer(*rows.spec, corrections);
    GA_TRY(writer.prepare(connection));
    for (const Row& row : rows.rows) GA_TRY(writer.write(row));
    return writer.change();
}

}  // namespace gridaudit
