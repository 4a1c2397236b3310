// Tests of the generator's holiday calendar and working-day arithmetic.
#include "generator/china_calendar.hpp"

#include <gtest/gtest.h>

namespace gridaudit {
namespace {

CivilDate day(int y, unsigned m, unsigned d) { return CivilDate::from_ymd(y, m, d); }

TEST(ChinaCalendarTest, KnowsTheSpringFestivalWeekAndItsShoulders) {
    EXPECT_EQ(holiday_kind(day(2026, 2, 17)), HolidayKind::spring_festival);  // lunar new year 2026
    EXPECT_EQ(holiday_kind(day(2026, 2, 16)), HolidayKind::spring_festival);  // eve
    EXPECT_EQ(holiday_kind(day(2026, 2, 23)), HolidayKind::spring_festival);
    EXPECT_EQ(holiday_kind(day(2026, 2, 24)), HolidayKind::spring_festival_shoulder);
    EXPECT_EQ(holiday_kind(day(2026, 2, 10)), HolidayKind::spring_festival_shoulder);
    EXPECT_EQ(holiday_kind(day(2025, 1, 29)), HolidayKind::spring_festival);
    EXPECT_EQ(holiday_kind(day(2026, 3, 20)), HolidayKind::none);
}

TEST(ChinaCalendarTest, KnowsTheFixedHolidays) {
    EXPECT_EQ(holiday_kind(day(2026, 10, 1)), HolidayKind::public_holiday);
    EXPECT_EQ(holiday_kind(day(2026, 10, 7)), HolidayKind::public_holiday);
    EXPECT_EQ(holiday_kind(day(2026, 10, 8)), HolidayKind::none);
    EXPECT_EQ(holiday_kind(day(2026, 5, 3)), HolidayKind::public_holiday);
    EXPECT_EQ(holiday_kind(day(2026, 1, 1)), HolidayKind::public_holiday);
    EXPECT_EQ(holiday_kind(day(2026, 9, 25)), HolidayKind::public_holiday);  // Mid-Autumn 2026
}

TEST(ChinaCalendarTest, CountsWorkingDaysWithoutWeekendsAndHolidays) {
    // Friday 2026-10-09 to Friday 2026-10-16: Mon..Fri of the next week.
    EXPECT_EQ(working_days_between(day(2026, 10, 9), day(2026, 10, 16)), 5);
    // Across National Day: Tuesday 2026-09-29 to Thursday 2026-10-08 -> 09-30, 10-08.
    EXPECT_EQ(working_days_between(day(2026, 9, 29), day(2026, 10, 8)), 2);
    EXPECT_EQ(working_days_between(day(2026, 10, 8), day(2026, 10, 8)), 0);
    EXPECT_EQ(add_working_days(day(2026, 10, 9), 5), day(2026, 10, 16));
    EXPECT_EQ(add_working_days(day(2026, 10, 16), -5), day(2026, 10, 9));
    EXPECT_FALSE(is_working_day(day(2026, 10, 10)));  // Saturday
    EXPECT_TRUE(is_working_day(day(2026, 10, 12)));
}

}  // namespace
}  // namespace gridaudit
