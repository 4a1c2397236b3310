// The master data of a synthetic utility and the anomalies injected into it, decided before any
// series is simulated: org units, staff, the network with its gateway meters, customers, meters,
// work orders and the truth table.
//
// Everything here is proportional to the number of customers (a few hundred bytes each); the
// daily series are simulated later, one customer at a time (series_simulation.hpp).
// Thread safety: plain data.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "generator/load_model.hpp"
#include "generator/synthetic_tariffs.hpp"
#include "generator/synthetic_utility.hpp"

namespace gridaudit {

enum class PlannedNodeKind : std::uint8_t { substation, bus, feeder, area };

// How a customer's meter is connected.
enum class MeterConnection : std::uint8_t { single_phase, three_phase_direct, low_voltage_ct, high_voltage_ct_pt };

struct PlannedUnit {
    std::string id;
    int parent = -1;
    std::string name;
    std::string_view kind;  // company, county, station, team
};

struct PlannedStaff {
    std::string id;
    std::string name;
    int unit = -1;
    std::string_view role;
};

// Where the balance-affecting anomalies of an area come from: theft areas hold thefts and stopped
// meters (their loss rises), record areas hold customers filed under the wrong area and wrong
// customer multipliers (their loss moves either way). Other areas are clean.
enum class AreaProblem : std::uint8_t { none, theft, records };

struct PlannedNode {
    std::string id;
    std::string name;
    PlannedNodeKind kind = PlannedNodeKind::area;
    int parent = -1;
    int unit = -1;
    int station = -1;            // station unit whose town the node is in
    double rated_kva = 0;        // 0: not given
    int gateway_meter = -1;
    double loss = 0;             // technical loss of this level, fraction of the energy entering it
    std::vector<int> children;   // child nodes
    std::vector<int> customers;  // customers recorded on the node (areas: low voltage; feeders: 10 kV)
    AreaProblem problem = AreaProblem::none;
    // Buses: an outgoing circuit without a meter (station service, a feeder missing from the records)
    // draws this share of the metered feeders' energy from `unmetered_from` on (bus_unbalance).
    double unmetered_share = 0;
    std::optional<CivilDate> unmetered_from;
};

struct PlannedMeter {
    std::string id;
    int customer = -1;  // exactly one of customer and node
    int node = -1;
    MeterConnection connection = MeterConnection::single_phase;
    std::string_view model;
    std::string_view accuracy_class;
    std::string_view ct_class;  // "" when none
    std::string_view pt_class;
    std::string_view rated_current;
    int phases = 1;
    int ct_primary = 0;  // 0: direct-connected ("1")
    int pt_primary = 0;  // 0: no PT ("1"); secondary is 100 V
    std::int64_t true_multiplier = 1;
    std::int64_t recorded_multiplier = 1;
    CivilDate installed_on;
    std::optional<CivilDate> last_tested_on;
    std::optional<CivilDate> removed_on;
    double initial_register = 0;  // register at the end of the day before the first AMI day
    std::optional<CivilDate> stopped_from;       // meter_stopped
    std::optional<CivilDate> estimated_read_on;  // estimated_read on this month end
    double estimate_factor = 1;                  // estimated advance / true advance
    std::optional<CivilDate> missed_read_on;     // missed_read on this month end
    std::optional<CivilDate> wrong_read_on;      // wrong_read: a manual read on this month end disagrees with AMI
    double wrong_read_factor = 1;                // read advance / true advance of that month
    std::optional<CivilDate> reversed_from;      // meter_reversed: consumption registers on export from this day
    bool rolls_over = false;                     // register_rollover: total written modulo 10^6 (6 integer digits)
    int truth_row = -1;                          // truth row whose magnitude the simulation fills

