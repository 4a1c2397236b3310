// The network, customers and meters read as typed columns (issue 17): what a region's frame is
// built from, one SELECT per table straight into vectors, without the generic Row of variants
// (Store::read_rows), and only the columns a command needs: `loss` reads a customer's id, node and
// category and a meter's id, owner, multiplier and dates, not names, addresses or nameplates.
//
// A backend that can answer these reads implements MasterColumnReads beside Store (SqliteStore
// does, in SQL); read_master_columns() asks it and falls back to Store::read_rows for any other
// Store (test doubles), so callers hold a Store only. Thread safety: as the Store the reads go to.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "store/store.hpp"

namespace gridaudit {

// Every node, in node_id order.
struct NetworkTable {
    std::vector<std::string> node_id, parent_id, kind, name, unit_id, gateway_meter_id;  // "" when absent
    std::vector<double> rated_kva;                                                       // NaN when absent
    [[nodiscard]] std::size_t size() const { return node_id.size(); }
};

// Every customer, in customer_id order. The detail columns are empty unless read with details.
struct CustomerTable {
    std::vector<std::string> customer_id, node_id, category;
    std::vector<std::string> name, address, unit_id, industry, tariff_id, status;
    std::vector<double> voltage_kv, contracted_kva, pf_standard;
    std::vector<CivilDate> supply_start;
    std::vector<std::optional<CivilDate>> supply_end;
    [[nodiscard]] std::size_t size() const { return customer_id.size(); }
};

// Every meter, in meter_id order. The detail columns are empty unless read with details.
struct MeterTable {
    std::vector<std::string> meter_id, customer_id, node_id;  // customer_id "" for a gateway meter
    std::vector<double> multiplier;
    std::vector<CivilDate> installed_on;
    std::vector<std::optional<CivilDate>> removed_on;
    std::vector<std::string> model, accuracy_class, ct_ratio, pt_ratio, ct_class, pt_class;
    std::vector<int> phases;
    std::vector<double> rated_current;
    std::vector<std::optional<CivilDate>> last_tested_on;
    [[nodiscard]] std::size_t size() const { return meter_id.size(); }
};

struct MasterColumns {
    NetworkTable network;
    CustomerTable customers;
    MeterTable meters;
};

class MasterColumnReads {
public:
    virtual ~MasterColumnReads() = default;
    // `details`: also the detail columns of customers and meters.
    [[nodiscard]] virtual Result<MasterColumns> read_master_columns(bool details) = 0;
};

// The network, customers and meters of `store`, through its MasterColumnReads when it has them.
[[nodiscard]] Result<MasterColumns> read_master_columns(Store& store, bool details);

}  // namespace gridaudit
