// Service-process anomalies of the synthetic utility: work orders out of sequence, changes the master
// data never received, suspended accounts that keep consuming, categories that do not fit the declared
// use, and accounts that resupply others.
#include "generator/process_anomaly_plan.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <set>

#include "generator/generator_random.hpp"
#include "generator/planner.hpp"
#include "generator/synthetic_tariffs.hpp"

namespace gridaudit {
namespace {

constexpr int utc_offset_seconds = 8 * 3600;

Instant local_instant(CivilDate date, int seconds_of_day) {
    return Instant::from_unix_seconds(static_cast<std::int64_t>(date.days_since_epoch()) * 86400 + seconds_of_day -
                                      utc_offset_seconds);
}

CivilDate local_date(Instant instant) {
    return instant.civil_date(utc_offset_seconds / 60);
}

std::string format_kva(double kva) {
    return fmt::format("{}", static_cast<std::int64_t>(std::llround(kva)));
}

template <class T>
void shuffle(std::vector<T>& items, GeneratorRng& random) {
    for (std::size_t i = items.size(); i > 1; --i) std::swap(items[i - 1], items[random.below(i)]);
}

class ProcessAnomalies {
public:
    ProcessAnomalies(UtilityPlan& plan, int customers)
        : plan_(plan), customers_(customers), random_(plan.seed, RandomStream::process_anomalies) {
        for (const TruthRow& row : plan_.truth)
            if (row.subject_kind == "work_order") orders_in_truth_.insert(row.subject_id);
        used_orders_.assign(plan_.work_orders.size(), false);
    }

    void run() {
        inject_ticket_sequence();
        inject_change_not_applied();
        inject_suspension_consuming();
        inject_category_at_acceptance();
        inject_transfer_supply();
        inject_demand_above_contract();
    }

private:
    int target(double rate, int minimum) const {
        return std::max(minimum, static_cast<int>(std::lround(rate * customers_)));
    }

    void add_truth(std::string_view kind, std::string subject, std::string_view anomaly, CivilDate start,
                   std::optional<CivilDate> end, double magnitude, std::string detail) {
        plan_.truth.push_back(TruthRow{kind, std::move(subject), anomaly, start, end, magnitude, std::move(detail)});
    }

    // Active the whole window with one meter and no other anomaly.
    bool clean(const PlannedCustomer& c) const {
        return !c.anomalous && c.billing_anomaly == BillingAnomaly::none && c.status == "active" && !c.suspended_from &&
               c.supply_start < plan_.first_day && c.meters.size() == 1 && !c.vacant &&
               c.category != LoadCategory::temporary;
    }

    std::vector<int> customers_where(const std::function<bool(const PlannedCustomer&)>& predicate) const {
        std::vector<int> result;
        for (std::size_t i = 0; i < plan_.customers.size(); ++i)
            if (predicate(plan_.customers[i])) result.push_back(static_cast<int>(i));
        return result;
    }

    // A finished order of a customer that no truth row names and no injection used yet.
    bool free_order(std::size_t o) const {
        const PlannedWorkOrder& order = plan_.work_orders[o];
        return !used_orders_[o] && order.customer >= 0 && order.closed_at && !orders_in_truth_.contains(order.id);
    }

    // ticket_out_of_sequence (PROC-TICKET-SEQUENCE): a finished connection-type order whose completion
    // check is recorded after the connection (back-filled), or whose supply plan is missing although
    // it was connected. 0.03 % of customers, at least 5.
    void inject_ticket_sequence() {
        std::vector<std::size_t> pool;
        for (std::size_t o = 0; o < plan_.work_orders.size(); ++o) {
            const PlannedWorkOrder& order = plan_.work_orders[o];
            const bool staged =
                order.type == "new_connection" || order.type == "capacity_increase" || order.type == "temporary_supply";
            if (staged && free_order(o) && order.connected_at && (order.checked_at || order.plan_at)) pool.push_back(o);
        }
        shuffle(pool, random_);
        const int total = std::min(static_cast<int>(pool.size()), target(0.0003, 5));
        for (int i = 0; i < total; ++i) {
            const std::size_t o = pool[static_cast<std::size_t>(i)];
            PlannedWorkOrder& order = plan_.work_orders[o];
            used_orders_[o] = true;
            std::string problem;
            if (order.checked_at && (!order.plan_at || random_.chance(0.5))) {
                order.checked_at = *order.connected_at + random_.between(30, 150) * 60;
                problem = "connection before completion check";
            } else {
                order.plan_at.reset();
                problem = "connection without supply plan";
            }
            add_truth("work_order", order.id, "ticket_out_of_sequence", local_date(order.accepted_at),
                      local_date(*order.closed_at), 1.0,
                      fmt::format("type={} segment={} problem={}", order.type, order.segment, problem));
        }
    }

