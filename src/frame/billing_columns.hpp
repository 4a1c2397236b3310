// The fee accounts of a region in columnar memory: bills, payments, and the utility's daily
// collection totals.
//
// Bills are sorted by customer, then period, so one customer's bills are adjacent and in time
// order. Payments belong to the region of their customer (or of their bill's customer when the
// payment names no customer) and are sorted by bill, then day. Optional amounts are
// `std::nullopt` when the column was empty; missing quantities are NaN.
// Thread safety: immutable once loaded; any number of threads may read them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/ids.hpp"
#include "core/money.hpp"
#include "core/time.hpp"

namespace gridaudit {

struct BillTag {};
using BillIndex = Index<BillTag>;

enum class PaymentStatus : std::uint8_t { not_stated, unpaid, partial, paid };

struct BillColumns {
    std::vector<std::string> id;
    std::vector<CustomerIndex> customer;
    std::vector<Period> period;
    std::vector<double> kwh_total;
    std::vector<double> kwh_peak;  // NaN when not billed by time of use
    std::vector<double> kwh_flat;
    std::vector<double> kwh_valley;
    std::vector<double> kvarh;
    std::vector<double> demand_kw;
    std::vector<Money> energy_charge;
    std::vector<std::optional<Money>> basic_charge;
    std::vector<std::optional<Money>> pf_adjustment;
    std::vector<std::optional<Money>> surcharges;
    std::vector<std::optional<Money>> fixed_charges;
    std::vector<std::optional<Money>> other_charges;
    std::vector<std::string> other_charges_item;
    std::vector<Money> total;
    std::vector<CivilDate> issued_on;
    std::vector<std::optional<CivilDate>> due_on;
    std::vector<PaymentStatus> payment_status;
    // First bill of each customer (customers.size() + 1 offsets: bills of customer c are
    // [first_of_customer[c], first_of_customer[c + 1])).
    std::vector<std::uint32_t> first_of_customer;
    [[nodiscard]] std::size_t size() const { return id.size(); }
};

struct PaymentColumns {
    std::vector<std::string> id;
    std::vector<std::string> bill_id;   // as exported; "" when the payment names no bill
    std::vector<BillIndex> bill;        // the bill in this region, invalid when none or elsewhere
    std::vector<CustomerIndex> customer;  // the paying customer in this region, invalid when not given
    std::vector<CivilDate> paid_on;
    std::vector<Money> amount;
    std::vector<std::string> channel;
    std::vector<std::optional<Money>> late_fee;
    std::vector<std::string> late_fee_waiver;
    [[nodiscard]] std::size_t size() const { return id.size(); }
};

// Daily collection totals of the whole utility (collections.csv), sorted by day, then channel.
struct CollectionColumns {
    std::vector<CivilDate> day;
    std::vector<std::string> channel;
    std::vector<std::int64_t> payments;
    std::vector<Money> amount;
    [[nodiscard]] std::size_t size() const { return day.size(); }
};

}  // namespace gridaudit
