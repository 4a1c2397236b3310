// The series simulation of one customer (series_simulator.hpp): its true daily consumption, what
// its meters register (theft, stopped, reversed, rolling over), and its billing reads with the
// injected estimated, missed and wrong reads.
#include "generator/series_simulator.hpp"

namespace gridaudit::simulation {

void SeriesSimulator::simulate_customer(int index) {
    PlannedCustomer& c = plan_.customers[static_cast<std::size_t>(index)];
    const CategoryLoadShape& shape = category_load_shape(c.usage);
    const auto u = static_cast<std::size_t>(c.usage);
    GeneratorRng random(plan_.seed, RandomStream::consumption, static_cast<std::uint64_t>(index));
    const double export_share = c.category == LoadCategory::residential ? 0.7 : 0.3;
    double noise = 0;
    for (int d = 0; d < days_; ++d) {
        const CivilDate date = first_ + d;
        noise = 0.5 * noise + shape.noise_sigma * 0.866 * random.normal();
        const double sun = c.pv_kwp > 0 ? random.uniform(0.55, 1.05) : 0.0;
        const bool supplied =
            date >= c.supply_start && (c.status != "closed" || date <= *c.supply_end) &&
            !(c.suspended_from && date >= *c.suspended_from && (!c.resumed_on || date < *c.resumed_on));
        if (!supplied) {
            consumption_[at(d)] = 0;
            export_[at(d)] = 0;
            continue;
        }
        consumption_[at(d)] = c.daily_kwh * (1 + c.season_sensitivity * (season_[u][at(d)] - 1)) * calendar_[u][at(d)] *
                              weather_[u][at(d)] * std::max(0.05, 1 + noise);
        export_[at(d)] = c.pv_kwp * solar_yield(month_of_day_[at(d)]) * sun * export_share;
    }
    // What the network really delivers to the customer, wherever the records put it.
    if (c.high_voltage) {
        for (int d = 0; d < days_; ++d) direct_[at(d)] += consumption_[at(d)];
    } else {
        for (int d = 0; d < days_; ++d) {
            const int supplying = first_ + d >= c.physical_from ? c.physical_node : c.node;
            AreaState& area = areas_[static_cast<std::size_t>(area_slot_[static_cast<std::size_t>(supplying)])];
            area.import[at(d)] += consumption_[at(d)];
            area.exported[at(d)] += export_[at(d)];
        }
        areas_[static_cast<std::size_t>(area_slot_[static_cast<std::size_t>(c.physical_node)])].mix[u] += c.daily_kwh;
    }

    std::vector<MeterTrack> tracks;
    for (int m : c.meters) tracks.push_back(simulate_meter(c, m));
    apply_read_anomalies(tracks);
    std::vector<std::pair<int, MeterEvent>> events;  // (meter, event)
    write_reads(c, tracks);
    write_bills(index, c, tracks);
    customer_events(c, tracks, events);
    write_events(events);
}

// Simulates one meter of the customer: daily AMI rows, billing read points, 15-minute data.
MeterTrack SeriesSimulator::simulate_meter(const PlannedCustomer& c, int meter_index) {
    const PlannedMeter& meter = plan_.meters[static_cast<std::size_t>(meter_index)];
    MeterTrack track;
    track.meter = meter_index;
    const int start = std::max(0, meter.installed_on - first_);
    const int end = meter.removed_on ? std::min(days_ - 1, (*meter.removed_on - 1) - first_) : days_ - 1;
    const auto multiplier = static_cast<double>(meter.true_multiplier);
    const bool two_part = synthetic_tariff(c.tariff).structure == TariffStructure::two_part;
    const bool reactive = c.pf_standard > 0;
    const CategoryLoadShape& shape = category_load_shape(c.usage);
    const double tan_phi_base = std::sqrt(1.0 / (c.power_factor * c.power_factor) - 1.0);

    double total = 0, peak = 0, valley = 0, var_hours = 0, exported = 0;
    if (meter.installed_on < first_) {
        total = meter.initial_register;
        peak = total * c.peak_share;
        valley = total * c.valley_share;
        var_hours = total * tan_phi_base;
        exported = c.pv_kwp > 0 ? total * 0.1 : 0.0;
    }
    auto point = [&](CivilDate date, ReadPoint::Kind kind, double demand_kw) {
        ReadPoint p;
        p.date = date;
        p.kind = kind;
        p.total = hundredths(total);
        p.peak = hundredths(peak);
        p.valley = hundredths(valley);
        p.reactive = hundredths(var_hours);
        p.demand = std::llround(demand_kw / multiplier * 10000.0);
        return p;
    };
    if (meter.installed_on < first_ && month_ends_.front() == first_ - 1)
        track.points.push_back(point(first_ - 1, ReadPoint::Kind::month_end, 0));
    if (meter.installed_on >= first_) {
        ReadPoint p = point(meter.installed_on, ReadPoint::Kind::installation, 0);
        p.source = "manual";  // read by the fitter at installation, before the day's consumption
        track.points.push_back(p);
    }

    GeneratorRng gaps(plan_.seed, RandomStream::ami_gaps, static_cast<std::uint64_t>(meter_index));
    GeneratorRng random(plan_.seed, RandomStream::reads, static_cast<std::uint64_t>(meter_index));
    const int theft_from = c.theft_start ? *c.theft_start - first_ : INT_MAX;
    const int theft_to = c.theft_end ? *c.theft_end - first_ : INT_MAX;
    const int stopped_from = meter.stopped_from ? *meter.stopped_from - first_ : INT_MAX;
    const int reversed_from = meter.reversed_from ? *meter.reversed_from - first_ : INT_MAX;
    const double demand_cap = c.contracted_kva * 0.9;
    double tan_phi = tan_phi_base;
    double month_demand = 0;
    int gap = 0;
    registers_[at(start)] = hundredths(total);
    for (int d = start; d <= end; ++d) {
        if (d == start || (first_ + d).day() == 1) {
            const double pf = std::clamp(c.power_factor + 0.015 * random.normal(), 0.5, 0.995);
            tan_phi = std::sqrt(1.0 / (pf * pf) - 1.0);
        }
        double metered = consumption_[at(d)];
        if (d >= theft_from && d < theft_to) metered *= 1 - c.theft_fraction;
        if (d >= stopped_from) metered = 0;
        double reversed = 0;  // a reversed meter registers the consumption as export
        if (d >= reversed_from) std::swap(reversed, metered);
        total += metered / multiplier;
        exported += (export_[at(d)] + reversed) / multiplier;
        const double split = 0.05 * random.normal();
        peak += metered * c.peak_share * (1 + split) / multiplier;
        valley += metered * c.valley_share * (1 - split) / multiplier;
        if (reactive) var_hours += metered * tan_phi / multiplier;
        if (two_part && metered > 0)
            month_demand = std::max(month_demand, std::min(demand_cap, metered / 24.0 * shape.peak_to_mean *
                                                                           (1 + 0.08 * random.uniform())));
        if (two_part && metered > 0 && c.demand_over_from && first_ + d >= *c.demand_over_from)
            month_demand = std::max(month_demand, c.contracted_kva * c.demand_over_factor);
        const std::int64_t value = hundredths(total);
        registers_[at(d + 1)] = value;

        bool missing;
        if (gap > 0) {
            --gap;
            missing = true;
        } else if (gaps.chance(0.0025)) {
            gap = static_cast<int>(gaps.between(1, 4));
            missing = true;
        } else {
            missing = gaps.chance(0.012);
        }
        if (meter.wrong_read_on && first_ + d == *meter.wrong_read_on) missing = false;  // AMI has the day
        if (meter.rolls_over && value >= rollover_hundredths && registers_[at(d)] < rollover_hundredths &&
            meter.truth_row >= 0)
            plan_.truth[static_cast<std::size_t>(meter.truth_row)].start = first_ + d;
        CsvSink& out = sinks_.ami_daily;
        out.field(meter.id);
        out.text(std::string_view(date_text_[at(d + 1)].data(), 10));
        out.comma();
        if (!missing) {
            out.fixed(meter.rolls_over ? value % rollover_hundredths : value, 2);
            out.comma();
            out.fixed(hundredths(exported), 2);
        } else {
            out.comma();
        }
        out.end_row();

        if (month_end_[at(d)]) {
            ReadPoint p = point(first_ + d, ReadPoint::Kind::month_end, month_demand);
            p.source = missing || random.chance(0.03) ? "manual" : "ami";
            track.points.push_back(p);
            month_demand = 0;
        }
    }
    if (meter.removed_on && *meter.removed_on <= plan_.last_day) {
        ReadPoint p = point(*meter.removed_on, ReadPoint::Kind::removal, 0);
        p.source = "manual";
        track.points.push_back(p);
    }
    if (c.usage == LoadCategory::large_industrial && !meter.removed_on)
        write_intervals(meter, meter_index, start, end, category_load_shape(c.usage).hourly);
    return track;
}

// Injected estimated and missed reads, and their truth magnitudes.
void SeriesSimulator::apply_read_anomalies(std::vector<MeterTrack>& tracks) {
    for (MeterTrack& track : tracks) {
        const PlannedMeter& meter = plan_.meters[static_cast<std::size_t>(track.meter)];
        for (std::size_t i = 1; i < track.points.size(); ++i) {
            ReadPoint& p = track.points[i];
            if (p.kind != ReadPoint::Kind::month_end) continue;
            const ReadPoint& previous = track.points[i - 1];
            const std::int64_t advance = p.total - previous.total;
            if (meter.estimated_read_on && p.date == *meter.estimated_read_on) {
                std::int64_t estimate =
                    previous.total + std::llround(meter.estimate_factor * static_cast<double>(advance));
                if (i + 1 < track.points.size()) estimate = std::min(estimate, track.points[i + 1].total - 1);
                estimate = std::max(estimate, previous.total);
                p.total = estimate;
                p.source = "estimated";
                if (meter.truth_row >= 0 && advance > 0)
                    plan_.truth[static_cast<std::size_t>(meter.truth_row)].magnitude =
                        static_cast<double>(estimate - previous.total) / static_cast<double>(advance);
            }
            if (meter.wrong_read_on && p.date == *meter.wrong_read_on) {
                p.total = previous.total + std::llround(meter.wrong_read_factor * static_cast<double>(advance));
                p.source = "manual";
                if (meter.truth_row >= 0 && advance > 0)
                    plan_.truth[static_cast<std::size_t>(meter.truth_row)].magnitude =
                        static_cast<double>(p.total - previous.total) / static_cast<double>(advance);
            }
            if (meter.missed_read_on && p.date == *meter.missed_read_on) {
                p.available = false;
                if (meter.truth_row >= 0)
                    plan_.truth[static_cast<std::size_t>(meter.truth_row)].magnitude =
                        static_cast<double>(advance * meter.recorded_multiplier) / 100.0;
            }
        }
    }
}

void SeriesSimulator::write_read(const PlannedMeter& meter, const ReadPoint& p, std::string_view reg,
                                 std::int64_t value, int decimals, const std::string& reader) {
    CsvSink& out = sinks_.register_reads;
    out.field(meter.id);
    out.date(p.date);
    out.comma();
    out.field(reg);
    out.fixed(value, decimals);
    out.comma();
    out.field(p.source);
    out.text(reader);
    out.end_row();
}

void SeriesSimulator::write_reads(const PlannedCustomer& c, const std::vector<MeterTrack>& tracks) {
    const auto structure = synthetic_tariff(c.tariff).structure;
    const bool tou = structure == TariffStructure::time_of_use || structure == TariffStructure::two_part;
    const std::string& reader = plan_.staff[static_cast<std::size_t>(c.reader)].id;
    const auto& installers = plan_.installers_of_unit[static_cast<std::size_t>(c.unit)];
    const std::string& installer = plan_.staff[static_cast<std::size_t>(installers.front())].id;
    for (const MeterTrack& track : tracks) {
        const PlannedMeter& meter = plan_.meters[static_cast<std::size_t>(track.meter)];
        for (const ReadPoint& p : track.points) {
            if (!p.available) continue;
            const std::string& by = p.kind == ReadPoint::Kind::month_end ? reader : installer;
            write_read(meter, p, "total", meter.rolls_over ? p.total % rollover_hundredths : p.total, 2, by);
            if (tou) {
                write_read(meter, p, "peak", p.peak, 2, by);
                write_read(meter, p, "flat", p.total - p.peak - p.valley, 2, by);
                write_read(meter, p, "valley", p.valley, 2, by);
            }
            if (c.pf_standard > 0) write_read(meter, p, "reactive", p.reactive, 2, by);
            if (structure == TariffStructure::two_part && p.kind == ReadPoint::Kind::month_end)
                write_read(meter, p, "demand", p.demand, 4, by);
        }
    }
}

}  // namespace gridaudit::simulation
