// Set-wise merge of rows-kind tables into PostgreSQL, with corrections for changed values.
#include "store/postgres_table_writer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>

#include "store/postgres_field.hpp"
#include "store/sql_field.hpp"

namespace gridaudit {
namespace {

struct Entry {
    const std::vector<FieldValue>* values = nullptr;  // the stored row's or the batch row's values
    bool stored = false;                              // the row was in the table before the batch
    bool changed = false;                             // a stored row the batch changed
};

class PostgresTableWriter {
public:
    PostgresTableWriter(PostgresConnection& connection, const TableSpec& table, PostgresCorrections& corrections)
        : connection_(connection), table_(table), corrections_(corrections) {
        for (std::size_t i = 0; i < table.columns.size(); ++i) {
            const bool is_key = std::find(table.key.begin(), table.key.end(), table.columns[i].name) != table.key.end();
            (is_key ? keys_ : others_).push_back(i);
        }
    }

    Result<TableChange> write(const std::vector<Row>& rows) {
        if (keys_.size() != table_.key.size())
            return internal_error(fmt::format("{}: a key column is not a column", table_.table));
        for (const Row& row : rows)
            if (row.values.size() != table_.columns.size())
                return internal_error(fmt::format("{} line {}: {} values for {} columns", table_.table, row.line,
                                                  row.values.size(), table_.columns.size()));
        GA_ASSIGN_OR_RETURN(const auto any, connection_.query_int64(fmt::format(
                                                "SELECT count(*) FROM (SELECT 1 FROM {} LIMIT 1) AS t", name())));
        if (any != 0) GA_TRY(read_stored(rows));
        std::vector<std::string> order;  // keys in first-seen order, for the inserts
        for (const Row& row : rows) {
            std::string key = row_key(row.values);
            auto [found, inserted] = entries_.try_emplace(key, Entry{&row.values, false, false});
            if (inserted) {
                order.push_back(std::move(key));
                ++change_.inserted;
                continue;
            }
            merge(found->first, found->second, row.values);
        }
        GA_TRY(insert_new(order));
        GA_TRY(update_changed());
        return change_;
    }

private:
    [[nodiscard]] std::string name() const { return postgres_identifier(table_.table); }

    std::string row_key(const std::vector<FieldValue>& values) const {
        std::string key;
        for (std::size_t k = 0; k < keys_.size(); ++k) {
            if (k > 0) key += '|';
            key += field_text(values[keys_[k]]).value_or("");
        }
        return key;
    }

    std::string key_columns() const {
        std::vector<std::string> names;
        for (const auto i : keys_) names.push_back(postgres_identifier(table_.columns[i].name));
        return fmt::format("{}", fmt::join(names, ", "));
    }

    // Reads the stored rows whose keys the batch has.
    Status read_stored(const std::vector<Row>& rows) {
        const std::string keys_table = fmt::format("ga_batch_keys_{}", table_.table);
        GA_TRY(
            connection_.execute(fmt::format("DROP TABLE IF EXISTS {0}; CREATE TEMP TABLE {0} ON COMMIT DROP AS "
                                            "SELECT {1} FROM {2} WITH NO DATA",
                                            keys_table, key_columns(), name())));
        CopyRows copy;
        for (const Row& row : rows) {
            for (const auto i : keys_) GA_TRY(add_field(copy, row.values[i], table_.columns[i]));
            copy.end_row();
        }
        GA_TRY(connection_.copy_in(fmt::format("{} ({})", keys_table, key_columns()), copy));
        GA_ASSIGN_OR_RETURN(stored_result_, connection_.query(fmt::format(
                                                "SELECT {0} FROM {1} WHERE ({2}) IN (SELECT {2} FROM {3})",
                                                postgres_column_list(table_), name(), key_columns(), keys_table)));
        stored_values_.resize(static_cast<std::size_t>(stored_result_.rows()));
        for (int r = 0; r < stored_result_.rows(); ++r) {
            auto& values = stored_values_[static_cast<std::size_t>(r)];
            for (std::size_t c = 0; c < table_.columns.size(); ++c) {
                GA_ASSIGN_OR_RETURN(auto value, read_field(stored_result_, r, static_cast<int>(c), table_.columns[c]));
                values.push_back(std::move(value));
            }
            entries_.emplace(row_key(values), Entry{&values, true, false});
        }
        return {};
    }

