// Metering-device anomalies of the synthetic utility (meter_anomaly_plan.hpp).
#include "generator/meter_anomaly_plan.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <set>

#include "generator/generator_random.hpp"
#include "generator/planner.hpp"

namespace gridaudit {
namespace {

constexpr std::array<int, 26> ct_primaries{5,   10,  15,  20,  30,  40,   50,   75,   100,  150,  200,  250,  300,
                                           400, 500, 600, 750, 800, 1000, 1200, 1500, 2000, 2500, 3000, 4000, 5000};

double line_current(double kva, double kv) {
    return kva / (std::sqrt(3.0) * kv);
}

int smallest_ct_at_least(double amperes) {
    for (int p : ct_primaries)
        if (p >= amperes) return p;
    return ct_primaries.back();
}

int largest_ct_at_most(double amperes) {
    int best = 0;
    for (int p : ct_primaries)
        if (p <= amperes) best = p;
    return best;
}

// The same day `months` later (or the month's last day when it is shorter).
CivilDate months_after(CivilDate date, int months) {
    const CivilDate last = (Period::of(date) + months).last_day();
    return CivilDate::from_ymd(last.year(), last.month(), std::min(date.day(), last.day()));
}

// DL/T 448 class of a three-phase point from its capacity alone (energy can only make it stricter).
int class_by_capacity(double kva) {
    return kva >= 10'000 ? 1 : kva >= 2'000 ? 2 : kva >= 315 ? 3 : 4;
}

int interval_months(int metering_class) {
    return metering_class == 1 ? 3 : metering_class == 2 ? 6 : 12;
}

template <class T>
void shuffle(std::vector<T>& items, GeneratorRng& random) {
    for (std::size_t i = items.size(); i > 1; --i) std::swap(items[i - 1], items[random.below(i)]);
}

class MeterAnomalyPlanner {
public:
    MeterAnomalyPlanner(UtilityPlan& plan, int customers)
        : plan_(plan), customers_(customers), random_(plan.seed, RandomStream::meter_anomalies) {
        for (const TruthRow& row : plan.truth) with_truth_.insert(row.subject_id);
    }

    void run() {
        inject_test_overdue();
        inject_prohibited_models();
        inject_class_by_load();
        inject_ct_sizing();
        inject_multiplier_changes();
        inject_ended_supplies();
        give_first_tests();
    }

private:
    int target(double share, int minimum) const {
        return std::max(minimum, static_cast<int>(std::lround(share * customers_)));
    }

    PlannedMeter& meter(int index) { return plan_.meters[static_cast<std::size_t>(index)]; }

    // Active the whole window on one meter installed before it, and free of every other anomaly.
    bool clean(const PlannedCustomer& c) const {
        if (c.anomalous || c.status != "active" || c.suspended_from || c.supply_start >= plan_.first_day ||
            c.meters.size() != 1 || c.vacant || c.category == LoadCategory::temporary ||
            c.billing_anomaly != BillingAnomaly::none || with_truth_.contains(c.id))
            return false;
        const PlannedMeter& m = plan_.meters[static_cast<std::size_t>(c.meters.front())];
        return m.installed_on < plan_.first_day && !with_truth_.contains(m.id);
    }

    std::vector<int> pool(const std::function<bool(const PlannedCustomer&)>& predicate) {
        std::vector<int> result;
        for (std::size_t i = 0; i < plan_.customers.size(); ++i)
            if (clean(plan_.customers[i]) && predicate(plan_.customers[i])) result.push_back(static_cast<int>(i));
        shuffle(result, random_);
        return result;
    }

    void add_truth(std::string_view kind, const std::string& subject, std::string_view anomaly, CivilDate start,
                   double magnitude, std::string detail) {
        plan_.truth.push_back(TruthRow{kind, subject, anomaly, start, std::nullopt, magnitude, std::move(detail)});
        with_truth_.insert(subject);
    }

    // Re-rates the customer meter's CT (and drops its PT when `drop_pt`): the multiplier follows, and the
    // register before the window is rescaled so the same energy has passed through it.
    static void rerate(PlannedMeter& m, int ct_primary, bool drop_pt) {
        const double before = static_cast<double>(m.true_multiplier);
        m.ct_primary = ct_primary;
        if (drop_pt) {
            m.pt_primary = 0;
            m.pt_class = "";
        }
        m.true_multiplier = m.recorded_multiplier =
            (m.ct_primary > 0 ? m.ct_primary / 5 : 1) * (m.pt_primary > 0 ? m.pt_primary / 100 : 1);
        m.initial_register = m.initial_register * before / static_cast<double>(m.true_multiplier);
    }

