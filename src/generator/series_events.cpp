// The series simulation's meter events (series_simulator.hpp): the outages of the area supplying
// each meter, the traces of theft (cover opened, current loss or reversal), clock drift and the odd
// spurious alarm.
#include "generator/series_simulator.hpp"

namespace gridaudit::simulation {

Instant SeriesSimulator::local_instant(int day, int second) const {
    return Instant::from_unix_seconds(static_cast<std::int64_t>((first_ + day).days_since_epoch()) * 86400 + second -
                                      utc_offset_minutes * 60);
}

void SeriesSimulator::customer_events(const PlannedCustomer& c, const std::vector<MeterTrack>& tracks,
                                      std::vector<std::pair<int, MeterEvent>>& events) {
    GeneratorRng random(plan_.seed, RandomStream::events,
                        (1ull << 40) + static_cast<std::uint64_t>(&c - plan_.customers.data()));
    constexpr std::array<std::string_view, 3> phases{"A", "B", "C"};
    for (const MeterTrack& track : tracks) {
        const PlannedMeter& meter = plan_.meters[static_cast<std::size_t>(track.meter)];
        const int start = std::max(0, meter.installed_on - first_);
        const int end = meter.removed_on ? std::min(days_ - 1, (*meter.removed_on - 1) - first_) : days_ - 1;
        auto in_service = [&](int day) { return day >= start && day <= end; };
        // Outages of the area that physically supplies the meter.
        if (!c.high_voltage) {
            for (int slot = 0; slot < static_cast<int>(areas_.size()); ++slot) {
                for (const Outage& outage : areas_[static_cast<std::size_t>(slot)].outages) {
                    const int supplying = first_ + outage.day >= c.physical_from ? c.physical_node : c.node;
                    if (areas_[static_cast<std::size_t>(slot)].node != supplying || !in_service(outage.day)) continue;
                    std::optional<int> delay;  // every meter logs the outage (loss_anomaly_plan.hpp)
                    if (random.chance(0.35))
                        delay = static_cast<int>(random.between(0, 5));
                    else
                        delay = outage_reported_anyway(plan_.seed, track.meter, outage.day, outage.second);
                    if (!delay) continue;
                    const int jitter = *delay;
                    events.push_back({track.meter, MeterEvent{local_instant(outage.day, outage.second + jitter),
                                                              "power_off", "", outage.duration}});
                    events.push_back(
                        {track.meter, MeterEvent{local_instant(outage.day, outage.second + outage.duration + jitter),
                                                 "power_on", "", -1}});
                }
            }
        }
        // Theft leaves traces: cover opened the night before, then current loss or reversal.
        if (c.theft_start && in_service(*c.theft_start - first_)) {
            const int day = *c.theft_start - first_;
            if (random.chance(0.6)) {
                const int before = std::max(start, day - static_cast<int>(random.between(0, 2)));
                events.push_back(
                    {track.meter,
                     MeterEvent{local_instant(before, static_cast<int>(random.between(20 * 3600, 23 * 3600))),
                                random.chance(0.5) ? "cover_open" : "terminal_cover_open", "",
                                static_cast<std::int64_t>(random.between(60, 1800))}});
            }
            const int stop = c.theft_end ? std::min(end, *c.theft_end - first_ - 1) : end;
            const double r = random.uniform();
            std::string_view code;
            if (meter.phases == 3 && r < 0.5)
                code = "current_loss";
            else if (meter.phases == 3 && r < 0.7)
                code = "reverse_current";
            else if (r < 0.85)
                code = "magnetic_field";
            if (!code.empty()) {
                const std::string_view phase = code == "magnetic_field" ? "" : phases[random.below(3)];
                int count = 0;
                for (int d = day + static_cast<int>(random.between(0, 3)); d <= stop && count < 25;
                     d += static_cast<int>(random.between(3, 10)), ++count)
                    events.push_back(
                        {track.meter, MeterEvent{local_instant(d, static_cast<int>(random.between(0, 86000))), code,
                                                 phase, random.between(3600, 12 * 3600)}});
            }
        }
        if (meter.stopped_from && random.chance(0.5)) {
            const int day = *meter.stopped_from - first_ + static_cast<int>(random.between(0, 3));
            if (in_service(day))
                events.push_back(
                    {track.meter, MeterEvent{local_instant(day, static_cast<int>(random.between(0, 86000))),
                                             "meter_stopped", "", -1}});
        }
        // Background: clock drift and the odd spurious terminal-cover alarm.
        for (int d = start; d <= end; d += 30) {
            if (random.chance(0.003))
                events.push_back(
                    {track.meter, MeterEvent{local_instant(std::min(end, d + static_cast<int>(random.between(0, 29))),
                                                           static_cast<int>(random.between(0, 86000))),
                                             "clock_drift", "", -1}});
            if (random.chance(0.0003))
                events.push_back(
                    {track.meter, MeterEvent{local_instant(std::min(end, d + static_cast<int>(random.between(0, 29))),
                                                           static_cast<int>(random.between(0, 86000))),
                                             "terminal_cover_open", "", random.between(30, 600)}});
        }
    }
}

void SeriesSimulator::write_events(std::vector<std::pair<int, MeterEvent>>& events) {
    std::sort(events.begin(), events.end(), [](const auto& a, const auto& b) {
        return std::tie(a.first, a.second.at, a.second.code) < std::tie(b.first, b.second.at, b.second.code);
    });
    CsvSink& out = sinks_.meter_events;
    for (std::size_t i = 0; i < events.size(); ++i) {
        const auto& [meter, event] = events[i];
        if (i > 0 && events[i - 1].first == meter && events[i - 1].second.at == event.at &&
            events[i - 1].second.code == event.code)
            continue;  // (meter, at, code) is the key
        out.field(plan_.meters[static_cast<std::size_t>(meter)].id);
        out.text(event.at.to_string(utc_offset_minutes));
        out.comma();
        out.field(event.code);
        out.field(event.phase);
        if (event.duration >= 0) out.integer(event.duration);
        out.end_row();
    }
    events.clear();
}

}  // namespace gridaudit::simulation