    // change_not_applied (PROC-CHANGE-NOT-APPLIED): a finished capacity change, category change or
    // meter change whose new value never reached the master data. Only the order changes: its new
    // value is one the customer does not have (a capacity one step away from the contracted one, the
    // other of commercial and industrial, a meter id meters.csv does not list); customers.csv,
    // meters.csv and the bills keep what they were. 0.06 % of customers, at least 5, spread over the
    // three kinds.
    void inject_change_not_applied() {
        std::array<std::vector<std::size_t>, 3> pools;  // capacity, category, meter
        for (std::size_t o = 0; o < plan_.work_orders.size(); ++o) {
            if (!free_order(o)) continue;
            const PlannedWorkOrder& order = plan_.work_orders[o];
            const PlannedCustomer& c = plan_.customers[static_cast<std::size_t>(order.customer)];
            if (c.status != "active" || c.anomalous || c.billing_anomaly != BillingAnomaly::none) continue;
            if (order.type == "capacity_increase" || order.type == "capacity_decrease") pools[0].push_back(o);
            if (order.type == "category_change" &&
                (c.category == LoadCategory::commercial || c.category == LoadCategory::industrial))
                pools[1].push_back(o);
            if (order.type == "meter_change") pools[2].push_back(o);
        }
        for (auto& pool : pools) shuffle(pool, random_);
        const int total = target(0.0006, 5);
        std::array<std::size_t, 3> next{};
        int done = 0;
        int missing_meter = 0;
        for (std::size_t kind = 0; done < total; kind = (kind + 1) % 3) {
            if (next[0] >= pools[0].size() && next[1] >= pools[1].size() && next[2] >= pools[2].size()) break;
            if (next[kind] >= pools[kind].size()) continue;
            const std::size_t o = pools[kind][next[kind]++];
            PlannedWorkOrder& order = plan_.work_orders[o];
            PlannedCustomer& c = plan_.customers[static_cast<std::size_t>(order.customer)];
            std::string master;
            if (kind == 0) {
                const double step = c.contracted_kva >= 200 ? 50 : 20;
                const bool increase = order.type == "capacity_increase" || c.contracted_kva <= step;
                order.type = increase ? "capacity_increase" : "capacity_decrease";
                order.old_value = format_kva(c.contracted_kva);
                order.new_value = format_kva(increase ? c.contracted_kva + step : c.contracted_kva - step);
                master = "contracted_kva=" + format_kva(c.contracted_kva);
            } else if (kind == 1) {
                order.old_value = std::string(load_category_code(c.category));
                order.new_value = c.category == LoadCategory::commercial ? "industrial" : "commercial";
                master = "category=" + order.old_value;
            } else {
                order.new_value = fmt::format("M9{:07}", ++missing_meter);
                master = "meters.csv has no " + order.new_value;
            }
            used_orders_[o] = true;
            c.anomalous = true;
            const CivilDate effective = local_date(order.connected_at ? *order.connected_at : *order.closed_at);
            add_truth("work_order", order.id, "change_not_applied", effective, std::nullopt, 1.0,
                      fmt::format("customer={} type={} old={} new={} {}", c.id, order.type, order.old_value,
                                  order.new_value, master));
            ++done;
        }
    }