    void inject_test_overdue() {
        struct Candidate {
            int meter;
            int metering_class;
            std::string owner;
        };
        std::vector<Candidate> candidates;
        for (std::size_t i = 0; i < plan_.customers.size(); ++i) {
            const PlannedCustomer& c = plan_.customers[i];
            if (!clean(c) || c.connection != MeterConnection::high_voltage_ct_pt || c.contracted_kva < 315) continue;
            candidates.push_back({c.meters.front(), class_by_capacity(c.contracted_kva), "customer=" + c.id});
        }
        for (const PlannedNode& node : plan_.nodes)
            if (node.kind == PlannedNodeKind::area && node.gateway_meter >= 0 && node.problem == AreaProblem::none &&
                node.rated_kva >= 315 && !with_truth_.contains(node.id) &&
                !with_truth_.contains(meter(node.gateway_meter).id))
                candidates.push_back({node.gateway_meter, 3, "node=" + node.id});
        shuffle(candidates, random_);
        const int total = target(0.002, 5);
        int done = 0;
        for (const Candidate& candidate : candidates) {
            if (done >= total) break;
            PlannedMeter& m = meter(candidate.meter);
            const int months = interval_months(candidate.metering_class);
            const CivilDate tested =
                months_after(plan_.last_day, -months) - static_cast<std::int32_t>(random_.between(15, 200));
            if (tested <= m.installed_on + 30) continue;
            m.last_tested_on = tested;
            const CivilDate due = months_after(tested, months);
            add_truth("meter", m.id, "meter_test_overdue", due + 1, plan_.last_day - due,
                      fmt::format("{} metering_class={} last_tested_on={} interval_months={}", candidate.owner,
                                  candidate.metering_class, tested.to_string(), months));
            ++done;
        }
    }

    void inject_prohibited_models() {
        const int total = target(0.002, 5);
        int done = 0;
        for (int index : pool([](const PlannedCustomer& c) {
                 return c.connection == MeterConnection::single_phase ||
                        c.connection == MeterConnection::three_phase_direct;
             })) {
            if (done++ >= total) break;
            PlannedCustomer& c = plan_.customers[static_cast<std::size_t>(index)];
            c.anomalous = true;
            PlannedMeter& m = meter(c.meters.front());
            m.model = m.phases == 1 ? "DD862-4" : "DT862-4";
            add_truth("meter", m.id, "prohibited_model", m.installed_on, 1.0,
                      fmt::format("customer={} model={} phases={}", c.id, m.model, m.phases));
        }
    }

    void inject_class_by_load() {
        const int total = target(0.001, 5);
        std::vector<int> high = pool([](const PlannedCustomer& c) {
            return c.connection == MeterConnection::high_voltage_ct_pt && c.contracted_kva >= 315 &&
                   c.contracted_kva <= 2000;
        });
        std::vector<int> direct = pool([](const PlannedCustomer& c) {
            return c.connection == MeterConnection::three_phase_direct && c.contracted_kva > 10;
        });
        std::size_t next_high = 0, next_direct = 0;
        for (int i = 0; i < total && (next_high < high.size() || next_direct < direct.size()); ++i) {
            const bool use_high = next_direct >= direct.size() || (next_high < high.size() && random_.chance(0.5));
            PlannedCustomer& c =
                plan_.customers[static_cast<std::size_t>(use_high ? high[next_high++] : direct[next_direct++])];
            c.anomalous = true;
            PlannedMeter& m = meter(c.meters.front());
            std::string problem;
            if (use_high) {
                rerate(m, smallest_ct_at_least(1.25 * line_current(c.contracted_kva, 0.4)), true);
                problem = fmt::format("low_voltage_side ct={}", m.ct_ratio_text());
            } else {
                m.phases = 1;
                m.model = "DDZY71";
                m.accuracy_class = "2.0";
                problem = "single_phase_meter";
            }
            add_truth(
                "meter", m.id, "metering_class_by_load", m.installed_on, 1.0,
                fmt::format("customer={} kva={} voltage_kv={} {}", c.id, c.contracted_kva, c.voltage_kv, problem));
        }
    }

