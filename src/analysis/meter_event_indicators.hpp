// Meter events as theft indicators (REFERENCE.md, theft indicators; docs/suspects.md): per
// customer, the count and summed duration of each tamper-indicating event code its meters logged
// in a window of days, and one weighted score of them. Cover and terminal-cover openings,
// magnetic fields, voltage and current loss, phase breaks, reverse current, current imbalance and
// clock changes count; outages (power_off, power_on) and the meter's own faults do not.
// LOSS-METER-TAMPER-EVENT reports customers whose score reaches its threshold and the suspect
// ranking weighs the score as one of its signals.
// Thread safety: pure functions over the frame.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "core/time.hpp"
#include "frame/region_frame.hpp"

namespace gridaudit {

enum class TamperIndicator : std::uint8_t {
    cover_open,
    terminal_cover_open,
    magnetic_field,
    voltage_loss,
    current_loss,
    phase_break,
    reverse_current,
    current_imbalance,
    clock_change,
};
inline constexpr int tamper_indicator_count = 9;

// The import contract's event code of an indicator ("cover_open", ..., "clock_drift" for
// clock_change).
[[nodiscard]] std::string_view tamper_indicator_code(TamperIndicator indicator);
// The indicator an event code stands for; nullopt for codes that indicate no tampering.
[[nodiscard]] std::optional<TamperIndicator> tamper_indicator_of(std::string_view code);

// How much one event of each indicator weighs in the score. An event counts once per indicator
// and day (a meter repeating an alarm every minute is one event of that day).
struct TamperWeights {
    std::array<double, tamper_indicator_count> weight{1.0, 1.0, 2.0, 0.5, 1.0, 1.0, 2.0, 0.5, 0.5};
};

struct TamperEvents {
    std::array<std::int32_t, tamper_indicator_count> count{};  // events (per indicator and day)
    std::array<double, tamper_indicator_count> duration_s{};   // summed durations (instantaneous: 0)
    std::int32_t days = 0;                                     // distinct days with any indicator
    std::optional<CivilDate> first_day, last_day;
    double score = 0;  // sum over indicators of weight x count
};

// Per customer of the frame (indexed like frame.customers), the events of its meters whose civil
// day lies in [from, to].
// REQUIRES: frame.meter_events sorted by meter, then instant (as the loader and the case runner give them).
[[nodiscard]] std::vector<TamperEvents> customer_tamper_events(const RegionFrame& frame, CivilDate from, CivilDate to,
                                                               const TamperWeights& weights = {});

// The same for one customer's events given directly: (day, code, duration_s NaN when instantaneous).
struct TamperEventRecord {
    CivilDate day;
    std::string_view code;
    double duration_s = 0;
};
[[nodiscard]] TamperEvents tamper_events_of(std::span<const TamperEventRecord> events,
                                            const TamperWeights& weights = {});

}  // namespace gridaudit
