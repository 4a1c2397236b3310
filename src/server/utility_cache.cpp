// The server's cache of the snapshot and the findings (see utility_cache.hpp).
#include "server/utility_cache.hpp"

#include <fmt/format.h>

namespace gridaudit {
namespace {

// What the snapshot is of: the import batches (each import adds one, even one changing nothing
// adds none).
Result<std::string> data_version(Store& store) {
    GA_ASSIGN_OR_RETURN(const std::vector<BatchRecord> batches, store.batches());
    return fmt::format("batches {} last {}", batches.size(), batches.empty() ? 0 : batches.back().batch_id);
}

Result<std::string> findings_version(Store& store, const std::string& data) {
    GA_ASSIGN_OR_RETURN(const std::vector<AuditRunRecord> runs, store.audit_runs());
    return fmt::format("{}; runs {} last {}", data, runs.size(), runs.empty() ? 0 : runs.back().run_id);
}

}  // namespace

Result<const ChangeCounters*> StoreVersions::counters() {
    if (!counters_) {
        auto* counting = dynamic_cast<ChangeCounting*>(store_);
        if (counting == nullptr) return nullptr;
        GA_ASSIGN_OR_RETURN(counters_, counting->change_counters());
    }
    return &*counters_;
}

Result<std::string> StoreVersions::data() {
    if (!data_) {
        GA_ASSIGN_OR_RETURN(const ChangeCounters* counted, counters());
        if (counted != nullptr) {
            data_ = fmt::format("batches {} last {}", counted->batches, counted->last_batch_id);
        } else {
            GA_ASSIGN_OR_RETURN(data_, data_version(*store_));
        }
    }
    return *data_;
}

Result<std::string> StoreVersions::findings() {
    if (!findings_) {
        GA_ASSIGN_OR_RETURN(const std::string data, this->data());
        GA_ASSIGN_OR_RETURN(const ChangeCounters* counted, counters());
        if (counted != nullptr) {
            findings_ = fmt::format("{}; runs {} last {}", data, counted->audit_runs, counted->last_run_id);
        } else {
            GA_ASSIGN_OR_RETURN(findings_, findings_version(*store_, data));
        }
    }
    return *findings_;
}

Result<std::int64_t> StoreVersions::audit_head() {
    if (!audit_head_) {
        GA_ASSIGN_OR_RETURN(const ChangeCounters* counted, counters());
        if (counted != nullptr) {
            audit_head_ = counted->audit_log_head;
        } else {
            GA_ASSIGN_OR_RETURN(audit_head_, audit_log_head(store_->access()));
        }
    }
    return *audit_head_;
}

Result<std::string> StoreVersions::cases() {
    GA_ASSIGN_OR_RETURN(const std::string findings, this->findings());
    GA_ASSIGN_OR_RETURN(const std::int64_t head, audit_head());
    return fmt::format("{}; log {}", findings, head);
}

std::shared_ptr<const std::string> UtilityCache::response(ReadBasis basis, const std::string& version,
                                                          const std::string& key) {
    std::lock_guard lock(responses_mutex_);
    const Responses& kept = responses_[static_cast<int>(basis)];
    if (kept.version != version) return nullptr;
    const auto found = kept.bodies.find(key);
    return found == kept.bodies.end() ? nullptr : found->second;
}

void UtilityCache::keep_response(ReadBasis basis, const std::string& version, const std::string& key,
                                 std::string body) {
    auto kept_body = std::make_shared<const std::string>(std::move(body));
    std::lock_guard lock(responses_mutex_);
    Responses& kept = responses_[static_cast<int>(basis)];
    if (kept.version != version || kept.bytes + kept_body->size() > max_response_bytes) {
        kept.bodies.clear();
        kept.bytes = 0;
        kept.version = version;
    }
    const auto [at, added] = kept.bodies.try_emplace(key, std::move(kept_body));
    if (added) kept.bytes += at->second->size() + key.size();
}

Result<std::shared_ptr<const UtilitySnapshot>> UtilityCache::snapshot(StoreVersions& versions) {
    Store& store = versions.store();
    GA_ASSIGN_OR_RETURN(const std::string version, versions.data());
    {
        std::lock_guard lock(mutex_);
        if (snapshot_ && snapshot_->data_version() == version) return snapshot_;
    }
    std::lock_guard loading(load_mutex_);
    {
        std::lock_guard lock(mutex_);
        if (snapshot_ && snapshot_->data_version() == version) return snapshot_;
    }
    GA_ASSIGN_OR_RETURN(std::shared_ptr<const UtilitySnapshot> loaded, UtilitySnapshot::load(store, policy_, version));
    std::lock_guard lock(mutex_);
    snapshot_ = loaded;
    return loaded;
}

Result<std::shared_ptr<const OrgScope>> UtilityCache::org_scope(StoreVersions& versions) {
    Store& store = versions.store();
    GA_ASSIGN_OR_RETURN(const std::string version, versions.data());
    {
        std::lock_guard lock(mutex_);
        if (scope_ && scope_version_ == version) return scope_;
    }
    GA_ASSIGN_OR_RETURN(OrgScope loaded, OrgScope::load(store.access()));
    auto scope = std::make_shared<const OrgScope>(std::move(loaded));
    std::lock_guard lock(mutex_);
    scope_ = scope;
    scope_version_ = version;
    return scope;
}

Result<std::shared_ptr<const FindingSet>> UtilityCache::findings(StoreVersions& versions) {
    Store& store = versions.store();
    GA_ASSIGN_OR_RETURN(const std::shared_ptr<const UtilitySnapshot> snapshot, this->snapshot(versions));
    GA_ASSIGN_OR_RETURN(const std::string version, versions.findings());
    {
        std::lock_guard lock(mutex_);
        if (findings_ && findings_->key() == version) return findings_;
    }
    std::lock_guard loading(load_mutex_);
    {
        std::lock_guard lock(mutex_);
        if (findings_ && findings_->key() == version) return findings_;
    }
    GA_ASSIGN_OR_RETURN(std::vector<StoredFinding> stored, store.findings(false));
    std::shared_ptr<const FindingSet> built = FindingSet::build(std::move(stored), *snapshot, version);
    std::lock_guard lock(mutex_);
    findings_ = built;
    return built;
}

}  // namespace gridaudit