    void inject_ct_sizing() {
        const int total = target(0.002, 5);
        int done = 0;
        for (int index :
             pool([](const PlannedCustomer& c) { return c.connection == MeterConnection::low_voltage_ct; })) {
            if (done >= total) break;
            PlannedCustomer& c = plan_.customers[static_cast<std::size_t>(index)];
            PlannedMeter& m = meter(c.meters.front());
            const double full_load = line_current(c.contracted_kva, 0.38);
            const bool oversized = random_.chance(0.5);
            const int primary = oversized ? smallest_ct_at_least(4 * full_load) : largest_ct_at_most(0.7 * full_load);
            if (primary < 5 || (oversized && primary < 4 * full_load)) continue;
            ++done;
            c.anomalous = true;
            rerate(m, primary, false);
            add_truth("meter", m.id, "ct_sizing", m.installed_on, full_load / primary,
                      fmt::format("customer={} kva={} ct={} full_load_a={:.0f} {}", c.id, c.contracted_kva,
                                  m.ct_ratio_text(), full_load, oversized ? "oversized" : "undersized"));
        }
    }

    void inject_multiplier_changes() {
        const int total = target(0.001, 5);
        if (plan_.days < 150) return;
        int done = 0;
        int number = 0;
        for (int index :
             pool([](const PlannedCustomer& c) { return c.connection == MeterConnection::low_voltage_ct; })) {
            if (done >= total) break;
            PlannedCustomer& c = plan_.customers[static_cast<std::size_t>(index)];
            const int old_index = c.meters.front();
            CivilDate day = plan_.first_day + static_cast<std::int32_t>(random_.between(60, plan_.days - 60));
            if ((day + 1).day() == 1) day = day - 1;  // never on a month end (see off_month_end)
            PlannedMeter next = meter(old_index);
            const auto position = static_cast<int>(
                std::find(ct_primaries.begin(), ct_primaries.end(), next.ct_primary) - ct_primaries.begin());
            if (position <= 8 || position + 1 >= static_cast<int>(ct_primaries.size())) continue;  // keep >= 100 A
            const int step = random_.chance(0.5) ? 1 : -1;
            ++done;
            c.anomalous = true;
            meter(old_index).removed_on = day;
            next.id = fmt::format("M8{:07}", ++number);
            next.ct_primary = ct_primaries[static_cast<std::size_t>(position + step)];
            next.true_multiplier = next.recorded_multiplier = next.ct_primary / 5;
            next.installed_on = day;
            next.removed_on.reset();
            next.last_tested_on = std::min(plan_.last_day, day + static_cast<std::int32_t>(random_.between(3, 20)));
            next.initial_register = 0;
            next.truth_row = -1;
            const std::string old_id = meter(old_index).id;
            const auto old_multiplier = meter(old_index).recorded_multiplier;
            plan_.meters.push_back(std::move(next));
            c.meters.push_back(static_cast<int>(plan_.meters.size()) - 1);
            const PlannedMeter& added = plan_.meters.back();
            add_truth("meter", added.id, "multiplier_changed_unordered", day,
                      static_cast<double>(added.recorded_multiplier) / static_cast<double>(old_multiplier),
                      fmt::format("customer={} previous_meter={} previous_multiplier={} multiplier={} ct={}", c.id,
                                  old_id, old_multiplier, added.recorded_multiplier, added.ct_ratio_text()));
        }
    }

    // A customer whose supply ended 45-120 days before the last day (its supply_end recorded) while the
    // account was never closed and the meter never removed: it goes on consuming and being billed.
    // (A closed account keeps no meter in service in the generated data, so the anomaly is an active
    // account past its end rather than a closed one with a meter left behind.)
    void inject_ended_supplies() {
        const int total = target(0.0005, 5);
        int done = 0;
        for (int index : pool([](const PlannedCustomer& c) {
                 return (c.category == LoadCategory::residential || c.category == LoadCategory::commercial) &&
                        !c.supply_end;
             })) {
            if (done++ >= total || plan_.days < 150) break;
            PlannedCustomer& c = plan_.customers[static_cast<std::size_t>(index)];
            c.anomalous = true;
            c.supply_end = plan_.last_day - static_cast<std::int32_t>(random_.between(45, 120));
            const PlannedMeter& m = meter(c.meters.front());
            add_truth("meter", m.id, "meter_after_supply_end", *c.supply_end + 1, 1.0,
                      fmt::format("customer={} supply_end={} account_active meter_in_service", c.id,
                                  c.supply_end->to_string()));
        }
    }

    // A CT-connected meter installed in the last year was tested on site within a month of
    // commissioning (DL/T 448), where the plan recorded only its verification before installation
    // (last_tested_on on the installation day, as the plan does for class IV points and for recent
    // class I-III ones). Only METER-TEST-OVERDUE reads last_tested_on.
    void give_first_tests() {
        for (PlannedMeter& m : plan_.meters) {
            if (m.removed_on || m.ct_primary == 0 || m.installed_on < plan_.last_day - 366 ||
                m.installed_on > plan_.last_day - 30 || (m.last_tested_on && *m.last_tested_on != m.installed_on))
                continue;  // meters with other anomalies too: nothing else reads last_tested_on
            m.last_tested_on = m.installed_on + static_cast<std::int32_t>(random_.between(3, 25));
        }
    }

