// Tests of loading meter events and the customers' descriptive columns into region frames: each
// event in its meter's frame, sorted by meter then instant, with its local day; name, address,
// unit and industry of customers and the unit of network nodes carried as exported.
#include "frame/meter_event_loader.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "frame/frame_loader.hpp"
#include "store/batch_builder.hpp"

namespace gridaudit {
namespace {

using namespace gridaudit::testing;

TEST(MeterEventLoaderTest, EventsFollowTheirMetersSortedByInstantWithTheLocalDay) {
    TemporaryDirectory directory;
    BatchBuilder builder("events");
    builder.substation("S1").substation("S2").customer("C1", "S1").customer("C2", "S2").meter("M1", "C1").meter(
        "M2", "C2");
    const auto event = [&](std::string_view meter, std::string_view at, std::string_view code, FieldValue duration) {
        builder.row("meter_events", {text(meter), instant(at), text(code), missing(), std::move(duration)});
    };
    event("M1", "2026-10-03T02:00:00+08:00", "power_on", missing());
    event("M2", "2026-10-01T12:00:00+08:00", "cover_open", missing());
    event("M1", "2026-10-02T23:30:00+00:00", "power_off", integer(3600));  // 2026-10-03 07:30 at +08:00
    event("M1", "2026-10-01T16:30:00+00:00", "power_off", integer(600));   // 2026-10-02 00:30 at +08:00
    auto store = Store::open(directory.file("store.db"));
    ASSERT_TRUE(store.has_value());
    ASSERT_TRUE((*store)->apply_batch(builder.batch(), {}).has_value());
    const auto frames = load_region_frames(**store, FrameOptions{});
    ASSERT_TRUE(frames.has_value()) << frames.error().message();
    ASSERT_EQ(frames->size(), 2u);
    for (const RegionFrame& frame : *frames) {
        const MeterEventColumns& events = frame.meter_events;
        if (frame.substation_id == "S2") {
            ASSERT_EQ(events.size(), 1u);
            EXPECT_EQ(events.code[0], "cover_open");
            EXPECT_EQ(frame.meters.id[events.meter[0].value()], "M2");
            EXPECT_TRUE(std::isnan(events.duration_s[0]));
            continue;
        }
        ASSERT_EQ(events.size(), 3u);
        EXPECT_EQ(events.code, (std::vector<std::string>{"power_off", "power_on", "power_off"}));
        EXPECT_EQ(events.day[0], *CivilDate::parse("2026-10-02")) << "the local day at +08:00, not the UTC day";
        EXPECT_EQ(events.day[2], *CivilDate::parse("2026-10-03"));
        EXPECT_EQ(events.duration_s[0], 600.0);
        EXPECT_EQ(events.duration_s[2], 3600.0);
        for (std::size_t i = 1; i < events.size(); ++i) EXPECT_LE(events.at[i - 1], events.at[i]);
    }
}

TEST(MeterEventLoaderTest, CustomersCarryNameAddressUnitAndIndustryAndNodesTheirUnit) {
    TemporaryDirectory directory;
    BatchBuilder builder("descriptive");
    builder.row("org_units", {text("U1"), missing(), text("Anji"), text("company")});
    builder.row("network", {text("S1"), missing(), text("substation"), text("Station"), text("U1"), decimal(40000),
                            missing()});
    builder.row("customers", {text("C1"), text("Li Ming"), text("U1"), text("S1"), text("industrial"), text("C13"),
                              decimal(10), decimal(400), text("IND"), decimal(0.9), text("active"),
                              date("2019-04-01"), missing(), text("Dipu Road 12")});
    auto store = Store::open(directory.file("store.db"));
    ASSERT_TRUE(store.has_value());
    const auto applied = (*store)->apply_batch(builder.batch(), {});
    ASSERT_TRUE(applied.has_value()) << applied.error().message();
    const auto frames = load_region_frames(**store, FrameOptions{});
    ASSERT_TRUE(frames.has_value()) << frames.error().message();
    ASSERT_EQ(frames->size(), 1u);
    const RegionFrame& frame = frames->front();
    ASSERT_EQ(frame.customers.size(), 1u);
    EXPECT_EQ(frame.customers.name[0], "Li Ming");
    EXPECT_EQ(frame.customers.address[0], "Dipu Road 12");
    EXPECT_EQ(frame.customers.unit_id[0], "U1");
    EXPECT_EQ(frame.customers.industry[0], "C13");
    ASSERT_EQ(frame.network.size(), 1u);
    EXPECT_EQ(frame.network.unit_id[0], "U1");
}

}  // namespace
}  // namespace gridaudit
