// Tests of loading the fee accounts into region frames: bills by customer and period, payments
// in their payer's region, TOU registers beside the total read, the tariff book, collections.
#include "frame/billing_loader.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "frame/frame_loader.hpp"
#include "store/batch_builder.hpp"
#include "support/result_assertions.hpp"

namespace gridaudit {
namespace {

using namespace gridaudit::testing;

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::stringstream content;
    content << in.rdbuf();
    return content.str();
}

FieldValue none() {
    return missing();
}

// Two regions (substations S1 and S2), customer C1 in S1 and C2 in S2.
BatchBuilder two_regions() {
    BatchBuilder builder("billing");
    builder.row("network", {text("S1"), none(), text("substation"), text("S1"), none(), none(), none()})
        .row("network", {text("S2"), none(), text("substation"), text("S2"), none(), none(), none()})
        .row("customers", {text("C1"), text("One"), none(), text("S1"), text("residential"), none(), decimal(0.22),
                           decimal(8), text("RES-TIER"), none(), text("active"), date("2020-01-01"), none(), none()})
        .row("customers", {text("C2"), text("Two"), none(), text("S2"), text("commercial"), none(), decimal(0.38),
                           decimal(50), text("RES-TIER"), none(), text("active"), date("2020-01-01"), none(), none()})
        .row("meters", {text("M1"), text("C1"), none(), text("DDZY"), text("2.0"), integer(1), decimal(5), text("1"),
                        text("1"), none(), none(), decimal(1), date("2020-01-01"), none(), none()})
        .row("register_reads", {text("M1"), date("2026-09-30"), text("total"), decimal(1300), text("ami"), none()})
        .row("register_reads", {text("M1"), date("2026-09-30"), text("peak"), decimal(400), text("ami"), none()})
        .row("register_reads", {text("M1"), date("2026-09-30"), text("valley"), decimal(450), text("ami"), none()})
        .row("register_reads", {text("M1"), date("2026-08-31"), text("total"), decimal(1000), text("ami"), none()});
    const auto bill = [&](std::string_view id, std::string_view customer, std::string_view month, std::string_view total,
                          FieldValue status) {
        builder.row("bills", {text(id), text(customer), period(month), decimal(100), none(), none(), none(), none(),
                              none(), money(total), none(), none(), money("3"), money(total), date("2026-10-03"),
                              date("2026-10-18"), none(), money("0"), text("meter rental"), std::move(status)});
    };
    bill("B1", "C1", "2026-09", "53.80", text("paid"));
    bill("B0", "C1", "2026-08", "50.00", none());
    bill("B2", "C2", "2026-09", "70.00", text("unpaid"));
    const auto payment = [&](std::string_view id, FieldValue bill_id, FieldValue customer, std::string_view day) {
        builder.row("payments", {text(id), std::move(bill_id), std::move(customer), date(day), money("10"),
                                 text("online"), money("0.50"), none(), none()});
    };
    payment("P1", text("B1"), text("C1"), "2026-10-05");
    payment("P2", none(), text("C2"), "2026-10-06");
    payment("P3", text("B2"), none(), "2026-10-07");
    payment("P4", text("B1"), text("C2"), "2026-10-08");
    builder.row("collections", {date("2026-10-06"), text("online"), integer(1), money("10.50")})
        .row("collections", {date("2026-10-05"), text("online"), integer(1), money("10.50")});
    return builder;
}

std::unique_ptr<Store> store_with(BatchBuilder& builder, const TemporaryDirectory& directory) {
    auto store = value_of(Store::open(directory.file("store.db")));
    (void)value_of(store->apply_batch(builder.batch(), {}));
    return store;
}

TEST(BillingLoaderTest, BillsArePlacedByCustomerAndSortedByPeriod) {
    TemporaryDirectory directory;
    auto builder = two_regions();
    auto store = store_with(builder, directory);
    const auto frames = load_region_frames(*store, FrameOptions{});
    ASSERT_TRUE(frames.has_value()) << frames.error().message();
    ASSERT_EQ(frames->size(), 2u);
    const RegionFrame& s1 = (*frames)[0].substation_id == "S1" ? (*frames)[0] : (*frames)[1];
    const RegionFrame& s2 = (*frames)[0].substation_id == "S1" ? (*frames)[1] : (*frames)[0];
    ASSERT_EQ(s1.bills.size(), 2u);
    EXPECT_EQ(s1.bills.id[0], "B0");  // 2026-08 before 2026-09
    EXPECT_EQ(s1.bills.id[1], "B1");
    EXPECT_EQ(s1.bills.payment_status[0], PaymentStatus::not_stated);
    EXPECT_EQ(s1.bills.payment_status[1], PaymentStatus::paid);
    EXPECT_EQ(s1.bills.total[1], Money::from_units(538'000));
    EXPECT_EQ(s1.bills.surcharges[1], Money::from_units(30'000));
    EXPECT_FALSE(s1.bills.fixed_charges[1].has_value());
    EXPECT_EQ(s1.bills.other_charges[1], Money());
    EXPECT_FALSE(s1.bills.basic_charge[1].has_value());
    EXPECT_EQ(s1.bills.other_charges_item[1], "meter rental");
    EXPECT_EQ(s1.bills.first_of_customer, (std::vector<std::uint32_t>{0, 2}));
    ASSERT_EQ(s2.bills.size(), 1u);
    EXPECT_EQ(s2.bills.id[0], "B2");
    EXPECT_EQ(s2.bills.payment_status[0], PaymentStatus::unpaid);
}

TEST(BillingLoaderTest, PaymentsGoToThePayersRegionOrElseTheBills) {
    TemporaryDirectory directory;
    auto builder = two_regions();
    auto store = store_with(builder, directory);
    const auto frames = load_region_frames(*store, FrameOptions{});
    ASSERT_TRUE(frames.has_value());
    const RegionFrame& s1 = (*frames)[0].substation_id == "S1" ? (*frames)[0] : (*frames)[1];
    const RegionFrame& s2 = (*frames)[0].substation_id == "S1" ? (*frames)[1] : (*frames)[0];
    ASSERT_EQ(s1.payments.size(), 1u);
    EXPECT_EQ(s1.payments.id[0], "P1");
    EXPECT_EQ(s1.payments.bill[0], BillIndex(1));
    EXPECT_EQ(s1.payments.late_fee[0], Money::from_units(5'000));
    ASSERT_EQ(s2.payments.size(), 3u);
    // Sorted by bill id, then day: "" (P2), "B1" (P4, a bill of the other region), "B2" (P3).
    EXPECT_EQ(s2.payments.id[0], "P2");
    EXPECT_FALSE(s2.payments.bill[0].valid());
    EXPECT_EQ(s2.payments.id[1], "P4");
    EXPECT_FALSE(s2.payments.bill[1].valid());
    EXPECT_EQ(s2.payments.bill_id[1], "B1");
    EXPECT_EQ(s2.payments.id[2], "P3");
    EXPECT_EQ(s2.payments.bill[2], BillIndex(0));
    EXPECT_FALSE(s2.payments.customer[2].valid());
}

TEST(BillingLoaderTest, TimeOfUseRegistersSitBesideTheTotalRead) {
    TemporaryDirectory directory;
    auto builder = two_regions();
    auto store = store_with(builder, directory);
    const auto frames = load_region_frames(*store, FrameOptions{});
    ASSERT_TRUE(frames.has_value());
    const RegionFrame& s1 = (*frames)[0].substation_id == "S1" ? (*frames)[0] : (*frames)[1];
    ASSERT_EQ(s1.billing_reads.size(), 2u);
    EXPECT_EQ(s1.billing_reads.read_on[0], day("2026-08-31"));
    EXPECT_TRUE(std::isnan(s1.billing_reads.peak[0]));
    EXPECT_EQ(s1.billing_reads.value[1], 1300);
    EXPECT_EQ(s1.billing_reads.peak[1], 400);
    EXPECT_TRUE(std::isnan(s1.billing_reads.flat[1]));
    EXPECT_EQ(s1.billing_reads.valley[1], 450);
}

TEST(BillingLoaderTest, EveryFrameSharesTheTariffBookAndTheTariffsLeftOut) {
    TemporaryDirectory directory;
    auto builder = two_regions();
    builder.tariff("RES-TIER", read_file(GRIDAUDIT_CASES_DIR "/billing/tariffs/residential_tiered.json"));
    auto store = store_with(builder, directory);
    const auto frames = load_region_frames(*store, FrameOptions{});
    ASSERT_TRUE(frames.has_value());
    ASSERT_NE((*frames)[0].tariffs, nullptr);
    EXPECT_EQ((*frames)[0].tariffs, (*frames)[1].tariffs);
    EXPECT_TRUE((*frames)[0].tariffs->find("RES-TIER", day("2026-09-30")).has_value());

    EXPECT_EQ((*frames)[0].unusable_tariffs, nullptr);

    // Issue 12 item 1: one tariff that cannot be used leaves out only itself.
    TemporaryDirectory broken_directory;
    auto broken = two_regions();
    broken.tariff("RES-TIER", read_file(GRIDAUDIT_CASES_DIR "/billing/tariffs/residential_tiered.json"));
    broken.tariff("BAD", R"({"id": "BAD", "energy": {"periods": []}})");
    auto broken_store = store_with(broken, broken_directory);
    const auto broken_frames = load_region_frames(*broken_store, FrameOptions{});
    ASSERT_TRUE(broken_frames.has_value()) << "a tariff that cannot be parsed must not fail the load";
    const RegionFrame& frame = (*broken_frames)[0];
    ASSERT_NE(frame.tariffs, nullptr);
    EXPECT_TRUE(frame.tariffs->find("RES-TIER", day("2026-09-30")).has_value());
    EXPECT_TRUE(frame.tariffs->versions("BAD").empty());
    ASSERT_NE(frame.unusable_tariff("BAD"), nullptr);
    EXPECT_NE(frame.unusable_tariff("BAD")->reason, "");
    EXPECT_EQ(frame.unusable_tariff("RES-TIER"), nullptr);
    EXPECT_EQ((*broken_frames)[1].unusable_tariffs, frame.unusable_tariffs);
}

TEST(BillingLoaderTest, CollectionsAreSortedByDayAndChannel) {
    TemporaryDirectory directory;
    auto builder = two_regions();
    auto store = store_with(builder, directory);
    const auto collections = load_collections(*store);
    ASSERT_TRUE(collections.has_value());
    ASSERT_EQ(collections->size(), 2u);
    EXPECT_EQ(collections->day[0], day("2026-10-05"));
    EXPECT_EQ(collections->day[1], day("2026-10-06"));
    EXPECT_EQ(collections->amount[1], Money::from_units(105'000));
    EXPECT_EQ(collections->payments[1], 1);
}

}  // namespace
}  // namespace gridaudit
