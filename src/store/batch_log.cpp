// Reads and writes of import_batches and corrections.
#include "store/batch_log.hpp"

namespace gridaudit {
namespace {

std::size_t accepted_rows(const ValidatedBatch& batch) {
    std::size_t rows = batch.daily.size() + batch.interval.size() + batch.tariffs.size();
    for (const auto& table : batch.tables) rows += table.rows.size();
    return rows;
}

}  // namespace

Result<std::optional<std::int64_t>> find_batch_by_hash(SqliteConnection& connection, std::string_view content_hash) {
    GA_ASSIGN_OR_RETURN(auto select, connection.prepare("SELECT batch_id FROM import_batches WHERE content_hash = ?1"));
    select.bind_text(1, content_hash);
    GA_ASSIGN_OR_RETURN(const bool found, select.step());
    if (!found) return std::nullopt;
    return select.column_int64(0);
}

Result<std::int64_t> insert_batch_record(SqliteConnection& connection, const ValidatedBatch& batch,
                                         const ImportOptions& options, std::string_view imported_at) {
    GA_ASSIGN_OR_RETURN(auto insert,
                        connection.prepare("INSERT INTO import_batches (source, content_hash, imported_at, "
                                           "rows_accepted, rows_rejected, strict_mode) "
                                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
    insert.bind_text(1, batch.source);
    insert.bind_text(2, batch.content_hash);
    insert.bind_text(3, imported_at);
    insert.bind_int64(4, static_cast<std::int64_t>(accepted_rows(batch)));
    insert.bind_int64(5, static_cast<std::int64_t>(batch.rows_rejected));
    insert.bind_int64(6, options.strict ? 1 : 0);
    GA_TRY(insert.run());
    return connection.last_insert_rowid();
}

Result<std::vector<BatchRecord>> read_batches(SqliteConnection& connection) {
    GA_ASSIGN_OR_RETURN(auto select, connection.prepare("SELECT batch_id, source, content_hash, imported_at, "
                                                        "rows_accepted, rows_rejected FROM import_batches "
                                                        "ORDER BY batch_id"));
    std::vector<BatchRecord> batches;
    for (;;) {
        GA_ASSIGN_OR_RETURN(const bool has_row, select.step());
        if (!has_row) return batches;
        batches.push_back(BatchRecord{select.column_int64(0), std::string(select.column_text(1)),
                                      std::string(select.column_text(2)), std::string(select.column_text(3)),
                                      static_cast<std::size_t>(select.column_int64(4)),
                                      static_cast<std::size_t>(select.column_int64(5))});
    }
}

Result<std::vector<Correction>> read_corrections(SqliteConnection& connection, std::string_view table) {
    GA_ASSIGN_OR_RETURN(auto select, connection.prepare("SELECT batch_id, table_name, row_key, column_name, old_value, "
                                                        "new_value FROM corrections "
                                                        "WHERE ?1 = '' OR table_name = ?1 ORDER BY correction_id"));
    select.bind_text(1, table);
    std::vector<Correction> corrections;
    for (;;) {
        GA_ASSIGN_OR_RETURN(const bool has_row, select.step());
        if (!has_row) return corrections;
        corrections.push_back(Correction{select.column_int64(0), std::string(select.column_text(1)),
                                         std::string(select.column_text(2)), std::string(select.column_text(3)),
                                         std::string(select.column_text(4)), std::string(select.column_text(5))});
    }
}

}  // namespace gridaudit
