// Shorter daily windows with the same derived usage (issue 17): a command that uses the usage of
// some days only reads the daily registers around them, not the whole look-back window, and still
// gets the whole window's figures to the bit.
//
// A day's usage is the register's advance from the last value before it, shared over a gap up to
// the next value (analysis/meter_usage.hpp, engine/vee/usage_derivation.hpp); before installation
// and after removal a meter counts nothing, and a meter installed inside a window starts from 0.
// So the usage of the days from `needed_from` to `needed_to` derived from a window [first, last]
// equals the whole window's when, for every meter and register:
// - at the start (first > the whole window's first day): the meter was installed on `first` or
//   later, or a value stands in [first, needed_from), or no value follows in its installed days;
// - at the end (last < the whole window's last day): a value stands in [needed_to, last], or the
//   meter was removed by last + 1 (its installed days end inside both windows) or installed after
//   needed_to.
// Thread safety: stateless functions.
#pragma once

#include "core/time.hpp"
#include "frame/region_frame.hpp"
#include "model/series.hpp"

namespace gridaudit {

// REQUIRES: daily holds the rows of `meters` in order.
[[nodiscard]] bool usage_anchored_at_start(const MeterColumns& meters, const DailyMatrix& daily, CivilDate needed_from);
[[nodiscard]] bool usage_anchored_at_end(const MeterColumns& meters, const DailyMatrix& daily, CivilDate needed_to);

}  // namespace gridaudit
