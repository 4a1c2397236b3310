// TariffBook: versions of a tariff by date, overlap refusal, shared calendars resolved at build.
#include "tariff/tariff_book.hpp"

#include <gtest/gtest.h>

#include <string>

#include "tariff/pricing_engine.hpp"
#include "tariff/tariff_json.hpp"

namespace gridaudit {
namespace {

CivilDate day(const char* text) { return *CivilDate::parse(text); }

// A flat tariff `id` at `price`, with optional validity dates and calendar member text.
std::string tariff_text(const std::string& id, const std::string& price, const std::string& from = "",
                        const std::string& to = "", const std::string& calendar = "") {
    std::string text = R"({"format": "gridaudit-tariff/1", "id": ")" + id + R"(", "name": "x", "currency": "CNY")";
    if (!from.empty()) text += R"(, "effective_from": ")" + from + "\"";
    if (!to.empty()) text += R"(, "effective_to": ")" + to + "\"";
    if (!calendar.empty()) text += R"(, "calendar": )" + calendar;
    text += R"(, "energy": {"price": )" + price + "}}";
    return text;
}

Tariff parsed(const std::string& text, const std::string& source) {
    auto tariff = parse_tariff_json(text, source);
    EXPECT_TRUE(tariff) << (tariff ? "" : tariff.error().message());
    return tariff ? *tariff : Tariff{};
}

// Two time-of-use periods: peak on workdays 08:00-22:00, valley otherwise, so a day's type shows in the bill.
std::string tou_text(const std::string& id, const std::string& calendar) {
    return R"({"format": "gridaudit-tariff/1", "id": ")" + id + R"(", "name": "x", "currency": "CNY", "calendar": )" +
           calendar + R"(,
      "energy": {"periods": [{"name": "peak", "kind": "peak", "price": 1}, {"name": "valley", "kind": "valley", "price": 0.3}],
                 "schedule": [{"days": ["workday"], "hours": {"peak": ["08:00-22:00"], "valley": ["22:00-08:00"]}},
                              {"days": ["weekend", "holiday"], "hours": {"valley": ["00:00-24:00"]}}]}})";
}

SharedCalendar calendar_of(const std::string& text, const std::string& source) {
    auto calendar = parse_calendar_json(text, source);
    EXPECT_TRUE(calendar) << (calendar ? "" : calendar.error().message());
    return calendar ? *calendar : SharedCalendar{};
}

TariffDocument document(const std::string& id, const std::string& file, const std::string& json) {
    TariffDocument stored;
    stored.id = id;
    stored.file = file;
    stored.json = json;
    return stored;
}

const std::string cn_2026 = R"({"kind": "calendar", "id": "CN-2026", "name": "China 2026",
  "holidays": [{"from": "2026-10-01", "to": "2026-10-07"}], "working_days": ["2026-09-27", "2026-10-10"]})";

TEST(TariffBookTest, FindsTheVersionInForceOnEachDay) {
    std::vector<Tariff> tariffs{parsed(tariff_text("RES", "0.60", "2026-07-01"), "b.json"),
                                parsed(tariff_text("RES", "0.50", "2026-01-01", "2026-06-30"), "a.json"),
                                parsed(tariff_text("COM", "0.90"), "c.json")};
    auto book = TariffBook::build(std::move(tariffs));
    ASSERT_TRUE(book) << book.error().message();
    EXPECT_EQ(book->ids(), (std::vector<std::string>{"COM", "RES"}));
    ASSERT_EQ(book->versions("RES").size(), 2u);
    EXPECT_EQ(book->versions("RES")[0].source, "a.json");  // by effective_from

    auto june = book->find("RES", day("2026-06-30"));
    ASSERT_TRUE(june) << june.error().message();
    EXPECT_EQ((*june)->source, "a.json");
    auto july = book->find("RES", day("2026-07-01"));
    ASSERT_TRUE(july);
    EXPECT_EQ((*july)->source, "b.json");
    auto later = book->find("RES", day("2031-01-01"));  // open end
    ASSERT_TRUE(later);
    EXPECT_EQ((*later)->source, "b.json");
    // A version without dates covers all time.
    auto old = book->find("COM", day("1990-01-01"));
    ASSERT_TRUE(old);
    EXPECT_EQ((*old)->id, "COM");
}

TEST(TariffBookTest, ADayNoVersionCoversIsAUserErrorNamingIdAndDay) {
    auto book = TariffBook::build({parsed(tariff_text("RES", "0.50", "2026-01-01", "2026-06-30"), "a.json"),
                                   parsed(tariff_text("RES", "0.60", "2026-08-01"), "b.json")});
    ASSERT_TRUE(book) << book.error().message();
    auto gap = book->find("RES", day("2026-07-15"));
    ASSERT_FALSE(gap);
    EXPECT_EQ(gap.error().kind(), ErrorClass::user);
    EXPECT_EQ(gap.error().message(),
              "no version of tariff RES is in force on 2026-07-15 (versions: 2026-01-01 to 2026-06-30 (a.json), "
              "from 2026-08-01 (b.json))");
    auto before = book->find("RES", day("2025-12-31"));
    ASSERT_FALSE(before);
    EXPECT_NE(before.error().message().find("no version of tariff RES is in force on 2025-12-31"), std::string::npos);
    auto unknown = book->find("XYZ", day("2026-01-01"));
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().kind(), ErrorClass::user);
    EXPECT_EQ(unknown.error().message(), "no version of tariff XYZ is in force on 2026-01-01: no tariff has this id");
}

