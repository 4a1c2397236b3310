// Loads every region of a store into RegionFrames.
//
// The loader reads master data through the backend-neutral Store interface, splits the network
// at its substations and builds one frame per region. Thread safety: one call per Store.
#pragma once

#include <vector>

#include "core/result.hpp"
#include "frame/region_frame.hpp"
#include "store/store.hpp"

namespace gridaudit {

struct FrameOptions {
    bool load_daily = true;       // also load daily register series
    int daily_lookback_days = 400;  // how many days back from the last stored day
    int bill_lookback_months = 12;  // window for max_monthly_kwh
    bool load_billing = true;       // bills, payments and tariffs (billing_loader.hpp)
    // 15-minute interval series of the meters that have them (RegionFrame::intervals), over the
    // last interval_lookback_days days of the daily window (none when no daily data is stored).
    // Off by default: audits do not read them.
    bool load_intervals = false;
    int interval_lookback_days = 62;
    int utc_offset_minutes = 480;  // the utility's time zone (+08:00, as the generator writes)
};

[[nodiscard]] Result<std::vector<RegionFrame>> load_region_frames(Store& store, const FrameOptions& options);

}  // namespace gridaudit
