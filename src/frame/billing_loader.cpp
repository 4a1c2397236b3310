// Bills, payments, tariffs and collections from the store into columns.
#include "frame/billing_loader.hpp"

#include <algorithm>
#include <limits>
#include <string_view>
#include <numeric>
#include <tuple>
#include <unordered_map>

#include "frame/row_reader.hpp"
#include "model/import_contract.hpp"

namespace gridaudit {
namespace {

struct Home {
    std::size_t region = 0;
    std::uint32_t index = 0;
};
constexpr Home no_home{std::numeric_limits<std::size_t>::max(), 0};

// Customers or bills by id; the keys view the frames' ids, which stay put while it is used.
using HomeIndex = std::unordered_map<std::string_view, Home>;

Home home_of(const HomeIndex& index, std::string_view id) {
    const auto found = index.find(id);
    return found == index.end() ? no_home : found->second;
}

PaymentStatus payment_status_of(std::string_view code) {
    if (code == "unpaid") return PaymentStatus::unpaid;
    if (code == "partial") return PaymentStatus::partial;
    if (code == "paid") return PaymentStatus::paid;
    return PaymentStatus::not_stated;
}

// Fills `frame.bills` from the rows (positions into bill_rows) of its customers, sorted;
// customer_of_row[row] is the frame customer of bill row `row`.
void fill_bills(RegionFrame& frame, const std::vector<Row>& bill_rows, std::vector<std::size_t>& rows,
                const std::vector<std::uint32_t>& customer_of_row) {
    const RowReader reader(*find_table("bills"));
    const int period_column = reader.index("period");
    std::vector<std::uint32_t> customer(rows.size());
    std::vector<Period> period(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        customer[i] = customer_of_row[rows[i]];
        period[i] = RowReader::period(bill_rows[rows[i]], period_column).value_or(Period());
    }
    std::vector<std::size_t> order(rows.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return std::tie(customer[a], period[a]) < std::tie(customer[b], period[b]);
    });
    BillColumns& bills = frame.bills;
    const int columns[] = {reader.index("bill_id"),       reader.index("kwh_total"),     reader.index("kwh_peak"),
                           reader.index("kwh_flat"),      reader.index("kwh_valley"),    reader.index("kvarh"),
                           reader.index("demand_kw"),     reader.index("energy_charge"), reader.index("basic_charge"),
                           reader.index("pf_adjustment"), reader.index("surcharges"),    reader.index("fixed_charges"),
                           reader.index("other_charges"), reader.index("other_charges_item"),
                           reader.index("total"),         reader.index("issued_on"),     reader.index("due_on"),
                           reader.index("payment_status")};
    for (const std::size_t i : order) {
        const Row& row = bill_rows[rows[i]];
        bills.id.push_back(RowReader::text(row, columns[0]));
        bills.customer.push_back(CustomerIndex(customer[i]));
        bills.period.push_back(period[i]);
        bills.kwh_total.push_back(RowReader::number(row, columns[1]));
        bills.kwh_peak.push_back(RowReader::number(row, columns[2]));
        bills.kwh_flat.push_back(RowReader::number(row, columns[3]));
        bills.kwh_valley.push_back(RowReader::number(row, columns[4]));
        bills.kvarh.push_back(RowReader::number(row, columns[5]));
        bills.demand_kw.push_back(RowReader::number(row, columns[6]));
        bills.energy_charge.push_back(RowReader::money(row, columns[7]).value_or(Money()));
        bills.basic_charge.push_back(RowReader::money(row, columns[8]));
        bills.pf_adjustment.push_back(RowReader::money(row, columns[9]));
        bills.surcharges.push_back(RowReader::money(row, columns[10]));
        bills.fixed_charges.push_back(RowReader::money(row, columns[11]));
        bills.other_charges.push_back(RowReader::money(row, columns[12]));
        bills.other_charges_item.push_back(RowReader::text(row, columns[13]));
        bills.total.push_back(RowReader::money(row, columns[14]).value_or(Money()));
        bills.issued_on.push_back(RowReader::date(row, columns[15]).value_or(CivilDate()));
        bills.due_on.push_back(RowReader::date(row, columns[16]));
        bills.payment_status.push_back(payment_status_of(RowReader::text(row, columns[17])));
    }
    bills.first_of_customer.assign(frame.customers.size() + 1, 0);
    for (const CustomerIndex c : bills.customer) ++bills.first_of_customer[c.value() + 1];
    std::partial_sum(bills.first_of_customer.begin(), bills.first_of_customer.end(), bills.first_of_customer.begin());
}

}  // namespace