TEST(TariffBookTest, RefusesOverlappingVersionsNamingBothSources) {
    auto book = TariffBook::build({parsed(tariff_text("RES", "0.50", "2026-01-01", "2026-06-30"), "tariffs/a.json"),
                                   parsed(tariff_text("RES", "0.60", "2026-06-30"), "tariffs/b.json")});
    ASSERT_FALSE(book);
    EXPECT_EQ(book.error().kind(), ErrorClass::user);
    EXPECT_EQ(book.error().message(),
              "tariff RES: versions overlap: tariffs/a.json (2026-01-01 to 2026-06-30) and tariffs/b.json (from "
              "2026-06-30) are both in force on 2026-06-30");
}

TEST(TariffBookTest, AnUndatedVersionOverlapsEveryOther) {
    auto book = TariffBook::build({parsed(tariff_text("RES", "0.50", "2026-01-01"), "a.json"),
                                   parsed(tariff_text("RES", "0.60"), "b.json")});
    ASSERT_FALSE(book);
    EXPECT_EQ(book.error().message(),
              "tariff RES: versions overlap: b.json (all dates) and a.json (from 2026-01-01) are both in force on "
              "2026-01-01");
    auto twice = TariffBook::build({parsed(tariff_text("RES", "0.50"), "a.json"),
                                    parsed(tariff_text("RES", "0.60"), "b.json")});
    ASSERT_FALSE(twice);
    EXPECT_NE(twice.error().message().find("a.json (all dates) and b.json (all dates) are both in force on every date"),
              std::string::npos)
        << twice.error().message();
    // Adjacent, not overlapping: the day after effective_to.
    auto adjacent = TariffBook::build({parsed(tariff_text("RES", "0.50", "", "2025-12-31"), "a.json"),
                                       parsed(tariff_text("RES", "0.60", "2026-01-01"), "b.json")});
    ASSERT_TRUE(adjacent) << adjacent.error().message();
    EXPECT_EQ((*adjacent->find("RES", day("2025-12-31")))->source, "a.json");
    EXPECT_EQ((*adjacent->find("RES", day("2026-01-01")))->source, "b.json");
}

TEST(TariffBookTest, ResolvesSharedCalendarsWhenBuilt) {
    auto book = TariffBook::build({parsed(tou_text("COM", R"("CN-2026")"), "com.json")},
                                  {calendar_of(cn_2026, "calendars/cn-2026.json")});
    ASSERT_TRUE(book) << book.error().message();
    auto tariff = book->find("COM", day("2026-10-01"));
    ASSERT_TRUE(tariff);
    EXPECT_FALSE((*tariff)->calendar_pending);
    EXPECT_EQ((*tariff)->calendar_id, "CN-2026");
    EXPECT_EQ((*tariff)->calendar.day_type(day("2026-10-02")), DayType::holiday);   // Friday, holiday
    EXPECT_EQ((*tariff)->calendar.day_type(day("2026-10-10")), DayType::workday);   // working Saturday
    EXPECT_EQ((*tariff)->calendar.day_type(day("2026-10-11")), DayType::weekend);   // Sunday
    EXPECT_EQ((*tariff)->energy_period_at(day("2026-10-02"), 40), 1);               // 10:00 on a holiday: valley
    EXPECT_EQ((*tariff)->energy_period_at(day("2026-10-10"), 40), 0);               // 10:00 worked Saturday: peak
    ASSERT_EQ(book->calendars().size(), 1u);
    EXPECT_EQ(book->calendars()[0].name, "China 2026");
}

TEST(TariffBookTest, AnUnknownCalendarIsAUserErrorNamingTheSourceAndTheId) {
    auto book = TariffBook::build({parsed(tou_text("COM", R"("CN-2027")"), "tariffs/com.json")},
                                  {calendar_of(cn_2026, "cn-2026.json")});
    ASSERT_FALSE(book);
    EXPECT_EQ(book.error().kind(), ErrorClass::user);
    EXPECT_EQ(book.error().message(),
              "tariffs/com.json: calendar: tariff COM references calendar 'CN-2027', which is not loaded (loaded: "
              "CN-2026)");
}

TEST(TariffBookTest, RefusesTwoCalendarsWithOneId) {
    auto book = TariffBook::build({}, {calendar_of(cn_2026, "one.json"), calendar_of(cn_2026, "two.json")});
    ASSERT_FALSE(book);
    EXPECT_EQ(book.error().message(), "calendar CN-2026 is defined twice: in one.json and in two.json");
}

