// Loads the service work orders (work_orders.csv) into the region frames.
//
// attach_work_orders() places each order in the region of its customer, with the customer's index
// in that frame. Orders naming no customer, or a customer no frame holds, go to the first frame
// (frames[0]) with an invalid customer index, so each order is judged exactly once. Each frame's
// orders are sorted by acceptance instant, then id. With no frames the orders are not kept.
// Thread safety: one call per Store.
#pragma once

#include <vector>

#include "core/result.hpp"
#include "frame/region_frame.hpp"
#include "store/store.hpp"

namespace gridaudit {

[[nodiscard]] Status attach_work_orders(Store& store, std::vector<RegionFrame>& frames);

}  // namespace gridaudit
