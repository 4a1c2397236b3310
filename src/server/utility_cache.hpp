// The server's per-process cache of what is expensive to read: the utility snapshot (frames and
// the loss analyses, utility_snapshot.hpp) for the store's current import batches, and the
// findings of its current audit runs, and the org-unit tree. Each request asks with its own Store; a cache entry made
// for older data (an import or an audit run since) is replaced, and a request waits while another loads the same entry
// rather than loading it twice. Thread safety: every method may be called from any number of threads.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "access/org_scope.hpp"
#include "core/result.hpp"
#include "rules/policy.hpp"
#include "server/finding_query.hpp"
#include "server/utility_snapshot.hpp"
#include "store/store.hpp"

namespace gridaudit {

// What the store holds now (its import batches; with its audit runs), each read at most once:
// one per request, so that a request's cache lookups cost one query each, not one per lookup.
// Thread safety: one thread (the request's).
class StoreVersions {
public:
    explicit StoreVersions(Store& store) : store_(&store) {}
    [[nodiscard]] Store& store() const { return *store_; }
    [[nodiscard]] Result<std::string> data();      // changes with every import batch
    [[nodiscard]] Result<std::string> findings();  // changes with every import batch and audit run

private:
    Store* store_;
    std::optional<std::string> data_, findings_;
};

class UtilityCache {
public:
    explicit UtilityCache(Policy policy) : policy_(std::move(policy)) {}

    // The snapshot of the store's current data (loaded now when the data changed).
    [[nodiscard]] Result<std::shared_ptr<const UtilitySnapshot>> snapshot(StoreVersions& versions);
    // The store's org-unit tree (for scoping), read again after an import.
    [[nodiscard]] Result<std::shared_ptr<const OrgScope>> org_scope(StoreVersions& versions);
    // The stored findings of the store's current audit runs, with the units of their subjects.
    [[nodiscard]] Result<std::shared_ptr<const FindingSet>> findings(StoreVersions& versions);

private:
    Policy policy_;
    std::mutex load_mutex_;  // held while loading (one load at a time)
    std::mutex mutex_;       // guards the two pointers
    std::shared_ptr<const UtilitySnapshot> snapshot_;
    std::shared_ptr<const FindingSet> findings_;
    std::shared_ptr<const OrgScope> scope_;
    std::string scope_version_;
};

}  // namespace gridaudit
