// The series simulation's gateways (series_simulator.hpp): what each area, feeder, bus and
// substation gateway measures, and the 15-minute interval rows of the last days.
#include "generator/series_simulator.hpp"

namespace gridaudit::simulation {

void SeriesSimulator::write_gateway(int index, const std::vector<double>& supply, const AreaState* area) {
    const PlannedNode& n = node(index);
    const PlannedMeter& meter = plan_.meters[static_cast<std::size_t>(n.gateway_meter)];
    const auto multiplier = static_cast<double>(meter.true_multiplier);
    GeneratorRng gaps(plan_.seed, RandomStream::ami_gaps, static_cast<std::uint64_t>(n.gateway_meter));
    double total = meter.initial_register;
    registers_[0] = hundredths(total);
    CsvSink& out = sinks_.ami_daily;
    for (int d = 0; d < days_; ++d) {
        total += supply[at(d)] / multiplier;
        const std::int64_t value = hundredths(total);
        registers_[at(d + 1)] = value;
        out.field(meter.id);
        out.text(std::string_view(date_text_[at(d + 1)].data(), 10));
        out.comma();
        if (!gaps.chance(0.003)) {
            out.fixed(value, 2);
            out.text(",0.00");
        } else {
            out.comma();
        }
        out.end_row();
    }
    if (!area) return;
    std::array<double, 24> hourly{};
    double weight = 0;
    for (int c = 0; c < load_category_count; ++c) weight += area->mix[static_cast<std::size_t>(c)];
    for (int c = 0; c < load_category_count; ++c) {
        const double share = weight > 0 ? area->mix[static_cast<std::size_t>(c)] / weight : (c == 0 ? 1.0 : 0.0);
        const auto& profile = category_load_shape(static_cast<LoadCategory>(c)).hourly;
        for (int h = 0; h < 24; ++h)
            hourly[static_cast<std::size_t>(h)] += share * profile[static_cast<std::size_t>(h)];
    }
    write_intervals(meter, n.gateway_meter, 0, days_ - 1, hourly);
    std::vector<std::pair<int, MeterEvent>> events;
    for (const Outage& outage : area->outages) {
        events.push_back(
            {n.gateway_meter, MeterEvent{local_instant(outage.day, outage.second), "power_off", "", outage.duration}});
        events.push_back({n.gateway_meter,
                          MeterEvent{local_instant(outage.day, outage.second + outage.duration), "power_on", "", -1}});
    }
    write_events(events);
}

// 15-minute profile of the last 31 days, summing exactly to each day's register advance;
// a few intervals missing (empty kWh) or estimated (flagged, approximate value).
// REQUIRES: registers_[d + 1] holds the register (hundredths) at the end of day d for d in
// [start - 1, end] (registers_[start] is the value before the first day).
void SeriesSimulator::write_intervals(const PlannedMeter& meter, int meter_index, int start, int end,
                                      const std::array<double, 24>& hourly) {
    GeneratorRng random(plan_.seed, RandomStream::intervals, static_cast<std::uint64_t>(meter_index));
    CsvSink& out = sinks_.ami_interval;
    std::array<double, intervals_per_day> weights{};
    std::array<std::int64_t, intervals_per_day> energy{};
    for (int d = std::max(start, days_ - interval_days); d <= end; ++d) {
        const std::int64_t units = (registers_[at(d + 1)] - registers_[at(d)]) * 100;  // 0.0001 register units
        double sum = 0;
        for (int i = 0; i < intervals_per_day; ++i) {
            weights[static_cast<std::size_t>(i)] =
                std::max(0.01, hourly[static_cast<std::size_t>(i / 4)] * (1 + 0.04 * random.normal()));
            sum += weights[static_cast<std::size_t>(i)];
        }
        std::int64_t allocated = 0;
        for (int i = 0; i < intervals_per_day; ++i) {
            energy[static_cast<std::size_t>(i)] = static_cast<std::int64_t>(
                std::floor(static_cast<double>(units) * weights[static_cast<std::size_t>(i)] / sum));
            allocated += energy[static_cast<std::size_t>(i)];
        }
        for (std::int64_t i = 0; allocated < units; ++i, ++allocated)
            ++energy[static_cast<std::size_t>(i % intervals_per_day)];
        int missing_from = -1, missing_to = -1, estimated_from = -1, estimated_to = -1;
        if (random.chance(0.03)) {
            missing_from = static_cast<int>(random.below(intervals_per_day));
            missing_to = missing_from + static_cast<int>(random.between(1, 6));
        }
        if (random.chance(0.02)) {
            estimated_from = static_cast<int>(random.below(intervals_per_day));
            estimated_to = estimated_from + static_cast<int>(random.between(1, 4));
        }
        const std::string_view date(date_text_[at(d + 1)].data(), 10);
        for (int i = 0; i < intervals_per_day; ++i) {
            out.field(meter.id);
            out.text(date);
            out.text(interval_times_[static_cast<std::size_t>(i)]);
            out.text(",15,");
            if (i >= missing_from && i < missing_to) {
                out.comma();
            } else if (i >= estimated_from && i < estimated_to) {
                out.fixed(units / intervals_per_day, 4);
                out.text(",estimated");
            } else {
                out.fixed(energy[static_cast<std::size_t>(i)], 4);
                out.comma();
            }
            out.end_row();
        }
    }
}

}  // namespace gridaudit::simulation
