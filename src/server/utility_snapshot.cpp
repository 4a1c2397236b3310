// The server's loaded view of the utility (see utility_snapshot.hpp).
#include "server/utility_snapshot.hpp"

#include "rules/loss/loss_evidence.hpp"

namespace gridaudit {

Result<std::shared_ptr<const UtilitySnapshot>> UtilitySnapshot::load(Store& store, const Policy& policy,
                                                                     std::string data_version) {
    std::shared_ptr<UtilitySnapshot> snapshot(new UtilitySnapshot());
    snapshot->data_version_ = std::move(data_version);
    snapshot->policy_ = policy;
    GA_ASSIGN_OR_RETURN(const auto counts, store.table_counts());
    bool has_network = false;
    for (const auto& [table, count] : counts)
        if (table == "network" && count > 0) has_network = true;
    if (!has_network) return snapshot;

    AuditSessionOptions options;
    options.load_collections = false;
    GA_ASSIGN_OR_RETURN(AuditSession session, AuditSession::load(store, standard_catalogue(), policy, options));
    snapshot->session_.emplace(std::move(session));
    const std::span<const RegionFrame> frames = snapshot->session_->frames();
    for (std::uint32_t f = 0; f < frames.size(); ++f) {
        const RegionFrame& frame = frames[f];
        for (std::uint32_t i = 0; i < frame.customers.size(); ++i)
            snapshot->customers_.emplace(frame.customers.id[i], FrameRow{f, i});
        for (std::uint32_t i = 0; i < frame.meters.size(); ++i)
            snapshot->meters_.emplace(frame.meters.id[i], FrameRow{f, i});
        for (std::uint32_t i = 0; i < frame.network.size(); ++i)
            snapshot->nodes_.emplace(frame.network.id[i], FrameRow{f, i});
        for (std::uint32_t i = 0; i < frame.bills.id.size(); ++i)
            snapshot->bills_.emplace(frame.bills.id[i], FrameRow{f, i});
        for (std::uint32_t i = 0; i < frame.work_orders.size(); ++i)
            snapshot->work_orders_.emplace(frame.work_orders.id[i], FrameRow{f, i});
    }
    return snapshot;
}

std::span<const RegionFrame> UtilitySnapshot::frames() const {
    if (!session_) return {};
    return session_->frames();
}

std::optional<FrameRow> UtilitySnapshot::find(const Index& index, std::string_view id) {
    const auto found = index.find(std::string(id));
    if (found == index.end()) return std::nullopt;
    return found->second;
}

std::string UtilitySnapshot::customer_unit(FrameRow row) const {
    return frames()[row.frame].customers.unit_id[row.row];
}

std::string UtilitySnapshot::unit_of(std::string_view subject_kind, std::string_view subject_id) const {
    const std::span<const RegionFrame> all = frames();
    if (subject_kind == "customer") {
        if (const auto row = customer(subject_id)) return customer_unit(*row);
    } else if (subject_kind == "meter") {
        if (const auto row = meter(subject_id)) {
            const RegionFrame& frame = all[row->frame];
            const CustomerIndex owner = frame.meters.customer[row->row];
            if (owner.valid()) return frame.customers.unit_id[owner.value()];
            const NodeIndex node = frame.meters.node[row->row];
            if (node.valid()) return frame.network.unit_id[node.value()];
        }
    } else if (subject_kind == "node") {
        if (const auto row = node(subject_id)) return all[row->frame].network.unit_id[row->row];
    } else if (subject_kind == "bill") {
        if (const auto row = find(bills_, subject_id)) {
            const RegionFrame& frame = all[row->frame];
            const CustomerIndex owner = frame.bills.customer[row->row];
            if (owner.valid()) return frame.customers.unit_id[owner.value()];
        }
    } else if (subject_kind == "work_order") {
        if (const auto row = find(work_orders_, subject_id)) {
            const RegionFrame& frame = all[row->frame];
            const CustomerIndex owner = frame.work_orders.customer[row->row];
            if (owner.valid()) return frame.customers.unit_id[owner.value()];
            if (const auto elsewhere = customer(frame.work_orders.customer_id[row->row]))
                return customer_unit(*elsewhere);
        }
    }
    return {};
}

std::shared_ptr<const std::vector<std::optional<LossAnalysis>>> UtilitySnapshot::loss_analyses(
    BalanceLevel level) const {
    // Areas and the levels above are judged with different thresholds; the analyses of each are
    // kept (every level above the area shares LOSS-FEEDER-HIGH's).
    const BalanceLevel key = level == BalanceLevel::area ? BalanceLevel::area : BalanceLevel::feeder;
    std::lock_guard lock(analyses_mutex_);
    auto& kept = analyses_[key];
    if (!kept) {
        const LossThresholds thresholds = loss_table_thresholds(policy_, key);
        auto analyses = std::make_shared<std::vector<std::optional<LossAnalysis>>>();
        for (const RegionFrame& frame : frames()) analyses->push_back(analyse_loss(frame, thresholds));
        kept = std::move(analyses);
    }
    return kept;
}

Result<std::shared_ptr<const std::string>> UtilitySnapshot::document(
    const std::string& key, const std::function<Result<std::string>()>& make) const {
    {
        std::lock_guard lock(documents_mutex_);
        if (const auto found = documents_.find(key); found != documents_.end()) return found->second;
    }
    GA_ASSIGN_OR_RETURN(std::string made, make());
    auto document = std::make_shared<const std::string>(std::move(made));
    std::lock_guard lock(documents_mutex_);
    return documents_.try_emplace(key, std::move(document)).first->second;
}

}  // namespace gridaudit
