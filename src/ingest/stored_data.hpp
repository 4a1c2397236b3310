// What the store already holds that validation needs: the keys of referenced tables, and the
// rows of the few tables whose values a check needs (network kinds and parents, org unit
// parents, meters' nodes for gateway checks). Each is fetched once, on first use.
// Thread safety: used by one thread, like the Store it reads.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "core/result.hpp"
#include "model/import_contract.hpp"
#include "store/store.hpp"

namespace gridaudit {

struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const noexcept { return std::hash<std::string_view>{}(text); }
};
using StringSet = std::unordered_set<std::string, StringHash, std::equal_to<>>;

class StoredData {
public:
    explicit StoredData(Store& store) : store_(store) {}

    // Keys stored for a table with a one-column key.
    [[nodiscard]] Result<const StringSet*> keys(const TableSpec& table);
    // Every stored row of a table, values in contract column order.
    [[nodiscard]] Result<const std::vector<Row>*> rows(const TableSpec& table);

private:
    Store& store_;
    std::map<std::string, StringSet, std::less<>> keys_;
    std::map<std::string, std::vector<Row>, std::less<>> rows_;
};

}  // namespace gridaudit
