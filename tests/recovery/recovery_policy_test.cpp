// RecoveryPolicy: the regulation's defaults, the [recovery] section over them, and its TOML form.
#include "recovery/recovery_policy.hpp"

#include <gtest/gtest.h>

#include "rules/late_payment.hpp"

namespace gridaudit {
namespace {

TEST(RecoveryPolicyTest, DefaultsAreTheRegulationsValues) {
    const RecoveryPolicy policy = RecoveryPolicy::defaults();
    EXPECT_EQ(policy.theft_penalty_multiple, Quantity::whole(3));
    EXPECT_EQ(policy.theft_unknown_duration_days, Quantity::whole(180));
    EXPECT_EQ(policy.power_hours_per_day, Quantity::whole(12));
    EXPECT_EQ(policy.lighting_hours_per_day, Quantity::whole(6));
    EXPECT_EQ(policy.category_unknown_months, Quantity::whole(3));
    EXPECT_EQ(policy.capacity_other_penalty_per_kw, *Money::parse("50"));
    EXPECT_EQ(policy.sealed_other_penalty_per_kw, *Money::parse("30"));
    EXPECT_EQ(policy.meter_interference_residential, *Money::parse("500"));
    EXPECT_EQ(policy.meter_interference_other, *Money::parse("5000"));
    EXPECT_EQ(policy.meter_error_window_fraction, *Quantity::parse("0.5"));
    EXPECT_EQ(policy.late_payment_residential_rate, *Quantity::parse("0.001"));
    EXPECT_EQ(policy.late_payment_current_year_rate, *Quantity::parse("0.002"));
    EXPECT_EQ(policy.late_payment_earlier_years_rate, *Quantity::parse("0.003"));
    EXPECT_EQ(policy.late_payment_minimum, *Money::parse("1"));
    EXPECT_EQ(policy.rounding_decimals, 2);
    EXPECT_EQ(policy.rounding_mode, Rounding::half_up);
}

// BILL-ACCOUNT-RECONCILE reads the late-payment keys of [recovery] through LatePaymentTerms
// (rules/late_payment.hpp): the same defaults and the same values as `gridaudit recover` reads.
TEST(RecoveryPolicyTest, LatePaymentTermsAreReadAsTheRuleReadsThem) {
    const auto same = [](const RecoveryPolicy& recovery, const LatePaymentTerms& terms) {
        EXPECT_EQ(recovery.late_payment_residential_rate, terms.residential_rate);
        EXPECT_EQ(recovery.late_payment_current_year_rate, terms.current_year_rate);
        EXPECT_EQ(recovery.late_payment_earlier_years_rate, terms.earlier_years_rate);
        EXPECT_EQ(recovery.late_payment_minimum, terms.minimum);
        EXPECT_EQ(recovery.rounding_decimals, terms.rounding_decimals);
        EXPECT_EQ(recovery.rounding_mode, terms.rounding_mode);
    };
    same(RecoveryPolicy::defaults(), LatePaymentTerms{});
    const auto policy = Policy::parse(
        "[recovery]\nlate_payment_residential_rate = 0.0005\nlate_payment_current_year_rate = 0.0015\n"
        "late_payment_earlier_years_rate = 0.0025\nlate_payment_minimum = 2.5\nrounding_decimals = 0\n"
        "rounding_mode = \"truncate\"\n",
        "policy.toml");
    ASSERT_TRUE(policy.has_value());
    const auto recovery = RecoveryPolicy::from(*policy);
    ASSERT_TRUE(recovery.has_value());
    same(*recovery, LatePaymentTerms::from(*policy));
}

TEST(RecoveryPolicyTest, NoSectionGivesTheDefaults) {
    const auto policy = Policy::parse("[general]\nname = \"x\"\n", "gridaudit.toml");
    ASSERT_TRUE(policy) << policy.error().message();
    const auto recovery = RecoveryPolicy::from(*policy);
    ASSERT_TRUE(recovery) << recovery.error().message();
    EXPECT_EQ(recovery->to_toml(), RecoveryPolicy::defaults().to_toml());
}

TEST(RecoveryPolicyTest, TomlOfAChangedPolicyReadsBackTheSame) {
    RecoveryPolicy changed;
    changed.theft_penalty_multiple = Quantity::whole(5);
    changed.theft_apply_transformer_ratios = false;
    changed.meter_interference_other = *Money::parse("4500.5");
    changed.rounding_mode = Rounding::truncate;
    changed.rounding_decimals = 0;
    changed.currency = "USD";
    const std::string toml = changed.to_toml();
    const auto policy = Policy::parse(toml, "generated.toml");
    ASSERT_TRUE(policy) << policy.error().message() << "\n" << toml;
    const auto read = RecoveryPolicy::from(*policy);
    ASSERT_TRUE(read) << read.error().message();
    EXPECT_EQ(read->to_toml(), toml);
    EXPECT_EQ(read->theft_penalty_multiple, Quantity::whole(5));
    EXPECT_FALSE(read->theft_apply_transformer_ratios);
    EXPECT_EQ(read->meter_interference_other, *Money::parse("4500.5"));
    EXPECT_EQ(read->rounding_mode, Rounding::truncate);
    EXPECT_NE(toml, RecoveryPolicy::defaults().to_toml());
}

// Found by fuzz_policy_toml: a currency holding a backslash, a quote or a control character was
// written unescaped, so the written TOML read back as other text (or did not parse).
TEST(RecoveryPolicyTest, CurrencyWithBackslashQuoteOrControlCharacterReadsBackTheSame) {
    RecoveryPolicy changed;
    changed.currency = "CNY\\n \"x\" \t\x01";
    const std::string toml = changed.to_toml();
    const auto policy = Policy::parse(toml, "generated.toml");
    ASSERT_TRUE(policy) << policy.error().message() << "\n" << toml;
    const auto read = RecoveryPolicy::from(*policy);
    ASSERT_TRUE(read) << read.error().message();
    EXPECT_EQ(read->currency, changed.currency);
    EXPECT_EQ(read->to_toml(), toml);
}

TEST(RecoveryPolicyTest, ErrorsNameTheFileLineAndKeyOfAWrongType) {
    const auto policy = Policy::parse("[recovery]\ncurrency = 5\n", "gridaudit.toml");
    ASSERT_TRUE(policy);
    const auto read = RecoveryPolicy::from(*policy);
    ASSERT_FALSE(read);
    EXPECT_EQ(read.error().message(), "[recovery] currency: must be a non-empty string");
    EXPECT_EQ(read.error().kind(), ErrorClass::user);
}

}  // namespace
}  // namespace gridaudit
