// Tests of civil dates, periods and instants: strict parsing and calendar arithmetic.
#include "core/time.hpp"

#include <gtest/gtest.h>

namespace gridaudit {
namespace {

TEST(CivilDateTest, ParsesAndRoundTrips) {
    const auto date = CivilDate::parse("2026-10-31");
    ASSERT_TRUE(date);
    EXPECT_EQ(date->year(), 2026);
    EXPECT_EQ(date->month(), 10u);
    EXPECT_EQ(date->day(), 31u);
    EXPECT_EQ(date->to_string(), "2026-10-31");
    EXPECT_EQ(CivilDate::parse("1970-01-01")->days_since_epoch(), 0);
}

TEST(CivilDateTest, RejectsImpossibleAndMalformedDates) {
    for (const char* bad : {"2026-02-29", "2026-13-01", "2026-00-10", "2026-1-01", "26-01-01", "2026/01/01",
                            "2026-01-01T00:00", "", "2024-02-30"})
        EXPECT_FALSE(CivilDate::parse(bad).has_value()) << bad;
    EXPECT_TRUE(CivilDate::parse("2024-02-29").has_value());
}

TEST(CivilDateTest, KnowsTheWeekday) {
    EXPECT_EQ(CivilDate::parse("2026-11-29")->weekday_from_monday(), 6u);  // a Sunday
    EXPECT_EQ(CivilDate::parse("1969-12-29")->weekday_from_monday(), 0u);  // a Monday before the epoch
}

TEST(PeriodTest, ParsesAndKnowsItsDays) {
    const auto period = Period::parse("2024-02");
    ASSERT_TRUE(period);
    EXPECT_EQ(period->day_count(), 29);
    EXPECT_EQ(period->last_day().to_string(), "2024-02-29");
    EXPECT_EQ((*period + 11).to_string(), "2025-01");
    EXPECT_EQ(Period::of(*CivilDate::parse("2026-10-31")).to_string(), "2026-10");
    EXPECT_FALSE(Period::parse("2024-2").has_value());
    EXPECT_FALSE(Period::parse("2024-13").has_value());
}

TEST(InstantTest, AppliesTheOffset) {
    const auto local = Instant::parse("2026-10-31T00:15:00+08:00");
    const auto utc = Instant::parse("2026-10-30T16:15:00Z");
    ASSERT_TRUE(local && utc);
    EXPECT_EQ(*local, *utc);
    EXPECT_EQ(local->civil_date(480).to_string(), "2026-10-31");
    EXPECT_EQ(local->civil_date(0).to_string(), "2026-10-30");
    EXPECT_EQ(local->to_string(480), "2026-10-31T00:15:00+08:00");
    EXPECT_EQ(Instant::parse("2026-10-31 00:15+08:00")->unix_seconds(), local->unix_seconds());
}

TEST(InstantTest, RequiresAnOffset) {
    for (const char* bad : {"2026-10-31T00:15:00", "2026-10-31T24:00:00Z", "2026-10-31T00:15:00+8:00",
                            "2026-10-31T00:15:00+08:00x", "2026-10-31"})
        EXPECT_FALSE(Instant::parse(bad).has_value()) << bad;
}

}  // namespace
}  // namespace gridaudit
