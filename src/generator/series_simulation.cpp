// Streaming simulation of consumption, registers, reads, bills, payments, intervals and events: the
// run and its day tables, a feeder's areas and losses (the other parts: series_simulator.hpp).
#include "generator/series_simulation.hpp"

#include "generator/series_simulator.hpp"

namespace gridaudit {
namespace simulation {

SeriesSimulator::SeriesSimulator(UtilityPlan& plan, SeriesSinks& sinks) : plan_(plan), sinks_(sinks) {
    first_ = plan.first_day;
    days_ = plan.days;
    years_ = days_ / 365.25;
    build_day_tables();
    area_slot_.assign(plan.nodes.size(), -1);
    consumption_.resize(static_cast<std::size_t>(days_));
    export_.resize(static_cast<std::size_t>(days_));
    registers_.resize(static_cast<std::size_t>(days_) + 1);
    for (int i = 0; i < intervals_per_day; ++i)
        interval_times_[static_cast<std::size_t>(i)] = fmt::format("T{:02}:{:02}:00+08:00", i / 4, (i % 4) * 15);
}

Status SeriesSimulator::run(ProgressObserver& progress) {
    progress.stage("simulating series", "customers", plan_.customers.size());
    for (int substation : plan_.substations) {
        const PlannedNode& s = node(substation);
        std::vector<double> substation_sum(static_cast<std::size_t>(days_), 0.0);
        for (int bus : s.children) {
            std::vector<double> bus_sum(static_cast<std::size_t>(days_), 0.0);
            for (int feeder : node(bus).children) {
                const std::vector<double> feeder_supply = simulate_feeder(feeder);
                std::size_t customers = node(feeder).customers.size();
                for (int area : node(feeder).children) customers += node(area).customers.size();
                progress.advance(customers);
                for (int d = 0; d < days_; ++d)
                    bus_sum[static_cast<std::size_t>(d)] += feeder_supply[static_cast<std::size_t>(d)];
            }
            const PlannedNode& b = node(bus);
            if (b.unmetered_from) {  // an outgoing circuit no feeder gateway measures
                for (int d = 0; d < days_; ++d)
                    if (first_ + d >= *b.unmetered_from) bus_sum[static_cast<std::size_t>(d)] *= 1 + b.unmetered_share;
            }
            const std::vector<double> bus_supply = with_loss(bus, bus_sum, 0.001);
            write_gateway(bus, bus_supply, nullptr);
            for (int d = 0; d < days_; ++d)
                substation_sum[static_cast<std::size_t>(d)] += bus_supply[static_cast<std::size_t>(d)];
        }
        write_gateway(substation, with_loss(substation, substation_sum, 0.001), nullptr);
    }
    GA_TRY(status_);
    progress.stage("writing collections.csv", "", 0);
    return write_collections();
}

void SeriesSimulator::build_day_tables() {
    date_text_.resize(static_cast<std::size_t>(days_) + 1);
    for (int d = -1; d < days_; ++d) format_iso_date(first_ + d, date_text_[static_cast<std::size_t>(d + 1)].data());
    month_of_day_.resize(static_cast<std::size_t>(days_));
    month_end_.assign(static_cast<std::size_t>(days_), false);
    for (int d = 0; d < days_; ++d) {
        const CivilDate date = first_ + d;
        month_of_day_[at(d)] = date.month();
        month_end_[at(d)] = (date + 1).day() == 1;
    }
    // County-wide temperature anomaly: AR(1), unit variance.
    std::vector<double> weather(static_cast<std::size_t>(days_));
    GeneratorRng random(plan_.seed, RandomStream::weather);
    double w = 0;
    for (int d = 0; d < days_; ++d) {
        w = 0.7 * w + 0.714 * random.normal();
        weather[at(d)] = w;
    }
    for (int c = 0; c < load_category_count; ++c) {
        const auto category = static_cast<LoadCategory>(c);
        const double weight = category_load_shape(category).weather_weight;
        auto& season = season_[static_cast<std::size_t>(c)];
        auto& calendar = calendar_[static_cast<std::size_t>(c)];
        auto& temperature = weather_[static_cast<std::size_t>(c)];
        season.resize(static_cast<std::size_t>(days_));
        calendar.resize(static_cast<std::size_t>(days_));
        temperature.resize(static_cast<std::size_t>(days_));
        for (int d = 0; d < days_; ++d) {
            const CivilDate date = first_ + d;
            season[at(d)] = season_factor(category, date);
            calendar[at(d)] = calendar_factor(category, date);
            const unsigned month = date.month();
            const double strength = (month >= 6 && month <= 9) || month == 12 || month <= 2 ? 1.0 : 0.3;
            temperature[at(d)] = 1 + weight * weather[at(d)] * strength;
        }
    }
    // Billing month ends: the one before the first whole month, then every month end.
    CivilDate end = Period::of(first_).first_day() == first_ ? first_ - 1 : Period::of(first_).last_day();
    for (; end <= plan_.last_day; end = (Period::of(end) + 1).last_day()) month_ends_.push_back(end);
}

// Daily energy entering a node: what leaves it, grossed up by its loss with daily noise.
std::vector<double> SeriesSimulator::with_loss(int index, const std::vector<double>& out, double noise) const {
    GeneratorRng random(plan_.seed, RandomStream::area_losses, static_cast<std::uint64_t>(index));
    std::vector<double> in(out.size());
    for (std::size_t d = 0; d < out.size(); ++d) {
        const double loss = std::clamp(node(index).loss + noise * random.normal(), 0.002, 0.2);
        in[d] = out[d] / (1 - loss);
    }
    return in;
}

std::vector<double> SeriesSimulator::simulate_feeder(int feeder) {
    const PlannedNode& f = node(feeder);
    areas_.clear();
    for (int area : f.children) {
        area_slot_[static_cast<std::size_t>(area)] = static_cast<int>(areas_.size());
        AreaState state;
        state.node = area;
        state.import.assign(static_cast<std::size_t>(days_), 0.0);
        state.exported.assign(static_cast<std::size_t>(days_), 0.0);
        GeneratorRng random(plan_.seed, RandomStream::events, static_cast<std::uint64_t>(area));
        const int outages = static_cast<int>(std::floor(2.0 * years_ + random.uniform()));
        for (int i = 0; i < outages; ++i)
            state.outages.push_back(Outage{static_cast<int>(random.below(static_cast<std::uint64_t>(days_))),
                                           static_cast<int>(random.between(0, 86399 - 14400)),
                                           static_cast<int>(random.between(600, 14400))});
        areas_.push_back(std::move(state));
    }
    direct_.assign(static_cast<std::size_t>(days_), 0.0);
    for (int area : f.children)
        for (int customer : node(area).customers) simulate_customer(customer);
    for (int customer : f.customers) simulate_customer(customer);

    std::vector<double> sum = direct_;
    for (const AreaState& state : areas_) {
        GeneratorRng random(plan_.seed, RandomStream::area_losses, static_cast<std::uint64_t>(state.node));
        std::vector<double> supply(static_cast<std::size_t>(days_));
        for (int d = 0; d < days_; ++d) {
            const double loss = std::clamp(node(state.node).loss + 0.003 * random.normal(), 0.005, 0.15);
            supply[at(d)] = std::max(0.0, state.import[at(d)] / (1 - loss) - state.exported[at(d)]);
            sum[at(d)] += supply[at(d)];
        }
        write_gateway(state.node, supply, &state);
    }
    for (int area : f.children) area_slot_[static_cast<std::size_t>(area)] = -1;
    const std::vector<double> supply = with_loss(feeder, sum, 0.002);
    write_gateway(feeder, supply, nullptr);
    return supply;
}

}  // namespace simulation

Status simulate_series(UtilityPlan& plan, SeriesSinks& sinks, ProgressObserver& progress) {
    simulation::SeriesSimulator simulator(plan, sinks);
    return simulator.run(progress);
}

}  // namespace gridaudit
