// Meter ids of a series file as dense indexes (0, 1, 2, ... in order of first appearance).
// Series files are mostly sorted by meter, so the previous row's meter is checked first and the
// hash table is consulted only when the meter changes.
// Thread safety: used by one thread.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ingest/stored_data.hpp"

namespace gridaudit {

class MeterInterner {
public:
    // The index of `id` if it was seen before (the previous row's meter costs one compare).
    [[nodiscard]] bool find(std::string_view id, std::uint32_t& index) {
        if (id.size() == last_.size() && std::memcmp(id.data(), last_.data(), id.size()) == 0 && has_last_) {
            index = last_index_;
            return true;
        }
        const auto found = indexes_.find(id);
        if (found == indexes_.end()) return false;
        remember(id, found->second);
        index = found->second;
        return true;
    }

    // Adds an id not seen before and returns its index.
    std::uint32_t add(std::string_view id) {
        const auto index = static_cast<std::uint32_t>(ids_.size());
        ids_.emplace_back(id);
        indexes_.emplace(std::string(id), index);
        remember(id, index);
        return index;
    }

    // The index of `id`, adding it when new.
    std::uint32_t intern(std::string_view id) {
        std::uint32_t index = 0;
        return find(id, index) ? index : add(id);
    }

    [[nodiscard]] const std::vector<std::string>& ids() const { return ids_; }
    [[nodiscard]] std::vector<std::string> take_ids() { return std::move(ids_); }
    [[nodiscard]] std::size_t size() const { return ids_.size(); }

private:
    void remember(std::string_view id, std::uint32_t index) {
        last_.assign(id.data(), id.size());
        last_index_ = index;
        has_last_ = true;
    }

    std::vector<std::string> ids_;
    std::unordered_map<std::string, std::uint32_t, StringHash, std::equal_to<>> indexes_;
    std::string last_;
    std::uint32_t last_index_ = 0;
    bool has_last_ = false;
};

}  // namespace gridaudit
