// Duplicate keys, cycles and references across the rows of a batch and the store.
#include "ingest/reference_checker.hpp"

#include <fmt/format.h>

#include <limits>

#include "ingest/row_rules.hpp"

namespace gridaudit {
namespace {

// A value as part of a key: equal values give equal text.
std::string key_text(const FieldValue& value) {
    struct Visitor {
        std::string operator()(std::monostate) const { return {}; }
        std::string operator()(const std::string& text) const { return text; }
        std::string operator()(std::int64_t number) const { return std::to_string(number); }
        std::string operator()(double number) const { return fmt::format("{}", number); }
        std::string operator()(Money money) const { return std::to_string(money.units()); }
        std::string operator()(CivilDate date) const { return date.to_string(); }
        std::string operator()(Period period) const { return period.to_string(); }
        std::string operator()(Instant instant) const { return instant.to_string(); }
    };
    return std::visit(Visitor{}, value);
}

std::size_t hash_value(const FieldValue& value) {
    struct Visitor {
        std::size_t operator()(std::monostate) const { return 0; }
        std::size_t operator()(const std::string& text) const { return std::hash<std::string_view>{}(text); }
        std::size_t operator()(std::int64_t number) const { return std::hash<std::int64_t>{}(number); }
        std::size_t operator()(double number) const { return std::hash<double>{}(number); }
        std::size_t operator()(Money money) const { return std::hash<std::int64_t>{}(money.units()); }
        std::size_t operator()(CivilDate date) const { return std::hash<std::int32_t>{}(date.days_since_epoch()); }
        std::size_t operator()(Period period) const { return std::hash<std::int32_t>{}(period.index()); }
        std::size_t operator()(Instant instant) const { return std::hash<std::int64_t>{}(instant.unix_seconds()); }
    };
    return std::visit(Visitor{}, value);
}

// Accepted rows whose key columns equal those of an earlier accepted row: (row, first row), in
// row order. An open-addressing table of row numbers: no key is copied or built as text.
// REQUIRES: fewer than 2^32 rows (a file has fewer lines than that: lines are 32-bit).
std::vector<std::pair<std::size_t, std::size_t>> find_repeated_keys(const CheckedTable& table,
                                                                    const std::vector<std::size_t>& key_columns) {
    const auto complete = [&](const Row& row) {
        for (const std::size_t c : key_columns)
            if (std::holds_alternative<std::monostate>(row.values[c])) return false;
        return true;
    };
    const auto hash = [&](const Row& row) {
        std::uint64_t h = 0x9E3779B97F4A7C15ULL;
        for (const std::size_t c : key_columns) {
            h = (h ^ hash_value(row.values[c])) * 0xBF58476D1CE4E5B9ULL;
            h ^= h >> 31;
        }
        return h;
    };
    const auto same_key = [&](const Row& a, const Row& b) {
        for (const std::size_t c : key_columns)
            if (!(a.values[c] == b.values[c])) return false;
        return true;
    };
    // Slots hold (upper 32 bits of the hash, row number), so most probes never touch a row.
    std::size_t capacity = 16;
    while (capacity < 2 * table.rows.size()) capacity *= 2;
    constexpr std::uint64_t empty = std::numeric_limits<std::uint64_t>::max();
    std::vector<std::uint64_t> slots(capacity, empty);
    std::vector<std::pair<std::size_t, std::size_t>> repeated;
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
        const Row& row = table.rows[r].row;
        if (table.rows[r].rejected() || !complete(row)) continue;  // only rows that passed their own checks
        const std::uint64_t h = hash(row);
        const std::uint64_t tag = h & 0xFFFF'FFFF'0000'0000ULL;
        for (std::size_t slot = h & (capacity - 1);; slot = (slot + 1) & (capacity - 1)) {
            if (slots[slot] == empty) {
                slots[slot] = tag | r;
                break;
            }
            const std::size_t other = slots[slot] & 0xFFFF'FFFFULL;
            if ((slots[slot] & 0xFFFF'FFFF'0000'0000ULL) == tag && same_key(table.rows[other].row, row)) {
                repeated.emplace_back(r, other);
                break;
            }
        }
    }
    return repeated;
}

const std::string* text_of(const Row& row, int column) {
    return column < 0 ? nullptr : std::get_if<std::string>(&row.values[static_cast<std::size_t>(column)]);
}

std::string_view table_of_reference(std::string_view references) {
    return references.substr(0, references.find('.'));
}

}  // namespace

ReferenceChecker::ReferenceChecker(std::vector<CheckedTable>& tables, std::vector<CheckedTariff>& tariffs,
                                   StoredData& stored, ProblemLog& problems)
    : tables_(tables), tariffs_(tariffs), stored_(stored), problems_(problems) {}

ReferenceChecker::KeyIndex* ReferenceChecker::index_of(std::string_view table) {
    const auto found = indexes_.find(table);
    return found == indexes_.end() ? nullptr : &found->second;
}

void ReferenceChecker::reject(CheckedTable& table, std::size_t row, std::size_t column, std::string_view what,
                              std::string_view value) {
    reject_row(table, row, column, what, value, problems_);
    KeyIndex* index = index_of(table.spec->table);
    if (index == nullptr) return;
    const std::string* key = text_of(table.rows[row].row, static_cast<int>(index->key_column));
    if (key == nullptr) return;
    if (const auto live = index->live.find(*key); live != index->live.end() && live->second == row) {
        index->live.erase(live);
        index->rejected.emplace(*key, fmt::format("{} line {}", table.file, table.rows[row].row.line));
    }
    ++index->version;
}

void ReferenceChecker::find_duplicate_keys(CheckedTable& table) {
    const TableSpec& spec = *table.spec;
    std::vector<std::size_t> key_columns;
    for (const auto name : spec.key) key_columns.push_back(static_cast<std::size_t>(spec.column_index(name)));
    for (const auto& [row, first] : find_repeated_keys(table, key_columns)) {
        std::string shown;
        for (const std::size_t c : key_columns) {
            if (!shown.empty()) shown += ", ";
            shown += key_text(table.rows[row].row.values[c]);
        }
        reject_row(table, row, key_columns.front(),
                   fmt::format("duplicate key, first on line {}", table.rows[first].row.line), shown, problems_);
    }
}

void ReferenceChecker::index_keys(CheckedTable& table) {
    if (table.spec->key.size() != 1) return;
    KeyIndex& index = indexes_[std::string(table.spec->table)];
    index.table = &table;
    index.key_column = static_cast<std::size_t>(table.spec->column_index(table.spec->key.front()));
    index.live.reserve(table.rows.size());
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
        const CheckedRow& row = table.rows[r];
        const std::string* key = text_of(row.row, static_cast<int>(index.key_column));
        if (key == nullptr) continue;
        if (!row.rejected())
            index.live.emplace(std::string_view(*key), r);
        else
            index.rejected.emplace(*key, fmt::format("{} line {}", table.file, row.row.line));
    }
}

