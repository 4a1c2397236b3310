// Streaming simulation of consumption, registers, reads, bills, payments, intervals and events.
#include "generator/series_simulation.hpp"

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <tuple>
#include <cmath>
#include <fmt/format.h>

#include "generator/generator_random.hpp"
#include "generator/load_model.hpp"
#include "generator/loss_anomaly_plan.hpp"
#include "generator/synthetic_tariffs.hpp"
#include "recovery/recovery.hpp"
#include "tariff/pricing_engine.hpp"

namespace gridaudit {
namespace {

// A 6-digit register (999999.99) in hundredths: where a rolling-over register starts again at 0.
constexpr std::int64_t rollover_hundredths = 100'000'000;

constexpr int utc_offset_minutes = 480;
constexpr int interval_days = 31;
constexpr int intervals_per_day = 96;
constexpr std::array<std::string_view, 5> channel_codes{"counter", "bank", "online", "agent", "autopay"};

std::int64_t hundredths(double value) { return std::llround(value * 100.0); }

// Register values of a meter at one billing read.
struct ReadPoint {
    enum class Kind : std::uint8_t { month_end, installation, removal };
    CivilDate date;
    Kind kind = Kind::month_end;
    std::int64_t total = 0;  // hundredths of the register unit
    std::int64_t peak = 0;
    std::int64_t valley = 0;
    std::int64_t reactive = 0;
    std::int64_t demand = 0;  // 0.0001 kW (register, before the multiplier); month-end reads only
    std::string_view source = "ami";
    bool available = true;
};

// Energy of one monthly bill, in hundredths of a kWh (kvarh), after the multiplier.
struct BillEnergy {
    std::int64_t total = 0;
    std::int64_t peak = 0;  // time-of-use split; flat = total - peak - valley
    std::int64_t valley = 0;
    std::optional<std::int64_t> reactive;
};

struct MeterTrack {
    int meter = -1;
    std::vector<ReadPoint> points;  // chronological
};

struct Outage {
    int day;
    int second;    // of the local day
    int duration;  // seconds
};

struct AreaState {
    int node = -1;
    std::vector<double> import;  // true energy drawn by the customers it physically supplies
    std::vector<double> exported;
    std::array<double, load_category_count> mix{};  // daily energy by category, for its load profile
    std::vector<Outage> outages;
};

struct MeterEvent {
    Instant at;
    std::string_view code;
    std::string_view phase;
    std::int64_t duration = -1;  // -1: instantaneous
};

class SeriesSimulator {
public:
    SeriesSimulator(UtilityPlan& plan, SeriesSinks& sinks) : plan_(plan), sinks_(sinks) {
        first_ = plan.first_day;
        days_ = plan.days;
        years_ = days_ / 365.25;
        build_day_tables();
        area_slot_.assign(plan.nodes.size(), -1);
        consumption_.resize(static_cast<std::size_t>(days_));
        export_.resize(static_cast<std::size_t>(days_));
        registers_.resize(static_cast<std::size_t>(days_) + 1);
        for (int i = 0; i < intervals_per_day; ++i)
            interval_times_[static_cast<std::size_t>(i)] =
                fmt::format("T{:02}:{:02}:00+08:00", i / 4, (i % 4) * 15);
    }

    Status run() {
        for (int substation : plan_.substations) {
            const PlannedNode& s = node(substation);
            std::vector<double> substation_sum(static_cast<std::size_t>(days_), 0.0);
            for (int bus : s.children) {
                std::vector<double> bus_sum(static_cast<std::size_t>(days_), 0.0);
                for (int feeder : node(bus).children) {
                    const std::vector<double> feeder_supply = simulate_feeder(feeder);
                    for (int d = 0; d < days_; ++d) bus_sum[static_cast<std::size_t>(d)] += feeder_supply[static_cast<std::size_t>(d)];
                }
                const std::vector<double> bus_supply = with_loss(bus, bus_sum, 0.001);
                write_gateway(bus, bus_supply, nullptr);
                for (int d = 0; d < days_; ++d) substation_sum[static_cast<std::size_t>(d)] += bus_supply[static_cast<std::size_t>(d)];
            }
            write_gateway(substation, with_loss(substation, substation_sum, 0.001), nullptr);
        }
        GA_TRY(status_);
        return write_collections();
    }

private:
    const PlannedNode& node(int index) const { return plan_.nodes[static_cast<std::size_t>(index)]; }
    std::size_t at(int day) const { return static_cast<std::size_t>(day); }