    [[nodiscard]] std::string ct_ratio_text() const;
    [[nodiscard]] std::string pt_ratio_text() const;
};

// A billing or account anomaly of one customer (at most one per customer), applied to its bills and
// payments by the series simulation.
enum class BillingAnomaly : std::uint8_t {
    none,
    recompute_mismatch,    // one component of one bill differs from the tariff's price
    energy_vs_reads,       // one bill's kWh below what the reads give, priced from the wrong kWh
    unlisted_charge,       // one bill carries other_charges no tariff defines
    zero_with_capacity,    // consecutive zero bills of an active non-residential customer
    paid_without_payment,  // one bill marked paid without any payment row
    payment_without_bill,  // one payment not allocated to its bill (no bill id, or another customer's)
    late_fee_missing,      // one payment after the due day without its late-payment charge (or a waiver), or with
                           // a charge below or above it (billing_variant)
};

struct PlannedCustomer {
    std::string id;
    std::string name;
    std::string address;  // supply address (master_anomaly_plan.cpp)
    std::string_view industry;
    LoadCategory category = LoadCategory::residential;  // recorded (customers.csv)
    LoadCategory usage = LoadCategory::residential;     // how it really consumes
    int unit = -1;                                      // station
    int node = -1;                                      // recorded node
    int physical_node = -1;                             // node supplying it from `physical_from` on
    CivilDate physical_from;                            // before it, `node` supplies it
    bool high_voltage = false;
    MeterConnection connection = MeterConnection::single_phase;
    double voltage_kv = 0.22;
    double contracted_kva = 0;
    TariffCode tariff = TariffCode::residential_tiered;          // billed with
    TariffCode correct_tariff = TariffCode::residential_tiered;  // should be billed with
    int pf_standard = 0;                                         // hundredths; 0: none
    std::string_view status = "active";
    CivilDate supply_start;
    std::optional<CivilDate> supply_end;
    std::optional<CivilDate> suspended_from;  // no consumption from this day ...
    std::optional<CivilDate> resumed_on;      // ... until this day (open when absent)
    double daily_kwh = 0;                     // mean daily consumption
    double season_sensitivity = 1;
    double power_factor = 0.95;
    double pv_kwp = 0;
    double peak_share = 0;  // time-of-use split of its daily energy
    double valley_share = 0;
    bool vacant = false;
    bool late_payer = false;
    int channel = 0;
    int reader = -1;          // staff index
    std::vector<int> meters;  // chronological; more than one after a meter change
    std::optional<CivilDate> theft_start;
    std::optional<CivilDate> theft_end;
    double theft_fraction = 0;
    // demand_above_contract (process_anomaly_plan.cpp): from this day its maximum demand reaches
    // contracted_kva x demand_over_factor (equipment added without a capacity increase).
    std::optional<CivilDate> demand_over_from;
    double demand_over_factor = 0;
    int truth_row = -1;  // wrong_tariff_category row whose magnitude the simulation fills
    bool anomalous = false;  // already carries an injected anomaly
    BillingAnomaly billing_anomaly = BillingAnomaly::none;
    int billing_month = 0;   // index into the billing month ends: the first bill affected (or the next one billed)
    int billing_months = 1;  // zero_with_capacity: consecutive zero bills
    int billing_variant = 0;  // recompute_mismatch: 0 energy, 1 PF adjustment, 2 surcharges;
                              // payment_without_bill: 0 no bill id, 1 another customer's bill id;
                              // late_fee_missing: 0 no charge, 1 under-charged (half), 2 over-charged (1.5x)
    double billing_factor = 1;          // recompute_mismatch: billed / priced component; energy_vs_reads: billed / read kWh
    std::int64_t other_charge = 0;      // unlisted_charge, in 0.0001 currency
    std::string_view other_charge_item;  // unlisted_charge
    int billing_truth_row = -1;         // truth row the simulation completes (start, magnitude, detail)
};

struct PlannedWorkOrder {
    std::string id;
    int customer = -1;
    std::string_view type;
    std::string_view segment;
    Instant accepted_at;
    std::optional<Instant> plan_at;
    std::optional<Instant> design_at;
    std::optional<Instant> checked_at;
    std::optional<Instant> connected_at;
    std::optional<Instant> closed_at;
    int staff = -1;
    std::string old_value;
    std::string new_value;
};

struct TruthRow {
    std::string_view subject_kind;  // customer, meter, node, work_order
    std::string subject_id;
    std::string_view anomaly;
    CivilDate start;
    std::optional<CivilDate> end;
    double magnitude = 1;
    std::string detail;
    bool withdrawn = false;  // a planned anomaly the simulation could not apply: not written
};

struct UtilityPlan {
    std::uint64_t seed = 1;
    CivilDate first_day;
    CivilDate last_day;
    int days = 0;
    CivilDate payments_cutoff;  // payments after this day are not in the export yet
    std::vector<PlannedUnit> units;
    std::vector<PlannedStaff> staff;
    std::vector<PlannedNode> nodes;  // depth-first: substation, bus, feeder, its areas, next feeder...
    std::vector<PlannedCustomer> customers;
    std::vector<PlannedMeter> meters;
    std::vector<PlannedWorkOrder> work_orders;
    std::vector<TruthRow> truth;
    std::vector<int> substations;
    std::vector<std::vector<int>> installers_of_unit;  // staff indexes by unit index (stations)
    std::array<bool, tariff_code_count> tariff_used{};
};

// Decides the whole utility. Invalid options are a user error.
[[nodiscard]] Result<UtilityPlan> plan_utility(const GeneratorOptions& options);

// The same month and day `years` later (29 February -> 28 February in a common year).
[[nodiscard]] CivilDate add_years(CivilDate date, int years);

// Rotation period of a meter in years (JJG 307-2006): single-phase 10, three-phase 6.
[[nodiscard]] int rotation_years(int phases);

// DL/T 448-2000 metering class (1 = I ... 5 = V) from phases, capacity and monthly energy.
[[nodiscard]] int planned_metering_class(int phases, double capacity_kva, double monthly_kwh);

}  // namespace gridaudit
