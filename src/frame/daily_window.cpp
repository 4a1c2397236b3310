// Whether a shorter daily window derives the same usage as the whole one (see daily_window.hpp).
#include "frame/daily_window.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace gridaudit {

bool usage_anchored_at_start(const MeterColumns& meters, const DailyMatrix& daily, CivilDate needed_from) {
    const std::int32_t days = daily.day_count;
    const std::int32_t needed = std::clamp<std::int32_t>(needed_from - daily.first_day, 0, days);
    for (std::size_t m = 0; m < meters.size(); ++m) {
        if (meters.installed_on[m] >= daily.first_day) continue;
        const std::int32_t end =
            meters.removed_on[m] ? std::clamp<std::int32_t>(*meters.removed_on[m] - daily.first_day, 0, days) : days;
        for (const std::vector<double>* registers : {&daily.import_register, &daily.export_register}) {
            const double* row = registers->data() + m * static_cast<std::size_t>(days);
            bool anchored = false;
            for (std::int32_t d = 0; d < std::min(needed, end) && !anchored; ++d) anchored = !std::isnan(row[d]);
            if (anchored) continue;
            for (std::int32_t d = needed; d < end; ++d)
                if (!std::isnan(row[d])) return false;
        }
    }
    return true;
}

bool usage_anchored_at_end(const MeterColumns& meters, const DailyMatrix& daily, CivilDate needed_to) {
    const std::int32_t days = daily.day_count;
    const CivilDate last = daily.first_day + (days - 1);
    const std::int32_t needed = std::clamp<std::int32_t>(needed_to - daily.first_day, 0, days);
    for (std::size_t m = 0; m < meters.size(); ++m) {
        if (meters.removed_on[m] && *meters.removed_on[m] <= last + 1) continue;
        if (meters.installed_on[m] > needed_to) continue;  // nothing before installation, in either window
        for (const std::vector<double>* registers : {&daily.import_register, &daily.export_register}) {
            const double* row = registers->data() + m * static_cast<std::size_t>(days);
            bool anchored = false;
            for (std::int32_t d = needed; d < days && !anchored; ++d) anchored = !std::isnan(row[d]);
            if (!anchored) return false;
        }
    }
    return true;
}

}  // namespace gridaudit