    // suspension_consuming (PROC-SUSPENSION-CONSUMING): a low-voltage commercial or industrial account
    // suspended (暂停) by a finished work order, status `suspended` in customers.csv, whose meter keeps
    // registering its usual consumption (the seals were broken). 0.05 % of customers, at least 5.
    void inject_suspension_consuming() {
        std::vector<int> pool = customers_where([&](const PlannedCustomer& c) {
            return clean(c) && !c.high_voltage &&
                   (c.category == LoadCategory::commercial || c.category == LoadCategory::industrial);
        });
        shuffle(pool, random_);
        const int total = std::min(static_cast<int>(pool.size()), target(0.0005, 5));
        if (plan_.days < 60) return;
        const std::size_t numbered = plan_.work_orders.size();
        for (int i = 0; i < total; ++i) {
            const int index = pool[static_cast<std::size_t>(i)];
            PlannedCustomer& c = plan_.customers[static_cast<std::size_t>(index)];
            const CivilDate day = plan_.first_day + static_cast<std::int32_t>(random_.between(20, plan_.days - 31));
            PlannedWorkOrder order;
            order.customer = index;
            order.type = "suspension";
            order.segment = "lv_nonresidential";
            order.accepted_at = local_instant(day - 1, static_cast<int>(random_.between(9 * 60, 16 * 60)) * 60);
            order.connected_at = local_instant(day, static_cast<int>(random_.between(9 * 60, 12 * 60)) * 60);
            order.closed_at = local_instant(day, static_cast<int>(random_.between(14 * 60, 17 * 60)) * 60);
            const auto& installers = plan_.installers_of_unit[static_cast<std::size_t>(c.unit)];
            order.staff = installers.empty() ? -1 : installers[random_.below(installers.size())];
            order.old_value = "active";
            order.new_value = "suspended";
            order.id = fmt::format("W{:04}{:02}{:05}", (day - 1).year(), (day - 1).month(), numbered + 1 + i);
            c.anomalous = true;
            c.status = "suspended";
            add_truth("customer", c.id, "suspension_consuming", day + 1, std::nullopt, 1.0,
                      fmt::format("order={} suspended_on={} still consuming", order.id, day.to_string()));
            plan_.work_orders.push_back(std::move(order));
        }
        std::stable_sort(
            plan_.work_orders.begin(), plan_.work_orders.end(),
            [](const PlannedWorkOrder& a, const PlannedWorkOrder& b) { return a.accepted_at < b.accepted_at; });
    }

    // category_at_acceptance (PROC-CATEGORY-AT-ACCEPTANCE): the declared use (customers.csv industry)
    // does not fit the category the account was accepted under: a residential account declared as a
    // shop, restaurant or service business, or a commercial account declared as manufacturing. Only
    // the industry code changes. 0.05 % of customers, at least 5.
    void inject_category_at_acceptance() {
        std::vector<int> residential = customers_where(
            [&](const PlannedCustomer& c) { return clean(c) && c.category == LoadCategory::residential; });
        std::vector<int> commercial = customers_where(
            [&](const PlannedCustomer& c) { return clean(c) && c.category == LoadCategory::commercial; });
        shuffle(residential, random_);
        shuffle(commercial, random_);
        constexpr std::array<std::string_view, 3> shop_codes{"F52", "H62", "O80"};
        constexpr std::array<std::string_view, 3> factory_codes{"C18", "C21", "C33"};
        const int total = target(0.0005, 5);
        std::size_t next_residential = 0;
        std::size_t next_commercial = 0;
        for (int i = 0; i < total; ++i) {
            const bool use_residential =
                next_commercial >= commercial.size() || (next_residential < residential.size() && random_.chance(0.6));
            if (use_residential && next_residential >= residential.size()) break;
            PlannedCustomer& c = plan_.customers[static_cast<std::size_t>(
                use_residential ? residential[next_residential++] : commercial[next_commercial++])];
            c.industry = use_residential ? shop_codes[random_.below(shop_codes.size())]
                                         : factory_codes[random_.below(factory_codes.size())];
            c.anomalous = true;
            add_truth("customer", c.id, "category_at_acceptance", c.supply_start, std::nullopt, 1.0,
                      fmt::format("category={} industry={}", load_category_code(c.category), c.industry));
        }
    }