Result<std::optional<std::string>> ReferenceChecker::stored_value(const TableSpec& table, const std::string& key,
                                                                  std::string_view column) {
    const std::string name = fmt::format("{}.{}", table.table, column);
    auto found = stored_values_.find(name);
    if (found == stored_values_.end()) {
        GA_ASSIGN_OR_RETURN(const std::vector<Row>* rows, stored_.rows(table));
        const int key_column = table.column_index(table.key.front());
        const int value_column = table.column_index(column);
        auto& values = stored_values_[name];
        for (const Row& row : *rows) {
            const std::string* stored_key = text_of(row, key_column);
            const std::string* value = text_of(row, value_column);
            if (stored_key != nullptr) values.emplace(*stored_key, value != nullptr ? *value : std::string());
        }
        found = stored_values_.find(name);
    }
    const auto value = found->second.find(key);
    if (value == found->second.end()) return std::optional<std::string>();
    return std::optional<std::string>(value->second);
}

Status ReferenceChecker::find_cycles(CheckedTable& table) {
    const TableSpec& spec = *table.spec;
    const int parent_column = spec.column_index("parent_id");
    KeyIndex* index = index_of(spec.table);
    if (parent_column < 0 || index == nullptr) return {};
    // The parent of a key: from its accepted row in the batch, else from the store.
    const auto parent_of = [&](const std::string& key) -> Result<std::optional<std::string>> {
        if (const auto live = index->live.find(key); live != index->live.end()) {
            const std::string* parent = text_of(table.rows[live->second].row, parent_column);
            return parent != nullptr ? std::optional<std::string>(*parent) : std::nullopt;
        }
        GA_ASSIGN_OR_RETURN(auto stored, stored_value(spec, key, "parent_id"));
        if (stored && stored->empty()) return std::optional<std::string>();
        return stored;
    };
    enum : char { on_path = 1, done = 2 };
    std::unordered_map<std::string, char> state;
    std::vector<std::string> path;
    std::vector<std::pair<std::size_t, std::string>> cyclic_rows;  // row, cycle text
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
        if (table.rows[r].rejected()) continue;
        const std::string* start = text_of(table.rows[r].row, static_cast<int>(index->key_column));
        if (start == nullptr || state.contains(*start)) continue;
        path.clear();
        std::optional<std::string> current = *start;
        while (current && !state.contains(*current)) {
            state[*current] = on_path;
            path.push_back(*current);
            GA_ASSIGN_OR_RETURN(current, parent_of(*current));
        }
        if (current && state[*current] == on_path) {
            const auto begin = std::find(path.begin(), path.end(), *current);
            std::string cycle = fmt::format("{} -> {}", fmt::join(begin, path.end(), " -> "), *current);
            for (auto member = begin; member != path.end(); ++member) {
                if (const auto live = index->live.find(*member); live != index->live.end())
                    cyclic_rows.emplace_back(live->second, cycle);
            }
        }
        for (const auto& key : path) state[key] = done;
    }
    for (const auto& [row, cycle] : cyclic_rows) {
        const std::string* parent = text_of(table.rows[row].row, parent_column);
        reject(table, row, static_cast<std::size_t>(parent_column), fmt::format("parents form a cycle: {}", cycle),
               parent != nullptr ? *parent : std::string());
    }
    return {};
}