    void merge(const std::string& key, Entry& entry, const std::vector<FieldValue>& values) {
        bool same = true;
        for (const auto i : others_) {
            if ((*entry.values)[i] == values[i]) continue;
            same = false;
            corrections_.record(table_.table, key, table_.columns[i].name, field_text((*entry.values)[i]),
                                field_text(values[i]));
        }
        if (same) {
            ++change_.unchanged;
            return;
        }
        ++change_.corrected;
        entry.values = &values;
        if (entry.stored) entry.changed = true;
    }

    Status copy_rows(std::string_view target, bool stored, bool changed, const std::vector<std::string>& order) {
        CopyRows copy;
        const auto add = [&](const Entry& entry) -> Status {
            for (std::size_t c = 0; c < table_.columns.size(); ++c)
                GA_TRY(add_field(copy, (*entry.values)[c], table_.columns[c]));
            copy.end_row();
            return {};
        };
        if (!stored) {
            for (const auto& key : order) GA_TRY(add(entries_.at(key)));
        } else {
            for (const auto& [key, entry] : entries_)
                if (entry.stored && entry.changed == changed) GA_TRY(add(entry));
        }
        if (copy.empty()) return {};
        GA_TRY(connection_.copy_in(fmt::format("{} ({})", target, postgres_column_list(table_)), copy));
        return {};
    }

    Status insert_new(const std::vector<std::string>& order) { return copy_rows(name(), false, false, order); }

    Status update_changed() {
        const bool any = std::any_of(entries_.begin(), entries_.end(), [](const auto& e) { return e.second.changed; });
        if (!any || others_.empty()) return {};
        const std::string updates = fmt::format("ga_batch_updates_{}", table_.table);
        GA_TRY(
            connection_.execute(fmt::format("DROP TABLE IF EXISTS {0}; CREATE TEMP TABLE {0} ON COMMIT DROP AS "
                                            "SELECT {1} FROM {2} WITH NO DATA",
                                            updates, postgres_column_list(table_), name())));
        GA_TRY(copy_rows(updates, true, true, {}));
        std::vector<std::string> assignments, matches;
        for (const auto i : others_) {
            const auto column = postgres_identifier(table_.columns[i].name);
            assignments.push_back(fmt::format("{0} = u.{0}", column));
        }
        for (const auto i : keys_) {
            const auto column = postgres_identifier(table_.columns[i].name);
            matches.push_back(fmt::format("t.{0} = u.{0}", column));
        }
        return connection_.execute(fmt::format("UPDATE {} AS t SET {} FROM {} AS u WHERE {}", name(),
                                               fmt::join(assignments, ", "), updates, fmt::join(matches, " AND ")));
    }

    PostgresConnection& connection_;
    const TableSpec& table_;
    PostgresCorrections& corrections_;
    std::vector<std::size_t> keys_, others_;
    PostgresResult stored_result_;
    std::vector<std::vector<FieldValue>> stored_values_;  // entries_ point into it: sized once
    std::unordered_map<std::string, Entry> entries_;
    TableChange change_{std::string(table_.table)};
};

}  // namespace

void PostgresCorrections::record(std::string_view table, std::string_view row_key, std::string_view column,
                                 const std::optional<std::string>& old_value,
                                 const std::optional<std::string>& new_value) {
    rows_.add_int64(batch_id_);
    rows_.add_text(table);
    rows_.add_text(row_key);
    rows_.add_text(column);
    old_value ? rows_.add_text(*old_value) : rows_.add_null();
    new_value ? rows_.add_text(*new_value) : rows_.add_null();
    rows_.end_row();
}

Status PostgresCorrections::flush(PostgresConnection& connection) {
    if (rows_.empty()) return {};
    GA_TRY(connection.copy_in("corrections (batch_id, table_name, row_key, column_name, old_value, new_value)", rows_));
    rows_.clear();
    return {};
}

std::string postgres_column_list(const TableSpec& table) {
    std::vector<std::string> names;
    for (const auto& column : table.columns) names.push_back(postgres_identifier(column.name));
    return fmt::format("{}", fmt::join(names, ", "));
}

Result<TableChange> write_postgres_table_rows(PostgresConnection& connection, const TableRows& rows,
                                              PostgresCorrections& corrections) {
    if (rows.spec == nullptr || rows.spec->storage != StorageKind::rows)
        return internal_error("write_postgres_table_rows needs a rows-kind table of the import contract");
    PostgresTableWriter writer(connection, *rows.spec, corrections);
    return writer.write(rows.rows);
}

}  // namespace gridaudit