    // transfer_supply (SERV-TRANSFER-SUPPLY): a low-voltage commercial account of 30 to 100 kVA that
    // resupplies tenants behind its meter: its consumption is raised to a daily average of 60-70 % of
    // its contracted capacity over 24 hours, all year (clean commercial accounts stay below 30 %, large
    // industrial plants at three shifts below 50 %).
    // 0.03 % of customers, at least 5.
    void inject_transfer_supply() {
        std::vector<int> pool = customers_where([&](const PlannedCustomer& c) {
            return clean(c) && c.category == LoadCategory::commercial && !c.high_voltage && c.contracted_kva >= 30 &&
                   c.contracted_kva <= 100;
        });
        shuffle(pool, random_);
        const int total = std::min(static_cast<int>(pool.size()), target(0.0003, 5));
        for (int i = 0; i < total; ++i) {
            PlannedCustomer& c = plan_.customers[static_cast<std::size_t>(pool[static_cast<std::size_t>(i)])];
            const double load_factor = random_.uniform(0.6, 0.7);
            c.daily_kwh = c.contracted_kva * 24 * load_factor;
            c.anomalous = true;
            add_truth("customer", c.id, "transfer_supply", plan_.first_day, std::nullopt, load_factor,
                      fmt::format("contracted_kva={} daily_kwh={:.0f} load_factor={:.2f}", format_kva(c.contracted_kva),
                                  c.daily_kwh, load_factor));
        }
    }

    // demand_above_contract (LOSS-DEMAND-ABOVE-CONTRACT, 私增容): a two-part (basic charge) account
    // that connected equipment beyond its contract: from a day 3-10 months before the data's end its
    // monthly maximum demand is 1.2-1.6 x its contracted capacity (clean accounts stay below 0.9 x).
    // The customer is not marked anomalous, so the plans after this one draw as before.
    // 0.1 % of customers, at least 5.
    void inject_demand_above_contract() {
        std::vector<int> pool = customers_where([&](const PlannedCustomer& c) {
            return clean(c) && synthetic_tariff(c.tariff).structure == TariffStructure::two_part &&
                   c.contracted_kva > 0;
        });
        shuffle(pool, random_);
        const int total = std::min(static_cast<int>(pool.size()), target(0.001, 5));
        for (int i = 0; i < total; ++i) {
            PlannedCustomer& c = plan_.customers[static_cast<std::size_t>(pool[static_cast<std::size_t>(i)])];
            c.demand_over_factor = random_.uniform(1.2, 1.6);
            c.demand_over_from = plan_.last_day - static_cast<std::int32_t>(random_.between(90, 300));
            add_truth("customer", c.id, "demand_above_contract", *c.demand_over_from, std::nullopt, c.demand_over_factor,
                      fmt::format("contracted_kva={} demand_kw={:.0f}", format_kva(c.contracted_kva),
                                  c.contracted_kva * c.demand_over_factor));
        }
    }

    UtilityPlan& plan_;
    int customers_;
    GeneratorRng random_;
    std::set<std::string> orders_in_truth_;
    std::vector<bool> used_orders_;
};

}  // namespace

void plan_process_anomalies(UtilityPlan& plan, int customers) {
    ProcessAnomalies(plan, customers).run();
}

}  // namespace gridaudit

