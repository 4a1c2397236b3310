// The in-memory Store of the ingest tests.
#include "fake_store.hpp"

namespace gridaudit {
namespace {

std::string key_of(const TableSpec& table, const Row& row) {
    std::string key;
    for (const auto name : table.key) {
        const auto& value = row.values[static_cast<std::size_t>(table.column_index(name))];
        if (!key.empty()) key += '|';
        if (const auto* text = std::get_if<std::string>(&value)) key += *text;
        if (const auto* date = std::get_if<CivilDate>(&value)) key += date->to_string();
        if (const auto* instant = std::get_if<Instant>(&value)) key += instant->to_string();
    }
    return key;
}

}  // namespace

Result<std::vector<std::string>> FakeStore::keys(const TableSpec& table) {
    std::vector<std::string> keys;
    if (table.table == "tariffs") {
        for (const auto& [id, document] : tariff_documents) keys.push_back(id);
        return keys;
    }
    if (table.key.size() != 1) return internal_error("keys() of a table with a composite key");
    if (const auto found = rows.find(std::string(table.table)); found != rows.end())
        for (const auto& [key, row] : found->second) keys.push_back(key);
    return keys;
}

Result<ImportOutcome> FakeStore::apply_batch(const ValidatedBatch& batch, const ImportOptions&) {
    ImportOutcome outcome;
    if (!hashes.insert(batch.content_hash).second) {
        outcome.already_imported = true;
        return outcome;
    }
    applied.push_back(batch);
    outcome.batch_id = static_cast<std::int64_t>(applied.size());
    for (const auto& table : batch.tables) {
        TableChange change;
        change.table = std::string(table.spec->table);
        auto& stored = rows[change.table];
        for (const auto& row : table.rows) {
            const auto [at, inserted] = stored.try_emplace(key_of(*table.spec, row), row);
            if (inserted)
                ++change.inserted;
            else if (at->second.values == row.values)
                ++change.unchanged;
            else {
                at->second = row;
                ++change.corrected;
            }
        }
        outcome.changes.push_back(change);
    }
    for (const auto& tariff : batch.tariffs) tariff_documents[tariff.id] = tariff;
    return outcome;
}

Result<std::vector<BatchRecord>> FakeStore::batches() {
    std::vector<BatchRecord> records;
    for (std::size_t i = 0; i < applied.size(); ++i)
        records.push_back({static_cast<std::int64_t>(i + 1), applied[i].source, applied[i].content_hash, "", 0,
                           applied[i].rows_rejected});
    return records;
}

Result<std::vector<Row>> FakeStore::read_rows(const TableSpec& table) {
    std::vector<Row> result;
    if (const auto found = rows.find(std::string(table.table)); found != rows.end())
        for (const auto& [key, row] : found->second) result.push_back(row);
    return result;
}

Result<std::vector<std::pair<std::string, std::int64_t>>> FakeStore::table_counts() {
    std::vector<std::pair<std::string, std::int64_t>> counts;
    for (const auto& [table, stored] : rows) counts.emplace_back(table, static_cast<std::int64_t>(stored.size()));
    return counts;
}

Result<std::vector<TariffDocument>> FakeStore::tariffs() {
    std::vector<TariffDocument> documents;
    for (const auto& [id, document] : tariff_documents) documents.push_back(document);
    return documents;
}

}  // namespace gridaudit
