// The SeriesSimulator behind simulate_series (series_simulation.hpp), declared once for the files
// that hold its parts, along the seams of the simulation:
// - series_simulation.cpp: the run, the day tables, a feeder's areas and their losses;
// - series_customers.cpp: a customer's consumption, its meters' registers and billing reads;
// - series_bills.cpp: bills priced from the reads, payments, late fees, collections;
// - series_events.cpp: meter events (outages, traces of theft, background alarms);
// - series_gateways.cpp: the gateways' daily series and the interval (15-minute) rows.
// Internal to the generator; the names and helpers here live in gridaudit::simulation.
// Thread safety: one simulator per plan, used by one thread; not reentrant.
#pragma once

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <climits>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "generator/generator_random.hpp"
#include "generator/load_model.hpp"
#include "generator/loss_anomaly_plan.hpp"
#include "generator/series_simulation.hpp"
#include "generator/synthetic_tariffs.hpp"
#include "recovery/recovery.hpp"
#include "tariff/pricing_engine.hpp"

namespace gridaudit::simulation {
// A 6-digit register (999999.99) in hundredths: where a rolling-over register starts again at 0.
inline constexpr std::int64_t rollover_hundredths = 100'000'000;

inline constexpr int utc_offset_minutes = 480;
inline constexpr int interval_days = 31;
inline constexpr int intervals_per_day = 96;
inline constexpr std::array<std::string_view, 5> channel_codes{"counter", "bank", "online", "agent", "autopay"};

inline std::int64_t hundredths(double value) {
    return std::llround(value * 100.0);
}

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
    SeriesSimulator(UtilityPlan& plan, SeriesSinks& sinks);

    // `progress` hears the customers simulated, feeder by feeder, then "writing collections.csv".
    Status run(ProgressObserver& progress);

private:
    const PlannedNode& node(int index) const { return plan_.nodes[static_cast<std::size_t>(index)]; }
    std::size_t at(int day) const { return static_cast<std::size_t>(day); }

    void build_day_tables();

    // Daily energy entering a node: what leaves it, grossed up by its loss with daily noise.
    std::vector<double> with_loss(int index, const std::vector<double>& out, double noise) const;

    std::vector<double> simulate_feeder(int feeder);

    // --- customers ---------------------------------------------------------------------------------

    void simulate_customer(int index);

    // Simulates one meter of the customer: daily AMI rows, billing read points, 15-minute data.
    MeterTrack simulate_meter(const PlannedCustomer& c, int meter_index);

    // Injected estimated and missed reads, and their truth magnitudes.
    void apply_read_anomalies(std::vector<MeterTrack>& tracks);

    void write_read(const PlannedMeter& meter, const ReadPoint& p, std::string_view reg, std::int64_t value,
                    int decimals, const std::string& reader);

    void write_reads(const PlannedCustomer& c, const std::vector<MeterTrack>& tracks);

    // --- bills and payments -------------------------------------------------------------------------

    void write_money(CsvSink& out, Money amount) { out.fixed(amount.units() / 100, 2); }

    // Hundredths (of kWh, kvarh, kW) as the double a reader of the two-decimal text gets.
    static double from_hundredths(std::int64_t value) { return static_cast<double>(value) / 100.0; }

    // Prices one month exactly as an audit recomputes it from the bills.csv row: the registers as
    // written (two decimals), kvarh and demand when written, the days connected from supply dates.
    Result<MonthBill> price(const SyntheticTariff& tariff, const CustomerTerms& terms, const PlannedCustomer& c,
                            Period period, const BillEnergy& energy, std::optional<std::int64_t> demand,
                            BillingState& state) const;

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

    static BillCharges charges_of(const MonthBill& bill);

    static std::string money_text(Money amount);
    static std::string kwh_text(std::int64_t hundredths) { return money_text(Money::from_units(hundredths * 100)); }

    struct PaymentPlan {
        bool exists = false;
        CivilDate paid;
        int channel = 0;
    };

    // The customer's payment of one bill, as drawn from its payment stream (the draws do not depend
    // on anything injected, so the stream stays aligned with older outputs).
    PaymentPlan draw_payment(const PlannedCustomer& c, CivilDate issued, CivilDate due, GeneratorRng& random) const;

    Result<Money> late_fee(const PlannedCustomer& c, Money total, CivilDate due, CivilDate paid) const;

    void fail(Status status);

    void write_bills(int index, PlannedCustomer& c, const std::vector<MeterTrack>& tracks);

    Status try_write_bills(int index, PlannedCustomer& c, const std::vector<MeterTrack>& tracks);

    void write_payment(const PlannedCustomer& c, std::string_view bill_id, const PaymentPlan& payment, Money amount,
                       Money fee, std::string_view waiver);

    // collections.csv: one row per day and channel with payments; a few rows (the injected
    // account_collection_mismatch) disagree with the payments they should sum.
    Status write_collections();

    // --- events ------------------------------------------------------------------------------------

    Instant local_instant(int day, int second) const;

    void customer_events(const PlannedCustomer& c, const std::vector<MeterTrack>& tracks,
                         std::vector<std::pair<int, MeterEvent>>& events);

    void write_events(std::vector<std::pair<int, MeterEvent>>& events);

    // --- gateways and intervals ----------------------------------------------------------------------

    void write_gateway(int index, const std::vector<double>& supply, const AreaState* area);

    // 15-minute profile of the last 31 days, summing exactly to each day's register advance;
    // a few intervals missing (empty kWh) or estimated (flagged, approximate value).
    // REQUIRES: registers_[d + 1] holds the register (hundredths) at the end of day d for d in
    // [start - 1, end] (registers_[start] is the value before the first day).
    void write_intervals(const PlannedMeter& meter, int meter_index, int start, int end,
                         const std::array<double, 24>& hourly);

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
    Status status_;                                                   // the first pricing error
};

}  // namespace gridaudit::simulation
