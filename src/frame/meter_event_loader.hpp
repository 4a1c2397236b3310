// Loads the meter events (meter_events.csv) into the region frames.
//
// attach_meter_events() places each event in the frame holding its meter, sorted by meter, then
// instant, then code; events of meters no frame holds are not kept. Thread safety: one call per
// Store.
#pragma once

#include <vector>

#include "core/result.hpp"
#include "frame/region_frame.hpp"
#include "store/store.hpp"

namespace gridaudit {

[[nodiscard]] Status attach_meter_events(Store& store, std::vector<RegionFrame>& frames, int utc_offset_minutes);

}  // namespace gridaudit