Status attach_billing(Store& store, const std::vector<Row>& bill_rows, std::vector<RegionFrame>& frames,
                      bool payments_and_tariffs) {
    HomeIndex customer_home;
    std::size_t customer_count = 0;
    for (const RegionFrame& frame : frames) customer_count += frame.customers.size();
    customer_home.reserve(customer_count);
    for (std::size_t r = 0; r < frames.size(); ++r)
        for (std::size_t c = 0; c < frames[r].customers.size(); ++c)
            customer_home.emplace(frames[r].customers.id[c], Home{r, static_cast<std::uint32_t>(c)});

    // Bills, each one's customer looked up once.
    const RowReader bills(*find_table("bills"));
    const int bill_customer = bills.index("customer_id");
    std::vector<std::vector<std::size_t>> rows_of_region(frames.size());
    std::vector<std::uint32_t> customer_of_bill(bill_rows.size(), 0);
    for (std::size_t i = 0; i < bill_rows.size(); ++i) {
        const Home home = home_of(customer_home, RowReader::text_view(bill_rows[i], bill_customer));
        if (home.region == no_home.region) continue;
        rows_of_region[home.region].push_back(i);
        customer_of_bill[i] = home.index;
    }
    for (std::size_t r = 0; r < frames.size(); ++r)
        fill_bills(frames[r], bill_rows, rows_of_region[r], customer_of_bill);
    if (!payments_and_tariffs) return {};
    HomeIndex bill_home;
    std::size_t bill_count = 0;
    for (const RegionFrame& frame : frames) bill_count += frame.bills.size();
    bill_home.reserve(bill_count);
    for (std::size_t r = 0; r < frames.size(); ++r)
        for (std::size_t b = 0; b < frames[r].bills.size(); ++b)
            bill_home.emplace(frames[r].bills.id[b], Home{r, static_cast<std::uint32_t>(b)});

    // Payments.
    const TableSpec& payment_spec = *find_table("payments");
    GA_ASSIGN_OR_RETURN(const auto payment_rows, store.read_rows(payment_spec));
    const RowReader payments(payment_spec);
    const int p_id = payments.index("payment_id"), p_bill = payments.index("bill_id"),
              p_customer = payments.index("customer_id"), p_day = payments.index("paid_on"),
              p_amount = payments.index("amount"), p_channel = payments.index("channel"),
              p_fee = payments.index("late_fee"), p_waiver = payments.index("late_fee_waiver");
    // Each payment's customer and bill looked up once; its region its customer's, else its bill's.
    std::vector<std::vector<std::size_t>> payments_of_region(frames.size());
    std::vector<Home> payer(payment_rows.size()), paid_bill(payment_rows.size());
    for (std::size_t i = 0; i < payment_rows.size(); ++i) {
        const std::string_view customer_id = RowReader::text_view(payment_rows[i], p_customer);
        const std::string_view bill_id = RowReader::text_view(payment_rows[i], p_bill);
        payer[i] = customer_id.empty() ? no_home : home_of(customer_home, customer_id);
        paid_bill[i] = home_of(bill_home, bill_id);
        const Home& home = payer[i].region != no_home.region ? payer[i] : bill_id.empty() ? no_home : paid_bill[i];
        if (home.region != no_home.region) payments_of_region[home.region].push_back(i);
    }
    for (std::size_t r = 0; r < frames.size(); ++r) {
        auto& rows = payments_of_region[r];
        std::stable_sort(rows.begin(), rows.end(), [&](std::size_t a, std::size_t b) {
            return std::make_tuple(RowReader::text_view(payment_rows[a], p_bill),
                                   RowReader::date(payment_rows[a], p_day)) <
                   std::make_tuple(RowReader::text_view(payment_rows[b], p_bill),
                                   RowReader::date(payment_rows[b], p_day));
        });
        PaymentColumns& columns = frames[r].payments;
        for (const std::size_t i : rows) {
            const Row& row = payment_rows[i];
            columns.id.push_back(RowReader::text(row, p_id));
            columns.bill.push_back(paid_bill[i].region == r ? BillIndex(paid_bill[i].index) : BillIndex());
            columns.bill_id.push_back(RowReader::text(row, p_bill));
            columns.customer.push_back(payer[i].region == r ? CustomerIndex(payer[i].index) : CustomerIndex());
            columns.paid_on.push_back(RowReader::date(row, p_day).value_or(CivilDate()));
            columns.amount.push_back(RowReader::money(row, p_amount).value_or(Money()));
            columns.channel.push_back(RowReader::text(row, p_channel));
            columns.late_fee.push_back(RowReader::money(row, p_fee));
            columns.late_fee_waiver.push_back(RowReader::text(row, p_waiver));
        }
    }

    // Tariffs: one book for every frame.
    GA_ASSIGN_OR_RETURN(const auto documents, store.tariffs());
    std::shared_ptr<const TariffBook> book;
    std::shared_ptr<const std::vector<UnusableTariff>> unusable;
    if (!documents.empty()) {
        UsableTariffBook built = TariffBook::usable_from_documents(documents);
        book = std::make_shared<const TariffBook>(std::move(built.book));
        if (!built.unusable.empty())
            unusable = std::make_shared<const std::vector<UnusableTariff>>(std::move(built.unusable));
    }
    for (RegionFrame& frame : frames) {
        frame.tariffs = book;
        frame.unusable_tariffs = unusable;
    }
    return {};
}

Result<CollectionColumns> load_collections(Store& store) {
    const TableSpec& spec = *find_table("collections");
    GA_ASSIGN_OR_RETURN(const auto rows, store.read_rows(spec));
    const RowReader reader(spec);
    const int day = reader.index("day"), channel = reader.index("channel"), count = reader.index("payments"),
              amount = reader.index("amount");
    std::vector<std::size_t> order(rows.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return std::make_tuple(RowReader::date(rows[a], day), RowReader::text(rows[a], channel)) <
               std::make_tuple(RowReader::date(rows[b], day), RowReader::text(rows[b], channel));
    });
    CollectionColumns collections;
    for (const std::size_t i : order) {
        collections.day.push_back(RowReader::date(rows[i], day).value_or(CivilDate()));
        collections.channel.push_back(RowReader::text(rows[i], channel));
        collections.payments.push_back(static_cast<std::int64_t>(RowReader::number(rows[i], count)));
        collections.amount.push_back(RowReader::money(rows[i], amount).value_or(Money()));
    }
    return collections;
}

}  // namespace gridaudit
