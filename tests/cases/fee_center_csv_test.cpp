// Tests of the fee center's anomaly CSV: rows read with their source line, and every problem
// refused as file:line:column: column: what is wrong (value), the whole file at once.
#include "cases/fee_center_csv.hpp"

#include <gtest/gtest.h>

#include "support/result_assertions.hpp"

namespace gridaudit {
namespace {

const CivilDate today = CivilDate::from_ymd(2026, 10, 8);

std::string refusal(std::string_view csv) {
    const auto parsed = parse_fee_center_csv(csv, "anomalies.csv", today);
    EXPECT_FALSE(parsed.has_value());
    return parsed ? std::string() : parsed.error().message();
}

TEST(FeeCenterCsvTest, ReadsRowsWithQuotingAndTheirSourceLine) {
    const std::string csv =
        "subject_kind,subject_id,kind,description,amount,found_on\r\n"
        "customer,C1,BILL-ENERGY-VS-READS,\"billed 0 kWh, meter advanced 1,520 kWh\",812.40,2026-09-28\r\n"
        "\n"
        "meter,M2,theft,\"seal \"\"broken\"\"\",0,2026-10-08\r\n";
    ASSERT_OK_AND_ASSIGN(const auto rows, parse_fee_center_csv(csv, "anomalies.csv", today));
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].subject_kind, SubjectKind::customer);
    EXPECT_EQ(rows[0].subject_id, "C1");
    EXPECT_EQ(rows[0].kind, "BILL-ENERGY-VS-READS");
    EXPECT_EQ(rows[0].description, "billed 0 kWh, meter advanced 1,520 kWh");
    EXPECT_EQ(rows[0].amount, *Money::parse("812.40"));
    EXPECT_EQ(rows[0].found_on, CivilDate::from_ymd(2026, 9, 28));
    EXPECT_EQ(rows[0].source, "anomalies.csv:2");
    EXPECT_EQ(rows[1].description, "seal \"broken\"");
    EXPECT_EQ(rows[1].source, "anomalies.csv:4");
}

TEST(FeeCenterCsvTest, EveryBadFieldIsNamedWithLineAndColumn) {
    const std::string message = refusal(
        "subject_kind,subject_id,kind,description,amount,found_on\n"
        "account,C1,theft,x,1,2026-09-01\n"
        "customer,C1,no cause!,x,1,2026-09-01\n"
        "customer,C1,theft,x,12.345,2026-09-01\n"
        "customer,C1,theft,x,-1,2026-09-01\n"
        "customer,C1,theft,x,1,2026-9-1\n"
        "customer,C1,theft,x,1,2026-10-09\n"
        "customer,,theft,x,1,2026-09-01\n"
        "customer,C1,theft,,1,2026-09-01\n"
        "customer,C1,theft,x,1\n");
    EXPECT_NE(message.find("anomalies.csv: the fee-center list is refused (9 problems); nothing was imported"),
              std::string::npos)
        << message;
    EXPECT_NE(message.find("anomalies.csv:2:1: subject_kind: must be customer, meter or node (account)"),
              std::string::npos)
        << message;
    EXPECT_NE(message.find("anomalies.csv:3:13: kind: must be 1 to 64 of A-Z a-z 0-9 _ - . (no cause!)"),
              std::string::npos)
        << message;
    EXPECT_NE(message.find("anomalies.csv:4:21: amount: must be an amount of at least 0 with at most 2 decimals "
                           "(12.345)"),
              std::string::npos)
        << message;
    EXPECT_NE(message.find("anomalies.csv:5:21: amount:"), std::string::npos) << message;
    EXPECT_NE(message.find("anomalies.csv:6:23: found_on: must be a date YYYY-MM-DD (2026-9-1)"), std::string::npos)
        << message;
    EXPECT_NE(message.find("anomalies.csv:7:23: found_on: is after today, 2026-10-08 (2026-10-09)"), std::string::npos)
        << message;
    EXPECT_NE(message.find("anomalies.csv:8:10: subject_id: must be 1 to 64 characters"), std::string::npos) << message;
    EXPECT_NE(message.find("anomalies.csv:9:19: description:"), std::string::npos) << message;
    EXPECT_NE(message.find("anomalies.csv:10:1: 5 fields, the header has 6"), std::string::npos) << message;
}

TEST(FeeCenterCsvTest, ColumnsCountCharactersNotBytes) {
    const std::string message = refusal(
        "subject_kind,subject_id,kind,description,amount,found_on\n"
        "customer,C1,theft,电表封印破损,x,2026-09-01\n");
    // "customer,C1,theft," is 18 characters, the description 6: amount starts at column 26.
    EXPECT_NE(message.find("anomalies.csv:2:26: amount:"), std::string::npos) << message;
}

TEST(FeeCenterCsvTest, AWrongHeaderMalformedCsvAndBadBytesAreRefused) {
    EXPECT_NE(
        refusal("subject,kind\ncustomer,theft\n")
            .find("anomalies.csv:1:1: the header must be subject_kind,subject_id,kind,description,amount,found_on "
                  "(subject,kind)"),
        std::string::npos);
    EXPECT_NE(refusal("").find("anomalies.csv:1:1: empty file"), std::string::npos);
    const std::string malformed = refusal(
        "subject_kind,subject_id,kind,description,amount,found_on\n"
        "customer,C1,theft,a \"quoted\" word,1,2026-09-01\n");
    EXPECT_NE(malformed.find("anomalies.csv:2:"), std::string::npos) << malformed;
    EXPECT_NE(malformed.find("malformed CSV"), std::string::npos) << malformed;
    const std::string bytes = refusal("subject_kind,subject_id,kind,description,amount,found_on\ncustomer,C\xff\n");
    EXPECT_NE(bytes.find("anomalies.csv:2:11: not UTF-8 text"), std::string::npos) << bytes;
}

TEST(FeeCenterCsvTest, ManyProblemsAreCutAfterTwenty) {
    std::string csv = "subject_kind,subject_id,kind,description,amount,found_on\n";
    for (int i = 0; i < 25; ++i) csv += "account,C1,theft,x,1,2026-09-01\n";
    const std::string message = refusal(csv);
    EXPECT_NE(message.find("(25 problems)"), std::string::npos);
    EXPECT_NE(message.find("... and 5 more"), std::string::npos);
}

}  // namespace
}  // namespace gridaudit
