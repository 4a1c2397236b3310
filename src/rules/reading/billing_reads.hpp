// Where the reading-quality rules find a region's billing reads (BillingReadColumns, defined with
// the frame in frame/region_frame.hpp). The standard catalogue reads them from the frame
// (RegionFrame::billing_reads, filled by the frame loader); tests may give reads of their own.
// Thread safety: a source must be callable from several threads.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/ids.hpp"
#include "core/time.hpp"
#include "frame/region_frame.hpp"

namespace gridaudit {

// Returns the billing reads of a frame, or nullptr when none are known for it.
using BillingReadsSource = std::function<const BillingReadColumns*(const RegionFrame&)>;

// Sorts the columns by (meter, day).
void sort_billing_reads(BillingReadColumns& reads);

}  // namespace gridaudit
