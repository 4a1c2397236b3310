// The SGCC theft-data layout (ingest/sgcc_file.hpp) and the theft truth file
// (ingest/theft_truth.hpp): day columns out of order and blanks, each problem at its
// file:line:column, the export files it becomes and the truth its flags give.
#include "ingest/sgcc_file.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "ingest/theft_truth.hpp"
#include "support/result_assertions.hpp"

namespace gridaudit {
namespace {

std::string error_of(const Result<SgccData>& result) {
    return result ? std::string() : result.error().message();
}

TEST(SgccFileTest, DayColumnsInAnyOrderWithBlanks) {
    // FLAG before CONS_NO, days 2014/1/3, 1/1 and 2014-01-05 (1/2 and 1/4 have no column).
    const std::string text = "FLAG,2014/1/3,CONS_NO,2014/1/1,2014-01-05\r\n1,3.5,A1,,0\r\n0,1.25,\"B,2\",2,7\r\n";
    ASSERT_OK_AND_ASSIGN(const SgccData data, parse_sgcc(text, "sgcc.csv"));
    EXPECT_EQ(data.first_day, CivilDate::from_ymd(2014, 1, 1));
    EXPECT_EQ(data.days, 5);
    ASSERT_EQ(data.customers.size(), 2u);
    EXPECT_EQ(data.customers[1], "B,2");
    EXPECT_EQ(data.flag[0], 1);
    EXPECT_EQ(data.flag[1], 0);
    EXPECT_TRUE(std::isnan(data.usage[0]));  // A1 on 1/1: blank
    EXPECT_TRUE(std::isnan(data.usage[1]));  // 1/2: no column
    EXPECT_EQ(data.usage[2], 3.5);
    EXPECT_EQ(data.usage[4], 0);
    EXPECT_EQ(data.usage[5 + 0], 2);
    EXPECT_EQ(data.usage[5 + 2], 1.25);
    EXPECT_EQ(data.usage[5 + 4], 7);

    const auto files = sgcc_export_files(data);
    ASSERT_EQ(files.size(), 4u);
    EXPECT_EQ(files[0].name, "ami_daily.csv");
    // A1's registers from 0: 1/3 3.5 and 1/5 3.5 (0 used); B,2's 2, 3.25, 10.25.
    EXPECT_EQ(files[0].content.bytes(),
              "meter_id,day,import_register\nM-A1,2014-01-03,3.500\nM-A1,2014-01-05,3.500\n"
              "\"M-B,2\",2014-01-01,2.000\n\"M-B,2\",2014-01-03,3.250\n\"M-B,2\",2014-01-05,10.250\n");
    EXPECT_NE(files[1].content.bytes().find("\"B,2\",SGCC customer,SGCC-A0001,residential"), std::string::npos);

    ASSERT_OK_AND_ASSIGN(const auto truth, parse_theft_truth(sgcc_truth_csv(data), "truth.csv"));
    ASSERT_EQ(truth.size(), 1u);
    EXPECT_EQ(truth[0].customer_id, "A1");
    EXPECT_EQ(truth[0].attack, "sgcc-flag");
    EXPECT_TRUE(std::isnan(truth[0].stolen_kwh));
}

TEST(SgccFileTest, EachProblemAtItsLineAndColumn) {
    EXPECT_EQ(error_of(parse_sgcc("CONS_NO,FLAG,2014/2/30\n", "s.csv")),
              "s.csv:1:14: header: not CONS_NO, FLAG or a day (YYYY/M/D or YYYY-MM-DD) (2014/2/30)");
    EXPECT_EQ(error_of(parse_sgcc("CONS_NO,FLAG,2014/1/1,2014-01-01\n", "s.csv")),
              "s.csv:1:23: header: a day named twice (2014-01-01)");
    EXPECT_EQ(error_of(parse_sgcc("CONS_NO,2014/1/1\n", "s.csv")), "s.csv:1:1: header: no FLAG column");
    EXPECT_EQ(error_of(parse_sgcc("CONS_NO,FLAG\n", "s.csv")), "s.csv:1:1: header: no day column");
    EXPECT_EQ(error_of(parse_sgcc("CONS_NO,FLAG,2014/1/1\nA,2,1\n", "s.csv")), "s.csv:2:3: FLAG: must be 0 or 1 (2)");
    EXPECT_EQ(error_of(parse_sgcc("CONS_NO,FLAG,2014/1/1\nA,0,-1\n", "s.csv")),
              "s.csv:2:5: 2014/1/1: not a decimal kWh 0 .. 1e7 (-1)");
    EXPECT_EQ(error_of(parse_sgcc("CONS_NO,FLAG,2014/1/1\nA,0,1\nA,1,2\n", "s.csv")),
              "s.csv:3:1: CONS_NO: listed twice (A)");
    EXPECT_EQ(error_of(parse_sgcc("CONS_NO,FLAG,2014/1/1\nA,0\n", "s.csv")),
              "s.csv:2:1: expected 3 fields as the header has, found 2");
    EXPECT_EQ(error_of(parse_sgcc("CONS_NO,FLAG,2000/1/1,2014/1/1\n", "s.csv")),
              "s.csv:1:1: header: the days span 2000-01-01 .. 2014-01-01, more than 3660 days");
    EXPECT_EQ(error_of(parse_sgcc("", "s.csv")), "s.csv:1:1: empty: the header must name CONS_NO, FLAG and the days");
}

TEST(TheftTruthTest, ReadStrictly) {
    ASSERT_OK_AND_ASSIGN(const auto rows, parse_theft_truth("customer_id,attack,attacked_days,stolen_kwh\n"
                                                            "C1,h1-constant-factor,12,40.5\nC2,sgcc-flag,,\n",
                                                            "t.csv"));
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].attacked_days, 12);
    EXPECT_EQ(rows[0].stolen_kwh, 40.5);
    EXPECT_TRUE(std::isnan(rows[1].stolen_kwh));
    const auto header = parse_theft_truth("customer,attack\n", "t.csv");
    ASSERT_FALSE(header);
    EXPECT_EQ(header.error().message(),
              "t.csv:1:1: the header must be customer_id,attack,attacked_days,stolen_kwh (customer,attack)");
    const auto twice = parse_theft_truth("customer_id,attack,attacked_days,stolen_kwh\nC1,a,1,1\nC1,a,1,1\n", "t.csv");
    ASSERT_FALSE(twice);
    EXPECT_EQ(twice.error().message(), "t.csv:3:1: customer_id: listed twice (C1)");
    const auto kwh = parse_theft_truth("customer_id,attack,attacked_days,stolen_kwh\nC1,a,1,-2\n", "t.csv");
    ASSERT_FALSE(kwh);
    EXPECT_EQ(kwh.error().message(), "t.csv:2:8: stolen_kwh: not a decimal 0 .. 1e12 (-2)");
}

}  // namespace
}  // namespace gridaudit
