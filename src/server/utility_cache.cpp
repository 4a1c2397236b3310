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

Result<std::string> StoreVersions::data() {
    if (!data_) {
        GA_ASSIGN_OR_RETURN(data_, data_version(*store_));
    }
    return *data_;
}

Result<std::string> StoreVersions::findings() {
    if (!findings_) {
        GA_ASSIGN_OR_RETURN(const std::string data, this->data());
        GA_ASSIGN_OR_RETURN(findings_, findings_version(*store_, data));
    }
    return *findings_;
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
