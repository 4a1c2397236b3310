// Text and JSON renderings of a Recovery: the article, inputs, every step and the rounded amounts.
#include "recovery/recovery_report.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "recovery/recovery_arguments.hpp"
#include "support/result_assertions.hpp"

namespace gridaudit {
namespace {

Recovery worked_example() {
    const std::vector<std::string> tokens = {"type=category", "load=kw=5,use=power,price=0.7625,billed_price=0.5653",
                                             "load=kw=3,use=lighting,price=0.8895,billed_price=0.5653"};
    const auto arguments = testing::value_of(parse_recovery_arguments(tokens));
    return testing::value_of(compute_recovery("violation", arguments, RecoveryPolicy::defaults()));
}

TEST(RecoveryReportTest, JsonHoldsArticleInputsStepsAndAmounts) {
    const auto json = nlohmann::json::parse(recovery_json(worked_example()));
    EXPECT_EQ(json["computation"], "violation.category");
    EXPECT_EQ(json["article"], "Supply Business Rules 1996 art. 100");
    EXPECT_EQ(json["currency"], "CNY");
    EXPECT_EQ(json["rounding"]["decimals"], 2);
    EXPECT_EQ(json["rounding"]["mode"], "half_up");
    EXPECT_EQ(json["inputs"]["load_1_capacity_kw"], "5");
    EXPECT_EQ(json["inputs"]["load_2_use"], "lighting");
    bool found_kwh = false;
    for (const auto& step : json["steps"]) {
        if (step["name"] == "load_1_kwh") {
            found_kwh = true;
            EXPECT_EQ(step["value"], "5400");
            EXPECT_EQ(step["unit"], "kWh");
            EXPECT_EQ(step["formula"], "5 kW x 12 h/day (power) x 90 days");
        }
    }
    EXPECT_TRUE(found_kwh);
    ASSERT_EQ(json["amounts"].size(), 2u);
    EXPECT_EQ(json["amounts"][0]["name"], "difference_charge");
    EXPECT_EQ(json["amounts"][0]["exact"], "1590.084");
    EXPECT_EQ(json["amounts"][0]["rounded"], "1590.08");
    EXPECT_EQ(json["amounts"][1]["exact"], "3180.168");
    EXPECT_EQ(json["amounts"][1]["rounded"], "3180.17");
    EXPECT_EQ(json["total"], "4770.25");
    EXPECT_TRUE(json["energy_kwh"].is_null());
}

TEST(RecoveryReportTest, TextShowsEveryStepAndTheRoundedAmounts) {
    const std::string text = recovery_text(worked_example());
    EXPECT_NE(text.find("Supply Business Rules 1996 art. 100"), std::string::npos) << text;
    EXPECT_NE(text.find("load_2_kwh"), std::string::npos) << text;
    EXPECT_NE(text.find("3 kW x 6 h/day (lighting) x 90 days"), std::string::npos) << text;
    EXPECT_NE(text.find("5400x0.1972 + 1620x0.3242"), std::string::npos) << text;
    EXPECT_NE(text.find("3180.17 CNY   (exact 3180.168)"), std::string::npos) << text;
    EXPECT_NE(text.find("4770.25 CNY"), std::string::npos) << text;
}

TEST(RecoveryReportTest, TheftJsonCarriesTheEnergy) {
    const std::vector<std::string> tokens = {"capacity_kw=3", "price=0.7625"};
    const auto recovery = compute_recovery("theft", *parse_recovery_arguments(tokens), RecoveryPolicy::defaults());
    ASSERT_TRUE(recovery) << recovery.error().message();
    const auto json = nlohmann::json::parse(recovery_json(*recovery));
    EXPECT_EQ(json["energy_kwh"], "6480");
    EXPECT_EQ(json["total"], "19764.00");
    ASSERT_EQ(json["notes"].size(), 1u);
}

}  // namespace
}  // namespace gridaudit
