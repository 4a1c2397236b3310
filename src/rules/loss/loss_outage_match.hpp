// Which transformer area a customer is really supplied from, as its meters' power-off events tell.
//
// When a transformer area loses supply, its gateway meter and every meter behind it record a
// `power_off` at the same moment (a few seconds apart). A customer whose meters record the
// outages of another area's gateway, and not of its recorded area's, is supplied by that other
// area whatever the records say (REFERENCE.md section 9: wrong customer-to-area assignment).
// An outage both areas' gateways saw (a feeder outage) points at neither.
// Thread safety: stateless functions.
#pragma once

#include <cstdint>
#include <vector>

#include "frame/region_frame.hpp"

namespace gridaudit {

struct OutageMatchOptions {
    std::int64_t tolerance_s = 120;  // largest distance between the gateway's and the customer's power_off
    int min_matches = 1;             // outages of the other area the customer must have seen
};

// A customer whose meters saw another area's outages.
struct OutageAssignment {
    CustomerIndex customer;
    NodeIndex recorded;            // the customer's recorded area
    NodeIndex supplying;           // the area whose outages its meters saw
    int matches = 0;               // power_offs of `supplying`'s gateway the customer's meters saw
    int own_matches = 0;           // ... of the recorded area's gateway (before the first match above)
    std::vector<Instant> outages;  // the matched outages of `supplying` (gateway time), chronological
};

// Customers under an area node whose latest outage seen (up to the local day `last_day`) was another
// area's, with at least `min_matches` of that area's outages seen and none of the recorded area's
// after them. Areas are the frame's nodes of kind area that have a gateway meter.
[[nodiscard]] std::vector<OutageAssignment> customers_supplied_elsewhere(const RegionFrame& frame, CivilDate last_day,
                                                                         const OutageMatchOptions& options);

}  // namespace gridaudit