TEST(TariffBookTest, ReadsTheStoresDocumentsCalendarsIncluded) {
    const std::vector<TariffDocument> documents{
        document("COM", "com.json", tou_text("COM", R"("CN-2026")")),
        document("CN-2026", "cn-2026.json", cn_2026),
        document("RES", "res-2025.json", tariff_text("RES", "0.50", "", "2025-12-31")),
        document("RES", "res-2026.json", tariff_text("RES", "0.55", "2026-01-01")),
    };
    auto book = TariffBook::from_documents(documents);
    ASSERT_TRUE(book) << book.error().message();
    EXPECT_EQ(book->ids(), (std::vector<std::string>{"COM", "RES"}));
    EXPECT_EQ(book->calendars().size(), 1u);
    auto res = book->find("RES", day("2026-03-01"));
    ASSERT_TRUE(res);
    EXPECT_EQ((*res)->source, "tariffs/res-2026.json");
    auto com = book->find("COM", day("2026-10-01"));
    ASSERT_TRUE(com);
    EXPECT_EQ((*com)->calendar.day_type(day("2026-10-01")), DayType::holiday);

    // A malformed tariff document is reported with its file name and position.
    const std::vector<TariffDocument> broken{document("X", "x.json", R"({"format": "gridaudit-tariff/1",
 "id": "X", "name": "X", "currency": "CNY", "energy": {"price": -1}})")};
    auto refused = TariffBook::from_documents(broken);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().message().rfind("tariffs/x.json:2:", 0), 0u) << refused.error().message();
}

// Issue 12 item 1: one stored tariff the engine cannot use broke the whole book, so every
// customer's bill went unrecomputed. Now only that tariff id is left out, with its reason.
TEST(TariffBookTest, AnUnusableDocumentLeavesOutOnlyItsOwnTariff) {
    const std::vector<TariffDocument> documents{
        document("COM", "com.json", tou_text("COM", R"("CN-2026")")),
        document("CN-2026", "cn-2026.json", cn_2026),
        document("NEG", "neg.json", tariff_text("NEG", "-1")),
        document("HOL", "hol.json", tou_text("HOL", R"("XX-2026")")),
        document("RES", "res-a.json", tariff_text("RES", "0.50", "", "2026-06-30")),
        document("RES", "res-b.json", tariff_text("RES", "0.55", "2026-01-01")),
        document("IND", "ind.json", tariff_text("IND", "0.70")),
    };
    const UsableTariffBook usable = TariffBook::usable_from_documents(documents);
    EXPECT_EQ(usable.book.ids(), (std::vector<std::string>{"COM", "IND"}));
    ASSERT_EQ(usable.unusable.size(), 3u);
    EXPECT_EQ(usable.unusable[0].id, "HOL");
    EXPECT_NE(usable.unusable[0].reason.find("XX-2026"), std::string::npos) << usable.unusable[0].reason;
    EXPECT_EQ(usable.unusable[1].id, "NEG");
    EXPECT_EQ(usable.unusable[1].reason.rfind("tariffs/neg.json:", 0), 0u) << usable.unusable[1].reason;
    EXPECT_EQ(usable.unusable[2].id, "RES");
    EXPECT_NE(usable.unusable[2].reason.find("versions overlap"), std::string::npos) << usable.unusable[2].reason;
    EXPECT_TRUE(usable.book.find("COM", day("2026-10-01")).has_value());

    // A broken calendar leaves out the tariffs that name it, saying which calendar and why.
    const std::vector<TariffDocument> bad_calendar{
        document("COM", "com.json", tou_text("COM", R"("CN-2026")")),
        document("CN-2026", "cn-2026.json", R"({"kind": "calendar", "id": "CN-2026", "holidays": "no"})"),
        document("IND", "ind.json", tariff_text("IND", "0.70")),
    };
    const UsableTariffBook partly = TariffBook::usable_from_documents(bad_calendar);
    EXPECT_EQ(partly.book.ids(), std::vector<std::string>{"IND"});
    ASSERT_EQ(partly.unusable.size(), 1u);
    EXPECT_EQ(partly.unusable[0].id, "COM");
    EXPECT_NE(partly.unusable[0].reason.find("calendar CN-2026"), std::string::npos) << partly.unusable[0].reason;
}

TEST(TariffBookTest, PricingRefusesATariffWhoseCalendarWasNeverResolved) {
    const Tariff tariff = parsed(tou_text("COM", R"("CN-2026")"), "com.json");
    EXPECT_TRUE(tariff.calendar_pending);
    MonthUsage usage;
    usage.period = Period::from_year_month(2026, 10);
    usage.period_kwh = {100, 50};
    BillingState state;
    auto bill = price_month(tariff, CustomerTerms{}, usage, state);
    ASSERT_FALSE(bill);
    EXPECT_EQ(bill.error().kind(), ErrorClass::user);
    EXPECT_EQ(bill.error().message(), "tariff COM (com.json) references calendar 'CN-2026', which was not loaded");
}

}  // namespace
}  // namespace gridaudit
