// Bill output: the JSON document's stable members and the text statement's lines and totals.
#include "tariff/bill_report.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "tariff/pricing_engine.hpp"
#include "tariff/tariff_file.hpp"

namespace gridaudit {
namespace {

const std::filesystem::path tariffs = std::filesystem::path(GRIDAUDIT_CASES_DIR) / "tariff" / "tariffs";

std::vector<MonthBill> two_months(const Tariff& tariff) {
    CustomerTerms terms;
    terms.capacity_kva = 315;
    BillingState state;
    std::vector<MonthBill> bills;
    for (unsigned month = 3; month <= 4; ++month) {
        MonthUsage usage;
        usage.period = Period::from_year_month(2026, month);
        usage.period_kwh = {10000, 20000, 10000};
        usage.kvarh = 25000;
        usage.days_connected = month == 4 ? 10 : 0;
        bills.push_back(*price_month(tariff, terms, usage, state));
    }
    return bills;
}

TEST(BillReportTest, JsonHasTheDocumentedMembersWithExactMoney) {
    const auto tariff = load_tariff_file(tariffs / "large_industrial_two_part.json", TariffFormat::gridaudit);
    ASSERT_TRUE(tariff);
    const auto bills = two_months(*tariff);
    const auto doc = nlohmann::json::parse(bills_json(*tariff, bills));
    EXPECT_EQ(doc["tariff"]["id"], "LI-2PART-10KV");
    ASSERT_EQ(doc["months"].size(), 2u);
    const auto& march = doc["months"][0];
    EXPECT_EQ(march["period"], "2026-03");
    EXPECT_EQ(march["days_connected"], 31);
    EXPECT_EQ(march["power_factor"], "0.85");
    EXPECT_EQ(march["pf_standard"], "0.90");
    EXPECT_EQ(march["components"]["basic"], "9450.00");
    EXPECT_EQ(march["components"]["power_factor"], "796.25");
    EXPECT_EQ(march["total"], "33654.25");
    const auto& first_line = march["lines"][0];
    EXPECT_EQ(first_line["kind"], "energy");
    EXPECT_EQ(first_line["period"], "peak");
    EXPECT_EQ(first_line["unit"], "kWh");
    EXPECT_EQ(first_line["price"], "0.896");
    EXPECT_EQ(first_line["amount"], "8960.0000");
    bool saw_pf = false;
    for (const auto& line : march["lines"]) {
        if (line["kind"] != "power_factor") continue;
        saw_pf = true;
        EXPECT_EQ(line["percent"], "+2.50");
        EXPECT_EQ(line["power_factor"], "0.85");
        EXPECT_FALSE(line.contains("price"));
    }
    EXPECT_TRUE(saw_pf);
    const auto& april = doc["months"][1];
    EXPECT_EQ(april["components"]["basic"], "3150.00");
    EXPECT_EQ(april["notes"][0], "partial month: basic charge prorated by days");
    EXPECT_EQ(doc["totals"]["months"], 2);
    EXPECT_EQ(doc["totals"]["basic"], "12600.00");
    EXPECT_EQ(doc["totals"]["total"], (bills[0].total + bills[1].total).to_string(2));
}

TEST(BillReportTest, TextListsLinesComponentsAndTotals) {
    const auto tariff = load_tariff_file(tariffs / "large_industrial_two_part.json", TariffFormat::gridaudit);
    ASSERT_TRUE(tariff);
    const std::string text = bills_text(*tariff, two_months(*tariff));
    EXPECT_NE(text.find("Tariff LI-2PART-10KV"), std::string::npos);
    EXPECT_NE(text.find("basic charge (capacity, 10/30 days)"), std::string::npos) << text;
    EXPECT_NE(text.find("power factor adjustment (+2.50 %)"), std::string::npos) << text;
    EXPECT_NE(text.find("Totals over 2 months"), std::string::npos);
    EXPECT_NE(text.find("33654.25"), std::string::npos);
}

}  // namespace
}  // namespace gridaudit
