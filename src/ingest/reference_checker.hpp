// Rules between rows of a batch, and between the batch and the store:
//  - duplicate keys within a file, among rows that passed their own checks (the second
//    occurrence is rejected, naming the first's line);
//  - references (ColumnSpec::references, and customers.tariff_id when any tariff exists) must
//    name an accepted row of the batch or a row already in the store;
//  - a network node's parent is of the kind above it; a gateway meter is a meter on that node;
//  - org_units and network parents do not form a cycle (the store's rows included).
// A row referencing a rejected row is rejected too, and says so; this repeats until no more rows
// become rejected (a rejected meter can reject a network node through its gateway, which
// rejects the node's customers, ...).
// Thread safety: used by one thread.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.hpp"
#include "ingest/import_problem.hpp"
#include "ingest/stored_data.hpp"
#include "ingest/table_validator.hpp"
#include "ingest/tariff_documents.hpp"

namespace gridaudit {

class ReferenceChecker {
public:
    // REQUIRES: the arguments outlive the checker; `tables` are in contract order.
    ReferenceChecker(std::vector<CheckedTable>& tables, std::vector<CheckedTariff>& tariffs, StoredData& stored,
                     ProblemLog& problems);

    [[nodiscard]] Status run();

    // Why a series row naming `meter_id` must be rejected, or nullopt when the meter is an
    // accepted row of the batch or a stored one. REQUIRES: run() succeeded.
    [[nodiscard]] Result<std::optional<std::string>> meter_problem(std::string_view meter_id);

private:
    struct KeyIndex {
        CheckedTable* table = nullptr;
        std::size_t key_column = 0;
        std::unordered_map<std::string_view, std::size_t> live;  // key (a view into its row) -> row
        std::unordered_map<std::string, std::string, StringHash, std::equal_to<>> rejected;  // key -> "file line N"
        std::uint64_t version = 0;  // bumped whenever one of its rows becomes rejected
    };
    struct Reference {
        CheckedTable* table = nullptr;
        std::size_t column = 0;
        const TableSpec* target = nullptr;
        std::uint64_t checked_version = UINT64_MAX;  // target version when last checked in full
    };

    void find_duplicate_keys(CheckedTable& table);
    void index_keys(CheckedTable& table);
    [[nodiscard]] Status find_cycles(CheckedTable& table);
    [[nodiscard]] Result<bool> check_reference(Reference& reference);
    [[nodiscard]] Result<std::optional<std::string>> target_problem(const Reference& reference, std::size_t row,
                                                                    const std::string& value);
    [[nodiscard]] Result<std::optional<std::string>> stored_value(const TableSpec& table, const std::string& key,
                                                                  std::string_view column);
    void reject(CheckedTable& table, std::size_t row, std::size_t column, std::string_view what,
                std::string_view value);
    [[nodiscard]] KeyIndex* index_of(std::string_view table);

    std::vector<CheckedTable>& tables_;
    std::vector<CheckedTariff>& tariffs_;
    StoredData& stored_;
    ProblemLog& problems_;
    std::map<std::string, KeyIndex, std::less<>> indexes_;  // by table name, for one-column-key tables
    CheckedTable tariff_table_;  // stands for tariffs/*.json (no rows: tariffs_ hold the documents)
    // Stored values by (table, column): key -> value, built on first use.
    std::map<std::string, std::unordered_map<std::string, std::string, StringHash, std::equal_to<>>, std::less<>>
        stored_values_;
};

}  // namespace gridaudit