    void build_day_tables() {
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
    std::vector<double> with_loss(int index, const std::vector<double>& out, double noise) const {
        GeneratorRng random(plan_.seed, RandomStream::area_losses, static_cast<std::uint64_t>(index));
        std::vector<double> in(out.size());
        for (std::size_t d = 0; d < out.size(); ++d) {
            const double loss = std::clamp(node(index).loss + noise * random.normal(), 0.002, 0.2);
            in[d] = out[d] / (1 - loss);
        }
        return in;
    }

    std::vector<double> simulate_feeder(int feeder) {
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

    // --- customers ---------------------------------------------------------------------------------

    void simulate_customer(int index) {
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
            const bool supplied = date >= c.supply_start && (c.status != "closed" || date <= *c.supply_end) &&
                                  !(c.suspended_from && date >= *c.suspended_from &&
                                    (!c.resumed_on || date < *c.resumed_on));
            if (!supplied) {
                consumption_[at(d)] = 0;
                export_[at(d)] = 0;
                continue;
            }
            consumption_[at(d)] = c.daily_kwh * (1 + c.season_sensitivity * (season_[u][at(d)] - 1)) *
                                  calendar_[u][at(d)] * weather_[u][at(d)] * std::max(0.05, 1 + noise);
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
    MeterTrack simulate_meter(const PlannedCustomer& c, int meter_index) {
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
        if (meter.installed_on < first_ && month_ends_.front() == first_ - 1) track.points.push_back(point(first_ - 1, ReadPoint::Kind::month_end, 0));
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
    void apply_read_anomalies(std::vector<MeterTrack>& tracks) {
        for (MeterTrack& track : tracks) {
            const PlannedMeter& meter = plan_.meters[static_cast<std::size_t>(track.meter)];
            for (std::size_t i = 1; i < track.points.size(); ++i) {
                ReadPoint& p = track.points[i];
                if (p.kind != ReadPoint::Kind::month_end) continue;
                const ReadPoint& previous = track.points[i - 1];
                const std::int64_t advance = p.total - previous.total;
                if (meter.estimated_read_on && p.date == *meter.estimated_read_on) {
                    std::int64_t estimate = previous.total + std::llround(meter.estimate_factor * static_cast<double>(advance));
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

    void write_read(const PlannedMeter& meter, const ReadPoint& p, std::string_view reg, std::int64_t value,
                    int decimals, const std::string& reader) {
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

    void write_reads(const PlannedCustomer& c, const std::vector<MeterTrack>& tracks) {
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

    // --- bills and payments -------------------------------------------------------------------------

    void write_money(CsvSink& out, Money amount) { out.fixed(amount.units() / 100, 2); }

    // Hundredths (of kWh, kvarh, kW) as the double a reader of the two-decimal text gets.
    static double from_hundredths(std::int64_t value) { return static_cast<double>(value) / 100.0; }

    // Prices one month exactly as an audit recomputes it from the bills.csv row: the registers as
    // written (two decimals), kvarh and demand when written, the days connected from supply dates.
    Result<MonthBill> price(const SyntheticTariff& tariff, const CustomerTerms& terms, const PlannedCustomer& c,
                            Period period, const BillEnergy& energy, std::optional<std::int64_t> demand,
                            BillingState& state) const {
        RegisterReadings registers;
        registers.total_kwh = from_hundredths(energy.total);
        if (tariff.time_of_use()) {
            registers.peak_kwh = from_hundredths(energy.peak);
            registers.flat_kwh = from_hundredths(energy.total - energy.peak - energy.valley);
            registers.valley_kwh = from_hundredths(energy.valley);
        }
        GA_ASSIGN_OR_RETURN(std::vector<double> period_kwh, period_kwh_from_registers(tariff.tariff, registers));
        MonthUsage usage;
        usage.period = period;
        usage.period_kwh = std::move(period_kwh);
        if (energy.reactive) usage.kvarh = from_hundredths(*energy.reactive);
        if (demand) usage.max_demand_kw = from_hundredths(*demand);
        const CivilDate from = std::max(c.supply_start, period.first_day());
        const CivilDate to = c.supply_end ? std::min(*c.supply_end, period.last_day()) : period.last_day();
        const int days = to - from + 1;
        // A month wholly after the supply end (a temporary supply left connected) is billed whole.
        usage.days_connected = days <= 0 || days == period.day_count() ? 0 : days;
        return price_month(tariff.tariff, terms, usage, state);
    }

    // What the export's bills.csv shows of a priced month.
    struct BillCharges {
        Money energy;  // energy + demand components
        Money basic;
        Money power_factor;
        Money funds;
        Money fixed;  // fixed + minimum components
        Money other;  // outside the tariff (injected unlisted charges)
        Money total;
    };

    static BillCharges charges_of(const MonthBill& bill) {
        BillCharges charges;
        charges.energy = bill.component(BillComponent::energy) + bill.component(BillComponent::demand);
        charges.basic = bill.component(BillComponent::basic);
        charges.power_factor = bill.component(BillComponent::power_factor);
        charges.funds = bill.component(BillComponent::funds);
        charges.fixed = bill.component(BillComponent::fixed) + bill.component(BillComponent::minimum);
        charges.total = bill.total;
        return charges;
    }

    static std::string money_text(Money amount) {
        const std::int64_t cents = amount.units() / 100;
        const std::int64_t magnitude = cents < 0 ? -cents : cents;
        return fmt::format("{}{}.{:02}", cents < 0 ? "-" : "", magnitude / 100, magnitude % 100);
    }
    static std::string kwh_text(std::int64_t hundredths) { return money_text(Money::from_units(hundredths * 100)); }

    struct PaymentPlan {
        bool exists = false;
        CivilDate paid;
        int channel = 0;
    };

    // The customer's payment of one bill, as drawn from its payment stream (the draws do not depend
    // on anything injected, so the stream stays aligned with older outputs).
    PaymentPlan draw_payment(const PlannedCustomer& c, CivilDate issued, CivilDate due, GeneratorRng& random) const {
        PaymentPlan plan;
        plan.channel = random.chance(0.8) ? c.channel : static_cast<int>(random.below(channel_codes.size()));
        const bool autopay = channel_codes[static_cast<std::size_t>(plan.channel)] == "autopay";
        const bool late = !autopay && random.chance(c.late_payer ? 0.35 : 0.02);
        const bool unpaid = !autopay && random.chance(c.late_payer ? 0.04 : 0.003);
        plan.paid = autopay ? issued + static_cast<std::int32_t>(random.between(1, 3))
                    : late  ? due + static_cast<std::int32_t>(random.between(1, 45))
                            : issued + static_cast<std::int32_t>(random.between(0, 14));
        plan.exists = !unpaid && plan.paid <= plan_.payments_cutoff;
        return plan;
    }

    Result<Money> late_fee(const PlannedCustomer& c, Money total, CivilDate due, CivilDate paid) const {
        LatePayment late;
        late.customer = c.category == LoadCategory::residential ? CustomerClass::residential : CustomerClass::other;
        late.paid = paid;
        late.arrears.push_back(Arrears{total, due, std::nullopt});
        GA_ASSIGN_OR_RETURN(const Recovery recovery, compute_late_payment(late, RecoveryPolicy{}));
        return recovery.total;
    }

    void fail(Status status) {
        if (status_ && !status) status_ = std::move(status);
    }

    void write_bills(int index, PlannedCustomer& c, const std::vector<MeterTrack>& tracks) {
        fail(try_write_bills(index, c, tracks));
    }

    Status try_write_bills(int index, PlannedCustomer& c, const std::vector<MeterTrack>& tracks) {
        const SyntheticTariff& tariff = synthetic_tariff(c.tariff);
        const SyntheticTariff& correct = synthetic_tariff(c.correct_tariff);
        const bool tou = tariff.time_of_use();
        const bool two_part = tariff.tariff.basic.has_value();
        CustomerTerms terms;
        terms.capacity_kva = c.contracted_kva;
        if (c.pf_standard == 90) terms.pf_standard = PowerFactorStandard::pf_0_90;
        if (c.pf_standard == 85) terms.pf_standard = PowerFactorStandard::pf_0_85;
        if (c.pf_standard == 80) terms.pf_standard = PowerFactorStandard::pf_0_80;
        terms.supply_start = c.supply_start;
        // Per meter, the index of the last point billed from: the latest read on or before the month
        // end that opens the first billed month (consumption before it is outside the export's bills).
        std::vector<std::size_t> last(tracks.size(), 0);
        for (std::size_t t = 0; t < tracks.size(); ++t)
            for (std::size_t i = 0; i < tracks[t].points.size(); ++i)
                if (tracks[t].points[i].date <= month_ends_.front() && tracks[t].points[i].available) last[t] = i;
        GeneratorRng random(plan_.seed, RandomStream::bills, static_cast<std::uint64_t>(index));
        GeneratorRng paying(plan_.seed, RandomStream::payments, static_cast<std::uint64_t>(index));
        GeneratorRng waiving(plan_.seed, RandomStream::late_fees, static_cast<std::uint64_t>(index));
        GeneratorRng injected(plan_.seed, RandomStream::billing_anomalies, (1ull << 40) + static_cast<std::uint64_t>(index));
        BillingState state;
        BillingState correct_state;
        std::int64_t billed_total = 0;
        std::int64_t correct_total = 0;
        const BillingAnomaly anomaly = c.billing_anomaly;
        bool applied = false;
        int zero_left = anomaly == BillingAnomaly::zero_with_capacity ? c.billing_months : 0;
        std::vector<std::string> zero_bills;
        Period first_zero;
        std::string own_paid_bill;  // becomes last_paid_bill_ once the customer is done
        const std::string_view number = std::string_view(c.id).substr(1);
        for (std::size_t k = 1; k < month_ends_.size(); ++k) {
            const CivilDate previous_end = month_ends_[k - 1];
            const CivilDate end = month_ends_[k];
            BillEnergy energy;
            energy.reactive = 0;
            std::int64_t demand = 0;
            bool billed = false;
            for (std::size_t t = 0; t < tracks.size(); ++t) {
                const MeterTrack& track = tracks[t];
                const PlannedMeter& meter = plan_.meters[static_cast<std::size_t>(track.meter)];
                if (track.points.empty() || meter.installed_on > end) continue;
                if (meter.removed_on && *meter.removed_on - 1 <= previous_end) continue;
                billed = true;
                const bool in_service_at_end = !meter.removed_on || *meter.removed_on > end;
                std::size_t target = track.points.size();
                for (std::size_t i = last[t] + 1; i < track.points.size(); ++i) {
                    const ReadPoint& p = track.points[i];
                    if ((in_service_at_end && p.kind == ReadPoint::Kind::month_end && p.date == end) ||
                        (!in_service_at_end && p.kind == ReadPoint::Kind::removal)) {
                        target = i;
                        break;
                    }
                }
                if (target == track.points.size() || !track.points[target].available) continue;  // missed read
                const ReadPoint& from = track.points[last[t]];
                const ReadPoint& to = track.points[target];
                const std::int64_t multiplier = meter.recorded_multiplier;
                energy.total += (to.total - from.total) * multiplier;
                energy.peak += (to.peak - from.peak) * multiplier;
                energy.valley += (to.valley - from.valley) * multiplier;
                *energy.reactive += (to.reactive - from.reactive) * multiplier;
                if (to.kind == ReadPoint::Kind::month_end) demand = std::max(demand, to.demand * multiplier);
                last[t] = target;
            }
            if (!billed) continue;
            if (c.pf_standard == 0) energy.reactive.reset();
            const Period period = Period::of(end);
            const bool target_month = static_cast<int>(k) >= c.billing_month;
            std::string detail;
            double magnitude = 1;

            // Injected before pricing: the bill is priced consistently from what it shows.
            bool zero_bill = false;
            if (zero_left > 0 && target_month) {
                zero_bill = true;
                --zero_left;
                energy.total = energy.peak = energy.valley = 0;
                if (energy.reactive) energy.reactive = 0;
                demand = 0;
            }
            if (anomaly == BillingAnomaly::energy_vs_reads && !applied && target_month && energy.total >= 1000) {
                const std::int64_t read_total = energy.total;
                auto scaled = [&](std::int64_t value) {
                    return static_cast<std::int64_t>(std::llround(static_cast<double>(value) * c.billing_factor));
                };
                energy.total = scaled(energy.total);
                energy.peak = scaled(energy.peak);
                energy.valley = scaled(energy.valley);
                if (energy.peak + energy.valley > energy.total) energy.valley = energy.total - energy.peak;
                if (energy.reactive) energy.reactive = scaled(*energy.reactive);
                magnitude = static_cast<double>(energy.total) / static_cast<double>(read_total);
                detail = fmt::format("bill_id=B{:04}{:02}{} period={} kwh_billed={} kwh_reads={}", period.year(),
                                     period.month(), number, period.to_string(), kwh_text(energy.total),
                                     kwh_text(read_total));
                applied = true;
            }
            const std::optional<std::int64_t> billed_demand =
                two_part ? std::optional<std::int64_t>((demand + 50) / 100) : std::nullopt;
            GA_ASSIGN_OR_RETURN(const MonthBill bill, price(tariff, terms, c, period, energy, billed_demand, state));
            BillCharges charges = charges_of(bill);
            if (c.correct_tariff != c.tariff) {
                GA_ASSIGN_OR_RETURN(const MonthBill right,
                                    price(correct, terms, c, period, energy, billed_demand, correct_state));
                correct_total += right.total.units();
            }

            // Injected after pricing: the bill no longer agrees with the tariff.
            if (anomaly == BillingAnomaly::recompute_mismatch && !applied && target_month) {
                int variant = c.billing_variant;
                auto component = [&](int v) -> Money& {
                    return v == 1 ? charges.power_factor : v == 2 ? charges.funds : charges.energy;
                };
                if (std::abs(component(variant).units()) < Money::units_per_currency) variant = 0;  // too small to be off by 3-20 % in whole cents: the energy charge instead
                if (std::abs(component(variant).units()) >= Money::units_per_currency) {
                    Money& changed = component(variant);
                    const Money priced = changed;
                    changed = Money::from_units(
                        std::llround(static_cast<double>(priced.units()) * c.billing_factor / 100.0) * 100);
                    charges.total = charges.energy + charges.basic + charges.power_factor + charges.funds +
                                    charges.fixed;
                    magnitude = static_cast<double>(changed.units()) / static_cast<double>(priced.units());
                    constexpr std::array<std::string_view, 3> names{"energy_charge", "pf_adjustment", "surcharges"};
                    detail = fmt::format("bill_id=B{:04}{:02}{} period={} component={} billed={} priced={}",
                                         period.year(), period.month(), number, period.to_string(),
                                         names[static_cast<std::size_t>(variant)], money_text(changed),
                                         money_text(priced));
                    applied = true;
                }
            }
            std::string_view other_item;
            if (anomaly == BillingAnomaly::unlisted_charge && !applied && target_month) {
                charges.other = Money::from_units(c.other_charge);
                other_item = c.other_charge_item;
                charges.total += charges.other;
                magnitude = static_cast<double>(c.other_charge) / Money::units_per_currency;
                std::string item(other_item);
                std::replace(item.begin(), item.end(), ' ', '_');  // detail is space-separated key=value pairs
                detail = fmt::format("bill_id=B{:04}{:02}{} period={} other_charges={} item={}", period.year(),
                                     period.month(), number, period.to_string(), money_text(charges.other), item);
                applied = true;
            }
            billed_total += charges.total.units();

            const CivilDate issued = end + static_cast<std::int32_t>(random.between(2, 5));
            const CivilDate due = issued + 15;
            std::string bill_id = fmt::format("B{:04}{:02}{}", period.year(), period.month(), number);
            if (zero_bill) {
                if (zero_bills.empty()) first_zero = period;
                zero_bills.push_back(bill_id);
            }

            // Payment and settlement state.
            PaymentPlan payment;
            if (charges.total.units() > 0) payment = draw_payment(c, issued, due, paying);
            std::string_view payment_bill = bill_id;
            bool status_paid = charges.total.units() <= 0;
            bool charge_late_fee = true;
            const bool account_target = target_month && !applied && charges.total.units() > 0;
            if (account_target && anomaly == BillingAnomaly::paid_without_payment) {
                payment.exists = false;
                status_paid = true;
                magnitude = static_cast<double>(charges.total.units()) / Money::units_per_currency;
                detail = fmt::format("bill_id={} period={} total={} payment_status=paid payments=0", bill_id,
                                     period.to_string(), money_text(charges.total));
                applied = true;
            } else if (account_target && anomaly == BillingAnomaly::payment_without_bill) {
                if (!payment.exists) {
                    payment.exists = true;
                    payment.paid = issued + static_cast<std::int32_t>(injected.between(0, 14));
                }
                payment_bill = c.billing_variant == 1 ? std::string_view(last_paid_bill_) : std::string_view();
                magnitude = static_cast<double>(charges.total.units()) / Money::units_per_currency;
                detail = fmt::format("bill_id={} period={} paid_on={} amount={} payment_bill_id={}", bill_id,
                                     period.to_string(), payment.paid.to_string(), money_text(charges.total),
                                     payment_bill.empty() ? std::string_view("none") : payment_bill);
                applied = true;
            } else if (account_target && anomaly == BillingAnomaly::late_fee_missing) {
                payment.exists = true;
                if (channel_codes[static_cast<std::size_t>(payment.channel)] == "autopay") payment.channel = 0;
                if (!(payment.paid > due))
                    payment.paid = due + static_cast<std::int32_t>(injected.between(1, 45));
                charge_late_fee = false;
                GA_ASSIGN_OR_RETURN(const Money due_fee, late_fee(c, charges.total, due, payment.paid));
                magnitude = static_cast<double>(due_fee.units()) / Money::units_per_currency;
                detail = fmt::format("bill_id={} period={} due_on={} paid_on={} late_fee_due={}", bill_id,
                                     period.to_string(), due.to_string(), payment.paid.to_string(),
                                     money_text(due_fee));
                applied = true;
            }
            if (payment.exists && payment_bill == bill_id) status_paid = true;
            if (!detail.empty() && c.billing_truth_row >= 0) {
                TruthRow& row = plan_.truth[static_cast<std::size_t>(c.billing_truth_row)];
                row.start = period.first_day();
                row.end = period.last_day();
                row.magnitude = magnitude;
                row.detail = std::move(detail);
            }

            CsvSink& out = sinks_.bills;
            out.field(bill_id);
            out.field(c.id);
            out.text(period.to_string());
            out.comma();
            out.fixed(energy.total, 2);
            out.comma();
            if (tou) {
                out.fixed(energy.peak, 2);
                out.comma();
                out.fixed(energy.total - energy.peak - energy.valley, 2);
                out.comma();
                out.fixed(energy.valley, 2);
                out.comma();
            } else {
                out.text(",,,");
            }
            if (energy.reactive) out.fixed(*energy.reactive, 2);
            out.comma();
            if (billed_demand) out.fixed(*billed_demand, 2);
            out.comma();
            write_money(out, charges.energy);
            out.comma();
            if (two_part) write_money(out, charges.basic);
            out.comma();
            if (terms.pf_standard && tariff.tariff.power_factor.adjusted) write_money(out, charges.power_factor);
            out.comma();
            if (!tariff.tariff.funds.empty()) write_money(out, charges.funds);
            out.comma();
            write_money(out, charges.total);
            out.comma();
            out.date(issued);
            out.comma();
            out.date(due);
            out.comma();
            if (!tariff.tariff.fixed_charges.empty() || tariff.tariff.monthly_minimum.units() != 0 ||
                tariff.tariff.yearly_minimum.units() != 0)
                write_money(out, charges.fixed);
            out.comma();
            if (!other_item.empty()) {
                write_money(out, charges.other);
                out.comma();
                out.text(other_item);
            } else {
                out.comma();
            }
            out.comma();
            out.text(status_paid ? "paid" : "unpaid");
            out.end_row();

            if (payment.exists) {
                Money fee;
                std::string_view waiver;
                std::string waiver_number;
                if (payment.paid > due && charge_late_fee) {
                    GA_ASSIGN_OR_RETURN(fee, late_fee(c, charges.total, due, payment.paid));
                    if (waiving.chance(0.03)) {
                        fee = Money();
                        waiver_number = fmt::format("JM{:04}{:06}", payment.paid.year(), ++waiver_number_);
                        waiver = waiver_number;
                    }
                }
                write_payment(c, payment_bill, payment, charges.total, fee, waiver);
                if (payment_bill == bill_id) own_paid_bill = bill_id;
            }
        }
        if (anomaly == BillingAnomaly::zero_with_capacity && !zero_bills.empty() && c.billing_truth_row >= 0) {
            TruthRow& row = plan_.truth[static_cast<std::size_t>(c.billing_truth_row)];
            row.start = first_zero.first_day();
            row.end = (first_zero + static_cast<std::int32_t>(zero_bills.size()) - 1).last_day();
            row.magnitude = static_cast<double>(zero_bills.size());
            row.detail = fmt::format("bills={} first_bill_id={} last_bill_id={} kva={}", zero_bills.size(),
                                     zero_bills.front(), zero_bills.back(),
                                     static_cast<std::int64_t>(std::llround(c.contracted_kva)));
            applied = zero_bills.size() >= 3;
        }
        if (!own_paid_bill.empty()) last_paid_bill_ = std::move(own_paid_bill);
        if (anomaly != BillingAnomaly::none && !applied && c.billing_truth_row >= 0)
            plan_.truth[static_cast<std::size_t>(c.billing_truth_row)].withdrawn = true;
        if (c.truth_row >= 0 && billed_total > 0)
            plan_.truth[static_cast<std::size_t>(c.truth_row)].magnitude =
                static_cast<double>(correct_total) / static_cast<double>(billed_total);
        return {};
    }

    void write_payment(const PlannedCustomer& c, std::string_view bill_id, const PaymentPlan& payment, Money amount,
                       Money fee, std::string_view waiver) {
        CsvSink& out = sinks_.payments;
        out.text("P");
        char digits[10];
        std::uint64_t n = ++payment_number_;
        for (int i = 9; i >= 0; --i, n /= 10) digits[i] = static_cast<char>('0' + n % 10);
        out.text(std::string_view(digits, 10));
        out.comma();
        out.field(bill_id);
        out.field(c.id);
        out.date(payment.paid);
        out.comma();
        write_money(out, amount);
        out.comma();
        out.text(channel_codes[static_cast<std::size_t>(payment.channel)]);
        out.comma();
        write_money(out, fee);
        out.comma();
        out.text(waiver);
        out.end_row();
        const std::size_t slot = static_cast<std::size_t>(payment.paid - first_) * channel_codes.size() +
                                 static_cast<std::size_t>(payment.channel);
        if (slot >= collections_.size()) collections_.resize(slot + 1);
        collections_[slot].first += 1;
        collections_[slot].second += amount.units() + fee.units();
    }

    // collections.csv: one row per day and channel with payments; a few rows (the injected
    // account_collection_mismatch) disagree with the payments they should sum.
    Status write_collections() {
        GeneratorRng random(plan_.seed, RandomStream::collections);
        std::vector<std::size_t> rows;
        for (std::size_t slot = 0; slot < collections_.size(); ++slot)
            if (collections_[slot].first > 0) rows.push_back(slot);
        const int wanted = std::max(5, static_cast<int>(std::lround(0.001 * static_cast<double>(plan_.customers.size()))));
        std::vector<std::size_t> pick = rows;
        for (std::size_t i = pick.size(); i > 1; --i) std::swap(pick[i - 1], pick[random.below(i)]);
        if (pick.size() > static_cast<std::size_t>(wanted)) pick.resize(static_cast<std::size_t>(wanted));
        std::sort(pick.begin(), pick.end());
        CsvSink& out = sinks_.collections;
        for (const std::size_t slot : rows) {
            std::int64_t count = collections_[slot].first;
            std::int64_t amount = collections_[slot].second;
            const CivilDate day = first_ + static_cast<std::int32_t>(slot / channel_codes.size());
            const std::string_view channel = channel_codes[slot % channel_codes.size()];
            if (std::binary_search(pick.begin(), pick.end(), slot)) {
                const std::int64_t true_amount = amount;
                const std::int64_t true_count = count;
                if (random.chance(0.25)) {
                    count += count > 1 && random.chance(0.5) ? -1 : 1;
                } else {
                    // 0.5-5 % of the day's total (at least 1.00) more or less: a missing or doubled deposit.
                    std::int64_t delta = std::llround(static_cast<double>(amount) * random.uniform(0.005, 0.05) / 100.0) * 100;
                    delta = std::max<std::int64_t>(delta, Money::units_per_currency);
                    amount += random.chance(0.5) && amount - delta > 0 ? -delta : delta;
                }
                plan_.truth.push_back(TruthRow{
                    "collection", fmt::format("{}|{}", day.to_string(), channel), "account_collection_mismatch", day,
                    day, static_cast<double>(amount) / static_cast<double>(true_amount),
                    fmt::format("payments_recorded={} payments_true={} amount_recorded={} amount_true={}", count,
                                true_count, money_text(Money::from_units(amount)),
                                money_text(Money::from_units(true_amount)))});
            }
            out.date(day);
            out.comma();
            out.field(channel);
            out.integer(count);
            out.comma();
            out.fixed(amount / 100, 2);
            out.end_row();
        }
        return {};
    }

    // --- events ------------------------------------------------------------------------------------

    Instant local_instant(int day, int second) const {
        return Instant::from_unix_seconds(static_cast<std::int64_t>((first_ + day).days_since_epoch()) * 86400 +
                                          second - utc_offset_minutes * 60);
    }

    void customer_events(const PlannedCustomer& c, const std::vector<MeterTrack>& tracks,
                         std::vector<std::pair<int, MeterEvent>>& events) {
        GeneratorRng random(plan_.seed, RandomStream::events, (1ull << 40) + static_cast<std::uint64_t>(&c - plan_.customers.data()));
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
                        if (random.chance(0.35)) delay = static_cast<int>(random.between(0, 5));
                        else delay = outage_reported_anyway(plan_.seed, track.meter, outage.day, outage.second);
                        if (!delay) continue;
                        const int jitter = *delay;
                        events.push_back({track.meter, MeterEvent{local_instant(outage.day, outage.second + jitter),
                                                                  "power_off", "", outage.duration}});
                        events.push_back({track.meter, MeterEvent{local_instant(outage.day, outage.second + outage.duration + jitter),
                                                                  "power_on", "", -1}});
                    }
                }
            }
            // Theft leaves traces: cover opened the night before, then current loss or reversal.
            if (c.theft_start && in_service(*c.theft_start - first_)) {
                const int day = *c.theft_start - first_;
                if (random.chance(0.6)) {
                    const int before = std::max(start, day - static_cast<int>(random.between(0, 2)));
                    events.push_back({track.meter, MeterEvent{local_instant(before, static_cast<int>(random.between(20 * 3600, 23 * 3600))),
                                                              random.chance(0.5) ? "cover_open" : "terminal_cover_open",
                                                              "", static_cast<std::int64_t>(random.between(60, 1800))}});
                }
                const int stop = c.theft_end ? std::min(end, *c.theft_end - first_ - 1) : end;
                const double r = random.uniform();
                std::string_view code;
                if (meter.phases == 3 && r < 0.5) code = "current_loss";
                else if (meter.phases == 3 && r < 0.7) code = "reverse_current";
                else if (r < 0.85) code = "magnetic_field";
                if (!code.empty()) {
                    const std::string_view phase = code == "magnetic_field" ? "" : phases[random.below(3)];
                    int count = 0;
                    for (int d = day + static_cast<int>(random.between(0, 3)); d <= stop && count < 25;
                         d += static_cast<int>(random.between(3, 10)), ++count)
                        events.push_back({track.meter, MeterEvent{local_instant(d, static_cast<int>(random.between(0, 86000))),
                                                                  code, phase, random.between(3600, 12 * 3600)}});
                }
            }
            if (meter.stopped_from && random.chance(0.5)) {
                const int day = *meter.stopped_from - first_ + static_cast<int>(random.between(0, 3));
                if (in_service(day))
                    events.push_back({track.meter, MeterEvent{local_instant(day, static_cast<int>(random.between(0, 86000))),
                                                              "meter_stopped", "", -1}});
            }
            // Background: clock drift and the odd spurious terminal-cover alarm.
            for (int d = start; d <= end; d += 30) {
                if (random.chance(0.003))
                    events.push_back({track.meter, MeterEvent{local_instant(std::min(end, d + static_cast<int>(random.between(0, 29))),
                                                                            static_cast<int>(random.between(0, 86000))),
                                                              "clock_drift", "", -1}});
                if (random.chance(0.0003))
                    events.push_back({track.meter, MeterEvent{local_instant(std::min(end, d + static_cast<int>(random.between(0, 29))),
                                                                            static_cast<int>(random.between(0, 86000))),
                                                              "terminal_cover_open", "", random.between(30, 600)}});
            }
        }
    }

    void write_events(std::vector<std::pair<int, MeterEvent>>& events) {
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

    // --- gateways and intervals ----------------------------------------------------------------------

    void write_gateway(int index, const std::vector<double>& supply, const AreaState* area) {
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
            for (int h = 0; h < 24; ++h) hourly[static_cast<std::size_t>(h)] += share * profile[static_cast<std::size_t>(h)];
        }
        write_intervals(meter, n.gateway_meter, 0, days_ - 1, hourly);
        std::vector<std::pair<int, MeterEvent>> events;
        for (const Outage& outage : area->outages) {
            events.push_back({n.gateway_meter, MeterEvent{local_instant(outage.day, outage.second), "power_off", "",
                                                          outage.duration}});
            events.push_back({n.gateway_meter, MeterEvent{local_instant(outage.day, outage.second + outage.duration),
                                                          "power_on", "", -1}});
        }
        write_events(events);
    }

    // 15-minute profile of the last 31 days, summing exactly to each day's register advance;
    // a few intervals missing (empty kWh) or estimated (flagged, approximate value).
    // REQUIRES: registers_[d + 1] holds the register (hundredths) at the end of day d for d in
    // [start - 1, end] (registers_[start] is the value before the first day).
    void write_intervals(const PlannedMeter& meter, int meter_index, int start, int end,
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
            for (std::int64_t i = 0; allocated < units; ++i, ++allocated) ++energy[static_cast<std::size_t>(i % intervals_per_day)];
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

    UtilityPlan& plan_;
    SeriesSinks& sinks_;
    CivilDate first_;
    int days_ = 0;
    double years_ = 0;
    std::vector<std::array<char, 10>> date_text_;  // [d + 1]: day d, from the day before the first
    std::vector<unsigned> month_of_day_;
    std::vector<bool> month_end_;
    std::array<std::vector<double>, load_category_count> season_;
    std::array<std::vector<double>, load_category_count> calendar_;
    std::array<std::vector<double>, load_category_count> weather_;
    std::vector<CivilDate> month_ends_;
    std::array<std::string, intervals_per_day> interval_times_;
    std::vector<int> area_slot_;
    std::vector<AreaState> areas_;
    std::vector<double> direct_;       // true energy of the feeder's 10 kV customers
    std::vector<double> consumption_;  // scratch: one customer's true daily energy
    std::vector<double> export_;
    std::vector<std::int64_t> registers_;  // scratch: one meter's register at the end of each day
    std::uint64_t payment_number_ = 0;
    std::uint64_t waiver_number_ = 0;
    std::string last_paid_bill_;  // a bill of an earlier customer paid in full by its own payment (misallocations)
    std::vector<std::pair<std::int64_t, std::int64_t>> collections_;  // by day x channel: payments, 0.0001 currency
    Status status_;  // the first pricing error
};

}  // namespace

Status simulate_series(UtilityPlan& plan, SeriesSinks& sinks) {
    SeriesSimulator simulator(plan, sinks);
    return simulator.run();
}

}  // namespace gridaudit