Result<std::optional<std::string>> ReferenceChecker::target_problem(const Reference& reference, std::size_t row,
                                                                    const std::string& value) {
    const TableSpec& target = *reference.target;
    const KeyIndex* index = index_of(target.table);
    const Row* target_row = nullptr;  // the referenced row when it is in the batch (tariffs have no rows)
    bool found = false;
    if (index != nullptr) {
        if (const auto live = index->live.find(value); live != index->live.end()) {
            if (live->second < index->table->rows.size()) target_row = &index->table->rows[live->second].row;
            found = true;
        }
    }
    if (!found) {
        GA_ASSIGN_OR_RETURN(const StringSet* stored, stored_.keys(target));
        found = stored->contains(value);
    }
    if (!found) {
        if (index != nullptr) {
            if (const auto rejected = index->rejected.find(value); rejected != index->rejected.end())
                return std::optional<std::string>(fmt::format("references {}, which was rejected", rejected->second));
        }
        const std::string_view where = index != nullptr ? std::string_view(index->table->file) : target.file;
        return std::optional<std::string>(fmt::format("not found in {} or in the store", where));
    }

    // Rules that need the referenced row's values.
    const TableSpec& spec = *reference.table->spec;
    const Row& own = reference.table->rows[row].row;
    const std::string_view column = spec.columns[reference.column].name;
    if (spec.table == "network" && column == "parent_id") {
        const std::string* kind = text_of(own, spec.column_index("kind"));
        std::optional<std::string> parent_kind;
        if (target_row != nullptr) {
            if (const std::string* k = text_of(*target_row, target.column_index("kind"))) parent_kind = *k;
        } else {
            GA_ASSIGN_OR_RETURN(parent_kind, stored_value(target, value, "kind"));
        }
        const std::string_view expected = kind != nullptr ? network_parent_kind(*kind) : std::string_view();
        if (!expected.empty() && parent_kind && *parent_kind != expected)
            return std::optional<std::string>(fmt::format("the parent of {} must be {}, not {}", with_article(*kind),
                                                          with_article(expected), with_article(*parent_kind)));
    }
    if (spec.table == "network" && column == "gateway_meter_id") {
        const std::string* node = text_of(own, spec.column_index("node_id"));
        std::optional<std::string> meter_node;
        if (target_row != nullptr) {
            const std::string* n = text_of(*target_row, target.column_index("node_id"));
            meter_node = n != nullptr ? *n : std::string();
        } else {
            GA_ASSIGN_OR_RETURN(meter_node, stored_value(target, value, "node_id"));
        }
        if (node != nullptr && meter_node && *meter_node != *node) {
            if (meter_node->empty())
                return std::optional<std::string>("the gateway meter is a customer meter, not a meter of this node");
            return std::optional<std::string>(
                fmt::format("the gateway meter is installed on node {}, not on this node", *meter_node));
        }
    }
    return std::optional<std::string>();
}

