// Tests of loading work orders into region frames: each order in its customer's region, orders
// without a customer in the first frame (judged once), sorted by acceptance, steps kept optional.
#include "frame/work_order_loader.hpp"

#include <gtest/gtest.h>

#include "frame/frame_loader.hpp"
#include "store/batch_builder.hpp"

namespace gridaudit {
namespace {

using namespace gridaudit::testing;

TEST(WorkOrderLoaderTest, OrdersFollowTheirCustomersAndOrphansGoToTheFirstFrame) {
    TemporaryDirectory directory;
    BatchBuilder builder("orders");
    builder.substation("S1").substation("S2").customer("C1", "S1").customer("C2", "S2");
    const auto order = [&](std::string_view id, FieldValue customer, std::string_view accepted, FieldValue connected) {
        builder.row("work_orders", {text(id), std::move(customer), text("new_connection"), text("residential"),
                                    instant(accepted), missing(), missing(), missing(), std::move(connected), missing(),
                                    missing(), missing(), missing()});
    };
    order("W3", text("C2"), "2026-10-05T09:00:00+08:00", instant("2026-10-09T15:00:00+08:00"));
    order("W2", text("C1"), "2026-10-04T09:00:00+08:00", missing());
    order("W1", text("C1"), "2026-10-01T09:00:00+08:00", missing());
    order("W0", missing(), "2026-10-02T09:00:00+08:00", missing());
    auto store = Store::open(directory.file("store.db"));
    ASSERT_TRUE(store.has_value());
    ASSERT_TRUE((*store)->apply_batch(builder.batch(), {}).has_value());
    const auto frames = load_region_frames(**store, FrameOptions{});
    ASSERT_TRUE(frames.has_value()) << frames.error().message();
    ASSERT_EQ(frames->size(), 2u);
    std::size_t total = 0;
    for (const RegionFrame& frame : *frames) {
        const WorkOrderColumns& orders = frame.work_orders;
        total += orders.id.size();
        for (std::size_t i = 1; i < orders.id.size(); ++i) EXPECT_LE(orders.accepted_at[i - 1], orders.accepted_at[i]);
        for (std::size_t i = 0; i < orders.id.size(); ++i) {
            if (orders.customer_id[i].empty()) {
                EXPECT_EQ(&frame, &frames->front()) << "an order without a customer goes to the first frame";
                EXPECT_FALSE(orders.customer[i].valid());
                continue;
            }
            ASSERT_TRUE(orders.customer[i].valid()) << orders.id[i];
            EXPECT_EQ(frame.customers.id[orders.customer[i].value()], orders.customer_id[i]);
        }
        if (frame.substation_id == "S2") {
            ASSERT_EQ(orders.id, std::vector<std::string>{"W3"});
            ASSERT_TRUE(orders.connected_at[0].has_value());
            EXPECT_EQ(*orders.connected_at[0], *Instant::parse("2026-10-09T15:00:00+08:00"));
            EXPECT_FALSE(orders.plan_at[0].has_value());
        }
    }
    EXPECT_EQ(total, 4u) << "every order is judged exactly once";
}

}  // namespace
}  // namespace gridaudit
