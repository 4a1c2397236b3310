// The interval theft scenario: transformer areas of 30-300 customers with half-hour data for the
// area meter and a share of the customers, and electricity theft applied to some customers on a
// random subset of days in the ways the literature defines it (Jokar, Arianpoo and Leung,
// "Electricity theft detection in AMI using customers' consumption patterns", IEEE Trans. Smart
// Grid 7(1), 2016: attacks h1-h6), plus a ceiling, a constant subtracted and a night-only bypass.
// Built in memory, deterministic for a seed; the suspect ranking is evaluated on it
// (docs/generator.md, "The interval theft scenario"). Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "core/time.hpp"
#include "generator/generator_random.hpp"

namespace gridaudit {

enum class TheftAttack : std::uint8_t {
    constant_factor,  // h1: x a constant factor alpha in 0.1-0.8
    random_factor,    // h2: x a random factor in 0.1-0.8 drawn per interval
    on_off_window,    // h3: zero in a random window of each attacked day, true otherwise
    share_of_mean,    // h4: a random share (0.1-0.8, per interval) of the day's mean
    flattened,        // h5: the day's mean in every interval (energy kept, shape lost)
    reversed,         // h6: the day's intervals in reverse order (energy kept, shape mirrored)
    capped,           // min(x, ceiling), the ceiling 20-60 % of the customer's largest interval
    minus_constant,   // max(0, x - c), c 20-80 % of the customer's mean interval
    night_bypass,     // x a factor 0.1-0.6 between 23:00 and 07:00 only
};
inline constexpr int theft_attack_count = 9;

// "h1-constant-factor", ... as written in truth rows and evaluations.
[[nodiscard]] std::string_view theft_attack_name(TheftAttack attack);

// Whether the attack keeps the day's energy (h5, h6): it can only be seen within the day, so the
// scenario gives it only to customers with interval meters.
[[nodiscard]] bool theft_attack_keeps_energy(TheftAttack attack);

// One attack's parameters for one customer (drawn once; per-interval draws use the generator).
struct TheftAttackParams {
    TheftAttack attack = TheftAttack::constant_factor;
    double magnitude = 0;  // alpha (h1), the ceiling or constant in kWh per interval, the night factor
};

// Applies `params` to one day of interval energy in place (intervals_per_day values, local time
// from 00:00). `rng` supplies h2/h3/h4's draws.
void apply_theft_attack(const TheftAttackParams& params, std::span<double> day, GeneratorRng& rng);

struct TheftScenarioOptions {
    std::uint64_t seed = 1;
    int areas = 10;
    int days = 30;
    CivilDate first_day = CivilDate::from_ymd(2026, 9, 20);  // a window holding National Day week
    double interval_share = 0.5;                             // share of customers whose meters record half-hours
    int min_tampered = 1;                                    // tampered customers per area, uniform in [min, max]
    int max_tampered = 5;
    // Area sizes uniform in [min_customers, max_customers]; 0 and 0: the utility's mix (35 % 30-80,
    // 45 % 80-180, 20 % 180-300).
    int min_customers = 0;
    int max_customers = 0;
    double min_day_share = 0.3;   // each tampered customer attacks on a share of the days drawn
    double max_day_share = 0.8;   // uniformly in [min_day_share, max_day_share]
    double business_share = 0.15; // share of small businesses (20-300 kWh/day) among the customers
    // Share of the tampered customers whose tampering is physical (a cover opened, a magnet, a
    // current-loss bypass) and leaves meter events: a cover opening before the first attacked day
    // (60 %) and an alarm on each attacked day with probability 0.5. Every customer also logs the
    // odd spurious alarm (a terminal cover, a clock change, a voltage dip, an imbalance). Drawn from
    // a stream of their own, so the series do not depend on it.
    double physical_share = 0.3;
    // Every tampered customer uses this attack (drawn as without it, then replaced; h5 and h6 give
    // the customer an interval meter); none: drawn per customer.
    std::optional<TheftAttack> attack;
};

// The attack named as theft_attack_name writes it, nullopt for another text.
[[nodiscard]] std::optional<TheftAttack> theft_attack_from_name(std::string_view name);

struct TheftTruth {
    bool tampered = false;
    TheftAttack attack = TheftAttack::constant_factor;
    double magnitude = 0;
    std::vector<std::int32_t> days;  // attacked day indexes
    double unmetered_kwh = 0;        // true minus metered over the window
    bool left_events = false;        // physical tampering: its meter logged what was done
};

// One meter event of a customer of the scenario (meter_events.csv's codes).
struct TheftEvent {
    int customer = 0;
    int day = 0;     // day index in the window
    int second = 0;  // local time of day
    std::string_view code;
    std::int64_t duration_s = -1;  // -1: instantaneous
};

inline constexpr int theft_intervals_per_day = 48;

// One area: the area meter and every customer as measured (after tampering), half-hour values
// row-major (days x 48); customers without interval meters have their daily sums only.
struct TheftArea {
    int customers = 0;
    std::vector<double> area_intervals;                   // days x 48
    std::vector<double> customer_daily;                   // customers x days, metered
    std::vector<std::uint8_t> has_intervals;              // per customer
    std::vector<std::vector<double>> customer_intervals;  // per customer: days x 48, empty without intervals
    std::vector<std::uint8_t> business;                   // per customer: small business (20-300 kWh/day)
    std::vector<TheftTruth> truth;                        // per customer
    std::vector<TheftEvent> events;                       // by customer, then day
};

struct TheftScenario {
    CivilDate first_day;
    int days = 0;
    std::vector<TheftArea> areas;
};

// REQUIRES: areas >= 1, 7 <= days <= 400, 0 <= interval_share <= 1, 0 <= min_tampered <= max_tampered <= 30,
// min_customers and max_customers both 0 or 1 <= min_customers <= max_customers, 0 <= min_day_share <=
// max_day_share <= 1, 0 <= business_share <= 1, 0 <= physical_share <= 1.
[[nodiscard]] TheftScenario generate_theft_scenario(const TheftScenarioOptions& options);

}  // namespace gridaudit
