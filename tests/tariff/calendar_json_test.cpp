// Calendar documents: parsing, writing back, telling them from tariffs, and resolving a tariff's
// reference. Malformed documents are data-driven cases (tests/cases/tariff/calendars.test).
#include "tariff/calendar_json.hpp"

#include <gtest/gtest.h>

#include "tariff/tariff_json.hpp"

namespace gridaudit {
namespace {

CivilDate day(const char* text) { return *CivilDate::parse(text); }

const char* const cn_2026 = R"({"kind": "calendar", "id": "CN-2026", "name": "China 2026",
  "description": "State Council holiday notice",
  "weekend": ["saturday", "sunday"],
  "holidays": ["2026-01-01", {"from": "2026-10-01", "to": "2026-10-07"}],
  "working_days": ["2026-09-27", "2026-10-10"]})";

TEST(CalendarJsonTest, ParsesACalendarDocument) {
    auto calendar = parse_calendar_json(cn_2026, "cn-2026.json");
    ASSERT_TRUE(calendar) << calendar.error().message();
    EXPECT_EQ(calendar->id, "CN-2026");
    EXPECT_EQ(calendar->name, "China 2026");
    EXPECT_EQ(calendar->source, "cn-2026.json");
    EXPECT_EQ(calendar->calendar.weekend_days, 0b1100000);
    EXPECT_EQ(calendar->calendar.holidays.size(), 8u);
    EXPECT_EQ(calendar->calendar.working_days.size(), 2u);
    EXPECT_EQ(calendar->calendar.day_type(day("2026-01-01")), DayType::holiday);  // Thursday
    EXPECT_EQ(calendar->calendar.day_type(day("2026-09-27")), DayType::workday);  // worked Sunday
    EXPECT_EQ(calendar->calendar.day_type(day("2026-10-04")), DayType::holiday);  // Sunday in the holiday
    EXPECT_EQ(calendar->calendar.day_type(day("2026-10-17")), DayType::weekend);
    EXPECT_EQ(calendar->calendar.day_type(day("2026-10-16")), DayType::workday);
}

TEST(CalendarJsonTest, DefaultsToASaturdaySundayWeekendWithoutHolidays) {
    auto calendar = parse_calendar_json(R"({"kind": "calendar", "id": "PLAIN"})", "plain.json");
    ASSERT_TRUE(calendar) << calendar.error().message();
    EXPECT_EQ(calendar->calendar.weekend_days, TariffCalendar{}.weekend_days);
    EXPECT_TRUE(calendar->calendar.holidays.empty());
    EXPECT_EQ(calendar->name, "");
}

TEST(CalendarJsonTest, WritesADocumentThatParsesToTheSameCalendar) {
    auto calendar = parse_calendar_json(cn_2026, "cn-2026.json");
    ASSERT_TRUE(calendar);
    const std::string text = calendar_to_json(*calendar);
    auto again = parse_calendar_json(text, "again.json");
    ASSERT_TRUE(again) << again.error().message() << "\n" << text;
    EXPECT_EQ(again->id, calendar->id);
    EXPECT_EQ(again->name, calendar->name);
    EXPECT_EQ(again->calendar.weekend_days, calendar->calendar.weekend_days);
    EXPECT_EQ(again->calendar.holidays, calendar->calendar.holidays);
    EXPECT_EQ(again->calendar.working_days, calendar->calendar.working_days);
}

TEST(CalendarJsonTest, TellsCalendarDocumentsFromTariffs) {
    EXPECT_TRUE(is_calendar_document(cn_2026));
    EXPECT_FALSE(is_calendar_document(R"({"format": "gridaudit-tariff/1", "id": "X"})"));
    EXPECT_FALSE(is_calendar_document(R"({"kind": "tariff", "id": "X"})"));
    EXPECT_FALSE(is_calendar_document(R"({"kind": "calendar",)"));  // malformed: read as a tariff, which says why
    EXPECT_FALSE(is_calendar_document(R"(["kind", "calendar"])"));
}

TEST(CalendarJsonTest, ATariffReferencesACalendarByIdAndWritesTheReferenceBack) {
    const char* text = R"({"format": "gridaudit-tariff/1", "id": "X", "name": "X", "currency": "CNY",
      "calendar": "CN-2026", "energy": {"price": 0.5}})";
    auto tariff = parse_tariff_json(text, "x.json");
    ASSERT_TRUE(tariff) << tariff.error().message();
    EXPECT_EQ(tariff->calendar_id, "CN-2026");
    EXPECT_TRUE(tariff->calendar_pending);
    EXPECT_TRUE(tariff->calendar.holidays.empty());

    auto calendar = parse_calendar_json(cn_2026, "cn-2026.json");
    ASSERT_TRUE(calendar);
    const std::vector<SharedCalendar> calendars{*calendar};
    ASSERT_TRUE(resolve_calendar(*tariff, calendars));
    EXPECT_FALSE(tariff->calendar_pending);
    EXPECT_EQ(tariff->calendar.holidays, calendar->calendar.holidays);

    const std::string written = tariff_to_json(*tariff);
    EXPECT_NE(written.find("\"calendar\": \"CN-2026\""), std::string::npos) << written;
    auto again = parse_tariff_json(written, "again.json");
    ASSERT_TRUE(again) << again.error().message();
    EXPECT_EQ(again->calendar_id, "CN-2026");
    EXPECT_TRUE(again->calendar_pending);
}

TEST(CalendarJsonTest, ResolvingLeavesInlineCalendarsAloneAndRefusesUnknownIds) {
    auto inline_calendar = parse_tariff_json(R"({"format": "gridaudit-tariff/1", "id": "X", "name": "X",
      "currency": "CNY", "calendar": {"holidays": ["2026-05-01"]}, "energy": {"price": 0.5}})",
                                             "x.json");
    ASSERT_TRUE(inline_calendar) << inline_calendar.error().message();
    ASSERT_TRUE(resolve_calendar(*inline_calendar, {}));
    EXPECT_EQ(inline_calendar->calendar.day_type(day("2026-05-01")), DayType::holiday);

    auto referenced = parse_tariff_json(R"({"format": "gridaudit-tariff/1", "id": "X", "name": "X",
      "currency": "CNY", "calendar": "NOWHERE", "energy": {"price": 0.5}})",
                                        "x.json");
    ASSERT_TRUE(referenced);
    auto status = resolve_calendar(*referenced, {});
    ASSERT_FALSE(status);
    EXPECT_EQ(status.error().kind(), ErrorClass::user);
    EXPECT_EQ(status.error().message(),
              "x.json: calendar: tariff X references calendar 'NOWHERE', which is not loaded (no calendar is loaded)");
}

}  // namespace
}  // namespace gridaudit