Result<bool> ReferenceChecker::check_reference(Reference& reference) {
    const KeyIndex* target_index = index_of(reference.target->table);
    const std::uint64_t version = target_index != nullptr ? target_index->version : 0;
    if (reference.checked_version == version) return false;
    reference.checked_version = version;
    CheckedTable& table = *reference.table;
    bool rejected_any = false;
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
        if (table.rows[r].rejected()) continue;
        const std::string* value = std::get_if<std::string>(&table.rows[r].row.values[reference.column]);
        if (value == nullptr) continue;
        GA_ASSIGN_OR_RETURN(auto problem, target_problem(reference, r, *value));
        if (!problem) continue;
        const std::string shown = *value;
        reject(table, r, reference.column, *problem, shown);
        rejected_any = true;
    }
    return rejected_any;
}

Status ReferenceChecker::run() {
    for (CheckedTable& table : tables_) {
        if (!table.usable) continue;
        find_duplicate_keys(table);
        index_keys(table);
    }

    // Tariffs take part as a keyed "table" of their own.
    const TableSpec* tariff_spec = find_table("tariffs");
    GA_ASSIGN_OR_RETURN(const StringSet* stored_tariffs, stored_.keys(*tariff_spec));
    const bool check_tariffs = !tariffs_.empty() || !stored_tariffs->empty();
    tariff_table_.spec = tariff_spec;
    tariff_table_.file = "tariffs/*.json";
    if (check_tariffs) {
        KeyIndex& index = indexes_["tariffs"];
        index.table = &tariff_table_;
        for (std::size_t t = 0; t < tariffs_.size(); ++t) {
            const auto& tariff = tariffs_[t];
            if (tariff.document.id.empty()) continue;
            if (!tariff.rejected())
                index.live.emplace(std::string_view(tariff.document.id), t);
            else
                index.rejected.emplace(tariff.document.id, fmt::format("tariffs/{}", tariff.document.file));
        }
    }

    for (CheckedTable& table : tables_) {
        if (table.usable) GA_TRY(find_cycles(table));
    }

    std::vector<Reference> references;
    for (CheckedTable& table : tables_) {
        if (!table.usable) continue;
        for (std::size_t c = 0; c < table.spec->columns.size(); ++c) {
            const ColumnSpec& column = table.spec->columns[c];
            const TableSpec* target = nullptr;
            if (!column.references.empty()) target = find_table(table_of_reference(column.references));
            if (table.spec->table == "customers" && column.name == "tariff_id" && check_tariffs) target = tariff_spec;
            if (target != nullptr) references.push_back({&table, c, target});
        }
    }
    for (bool changed = true; changed;) {
        changed = false;
        for (Reference& reference : references) {
            GA_ASSIGN_OR_RETURN(const bool rejected_any, check_reference(reference));
            changed = changed || rejected_any;
        }
    }
    return {};
}

Result<std::optional<std::string>> ReferenceChecker::meter_problem(std::string_view meter_id) {
    const KeyIndex* index = index_of("meters");
    if (index != nullptr && index->live.contains(meter_id)) return std::optional<std::string>();
    const TableSpec* meters = find_table("meters");
    GA_ASSIGN_OR_RETURN(const StringSet* stored, stored_.keys(*meters));
    if (stored->contains(meter_id)) return std::optional<std::string>();
    if (index != nullptr) {
        if (const auto rejected = index->rejected.find(meter_id); rejected != index->rejected.end())
            return std::optional<std::string>(fmt::format("references {}, which was rejected", rejected->second));
    }
    return std::optional<std::string>(
        fmt::format("not found in {} or in the store", index != nullptr ? index->table->file : "meters.csv"));
}

}  // namespace gridaudit
