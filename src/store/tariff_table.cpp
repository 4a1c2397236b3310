// Upsert of tariff documents with corrections, and reading them back.
#include "store/tariff_table.hpp"

namespace gridaudit {
namespace {

Result<std::optional<TariffDocument>> find_tariff(SqliteStatement& select, const TariffDocument& tariff) {
    select.bind_text(1, tariff.id);
    select.bind_text(2, tariff.effective_from);
    GA_ASSIGN_OR_RETURN(const bool found, select.step());
    std::optional<TariffDocument> stored;
    if (found)
        stored = TariffDocument{tariff.id, std::string(select.column_text(0)), std::string(select.column_text(1)),
                                tariff.effective_from};
    select.reset();
    return stored;
}

}  // namespace

Result<TableChange> write_tariffs(SqliteConnection& connection, const std::vector<TariffDocument>& tariffs,
                                  std::int64_t batch_id, CorrectionLog& corrections) {
    TableChange change{"tariffs"};
    if (tariffs.empty()) return change;
    GA_ASSIGN_OR_RETURN(auto select, connection.prepare("SELECT file, json FROM tariffs WHERE id = ?1 AND effective_from = ?2"));
    GA_ASSIGN_OR_RETURN(auto upsert, connection.prepare("INSERT INTO tariffs (id, effective_from, file, json, batch_id) "
                                                        "VALUES (?1, ?5, ?2, ?3, ?4) ON CONFLICT (id, effective_from) "
                                                        "DO UPDATE SET "
                                                        "file = excluded.file, json = excluded.json, "
                                                        "batch_id = excluded.batch_id"));
    for (const auto& tariff : tariffs) {
        GA_ASSIGN_OR_RETURN(const auto stored, find_tariff(select, tariff));
        const std::string row_key = tariff.effective_from.empty() ? tariff.id : tariff.id + "|" + tariff.effective_from;
        if (stored && stored->file == tariff.file && stored->json == tariff.json) {
            ++change.unchanged;
            continue;
        }
        if (stored) {
            if (stored->file != tariff.file)
                GA_TRY(corrections.record("tariffs", row_key, "file", stored->file, tariff.file));
            if (stored->json != tariff.json)
                GA_TRY(corrections.record("tariffs", row_key, "json", stored->json, tariff.json));
        }
        ++(stored ? change.corrected : change.inserted);
        upsert.bind_text(1, tariff.id);
        upsert.bind_text(2, tariff.file);
        upsert.bind_text(3, tariff.json);
        upsert.bind_int64(4, batch_id);
        upsert.bind_text(5, tariff.effective_from);
        GA_TRY(upsert.run());
    }
    return change;
}

Result<std::vector<TariffDocument>> read_tariffs(SqliteConnection& connection) {
    GA_ASSIGN_OR_RETURN(auto select, connection.prepare("SELECT id, file, json, effective_from FROM tariffs "
                                                        "ORDER BY id, effective_from"));
    std::vector<TariffDocument> tariffs;
    for (;;) {
        GA_ASSIGN_OR_RETURN(const bool has_row, select.step());
        if (!has_row) return tariffs;
        tariffs.push_back(TariffDocument{std::string(select.column_text(0)), std::string(select.column_text(1)),
                                         std::string(select.column_text(2)), std::string(select.column_text(3))});
    }
}

}  // namespace gridaudit