    UtilityPlan& plan_;
    int customers_;
    GeneratorRng random_;
    std::set<std::string> with_truth_;
};

}  // namespace

void plan_meter_anomalies(UtilityPlan& plan, int customers) {
    MeterAnomalyPlanner(plan, customers).run();
}

}  // namespace gridaudit

// The Planner's metering-device injections (planner.hpp): meters past their rotation, accuracy
// classes too low for the load.
namespace gridaudit::planning {

void Planner::inject_past_rotation(GeneratorRng& random) {
    std::vector<int> pool = all_customers_where([&](const PlannedCustomer& c) { return steady(c); });
    shuffle(pool, random);
    const int total = target_count(0.01, 5);
    for (int i = 0; i < total && i < static_cast<int>(pool.size()); ++i) {
        PlannedCustomer& c = plan_.customers[static_cast<std::size_t>(pool[static_cast<std::size_t>(i)])];
        c.anomalous = true;
        PlannedMeter& meter = meter_of(c);
        const int limit = rotation_years(meter.phases);
        meter.installed_on = add_years(last_, -limit) - uniform_days(random, 60, 1100);
        c.supply_start = std::min(c.supply_start, meter.installed_on - uniform_days(random, 0, 400));
        if (meter.last_tested_on && *meter.last_tested_on < meter.installed_on)
            meter.last_tested_on = meter.installed_on;
        if (customer_metering_class(c, meter) >= 4) meter.last_tested_on = meter.installed_on;
        meter.initial_register = initial_register(c, meter, random);
        const double age_years = (last_ - meter.installed_on) / days_per_year;
        add_truth("meter", meter.id, "meter_past_rotation", add_years(meter.installed_on, limit) + 1, std::nullopt,
                  age_years / limit,
                  fmt::format("customer={} phases={} rotation_years={} installed_on={}", c.id, meter.phases, limit,
                              meter.installed_on.to_string()));
    }
}

void Planner::inject_low_accuracy(GeneratorRng& random) {
    std::vector<int> pool = all_customers_where([&](const PlannedCustomer& c) {
        return !c.anomalous && c.status == "active" && c.connection != MeterConnection::single_phase &&
               c.meters.size() == 1;
    });
    shuffle(pool, random);
    const int total = std::min(target_count(0.005, 5), std::max(1, static_cast<int>(pool.size()) / 4));
    for (int i = 0; i < total && i < static_cast<int>(pool.size()); ++i) {
        PlannedCustomer& c = plan_.customers[static_cast<std::size_t>(pool[static_cast<std::size_t>(i)])];
        c.anomalous = true;
        PlannedMeter& meter = meter_of(c);
        const int metering_class = planned_metering_class(3, c.contracted_kva, std::nan(""));
        std::string_view component;
        std::string_view installed;
        std::string_view required;
        switch (c.connection) {
            case MeterConnection::three_phase_direct:
                meter.accuracy_class = installed = "3.0";
                component = "meter";
                required = "2.0";
                break;
            case MeterConnection::low_voltage_ct:
                meter.ct_class = installed = "1.0";
                component = "ct";
                required = metering_class <= 2 ? "0.2" : "0.5S";
                break;
            case MeterConnection::high_voltage_ct_pt: {
                const double r = random.uniform();
                if (metering_class == 3 && r < 0.4) {
                    meter.accuracy_class = installed = "2.0";
                    component = "meter";
                    required = "1.0";
                } else if (r < 0.7) {
                    meter.pt_class = installed = "1.0";
                    component = "pt";
                    required = metering_class <= 2 ? "0.2" : "0.5";
                } else {
                    meter.ct_class = installed = "1.0";
                    component = "ct";
                    required = metering_class <= 2 ? "0.2" : "0.5S";
                }
                break;
            }
            case MeterConnection::single_phase:
                break;
        }
        constexpr std::array<std::string_view, 5> class_names{"I", "II", "III", "IV", "V"};
        add_truth("meter", meter.id, "accuracy_class_low", meter.installed_on, std::nullopt, 1.0,
                  fmt::format("customer={} component={} installed={} required={} metering_class={}", c.id, component,
                              installed, required, class_names[static_cast<std::size_t>(metering_class - 1)]));
    }
}

}  // namespace gridaudit::planning
