// Load CSVs: the layouts, strict values with positions, interval lengths, and the monthly usage
// they give (slots, months, days connected, demand).
#include "tariff/load_series.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "tariff/tariff_file.hpp"

namespace gridaudit {
namespace {

const std::filesystem::path tariffs = std::filesystem::path(GRIDAUDIT_CASES_DIR) / "tariff" / "tariffs";

TEST(LoadSeriesTest, ReadsAnUntimedHourlyListWithOrWithoutAHeader) {
    for (const char* text : {"load_kw\n1.5\n2\n", "1.5\n2\n", "Exported Data (8760)\r\n1.5\r\n2\r\n"}) {
        const auto series = parse_load_csv(text, "load.csv", std::nullopt);
        ASSERT_TRUE(series) << series.error().message();
        ASSERT_EQ(series->intervals.size(), 2u);
        EXPECT_EQ(series->intervals[0].day, default_series_start());
        EXPECT_EQ(series->intervals[1].start_minute, 60);
        EXPECT_DOUBLE_EQ(series->intervals[1].kwh, 2.0);
        EXPECT_FALSE(series->timestamped);
    }
}

TEST(LoadSeriesTest, ReadsTimestampedIntervalsAndInfersTheirLength) {
    const auto series = parse_load_csv(
        "start,kwh,kvarh\n2026-01-01T00:00+08:00,1,0.5\n2026-01-01T00:15+08:00,2,0.5\n2026-01-01T01:00+08:00,3,0.5\n",
        "load.csv", std::nullopt);
    ASSERT_TRUE(series) << series.error().message();
    EXPECT_TRUE(series->timestamped);
    EXPECT_TRUE(series->has_reactive);
    for (const auto& interval : series->intervals) EXPECT_EQ(interval.minutes, 15);  // the most common spacing
    EXPECT_EQ(series->intervals[2].start_minute, 60);
}

TEST(LoadSeriesTest, AverageKwColumnsBecomeEnergyByIntervalLength) {
    const auto series =
        parse_load_csv("start,kw,minutes\n2026-01-01 00:00,8,15\n2026-01-01 00:15,4,15\n", "load.csv", std::nullopt);
    ASSERT_TRUE(series) << series.error().message();
    EXPECT_DOUBLE_EQ(series->intervals[0].kwh, 2.0);
    EXPECT_DOUBLE_EQ(series->intervals[1].kwh, 1.0);
}

TEST(LoadSeriesTest, RefusesBadValuesWithLineColumnAndName) {
    const auto negative = parse_load_csv("kw,kvar\n1,2\n3, -4\n", "load.csv", std::nullopt);
    ASSERT_FALSE(negative);
    EXPECT_EQ(negative.error().message(), "load.csv:3:4: kvar: must be a finite number, at least 0 (-4)");
    const auto unknown = parse_load_csv("start,kwh,volts\n", "load.csv", std::nullopt);
    ASSERT_FALSE(unknown);
    EXPECT_NE(unknown.error().message().find("load.csv:1:11: header: unknown column"), std::string::npos);
    const auto backwards =
        parse_load_csv("start,kwh\n2026-01-01T01:00,1\n2026-01-01T00:00,1\n", "load.csv", std::nullopt);
    ASSERT_FALSE(backwards);
    EXPECT_NE(backwards.error().message().find("load.csv:3:1: start: not after the previous interval's start"),
              std::string::npos);
    const auto overlap =
        parse_load_csv("start,kwh,minutes\n2026-01-01T00:00,1,60\n2026-01-01T00:30,1,30\n", "load.csv", std::nullopt);
    ASSERT_FALSE(overlap);
    EXPECT_NE(overlap.error().message().find("overlaps the previous interval of 60 minutes"), std::string::npos);
    const auto timed_with_start =
        parse_load_csv("start,kwh\n2026-01-01T00:00,1\n", "load.csv", CivilDate::from_ymd(2026, 1, 1));
    EXPECT_FALSE(timed_with_start);
    EXPECT_FALSE(parse_load_csv("kw\n1\nx\n", "load.csv", std::nullopt));
    EXPECT_FALSE(parse_load_csv("kw\n1\nnan\n", "load.csv", std::nullopt));
    EXPECT_FALSE(parse_load_csv("", "load.csv", std::nullopt));
}

TEST(LoadSeriesTest, ReadsRfc4180QuotingAndSkipsBlankLines) {
    const auto series = parse_load_csv("\"kw\",\"kvar\"\n \t\n\"1.5\", 2\n\n3,4\n", "load.csv", std::nullopt);
    ASSERT_TRUE(series) << series.error().message();
    ASSERT_EQ(series->intervals.size(), 2u);
    EXPECT_DOUBLE_EQ(series->intervals[0].kwh, 1.5);
    EXPECT_DOUBLE_EQ(series->intervals[1].kvarh, 4.0);
    const auto line_break = parse_load_csv("kw\n1\n\"2\n\"\n", "load.csv", std::nullopt);
    ASSERT_FALSE(line_break);
    EXPECT_EQ(line_break.error().message(), "load.csv:3:1: kw: must be a finite number, at least 0 (2\\n)");
    const auto stray_quote = parse_load_csv("kw\n1\n2\"\n", "load.csv", std::nullopt);
    ASSERT_FALSE(stray_quote);
    EXPECT_EQ(stray_quote.error().message(), "load.csv:3:2: quote inside an unquoted field");
}

TEST(LoadSeriesTest, MonthlyUsageSplitsMonthsAndCountsDays) {
    const auto tariff = load_tariff_file(tariffs / "large_industrial_two_part.json", TariffFormat::gridaudit);
    ASSERT_TRUE(tariff);
    // 42 hours of 2 kW from midnight 30 March (30 March whole, 31 March 00:00-18:00), one hour at 7.5 kW.
    std::vector<double> kw(42, 2.0);
    kw[17] = 7.5;  // 30 March 17:00 (flat), the month's peak
    const LoadSeries series = hourly_load(CivilDate::from_ymd(2026, 3, 30), kw);
    const auto months = monthly_usage(*tariff, series);
    ASSERT_TRUE(months) << months.error().message();
    ASSERT_EQ(months->size(), 1u);
    EXPECT_EQ((*months)[0].days_connected, 2);
    EXPECT_DOUBLE_EQ((*months)[0].max_demand_kw, 7.5);
    double total = 0;
    for (const double value : (*months)[0].period_kwh) total += value;
    EXPECT_DOUBLE_EQ(total, 2.0 * 41 + 7.5);
    // Valley 23:00-07:00: of the 30 March hours 0..23, 8 are valley; of 31 March hours 0..17, 7.
    EXPECT_DOUBLE_EQ((*months)[0].period_kwh[2], 2.0 * 15);

    const LoadSeries crossing = hourly_load(CivilDate::from_ymd(2026, 3, 31), std::vector<double>(30, 1.0));
    const auto two = monthly_usage(*tariff, crossing);
    ASSERT_TRUE(two);
    ASSERT_EQ(two->size(), 2u);
    EXPECT_EQ((*two)[0].period, *Period::parse("2026-03"));
    EXPECT_EQ((*two)[0].days_connected, 1);
    EXPECT_EQ((*two)[1].period, *Period::parse("2026-04"));
    EXPECT_EQ((*two)[1].days_connected, 1);
}

// Found by fuzz_load_series: minutes before 1970 were divided toward zero, giving a negative slot
// (an index out of bounds) and the wrong day.
TEST(LoadSeriesTest, LoadBefore1970IsSplitIntoTheRightSlotsAndDays) {
    const auto tariff = load_tariff_file(tariffs / "large_industrial_two_part.json", TariffFormat::gridaudit);
    ASSERT_TRUE(tariff);
    std::vector<double> kw(30, 1.0);
    kw[17] = 7.5;
    const auto months_1969 = monthly_usage(*tariff, hourly_load(CivilDate::from_ymd(1969, 3, 30), kw));
    const auto months_2026 = monthly_usage(*tariff, hourly_load(CivilDate::from_ymd(2026, 3, 30), kw));
    ASSERT_TRUE(months_1969) << months_1969.error().message();
    ASSERT_TRUE(months_2026);
    ASSERT_EQ(months_1969->size(), 1u);
    EXPECT_EQ((*months_1969)[0].period, *Period::parse("1969-03"));
    EXPECT_EQ((*months_1969)[0].days_connected, 2);
    EXPECT_DOUBLE_EQ((*months_1969)[0].max_demand_kw, 7.5);
    // Same hours of the clock, so the same split by period (the weekday may differ; this tariff's
    // periods do not depend on it).
    EXPECT_EQ((*months_1969)[0].period_kwh, (*months_2026)[0].period_kwh);
}

TEST(LoadSeriesTest, AWholeMonthIsNotPartial) {
    const auto tariff = load_tariff_file(tariffs / "large_industrial_two_part.json", TariffFormat::gridaudit);
    ASSERT_TRUE(tariff);
    const LoadSeries series = hourly_load(CivilDate::from_ymd(2026, 2, 1), std::vector<double>(28 * 24, 1.0));
    const auto months = monthly_usage(*tariff, series);
    ASSERT_TRUE(months);
    ASSERT_EQ(months->size(), 1u);
    EXPECT_EQ((*months)[0].days_connected, 0);
    EXPECT_TRUE(std::isnan((*months)[0].kvarh));
}

}  // namespace
}  // namespace gridaudit