// The Planner's work orders (planner.hpp): clean orders tied to the data, overdue steps, and
// temporary supplies left open past their end.
namespace gridaudit::planning {

// temporary_expired: a temporary supply whose end date has passed is still active and supplied
// (its meter stays in service and keeps registering); normally such a customer is closed the day
// after its end. A closed one is left open, or an open one's end is moved 30-60 days before the
// last day; 0.05 % of customers, at least 2.
void Planner::inject_expired_temporary(GeneratorRng& random) {
    std::vector<int> pool = all_customers_where([&](const PlannedCustomer& c) {
        return !c.anomalous && c.category == LoadCategory::temporary && c.supply_end && c.meters.size() == 1 &&
               c.supply_start <= last_ - 90 && (c.status == "closed" || c.status == "active");
    });
    shuffle(pool, random);
    const int total = std::min(static_cast<int>(pool.size()), target_count(0.0005, 2));
    for (int i = 0; i < total; ++i) {
        PlannedCustomer& c = plan_.customers[static_cast<std::size_t>(pool[static_cast<std::size_t>(i)])];
        if (c.status == "active") c.supply_end = last_ - static_cast<std::int32_t>(random.between(30, 60));
        c.anomalous = true;
        c.status = "active";
        plan_.meters[static_cast<std::size_t>(c.meters.front())].removed_on.reset();
        add_truth("customer", c.id, "temporary_expired", *c.supply_end + 1, std::nullopt, 1.0,
                  fmt::format("supply_end={} still active and supplied", c.supply_end->to_string()));
    }
}

// Clean step offsets in calendar days from acceptance. Every span stays within 90 % of its limit
// counted in calendar days, so it is within the limit in working days whatever the calendar.
Planner::StepOffsets Planner::clean_offsets(std::string_view type, std::string_view segment,
                                            GeneratorRng& random) const {
    StepOffsets s;
    const bool expansion = type == "new_connection" || type == "temporary_supply" || type == "capacity_increase";
    if (type == "complaint" || type == "category_change") {
        s.closed = static_cast<int>(random.between(type == "complaint" ? 0 : 1, 4));
        return s;
    }
    if (!expansion) {
        s.connected = static_cast<int>(random.between(0, 3));
        s.closed = s.connected + static_cast<int>(random.between(0, 1));
        return s;
    }
    if (segment == "residential") {
        s.plan = static_cast<int>(random.between(0, 1));
        s.connected = std::max(s.plan, static_cast<int>(random.between(1, 3)));
        s.closed = s.connected + static_cast<int>(random.between(0, 1));
    } else if (segment == "lv_nonresidential") {
        s.plan = static_cast<int>(random.between(0, 2));
        s.checked = s.plan + static_cast<int>(random.between(0, 1));
        s.connected = s.checked + static_cast<int>(random.between(0, 1));
        s.closed = s.connected + static_cast<int>(random.between(0, 1));
    } else if (segment == "hv_single") {
        s.plan = static_cast<int>(random.between(2, 8));
        s.design = s.plan + static_cast<int>(random.between(1, 3));
        s.checked = s.design + static_cast<int>(random.between(2, 4));
        s.connected = s.checked + static_cast<int>(random.between(1, 3));
        s.closed = s.connected + static_cast<int>(random.between(0, 1));
    } else {
        s.plan = static_cast<int>(random.between(4, 14));
        s.design = s.plan + static_cast<int>(random.between(2, 4));
        s.checked = s.design + static_cast<int>(random.between(2, 5));
        s.connected = s.checked + static_cast<int>(random.between(1, 3));
        s.closed = s.connected + static_cast<int>(random.between(0, 1));
    }
    return s;
}

// Business-hours instant on `date`, later than `after` when that is on the same day.
Instant Planner::step_instant(CivilDate date, std::optional<Instant> after, GeneratorRng& random) const {
    int seconds = static_cast<int>(random.between(9 * 60, 17 * 60 + 30)) * 60;
    Instant at = local_instant(date, seconds);
    if (after && at <= *after) at = *after + random.between(10, 90) * 60;
    return at;
}

// Fills the order's steps from acceptance day `accepted` and the offsets; steps after the last
// day of the export are left empty (the order is still open).
void Planner::fill_steps(PlannedWorkOrder& order, CivilDate accepted, const StepOffsets& s,
                         GeneratorRng& random) const {
    order.accepted_at = local_instant(accepted, static_cast<int>(random.between(8 * 60 + 30, 16 * 60 + 30)) * 60);
    std::optional<Instant> previous = order.accepted_at;
    auto step = [&](int offset, std::optional<Instant>& slot) {
        if (offset < 0) return;
        const CivilDate date = accepted + offset;
        if (date > last_) return;
        slot = step_instant(date, previous, random);
        if (local_date(*slot) > last_) {
            slot.reset();
            return;
        }
        previous = slot;
    };
    step(s.plan, order.plan_at);
    step(s.design, order.design_at);
    step(s.checked, order.checked_at);
    step(s.connected, order.connected_at);
    step(s.closed, order.closed_at);
}

int Planner::staff_for(const PlannedCustomer* customer, std::string_view type, GeneratorRng& random) const {
    if (type == "complaint") {
        const auto& handlers = random.chance(0.5) ? inspectors_ : analysts_;
        return handlers[random.below(handlers.size())];
    }
    const int unit = customer ? customer->unit : stations_[random.below(stations_.size())];
    if (type == "category_change")
        return station_supervisors_[static_cast<std::size_t>(std::find(stations_.begin(), stations_.end(), unit) -
                                                             stations_.begin())];
    const auto& installers = plan_.installers_of_unit[static_cast<std::size_t>(unit)];
    return installers[random.below(installers.size())];
}

// Adds an order whose connection step falls on `connected` (tied to the data), or, when absent,
// accepted on a random day of the window.
void Planner::add_order(int customer, std::string_view type, std::optional<CivilDate> connected, std::string old_value,
                        std::string new_value, GeneratorRng& random) {
    PlannedWorkOrder order;
    const PlannedCustomer* c = customer >= 0 ? &plan_.customers[static_cast<std::size_t>(customer)] : nullptr;
    order.customer = customer;
    order.type = type;
    order.segment = c ? segment_of(*c) : "lv_nonresidential";
    const StepOffsets offsets = clean_offsets(type, order.segment, random);
    const CivilDate accepted = connected && offsets.connected >= 0 ? *connected - offsets.connected
                                                                   : first_ + uniform_days(random, 0, days_ - 5);
    fill_steps(order, accepted, offsets, random);
    order.staff = staff_for(c, type, random);
    order.old_value = std::move(old_value);
    order.new_value = std::move(new_value);
    plan_.work_orders.push_back(std::move(order));
}

void Planner::plan_work_orders() {
    GeneratorRng random = rng(RandomStream::work_orders);
    for (std::size_t i = 0; i < plan_.customers.size(); ++i) {
        const PlannedCustomer& c = plan_.customers[i];
        const int index = static_cast<int>(i);
        const PlannedMeter& first_meter = plan_.meters[static_cast<std::size_t>(c.meters.front())];
        if (c.supply_start >= first_)
            add_order(index, c.category == LoadCategory::temporary ? "temporary_supply" : "new_connection",
                      c.supply_start, "", format_kva(c.contracted_kva), random);
        if (c.meters.size() > 1) {
            const PlannedMeter& next = plan_.meters[static_cast<std::size_t>(c.meters[1])];
            add_order(index, "meter_change", next.installed_on, first_meter.id, next.id, random);
        }
        if (c.status == "closed") add_order(index, "closure", *c.supply_end + 1, "active", "closed", random);
        if (c.suspended_from) {
            add_order(index, "suspension", *c.suspended_from, "active", "suspended", random);
            if (c.resumed_on) add_order(index, "resumption", *c.resumed_on, "suspended", "active", random);
        }
    }
    auto pick_customers = [&](double yearly_rate, int minimum, const std::function<bool(const PlannedCustomer&)>& ok) {
        std::vector<int> pool = all_customers_where(ok);
        shuffle(pool, random);
        const int count = std::max(minimum, static_cast<int>(std::lround(yearly_rate * years_ * options_.customers)));
        if (static_cast<int>(pool.size()) > count) pool.resize(static_cast<std::size_t>(count));
        return pool;
    };
    const auto active = [&](const PlannedCustomer& c) { return c.status == "active" && !c.suspended_from; };
    for (int customer : pick_customers(0.004, 2, [&](const PlannedCustomer& c) {
             return active(c) && c.category != LoadCategory::large_industrial &&
                    (c.connection == MeterConnection::low_voltage_ct ||
                     c.connection == MeterConnection::high_voltage_ct_pt);
         })) {
        const PlannedCustomer& c = plan_.customers[static_cast<std::size_t>(customer)];
        const bool increase = random.chance(0.7);
        const double step = c.contracted_kva >= 200 ? 50 : 20;
        add_order(customer, increase ? "capacity_increase" : "capacity_decrease", std::nullopt,
                  format_kva(increase ? c.contracted_kva - step : c.contracted_kva + step),
                  format_kva(c.contracted_kva), random);
    }
    for (int customer : pick_customers(0.002, 1, [&](const PlannedCustomer& c) {
             return active(c) && c.tariff == c.correct_tariff &&
                    (c.category == LoadCategory::commercial || c.category == LoadCategory::industrial);
         })) {
        const PlannedCustomer& c = plan_.customers[static_cast<std::size_t>(customer)];
        const LoadCategory before =
            c.category == LoadCategory::commercial ? LoadCategory::residential : LoadCategory::commercial;
        add_order(customer, "category_change", std::nullopt, std::string(load_category_code(before)),
                  std::string(load_category_code(c.category)), random);
    }
    const int overdue = target_count(0.005, 5);
    const int complaints = std::max(2 * overdue, static_cast<int>(std::lround(0.01 * years_ * options_.customers)));
    for (int customer : pick_customers(0, complaints, [&](const PlannedCustomer& c) { return active(c); }))
        add_order(customer, "complaint", std::nullopt, "", "", random);

    inject_overdue(overdue, random);

    std::vector<std::size_t> order(plan_.work_orders.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return plan_.work_orders[a].accepted_at < plan_.work_orders[b].accepted_at;
    });
    std::vector<PlannedWorkOrder> sorted;
    std::vector<int> position(order.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
        position[order[i]] = static_cast<int>(i);
        sorted.push_back(std::move(plan_.work_orders[order[i]]));
        const CivilDate accepted = local_date(sorted.back().accepted_at);
        sorted.back().id = fmt::format("W{:04}{:02}{:05}", accepted.year(), accepted.month(), i + 1);
    }
    plan_.work_orders = std::move(sorted);
    for (const auto& late : overdue_) {
        const PlannedWorkOrder& o =
            plan_.work_orders[static_cast<std::size_t>(position[static_cast<std::size_t>(late.order)])];
        add_truth("work_order", o.id, o.type == "complaint" ? "complaint_overdue" : "work_order_overdue",
                  local_date(o.accepted_at), late.end, static_cast<double>(late.actual) / late.limit,
                  fmt::format("type={} segment={} step={} limit_working_days={} actual_working_days={}", o.type,
                              o.segment, late.step, late.limit, late.actual));
    }
}

