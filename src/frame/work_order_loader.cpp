// Places the store's work orders in the frames of their customers' regions.
#include "frame/work_order_loader.hpp"

#include <algorithm>
#include <numeric>
#include <tuple>
#include <unordered_map>
#include <utility>

#include "frame/row_reader.hpp"
#include "model/import_contract.hpp"

namespace gridaudit {
namespace {

// Orders the frame's work orders by (accepted_at, id).
void sort_by_acceptance(WorkOrderColumns& orders) {
    std::vector<std::size_t> order(orders.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return std::tie(orders.accepted_at[a], orders.id[a]) < std::tie(orders.accepted_at[b], orders.id[b]);
    });
    WorkOrderColumns sorted;
    for (const std::size_t i : order) {
        sorted.id.push_back(std::move(orders.id[i]));
        sorted.customer.push_back(orders.customer[i]);
        sorted.customer_id.push_back(std::move(orders.customer_id[i]));
        sorted.type.push_back(std::move(orders.type[i]));
        sorted.segment.push_back(std::move(orders.segment[i]));
        sorted.accepted_at.push_back(orders.accepted_at[i]);
        sorted.plan_at.push_back(orders.plan_at[i]);
        sorted.design_at.push_back(orders.design_at[i]);
        sorted.checked_at.push_back(orders.checked_at[i]);
        sorted.connected_at.push_back(orders.connected_at[i]);
        sorted.closed_at.push_back(orders.closed_at[i]);
        sorted.staff_id.push_back(std::move(orders.staff_id[i]));
        sorted.old_value.push_back(std::move(orders.old_value[i]));
        sorted.new_value.push_back(std::move(orders.new_value[i]));
    }
    orders = std::move(sorted);
}

}  // namespace

Status attach_work_orders(Store& store, std::vector<RegionFrame>& frames) {
    const TableSpec* spec = find_table("work_orders");
    if (!spec) return internal_error("import contract has no work_orders table");
    GA_ASSIGN_OR_RETURN(const auto rows, store.read_rows(*spec));
    if (frames.empty()) return {};

    std::unordered_map<std::string, std::pair<std::size_t, std::uint32_t>> home;  // customer id -> (frame, index)
    for (std::size_t f = 0; f < frames.size(); ++f)
        for (std::size_t c = 0; c < frames[f].customers.size(); ++c)
            home.emplace(frames[f].customers.id[c], std::make_pair(f, static_cast<std::uint32_t>(c)));

    const RowReader reader(*spec);
    const int order_id = reader.index("order_id"), customer_id = reader.index("customer_id"),
              type = reader.index("type"), segment = reader.index("segment"), accepted = reader.index("accepted_at"),
              plan = reader.index("plan_at"), design = reader.index("design_at"), checked = reader.index("checked_at"),
              connected = reader.index("connected_at"), closed = reader.index("closed_at"),
              staff = reader.index("staff_id"), old_value = reader.index("old_value"),
              new_value = reader.index("new_value");
    for (const Row& row : rows) {
        const auto accepted_at = RowReader::instant(row, accepted);
        if (!accepted_at) continue;  // required by the contract; skip defensively
        std::string customer = RowReader::text(row, customer_id);
        const auto found = home.find(customer);
        RegionFrame& frame = frames[found == home.end() ? 0 : found->second.first];
        WorkOrderColumns& orders = frame.work_orders;
        orders.id.push_back(RowReader::text(row, order_id));
        orders.customer.push_back(found == home.end() ? CustomerIndex() : CustomerIndex(found->second.second));
        orders.customer_id.push_back(std::move(customer));
        orders.type.push_back(RowReader::text(row, type));
        orders.segment.push_back(RowReader::text(row, segment));
        orders.accepted_at.push_back(*accepted_at);
        orders.plan_at.push_back(RowReader::instant(row, plan));
        orders.design_at.push_back(RowReader::instant(row, design));
        orders.checked_at.push_back(RowReader::instant(row, checked));
        orders.connected_at.push_back(RowReader::instant(row, connected));
        orders.closed_at.push_back(RowReader::instant(row, closed));
        orders.staff_id.push_back(RowReader::text(row, staff));
        orders.old_value.push_back(RowReader::text(row, old_value));
        orders.new_value.push_back(RowReader::text(row, new_value));
    }
    for (RegionFrame& frame : frames) sort_by_acceptance(frame.work_orders);
    return {};
}

}  // namespace gridaudit
