// Writing the interval theft scenario as an export folder plus theft_truth.csv.
#include "generator/theft_scenario_files.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "generator/csv_sink.hpp"

namespace gridaudit {

namespace fs = std::filesystem;

namespace {

constexpr std::array<const char*, 7> scenario_files = {"network.csv",      "customers.csv",    "meters.csv",
                                                       "ami_daily.csv",    "ami_interval.csv", "meter_events.csv",
                                                       "theft_truth.csv"};

Status prepare_folder(const fs::path& folder) {
    std::error_code error;
    if (folder.empty()) return user_error("no output folder given");
    if (fs::exists(folder, error)) {
        if (!fs::is_directory(folder, error))
            return user_error(fmt::format("{}: exists and is not a folder", folder.string()));
        const bool empty = fs::is_empty(folder, error);
        if (error)
            return external_error(fmt::format("{}: cannot read the folder: {}", folder.string(), error.message()));
        if (empty) return {};
        if (!fs::exists(folder / "theft_truth.csv", error))
            return user_error(
                fmt::format("{}: the folder is not empty and is not an earlier theft scenario (it has no "
                            "theft_truth.csv); choose a new or empty folder",
                            folder.string()));
        for (const char* file : scenario_files) fs::remove(folder / file, error);
        return {};
    }
    fs::create_directories(folder, error);
    if (error) return external_error(fmt::format("{}: cannot create the folder: {}", folder.string(), error.message()));
    return {};
}

std::string meter_id(std::size_t area, std::size_t customer) {
    return "M" + theft_scenario_customer_id(area, customer).substr(1);
}
std::string gateway_id(std::size_t area) {
    return fmt::format("G{:04}", area + 1);
}

// "YYYY-MM-DDThh:mm:00+08:00" for the 15-minute interval `quarter` of `date`, local time.
void quarter_start(CivilDate date, int quarter, char* out) {
    format_iso_date(date, out);
    const int minutes = quarter * 15;
    out[10] = 'T';
    out[11] = static_cast<char>('0' + minutes / 600);
    out[12] = static_cast<char>('0' + minutes / 60 % 10);
    out[13] = ':';
    out[14] = static_cast<char>('0' + minutes % 60 / 10);
    out[15] = static_cast<char>('0' + minutes % 10);
    std::copy_n(":00+08:00", 9, out + 16);
}

Status close_into(CsvSink& sink, std::string_view file, TheftScenarioFilesSummary& summary) {
    const std::uint64_t rows = sink.rows();
    const std::uint64_t bytes = sink.bytes();
    GA_TRY(sink.close());
    summary.files.push_back({std::string(file), rows, bytes});
    return {};
}

// One meter's midnight registers from 0: the running sum of its days, 3 decimals.
void write_registers(CsvSink& out, const std::string& meter, CivilDate first_day, std::span<const double> daily) {
    double total = 0;
    for (std::size_t d = 0; d < daily.size(); ++d) {
        total += daily[d];
        out.field(meter);
        out.date(first_day + static_cast<std::int32_t>(d));
        out.comma();
        out.decimal(total, 3);
        out.end_row();
    }
}

// One meter's half-hours, each as two 15-minute halves with 4 decimals.
void write_intervals(CsvSink& out, const std::string& meter, CivilDate first_day, int days,
                     std::span<const double> half_hours) {
    char start[25];
    for (int d = 0; d < days; ++d) {
        for (int q = 0; q < 2 * theft_intervals_per_day; ++q) {
            quarter_start(first_day + d, q, start);
            out.field(meter);
            out.field(std::string_view(start, 25));
            out.text("15,");
            out.decimal(
                half_hours[static_cast<std::size_t>(d) * theft_intervals_per_day + static_cast<std::size_t>(q / 2)] / 2,
                4);
            out.end_row();
        }
    }
}

}  // namespace

std::string theft_scenario_customer_id(std::size_t area, std::size_t customer) {
    return fmt::format("C{:04}{:04}", area + 1, customer + 1);
}

std::string theft_scenario_area_id(std::size_t area) {
    return fmt::format("A{:04}", area + 1);
}

Result<TheftScenarioFilesSummary> write_theft_scenario_files(const TheftScenario& scenario, const fs::path& folder) {
    GA_TRY(prepare_folder(folder));
    TheftScenarioFilesSummary summary;
    summary.areas = scenario.areas.size();
    const auto days = static_cast<std::size_t>(scenario.days);
    const CivilDate first_day = scenario.first_day;
    const CivilDate supply_start = first_day - 365;

    // theft_truth.csv first: it marks the folder as a scenario, so an interrupted run can be redone.
    CsvSink truth;
    GA_TRY(truth.open(folder / "theft_truth.csv", "customer_id,attack,attacked_days,stolen_kwh"));
    for (std::size_t a = 0; a < scenario.areas.size(); ++a) {
        const TheftArea& area = scenario.areas[a];
        for (std::size_t c = 0; c < static_cast<std::size_t>(area.customers); ++c) {
            const TheftTruth& t = area.truth[c];
            if (!t.tampered) continue;
            ++summary.tampered;
            truth.field(theft_scenario_customer_id(a, c));
            truth.field(theft_attack_name(t.attack));
            truth.integer(static_cast<std::int64_t>(t.days.size()));
            truth.comma();
            truth.decimal(t.unmetered_kwh, 3);
            truth.end_row();
        }
    }
    GA_TRY(close_into(truth, "theft_truth.csv", summary));

    CsvSink network;
    GA_TRY(network.open(folder / "network.csv", "node_id,parent_id,kind,name,rated_kva,gateway_meter_id"));
    network.text("S01,,substation,Theft scenario substation,,\n");
    network.text("B01,S01,bus,Theft scenario 10 kV bus,,\n");
    network.text("F01,B01,feeder,Theft scenario feeder,,\n");
    for (std::size_t a = 0; a < scenario.areas.size(); ++a) {
        network.field(theft_scenario_area_id(a));
        network.field("F01");
        network.field("area");
        network.field(fmt::format("Scenario area {}", a + 1));
        network.field("400");
        network.text(gateway_id(a));
        network.end_row();
    }
    GA_TRY(close_into(network, "network.csv", summary));

    CsvSink customers;
    GA_TRY(customers.open(folder / "customers.csv",
                          "customer_id,name,node_id,category,voltage_kv,contracted_kva,tariff_id,status,supply_start"));
    CsvSink meters;
    GA_TRY(meters.open(folder / "meters.csv",
                       "meter_id,customer_id,node_id,model,accuracy_class,phases,"
                       "rated_current,ct_ratio,pt_ratio,multiplier,installed_on"));
    for (std::size_t a = 0; a < scenario.areas.size(); ++a) {
        const TheftArea& area = scenario.areas[a];
        meters.field(gateway_id(a));
        meters.comma();
        meters.field(theft_scenario_area_id(a));
        meters.text("DTSD341,0.5S,3,1.5,1,1,1,");
        meters.date(first_day);
        meters.end_row();
        for (std::size_t c = 0; c < static_cast<std::size_t>(area.customers); ++c) {
            const bool business = area.business[c] != 0;
            customers.field(theft_scenario_customer_id(a, c));
            customers.field(fmt::format("Customer {}-{}", a + 1, c + 1));
            customers.field(theft_scenario_area_id(a));
            customers.text(business ? "commercial,0.38,30,COM-TOU-LV,active," : "residential,0.22,8,RES-TIER,active,");
            customers.date(supply_start);
            customers.end_row();
            meters.field(meter_id(a, c));
            meters.field(theft_scenario_customer_id(a, c));
            meters.comma();
            meters.text(business ? "DTZY71,1.0,3,10,1,1,1," : "DDZY71,2.0,1,5,1,1,1,");
            meters.date(first_day);
            meters.end_row();
            ++summary.customers;
            if (area.has_intervals[c] != 0) ++summary.interval_customers;
        }
    }
    GA_TRY(close_into(customers, "customers.csv", summary));
    GA_TRY(close_into(meters, "meters.csv", summary));

    CsvSink daily;
    GA_TRY(daily.open(folder / "ami_daily.csv", "meter_id,day,import_register"));
    CsvSink intervals;
    GA_TRY(intervals.open(folder / "ami_interval.csv", "meter_id,start,minutes,kwh"));
    std::vector<double> supply(days);
    for (std::size_t a = 0; a < scenario.areas.size(); ++a) {
        const TheftArea& area = scenario.areas[a];
        for (std::size_t d = 0; d < days; ++d) {
            supply[d] = 0;
            for (std::size_t i = 0; i < theft_intervals_per_day; ++i)
                supply[d] += area.area_intervals[d * theft_intervals_per_day + i];
        }
        write_registers(daily, gateway_id(a), first_day, supply);
        write_intervals(intervals, gateway_id(a), first_day, scenario.days, area.area_intervals);
        for (std::size_t c = 0; c < static_cast<std::size_t>(area.customers); ++c) {
            write_registers(daily, meter_id(a, c), first_day,
                            std::span<const double>(area.customer_daily).subspan(c * days, days));
            if (area.has_intervals[c] != 0)
                write_intervals(intervals, meter_id(a, c), first_day, scenario.days, area.customer_intervals[c]);
        }
    }
    GA_TRY(close_into(daily, "ami_daily.csv", summary));
    GA_TRY(close_into(intervals, "ami_interval.csv", summary));

    // Meter events at local time (+08:00), as the utility's export gives them.
    CsvSink events;
    GA_TRY(events.open(folder / "meter_events.csv", "meter_id,at,code,phase,duration_s"));
    for (std::size_t a = 0; a < scenario.areas.size(); ++a) {
        for (const TheftEvent& e : scenario.areas[a].events) {
            const std::int64_t local = static_cast<std::int64_t>((first_day + e.day).days_since_epoch()) * 86400 + e.second;
            events.field(meter_id(a, static_cast<std::size_t>(e.customer)));
            events.field(Instant::from_unix_seconds(local - 8 * 3600).to_string(480));
            events.field(e.code);
            events.field(e.code == "current_loss" || e.code == "reverse_current" ? "A" : "");
            if (e.duration_s >= 0) events.integer(e.duration_s);
            events.end_row();
        }
    }
    GA_TRY(close_into(events, "meter_events.csv", summary));
    return summary;
}

std::string theft_scenario_sgcc_csv(const TheftScenario& scenario, std::uint64_t seed, double blank_share) {
    // Its own stream, numbered past any area's, so the scenario's draws are untouched.
    GeneratorRng rng(seed, RandomStream::theft_scenario, std::uint64_t{1} << 32);
    std::vector<std::int32_t> order(static_cast<std::size_t>(scenario.days));
    for (std::size_t d = 0; d < order.size(); ++d) order[d] = static_cast<std::int32_t>(d);
    for (std::size_t d = order.size(); d > 1; --d) std::swap(order[d - 1], order[rng.below(d)]);
    std::string out = "CONS_NO,FLAG";
    for (const std::int32_t d : order) {
        const CivilDate date = scenario.first_day + d;
        out += fmt::format(",{}/{}/{}", date.year(), date.month(), date.day());
    }
    out += '\n';
    const auto days = static_cast<std::size_t>(scenario.days);
    for (std::size_t a = 0; a < scenario.areas.size(); ++a) {
        const TheftArea& area = scenario.areas[a];
        for (std::size_t c = 0; c < static_cast<std::size_t>(area.customers); ++c) {
            out += fmt::format("{},{}", theft_scenario_customer_id(a, c), area.truth[c].tampered ? 1 : 0);
            for (const std::int32_t d : order) {
                out += ',';
                if (rng.chance(blank_share)) continue;
                out += fmt::format("{:.3f}", area.customer_daily[c * days + static_cast<std::size_t>(d)]);
            }
            out += '\n';
        }
    }
    return out;
}

}  // namespace gridaudit
