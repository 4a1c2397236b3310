// Places the store's meter events in the frames of their meters' regions.
#include "frame/meter_event_loader.hpp"

#include <algorithm>
#include <numeric>
#include <tuple>
#include <unordered_map>
#include <utility>

#include "frame/row_reader.hpp"
#include "model/import_contract.hpp"

namespace gridaudit {
namespace {

// Orders the frame's events by (meter, instant, code).
void sort_by_meter_and_instant(MeterEventColumns& events) {
    std::vector<std::size_t> order(events.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return std::tie(events.meter[a], events.at[a], events.code[a]) <
               std::tie(events.meter[b], events.at[b], events.code[b]);
    });
    MeterEventColumns sorted;
    for (const std::size_t i : order) {
        sorted.meter.push_back(events.meter[i]);
        sorted.at.push_back(events.at[i]);
        sorted.day.push_back(events.day[i]);
        sorted.code.push_back(std::move(events.code[i]));
        sorted.phase.push_back(std::move(events.phase[i]));
        sorted.duration_s.push_back(events.duration_s[i]);
    }
    events = std::move(sorted);
}

}  // namespace

Status attach_meter_events(Store& store, std::vector<RegionFrame>& frames, int utc_offset_minutes) {
    const TableSpec* spec = find_table("meter_events");
    if (!spec) return internal_error("import contract has no meter_events table");
    GA_ASSIGN_OR_RETURN(const auto rows, store.read_rows(*spec));
    if (rows.empty() || frames.empty()) return {};

    std::unordered_map<std::string, std::pair<std::size_t, std::uint32_t>> home;  // meter id -> (frame, index)
    for (std::size_t f = 0; f < frames.size(); ++f)
        for (std::size_t m = 0; m < frames[f].meters.size(); ++m)
            home.emplace(frames[f].meters.id[m], std::make_pair(f, static_cast<std::uint32_t>(m)));

    const RowReader reader(*spec);
    const int meter_id = reader.index("meter_id"), at = reader.index("at"), code = reader.index("code"),
              phase = reader.index("phase"), duration = reader.index("duration_s");
    for (const Row& row : rows) {
        const auto instant = RowReader::instant(row, at);
        const auto found = home.find(RowReader::text(row, meter_id));
        if (!instant || found == home.end()) continue;  // required and referenced by the contract; skip defensively
        MeterEventColumns& events = frames[found->second.first].meter_events;
        events.meter.push_back(MeterIndex(found->second.second));
        events.at.push_back(*instant);
        events.day.push_back(instant->civil_date(utc_offset_minutes));
        events.code.push_back(RowReader::text(row, code));
        events.phase.push_back(RowReader::text(row, phase));
        events.duration_s.push_back(RowReader::number(row, duration));
    }
    for (RegionFrame& frame : frames) sort_by_meter_and_instant(frame.meter_events);
    return {};
}

}  // namespace gridaudit
