// Loads every region of a store into RegionFrames.
//
// The loader reads master data through the backend-neutral Store interface, splits the network
// at its substations and builds one frame per region. Thread safety: one call per Store.
#pragma once

#include <optional>
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

    // What a command that needs less loads less (issue 17: `loss` reads neither payments nor
    // register reads). Off: the frames' columns stay empty.
    bool load_billing_reads = true;  // register_reads' billing reads (with staff, for the reader's team)
    bool load_work_orders = true;
    bool load_meter_events = true;
    // Off: of the customers and meters only what the balance reads (ids, nodes, customer category,
    // meter multiplier and dates); the other columns hold "", NaN or nothing for every row.
    bool master_details = true;
    // Set: only the regions of these substations are returned (and only their series read); an id
    // that names no region is ignored (the caller checks ids, see region_ids).
    std::optional<std::vector<std::string>> regions;
    // Not empty: only the bills of these months are read (into RegionFrame::bills and
    // max_monthly_kwh), and neither payments nor tariffs. Needs load_billing.
    std::vector<Period> bill_periods;
    // Set: the caller uses the daily usage of this day and later only. The daily window then starts
    // daily_anchor_days before it (within the look-back window); a region where a meter's usage on
    // those days could differ from the whole window's (no register read in the days before, and a
    // read after) is loaded over the whole window instead, so the derived usage of every needed day
    // equals the whole window's, bit for bit.
    std::optional<CivilDate> daily_needed_from;
    int daily_anchor_days = 31;
};

[[nodiscard]] Result<std::vector<RegionFrame>> load_region_frames(Store& store, const FrameOptions& options);

// The substation id of every region of the store (the network split as load_region_frames splits
// it), in network order; "" names the region of nodes under no substation, when there are any.
[[nodiscard]] Result<std::vector<std::string>> region_ids(Store& store);

}  // namespace gridaudit
