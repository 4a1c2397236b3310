// The analyses of one region that several consumers share (the rules of the region, later the
// report and the server): each computed once, by the first caller asking for it, and kept while
// the holder lives. An analysis is found by its type and a key (the loss balance, say, under one
// set of thresholds); the holder knows nothing of what the analyses are.
//
// Whoever runs a region's rules makes one for the region, hands it to them in
// RuleContext::analyses and drops it once they have run (the audit runner); the rules neither own
// it nor know who does. A holder serves only the frame it was made for, and that frame must stay
// alive and unchanged while the holder lives.
// Thread safety: get() from any number of threads at once; each analysis is computed once, by the
// first thread asking for it, while the others asking for the same one wait (the computation must
// not wait for work of its own another thread holds: a computation may ask for other analyses of
// the same holder, never for its own).
#pragma once

#include <memory>
#include <mutex>
#include <typeindex>
#include <typeinfo>
#include <utility>
#include <vector>

#include "frame/region_frame.hpp"

namespace gridaudit {

class RegionAnalyses {
public:
    explicit RegionAnalyses(const RegionFrame& frame) : frame_(frame) {}
    RegionAnalyses(const RegionAnalyses&) = delete;
    RegionAnalyses& operator=(const RegionAnalyses&) = delete;

    [[nodiscard]] const RegionFrame& frame() const { return frame_; }

    // The analysis of type T under `key`: `compute()` (returning std::shared_ptr<const T>, nullptr
    // allowed) runs for the first request of a (T, key); later requests with an equal key get the
    // same pointer. REQUIRES: Key is copyable and equality comparable.
    template <class T, class Key, class Compute>
    [[nodiscard]] std::shared_ptr<const T> get(const Key& key, Compute&& compute) {
        Slot* slot = nullptr;
        {
            std::lock_guard lock(mutex_);
            for (const auto& s : slots_)
                if (s->type == typeid(T) && s->key_type == typeid(Key) &&
                    static_cast<const KeyedSlot<Key>&>(*s).key == key)
                    slot = s.get();
            if (!slot) slot = slots_.emplace_back(std::make_unique<KeyedSlot<Key>>(typeid(T), key)).get();
        }
        // Computed outside the lock: a request for another analysis goes on meanwhile.
        std::call_once(slot->once, [&] { slot->value = std::shared_ptr<const T>(compute()); });
        return std::static_pointer_cast<const T>(slot->value);
    }

private:
    struct Slot {
        Slot(std::type_index type_, std::type_index key_type_) : type(type_), key_type(key_type_) {}
        virtual ~Slot() = default;
        std::type_index type, key_type;
        std::once_flag once;
        std::shared_ptr<const void> value;  // set under once
    };
    template <class Key>
    struct KeyedSlot final : Slot {
        KeyedSlot(std::type_index type_, const Key& key_) : Slot(type_, typeid(Key)), key(key_) {}
        Key key;
    };

    const RegionFrame& frame_;
    std::mutex mutex_;  // guards slots_ (the list, not the values)
    std::vector<std::unique_ptr<Slot>> slots_;
};

// The key of an analysis that has one value per region.
struct WholeRegion {
    friend bool operator==(WholeRegion, WholeRegion) { return true; }
};

}  // namespace gridaudit
