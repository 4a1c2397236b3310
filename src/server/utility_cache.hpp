// The server's per-process cache of what is expensive to read: the utility snapshot (frames and
// the loss analyses, utility_snapshot.hpp) for the store's current import batches, and the
// findings of its current audit runs, and the org-unit tree; the sessions it authenticated
// (access/authentication.hpp); and the answers of read routes, per store state. Each request asks
// with its own Store; a cache entry made for older data (an import, an audit run or, for what
// depends on cases, any logged write since) is replaced, and a request waits while another loads
// the same entry rather than loading it twice.
// Thread safety: every method may be called from any number of threads.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "access/authentication.hpp"
#include "access/org_scope.hpp"
#include "core/result.hpp"
#include "rules/policy.hpp"
#include "server/finding_query.hpp"
#include "server/utility_snapshot.hpp"
#include "store/change_counters.hpp"
#include "store/store.hpp"

namespace gridaudit {

// What the store holds now (its import batches; with its audit runs; the audit log's head), read
// at most once per request: in one query when the store counts its changes
// (store/change_counters.hpp), else one query each, not one per cache lookup.
// Thread safety: one thread (the request's).
class StoreVersions {
public:
    explicit StoreVersions(Store& store) : store_(&store) {}
    [[nodiscard]] Store& store() const { return *store_; }
    [[nodiscard]] Result<std::string> data();      // changes with every import batch
    [[nodiscard]] Result<std::string> findings();  // changes with every import batch and audit run
    // The audit log's newest entry: it changes with every write a person or command makes (cases,
    // dismissals, users, sessions), from this process or another.
    [[nodiscard]] Result<std::int64_t> audit_head();
    // changes with every import batch, audit run and logged write (what case reads depend on)
    [[nodiscard]] Result<std::string> cases();

private:
    // The store's change counters (read now if not yet), or null when it does not count them.
    [[nodiscard]] Result<const ChangeCounters*> counters();

    Store* store_;
    std::optional<ChangeCounters> counters_;
    std::optional<std::string> data_, findings_;
    std::optional<std::int64_t> audit_head_;
};

// What a kept answer depends on: the findings (imports and audit runs) or the cases (any logged
// write too). Each has its own store state, so one does not drop the other's answers.
enum class ReadBasis { findings, cases };

class UtilityCache {
public:
    explicit UtilityCache(Policy policy) : policy_(std::move(policy)) {}

    // The snapshot of the store's current data (loaded now when the data changed).
    [[nodiscard]] Result<std::shared_ptr<const UtilitySnapshot>> snapshot(StoreVersions& versions);
    // The store's org-unit tree (for scoping), read again after an import.
    [[nodiscard]] Result<std::shared_ptr<const OrgScope>> org_scope(StoreVersions& versions);
    // The stored findings of the store's current audit runs, with the units of their subjects.
    [[nodiscard]] Result<std::shared_ptr<const FindingSet>> findings(StoreVersions& versions);

    // The sessions this process authenticated.
    [[nodiscard]] SessionCache& sessions() { return sessions_; }

    // An answer kept under `key` for the store state `version` (null when there is none): every
    // answer of another state of the same basis is dropped when one of this state is kept.
    [[nodiscard]] std::shared_ptr<const std::string> response(ReadBasis basis, const std::string& version,
                                                              const std::string& key);
    // Keeps `body` (up to max_response_bytes per basis, after which the basis starts again empty).
    void keep_response(ReadBasis basis, const std::string& version, const std::string& key, std::string body);
    static constexpr std::size_t max_response_bytes = 64u << 20;

private:
    struct Responses {
        std::string version;
        std::size_t bytes = 0;
        std::unordered_map<std::string, std::shared_ptr<const std::string>> bodies;
    };
    SessionCache sessions_;
    std::mutex responses_mutex_;
    Responses responses_[2];  // by ReadBasis

    Policy policy_;
    std::mutex load_mutex_;  // held while loading (one load at a time)
    std::mutex mutex_;       // guards the two pointers
    std::shared_ptr<const UtilitySnapshot> snapshot_;
    std::shared_ptr<const FindingSet> findings_;
    std::shared_ptr<const OrgScope> scope_;
    std::string scope_version_;
};

}  // namespace gridaudit
