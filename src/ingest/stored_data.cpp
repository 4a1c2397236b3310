// Lazy, cached reads of stored keys and rows.
#include "ingest/stored_data.hpp"

namespace gridaudit {

Result<const StringSet*> StoredData::keys(const TableSpec& table) {
    if (const auto found = keys_.find(table.table); found != keys_.end()) return &found->second;
    auto keys = store_.keys(table);
    if (!keys) return std::unexpected(keys.error().with_context("reading stored keys of " + std::string(table.table)));
    StringSet set(std::make_move_iterator(keys->begin()), std::make_move_iterator(keys->end()));
    return &keys_.emplace(std::string(table.table), std::move(set)).first->second;
}

Result<const std::vector<Row>*> StoredData::rows(const TableSpec& table) {
    if (const auto found = rows_.find(table.table); found != rows_.end()) return &found->second;
    auto rows = store_.read_rows(table);
    if (!rows) return std::unexpected(rows.error().with_context("reading stored rows of " + std::string(table.table)));
    return &rows_.emplace(std::string(table.table), std::move(*rows)).first->second;
}

}  // namespace gridaudit
