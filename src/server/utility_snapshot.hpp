// The utility as the server reads it between two imports: every region of the store loaded into
// frames once (as `gridaudit loss` loads them: series, bills, tariffs), indexes from a customer,
// meter, node, bill or work-order id to its frame row, the org unit responsible for a finding's
// subject, and the loss analyses of every region per network level, computed on first use and
// kept. A snapshot is for one data version (the store's import batches); the cache
// (utility_cache.hpp) replaces it after an import.
// Thread safety: immutable once loaded except for the lazily filled caches, which are guarded;
// every method may be called from any number of threads.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "analysis/loss_analysis.hpp"
#include "audit/audit_session.hpp"
#include "core/result.hpp"
#include "rules/policy.hpp"
#include "store/store.hpp"

namespace gridaudit {

// A row of one frame: the frame's position in the snapshot and the row's in its columns.
struct FrameRow {
    std::uint32_t frame = 0;
    std::uint32_t row = 0;
};

class UtilitySnapshot {
public:
    // Loads every region of `store`. A store without master data gives an empty snapshot.
    [[nodiscard]] static Result<std::shared_ptr<const UtilitySnapshot>> load(Store& store, const Policy& policy,
                                                                             std::string data_version);

    [[nodiscard]] const std::string& data_version() const { return data_version_; }
    [[nodiscard]] std::span<const RegionFrame> frames() const;
    [[nodiscard]] const Policy& policy() const { return policy_; }

    [[nodiscard]] std::optional<FrameRow> customer(std::string_view id) const { return find(customers_, id); }
    [[nodiscard]] std::optional<FrameRow> meter(std::string_view id) const { return find(meters_, id); }
    [[nodiscard]] std::optional<FrameRow> node(std::string_view id) const { return find(nodes_, id); }

    // The org unit responsible for a subject: a customer's, a meter's customer's (a gateway meter's
    // node's), a node's, a bill's or a work order's customer's; "" for the utility as a whole (a
    // collection, an unknown subject, a row without a unit).
    [[nodiscard]] std::string unit_of(std::string_view subject_kind, std::string_view subject_id) const;

    // The loss analysis of every frame under the thresholds of `level` (nullopt for a frame without
    // daily series), computed on the first call for the level.
    [[nodiscard]] std::shared_ptr<const std::vector<std::optional<LossAnalysis>>> loss_analyses(
        BalanceLevel level) const;

    // A document kept under `key` for the snapshot's life, made by `make` on first use.
    [[nodiscard]] Result<std::shared_ptr<const std::string>> document(
        const std::string& key, const std::function<Result<std::string>()>& make) const;

private:
    using Index = std::unordered_map<std::string, FrameRow>;
    UtilitySnapshot() = default;
    [[nodiscard]] static std::optional<FrameRow> find(const Index& index, std::string_view id);
    [[nodiscard]] std::string customer_unit(FrameRow row) const;

    std::string data_version_;
    Policy policy_;
    std::optional<AuditSession> session_;
    Index customers_, meters_, nodes_, bills_, work_orders_;

    mutable std::mutex analyses_mutex_;
    mutable std::map<BalanceLevel, std::shared_ptr<const std::vector<std::optional<LossAnalysis>>>> analyses_;
    mutable std::mutex documents_mutex_;
    mutable std::map<std::string, std::shared_ptr<const std::string>> documents_;
};

}  // namespace gridaudit
