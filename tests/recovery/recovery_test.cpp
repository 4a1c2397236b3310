// The typed API the case workflow calls: compute_* over typed cases, without the key=value front end.
#include "recovery/recovery.hpp"

#include <gtest/gtest.h>

namespace gridaudit {
namespace {

UnitPrice price(std::string_view text) {
    return *UnitPrice::parse(text, DecimalFit::exact);
}

TEST(RecoveryTest, TheftOfTheReferenceIsFourTimesTheCharge) {
    TheftCase theft;
    theft.capacity_kw = Quantity::whole(3);
    theft.price = price("0.7625");
    const auto r = compute_theft(theft, RecoveryPolicy::defaults());
    ASSERT_TRUE(r) << r.error().message();
    EXPECT_EQ(r->computation, "theft");
    EXPECT_EQ(r->article, "Supply Business Rules 1996 art. 102-103");
    ASSERT_TRUE(r->energy_kwh);
    EXPECT_EQ(*r->energy_kwh, Quantity::whole(6480));
    ASSERT_NE(r->amount("back_billed_charge"), nullptr);
    EXPECT_EQ(r->amount("back_billed_charge")->rounded, *Money::parse("4941"));
    EXPECT_EQ(r->total, *Money::parse("19764"));
    EXPECT_EQ(r->step("stolen_kwh")->formula, "3 kW x 2160 h");
}

TEST(RecoveryTest, CategoryWorkedExampleRoundsEachAmountOnce) {
    CategoryViolation violation;
    violation.loads.push_back(
        {std::nullopt, Quantity::whole(5), SupplyUse::power, std::nullopt, price("0.7625"), price("0.5653")});
    violation.loads.push_back(
        {std::nullopt, Quantity::whole(3), SupplyUse::lighting, std::nullopt, price("0.8895"), price("0.5653")});
    const auto r = compute_category_violation(violation, RecoveryPolicy::defaults());
    ASSERT_TRUE(r) << r.error().message();
    EXPECT_EQ(r->amount("difference_charge")->exact, *ExactAmount::parse("1590.084"));
    EXPECT_EQ(r->amount("difference_charge")->rounded, *Money::parse("1590.08"));
    EXPECT_EQ(r->amount("penalty")->rounded, *Money::parse("3180.17"));
}

// Issue 12 item 8: `recover theft --hours 1e9` computed billions without a word. A duration beyond
// the policy's max_duration_days is refused; accepted_duration_days (the command line's
// --max-duration-days) lets it through with a warning.
TEST(RecoveryTest, ADurationBeyondThePlausibilityLimitIsRefusedUnlessAcceptedWithAWarning) {
    TheftCase theft;
    theft.capacity_kw = Quantity::whole(3);
    theft.price = price("0.7625");
    theft.hours = Quantity::whole(1'000'000'000);
    RecoveryPolicy policy = RecoveryPolicy::defaults();
    const auto refused = compute_theft(theft, policy);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().kind(), ErrorClass::user);
    EXPECT_NE(refused.error().message().find("beyond the plausibility limit of 3660 days"), std::string::npos)
        << refused.error().message();

    policy.accepted_duration_days = Quantity::whole(50'000'000);
    const auto accepted = compute_theft(theft, policy);
    ASSERT_TRUE(accepted) << accepted.error().message();
    ASSERT_EQ(accepted->warnings.size(), 1u);
    EXPECT_NE(accepted->warnings[0].find("--max-duration-days 50000000 accepts it"), std::string::npos);

    theft.hours = Quantity::whole(3660 * 24);  // exactly the limit: no warning
    const auto at_limit = compute_theft(theft, RecoveryPolicy::defaults());
    ASSERT_TRUE(at_limit) << at_limit.error().message();
    EXPECT_TRUE(at_limit->warnings.empty());
}

TEST(RecoveryTest, RoundAmountIsHalfUpToTwoDecimalsByDefault) {
    const RecoveryPolicy policy;
    EXPECT_EQ(round_amount(*ExactAmount::parse("1590.084"), policy), *Money::parse("1590.08"));
    EXPECT_EQ(round_amount(*ExactAmount::parse("3180.168"), policy), *Money::parse("3180.17"));
    EXPECT_EQ(round_amount(*ExactAmount::parse("0.005"), policy), *Money::parse("0.01"));
    EXPECT_EQ(round_amount(*ExactAmount::parse("-0.005"), policy), *Money::parse("-0.01"));
    EXPECT_EQ(round_amount(*ExactAmount::parse("0.0049999999"), policy), *Money::parse("0"));
}

TEST(RecoveryTest, MultiplierFromRatios) {
    MeteringError error;
    error.cause = MeteringCause::multiplier;
    error.recorded_kwh = Quantity::whole(12000);
    error.right_ratio = Ratio::parse("600/5");
    error.billed_ratio = Ratio::parse("300/5");
    error.price = price("0.5");
    const auto r = compute_metering_error(error, RecoveryPolicy::defaults());
    ASSERT_TRUE(r) << r.error().message();
    EXPECT_EQ(r->step("factor")->value, "1");
    EXPECT_EQ(r->total, *Money::parse("6000"));
}

TEST(RecoveryTest, RatioParsing) {
    ASSERT_TRUE(Ratio::parse("600/5"));
    EXPECT_EQ(Ratio::parse("600/5")->to_string(), "600/5");
    EXPECT_EQ(Ratio::parse("120")->to_string(), "120");
    EXPECT_FALSE(Ratio::parse("600/0"));
    EXPECT_FALSE(Ratio::parse("-600/5"));
    EXPECT_FALSE(Ratio::parse("600/"));
    EXPECT_FALSE(Ratio::parse("abc"));
}

TEST(RecoveryTest, LatePaymentWithoutArrearsIsAUserError) {
    LatePayment late;
    late.paid = *CivilDate::parse("2026-03-20");
    const auto r = compute_late_payment(late, RecoveryPolicy::defaults());
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind(), ErrorClass::user);
}

}  // namespace
}  // namespace gridaudit
