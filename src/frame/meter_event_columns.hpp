// The meter and terminal events of a region in columnar memory (meter_events.csv: 事件记录).
//
// One row per event of a meter of the region (gateway meters included), sorted by meter, then
// instant, then code. `day` is the event's civil day in the utility's time zone (the loader's UTC
// offset); `code` and `phase` are the import contract's codes as exported ("" when no phase).
// Thread safety: immutable once loaded; any number of threads may read them.
#pragma once

#include <string>
#include <vector>

#include "core/ids.hpp"
#include "core/time.hpp"

namespace gridaudit {

struct MeterEventColumns {
    std::vector<MeterIndex> meter;
    std::vector<Instant> at;
    std::vector<CivilDate> day;
    std::vector<std::string> code;   // power_off, power_on, cover_open, ...
    std::vector<std::string> phase;  // A, B, C or ""
    std::vector<double> duration_s;  // NaN when the event is instantaneous
    [[nodiscard]] std::size_t size() const { return meter.size(); }
};

}  // namespace gridaudit
