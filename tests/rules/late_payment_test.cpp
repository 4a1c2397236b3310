// The late-payment charge of art. 98 (rules/late_payment.hpp), the one computation behind
// `gridaudit recover late-payment` and BILL-ACCOUNT-RECONCILE: the rate decided day by day, year
// boundaries, leap years, residential and business customers, the minimum, rounding at half a fen,
// and the terms read from the [recovery] policy section.
#include "rules/late_payment.hpp"

#include <gtest/gtest.h>

#include "rules/policy.hpp"
#include "rules/rule.hpp"

namespace gridaudit {
namespace {

CivilDate day(int y, unsigned m, unsigned d) {
    return CivilDate::from_ymd(y, m, d);
}
Money money(std::int64_t cents) {
    return Money::from_units(cents * 100);
}

TEST(LatePaymentTest, BusinessBillAcrossTheYearEndIsElevenDaysAtThisYearsRateAndThirtyAtTheEarlierYearsRate) {
    // The example: due 2025-12-20, paid 2026-01-30, 41 days. 2025-12-21..31 are days of
    // the arrears' own year (0.2 %), 2026-01-01..30 days of an earlier year's arrears (0.3 %):
    // 11 x 0.2 % + 30 x 0.3 % = 11.2 %, neither 41 x 0.3 % = 12.3 % nor 41 x 0.2 % = 8.2 %.
    const auto charge = late_payment_charge(money(100000), day(2025, 12, 20), day(2026, 1, 30), 2025, false, {});
    EXPECT_EQ(charge.days_late, 41);
    ASSERT_EQ(charge.runs.size(), 2u);
    EXPECT_EQ(charge.runs[0].first, day(2025, 12, 21));
    EXPECT_EQ(charge.runs[0].last, day(2025, 12, 31));
    EXPECT_EQ(charge.runs[0].days, 11);
    EXPECT_EQ(charge.runs[0].rate, Quantity::from_units(20));
    EXPECT_FALSE(charge.runs[0].earlier_year);
    EXPECT_EQ(charge.runs[1].first, day(2026, 1, 1));
    EXPECT_EQ(charge.runs[1].days, 30);
    EXPECT_EQ(charge.runs[1].rate, Quantity::from_units(30));
    EXPECT_TRUE(charge.runs[1].earlier_year);
    EXPECT_EQ(charge.charge, money(11200));  // 112.00 on 1,000.00
    EXPECT_FALSE(charge.minimum_applied);
}

TEST(LatePaymentTest, ResidentialPaysOneRateAcrossTheYearEnd) {
    const auto charge = late_payment_charge(money(100000), day(2025, 12, 20), day(2026, 1, 30), 2025, true, {});
    ASSERT_EQ(charge.runs.size(), 1u);
    EXPECT_EQ(charge.runs[0].days, 41);
    EXPECT_EQ(charge.charge, money(4100));  // 41 x 0.1 % of 1,000.00
}

TEST(LatePaymentTest, YearBoundaries) {
    const LatePaymentTerms terms;
    // Paid on 31 December: every day is this year's.
    auto charge = late_payment_charge(money(100000), day(2025, 12, 20), day(2025, 12, 31), 2025, false, terms);
    ASSERT_EQ(charge.runs.size(), 1u);
    EXPECT_EQ(charge.charge, money(2200));
    // Paid on 1 January: one day of an earlier year's arrears.
    charge = late_payment_charge(money(100000), day(2025, 12, 20), day(2026, 1, 1), 2025, false, terms);
    ASSERT_EQ(charge.runs.size(), 2u);
    EXPECT_EQ(charge.runs[1].days, 1);
    EXPECT_EQ(charge.charge, money(2500));  // 11 x 0.2 % + 1 x 0.3 %
    // Due on 31 December: the charge starts on 1 January, all of it an earlier year's.
    charge = late_payment_charge(money(100000), day(2025, 12, 31), day(2026, 1, 10), 2025, false, terms);
    ASSERT_EQ(charge.runs.size(), 1u);
    EXPECT_TRUE(charge.runs[0].earlier_year);
    EXPECT_EQ(charge.charge, money(3000));
    // Arrears of 2024 paid in 2026: 2025 and 2026 both at the earlier-years rate.
    charge = late_payment_charge(money(100000), day(2024, 12, 30), day(2026, 1, 2), 2024, false, terms);
    ASSERT_EQ(charge.runs.size(), 2u);
    EXPECT_EQ(charge.runs[0].days, 1);
    EXPECT_EQ(charge.runs[1].days, 367);      // 365 days of 2025 and 2 of 2026
    EXPECT_EQ(charge.charge, money(110300));  // 0.2 % + 367 x 0.3 % = 110.3 %
    // A December bill due in January, given as arrears of the previous year: all earlier-year days.
    charge = late_payment_charge(money(100000), day(2026, 1, 10), day(2026, 1, 20), 2025, false, terms);
    ASSERT_EQ(charge.runs.size(), 1u);
    EXPECT_EQ(charge.charge, money(3000));
}

TEST(LatePaymentTest, LeapYears) {
    const LatePaymentTerms terms;
    // 2028-02-28..03-02 is 4 days with 29 February, 3 in 2026.
    EXPECT_EQ(late_payment_charge(money(100000), day(2028, 2, 27), day(2028, 3, 2), 2028, false, terms).days_late, 4);
    EXPECT_EQ(late_payment_charge(money(100000), day(2026, 2, 27), day(2026, 3, 2), 2026, false, terms).days_late, 3);
    // A leap year's arrears crossing its year end: 2028-12-01..31 is 31 days at 0.2 %, then
    // 2029-01-01..12-31, a common year, 365 at 0.3 %.
    const auto charge = late_payment_charge(money(100000), day(2028, 11, 30), day(2029, 12, 31), 2028, false, terms);
    ASSERT_EQ(charge.runs.size(), 2u);
    EXPECT_EQ(charge.runs[0].days, 31);
    EXPECT_EQ(charge.runs[1].days, 365);
    // An arrears of 2027 paid at the end of 2028 runs through 366 days of the leap year.
    const auto leap = late_payment_charge(money(100000), day(2027, 12, 31), day(2028, 12, 31), 2027, false, terms);
    ASSERT_EQ(leap.runs.size(), 1u);
    EXPECT_EQ(leap.runs[0].days, 366);
    EXPECT_EQ(leap.charge, money(109800));  // 366 x 0.3 %
}

TEST(LatePaymentTest, PaidInTimeIsNoChargeAndNoMinimum) {
    const auto charge = late_payment_charge(money(100000), day(2026, 3, 15), day(2026, 3, 15), 2026, false, {});
    EXPECT_EQ(charge.days_late, 0);
    EXPECT_TRUE(charge.runs.empty());
    EXPECT_EQ(charge.charge, Money());
    EXPECT_FALSE(charge.minimum_applied);
}

TEST(LatePaymentTest, AtLeastTheMinimum) {
    // One day late on 100.00, residential: 0.10, levied as 1.00.
    const auto charge = late_payment_charge(money(10000), day(2026, 3, 15), day(2026, 3, 16), 2026, true, {});
    EXPECT_TRUE(charge.minimum_applied);
    EXPECT_EQ(charge.computed, ExactAmount::of(money(10)));
    EXPECT_EQ(charge.charge, money(100));
}

TEST(LatePaymentTest, RoundingAtHalfAFenFollowsTheMode) {
    // 1,001.00 x 0.1 % x 5 days = 5.005 exactly.
    LatePaymentTerms terms;
    const auto at = [&] {
        return late_payment_charge(money(100100), day(2026, 3, 1), day(2026, 3, 6), 2026, true, terms);
    };
    EXPECT_EQ(at().exact, ExactAmount::parse("5.005").value());
    EXPECT_EQ(at().charge, money(501));  // half_up, the default
    terms.rounding_mode = Rounding::half_even;
    EXPECT_EQ(at().charge, money(500));
    terms.rounding_mode = Rounding::truncate;
    EXPECT_EQ(at().charge, money(500));
    // Just below half a fen rounds down in every mode: 1,000.98 x 0.1 % x 5 = 5.0049.
    terms.rounding_mode = Rounding::half_up;
    EXPECT_EQ(late_payment_charge(money(100098), day(2026, 3, 1), day(2026, 3, 6), 2026, true, terms).charge,
              money(500));
}

TEST(LatePaymentTest, TermsComeFromTheRecoverySection) {
    const auto policy = Policy::parse(
        "[recovery]\nlate_payment_residential_rate = 0.0005\nlate_payment_current_year_rate = 0.0015\n"
        "late_payment_earlier_years_rate = 0.0025\nlate_payment_minimum = 2\nrounding_decimals = 1\n"
        "rounding_mode = \"half_even\"\n",
        "policy.toml");
    ASSERT_TRUE(policy.has_value()) << policy.error().message();
    const LatePaymentTerms terms = LatePaymentTerms::from(*policy);
    EXPECT_EQ(terms.residential_rate, Quantity::from_units(5));
    EXPECT_EQ(terms.current_year_rate, Quantity::from_units(15));
    EXPECT_EQ(terms.earlier_years_rate, Quantity::from_units(25));
    EXPECT_EQ(terms.minimum, money(200));
    EXPECT_EQ(terms.rounding_decimals, 1);
    EXPECT_EQ(terms.rounding_mode, Rounding::half_even);
    EXPECT_EQ(LatePaymentTerms::from(Policy()), LatePaymentTerms{});
    // A rule's settings carry the same terms (BILL-ACCOUNT-RECONCILE reads them there).
    RuleInfo info;
    info.id = "BILL-ACCOUNT-RECONCILE";
    EXPECT_EQ(LatePaymentTerms::from(RuleSettings(info, *policy)), terms);
    EXPECT_EQ(LatePaymentTerms::from(RuleSettings(info, Policy())), LatePaymentTerms{});
}

}  // namespace
}  // namespace gridaudit
