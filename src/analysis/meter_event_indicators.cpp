// Meter events counted as theft indicators per customer (meter_event_indicators.hpp).
#include "analysis/meter_event_indicators.hpp"

#include <algorithm>
#include <cmath>
#include <tuple>

namespace gridaudit {

namespace {

constexpr std::array<std::string_view, tamper_indicator_count> codes{
    "cover_open",  "terminal_cover_open", "magnetic_field",    "voltage_loss", "current_loss",
    "phase_break", "reverse_current",     "current_imbalance", "clock_drift"};

}  // namespace

std::string_view tamper_indicator_code(TamperIndicator indicator) {
    return codes[static_cast<std::size_t>(indicator)];
}

std::optional<TamperIndicator> tamper_indicator_of(std::string_view code) {
    for (std::size_t k = 0; k < codes.size(); ++k) {
        if (codes[k] == code) return static_cast<TamperIndicator>(k);
    }
    return std::nullopt;
}

TamperEvents tamper_events_of(std::span<const TamperEventRecord> events, const TamperWeights& weights) {
    // One event per indicator and day: sorted by (day, indicator), repeats merged.
    std::vector<std::tuple<CivilDate, std::size_t, double>> seen;
    for (const TamperEventRecord& e : events) {
        const auto indicator = tamper_indicator_of(e.code);
        if (!indicator) continue;
        seen.emplace_back(e.day, static_cast<std::size_t>(*indicator), std::isfinite(e.duration_s) ? e.duration_s : 0);
    }
    std::sort(seen.begin(), seen.end());
    TamperEvents out;
    for (std::size_t i = 0; i < seen.size(); ++i) {
        const auto& [day, k, duration] = seen[i];
        out.duration_s[k] += duration;
        if (i > 0 && std::get<0>(seen[i - 1]) == day && std::get<1>(seen[i - 1]) == k) continue;
        ++out.count[k];
        out.score += weights.weight[k];
        if (i == 0 || std::get<0>(seen[i - 1]) != day) ++out.days;
        if (!out.first_day) out.first_day = day;
        out.last_day = day;
    }
    return out;
}

std::vector<TamperEvents> customer_tamper_events(const RegionFrame& frame, CivilDate from, CivilDate to,
                                                 const TamperWeights& weights) {
    std::vector<TamperEvents> out(frame.customers.size());
    std::vector<std::vector<TamperEventRecord>> of_customer(frame.customers.size());
    const MeterEventColumns& events = frame.meter_events;
    for (std::size_t i = 0; i < events.size(); ++i) {
        if (events.day[i] < from || to < events.day[i]) continue;
        if (!tamper_indicator_of(events.code[i])) continue;
        const CustomerIndex customer = frame.meters.customer[events.meter[i].value()];
        if (!customer.valid()) continue;
        of_customer[customer.value()].push_back({events.day[i], events.code[i], events.duration_s[i]});
    }
    for (std::size_t c = 0; c < out.size(); ++c) {
        if (!of_customer[c].empty()) out[c] = tamper_events_of(of_customer[c], weights);
    }
    return out;
}

}  // namespace gridaudit
