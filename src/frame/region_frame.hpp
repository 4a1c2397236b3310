// A region (a substation and everything below it) loaded into columnar memory.
//
// The engine and the rules work on these struct-of-arrays columns, never on per-row objects.
// Customers are sorted by their network node, so the customers of one transformer area are
// adjacent. Indexes (NodeIndex, CustomerIndex, MeterIndex) are positions in these columns.
// Missing numbers are NaN; missing dates are `std::nullopt`. Thread safety: immutable once
// loaded; any number of threads may read a frame.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/ids.hpp"
#include "core/time.hpp"
#include "frame/billing_columns.hpp"
#include "frame/meter_event_columns.hpp"
#include "frame/work_order_columns.hpp"
#include "model/series.hpp"
#include "tariff/tariff_book.hpp"

namespace gridaudit {

enum class NodeKind : std::uint8_t { substation, bus, feeder, area };

struct NetworkColumns {
    std::vector<std::string> id;
    std::vector<NodeIndex> parent;  // invalid for the substation
    std::vector<NodeKind> kind;
    std::vector<std::string> name;
    std::vector<double> rated_kva;
    std::vector<MeterIndex> gateway_meter;  // invalid when the node has none
    std::vector<std::string> unit_id;       // org unit responsible for the node; "" when none
    [[nodiscard]] std::size_t size() const { return id.size(); }
};

struct CustomerColumns {
    std::vector<std::string> id;
    std::vector<std::string> name;
    std::vector<std::string> address;  // "" when not exported
    std::vector<std::string> unit_id;  // org unit serving the customer; "" when none
    std::vector<NodeIndex> node;
    std::vector<std::string> industry;  // industry code or name (行业分类); "" when none
    std::vector<std::string> category;
    std::vector<double> voltage_kv;
    std::vector<double> contracted_kva;
    std::vector<std::string> tariff_id;
    std::vector<double> pf_standard;  // NaN when none applies
    std::vector<std::string> status;
    std::vector<CivilDate> supply_start;
    std::vector<std::optional<CivilDate>> supply_end;
    [[nodiscard]] std::size_t size() const { return id.size(); }
};

struct MeterColumns {
    std::vector<std::string> id;
    std::vector<CustomerIndex> customer;  // invalid for gateway meters
    std::vector<NodeIndex> node;          // the gateway's node, or the customer's node
    std::vector<bool> is_gateway;
    std::vector<std::string> model;
    std::vector<std::string> accuracy_class;
    std::vector<int> phases;
    std::vector<double> rated_current;
    std::vector<std::string> ct_ratio_text;
    std::vector<std::string> pt_ratio_text;
    std::vector<double> ct_ratio;
    std::vector<double> pt_ratio;
    std::vector<std::string> ct_class;  // "" when none
    std::vector<std::string> pt_class;
    std::vector<double> multiplier;
    std::vector<CivilDate> installed_on;
    std::vector<std::optional<CivilDate>> last_tested_on;
    std::vector<std::optional<CivilDate>> removed_on;
    [[nodiscard]] std::size_t size() const { return id.size(); }
};

enum class ReadSource : std::uint8_t { ami, manual, estimated };

// Billing reads of the `total` register (register_reads.csv), sorted by meter then day, with the
// time-of-use registers read the same day (NaN when not read). reader_team is the reader's org
// unit ("" when unknown).
struct BillingReadColumns {
    std::vector<MeterIndex> meter;
    std::vector<CivilDate> read_on;
    std::vector<double> value;
    std::vector<ReadSource> source;
    std::vector<std::string> reader_id;
    std::vector<std::string> reader_team;
    std::vector<double> peak;
    std::vector<double> flat;
    std::vector<double> valley;
    [[nodiscard]] std::size_t size() const { return meter.size(); }
    void push(MeterIndex m, CivilDate day, double v, ReadSource s, std::string reader, std::string team,
              double peak_value = std::numeric_limits<double>::quiet_NaN(),
              double flat_value = std::numeric_limits<double>::quiet_NaN(),
              double valley_value = std::numeric_limits<double>::quiet_NaN()) {
        meter.push_back(m);
        read_on.push_back(day);
        value.push_back(v);
        source.push_back(s);
        reader_id.push_back(std::move(reader));
        reader_team.push_back(std::move(team));
        peak.push_back(peak_value);
        flat.push_back(flat_value);
        valley.push_back(valley_value);
    }
};

struct RegionFrame {
    std::string substation_id;
    NetworkColumns network;
    CustomerColumns customers;
    MeterColumns meters;
    // Daily register values of this region's meters (rows in MeterColumns order); empty unless
    // the loader was asked for series.
    DailyMatrix daily;
    // 15-minute interval energy of this region's meters that have intervals (empty unless the
    // loader was asked for them); interval_meter[r] is the frame meter of matrix row r.
    IntervalMatrix intervals;
    std::vector<MeterIndex> interval_meter;
    // Billing reads of the total register of this region's meters.
    BillingReadColumns billing_reads;
    // Largest monthly energy (kWh, after multiplier) billed to each customer over the loader's
    // look-back window; NaN when no bill is known.
    std::vector<double> max_monthly_kwh;
    // Bills of this region's customers and the payments made for them.
    BillColumns bills;
    PaymentColumns payments;
    // Service work orders of this region's customers (work_order_columns.hpp says where orders
    // without a customer go).
    WorkOrderColumns work_orders;
    // Meter and terminal events of this region's meters (meter_event_columns.hpp).
    MeterEventColumns meter_events;
    // The store's usable tariffs, shared by every frame; null when the store has none. A stored
    // tariff that cannot be used is not in the book but in unusable_tariffs (id and why, by id):
    // its customers' bills cannot be recomputed, the other tariffs' can.
    std::shared_ptr<const TariffBook> tariffs;
    std::shared_ptr<const std::vector<UnusableTariff>> unusable_tariffs;

    // Why the customer's tariff `id` cannot be used, or nullptr when it can (or is simply unknown).
    [[nodiscard]] const UnusableTariff* unusable_tariff(std::string_view id) const {
        if (!unusable_tariffs) return nullptr;
        for (const UnusableTariff& tariff : *unusable_tariffs)
            if (tariff.id == id) return &tariff;
        return nullptr;
    }

    [[nodiscard]] bool has_intervals() const { return intervals.day_count > 0 && intervals.meter_count() > 0; }
    [[nodiscard]] bool has_daily() const { return daily.day_count > 0 && daily.meter_count() == meters.size(); }
};

}  // namespace gridaudit