void Planner::inject_overdue(int count, GeneratorRng& random) {
    std::vector<int> pool, complaint_pool;
    for (std::size_t i = 0; i < plan_.work_orders.size(); ++i) {
        const PlannedWorkOrder& o = plan_.work_orders[i];
        if (o.type != "complaint" && o.connected_at) pool.push_back(static_cast<int>(i));
        if (o.type == "complaint" && o.closed_at) complaint_pool.push_back(static_cast<int>(i));
    }
    shuffle(pool, random);
    shuffle(complaint_pool, random);
    // Late complaints (complaint_overdue, SERV-COMPLAINT-OVERDUE): as many again as a third of the
    // late orders, at least 5, ahead of the other finished orders.
    const int late_complaints = std::min(static_cast<int>(complaint_pool.size()), std::max(5, count / 3));
    pool.insert(pool.begin(), complaint_pool.begin(), complaint_pool.begin() + late_complaints);
    count += late_complaints;
    const int open = std::max(1, (count - late_complaints) / 5);
    for (int i = 0; i < count - open && i < static_cast<int>(pool.size()); ++i) {
        const int index = pool[static_cast<std::size_t>(i)];
        PlannedWorkOrder& o = plan_.work_orders[static_cast<std::size_t>(index)];
        const bool complaint = o.type == "complaint";
        const int limit = complaint ? 5 : whole_process_limit(o.segment);
        const int extra = static_cast<int>(random.between(3, 15));
        const CivilDate done = local_date(complaint ? *o.closed_at : *o.connected_at);
        // The finishing step keeps its day (it is tied to the data); acceptance moves earlier.
        const CivilDate accepted = add_working_days(done, -(limit + extra));
        StepOffsets s;
        const int span = done - accepted;
        if (complaint) {
            s.closed = span;
        } else {
            const StepOffsets clean = clean_offsets(o.type, o.segment, random);
            if (clean.plan >= 0) s.plan = std::min(clean.plan, span);
            if (clean.design >= 0) s.design = std::min(clean.design, span);
            if (clean.checked >= 0) s.checked = std::min(clean.checked, span);
            s.connected = span;
            s.closed = span + static_cast<int>(random.between(0, 1));
        }
        fill_steps(o, accepted, s, random);
        const CivilDate finished = local_date(complaint ? *o.closed_at : *o.connected_at);
        overdue_.push_back(OverdueOrder{index, complaint ? "closed" : "connected", limit,
                                        working_days_between(accepted, finished), finished});
    }
    for (int i = 0; i < open; ++i) {
        // An application still waiting for connection long after its limit.
        PlannedWorkOrder o;
        o.type = "new_connection";
        o.segment = random.chance(0.5) ? "lv_nonresidential" : "hv_single";
        const int limit = whole_process_limit(o.segment);
        const CivilDate accepted = add_working_days(last_, -(limit + static_cast<int>(random.between(3, 20))));
        StepOffsets s;
        s.plan = static_cast<int>(random.between(1, 3));
        fill_steps(o, accepted, s, random);
        o.staff = staff_for(nullptr, o.type, random);
        plan_.work_orders.push_back(std::move(o));
        overdue_.push_back(OverdueOrder{static_cast<int>(plan_.work_orders.size()) - 1, "connected", limit,
                                        working_days_between(accepted, last_), std::nullopt});
    }
}

}  // namespace gridaudit::planning
