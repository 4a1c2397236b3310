// The service work orders of a region in columnar memory (work_orders.csv: 业扩/变更工单).
//
// One row per order, sorted by acceptance instant (then order id). An order belongs to the region
// of its customer; orders that name no customer (applications before an account exists), or a
// customer no region holds, are kept in the first region the loader builds, so every order is in
// exactly one frame. Step instants are UTC (`std::nullopt` while the step has not happened);
// the type and segment are the import contract's codes as exported.
// Thread safety: immutable once loaded; any number of threads may read them.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/ids.hpp"
#include "core/time.hpp"

namespace gridaudit {

struct WorkOrderColumns {
    std::vector<std::string> id;
    std::vector<CustomerIndex> customer;  // invalid when the order names none or it is in another region
    std::vector<std::string> customer_id;  // as exported; "" when none
    std::vector<std::string> type;         // new_connection, capacity_increase, ..., complaint
    std::vector<std::string> segment;      // residential, lv_nonresidential, hv_single, hv_dual
    std::vector<Instant> accepted_at;
    std::vector<std::optional<Instant>> plan_at;
    std::vector<std::optional<Instant>> design_at;
    std::vector<std::optional<Instant>> checked_at;
    std::vector<std::optional<Instant>> connected_at;
    std::vector<std::optional<Instant>> closed_at;
    std::vector<std::string> staff_id;
    std::vector<std::string> old_value;
    std::vector<std::string> new_value;
    [[nodiscard]] std::size_t size() const { return id.size(); }
};

}  // namespace gridaudit
