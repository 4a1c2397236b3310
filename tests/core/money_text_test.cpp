// Grouped figures and money with its currency: the form every command and document prints.
#include "core/money_text.hpp"

#include <gtest/gtest.h>

namespace gridaudit {
namespace {

TEST(MoneyTextTest, GroupsThousandsBeforeThePointOnly) {
    EXPECT_EQ(group_thousands("1234567.8912"), "1,234,567.8912");
    EXPECT_EQ(group_thousands("-1234567"), "-1,234,567");
    EXPECT_EQ(group_thousands("+1000"), "+1,000");
    EXPECT_EQ(group_thousands("999.99"), "999.99");
    EXPECT_EQ(group_thousands("-100"), "-100");
    EXPECT_EQ(group_thousands(""), "");
}

TEST(MoneyTextTest, MoneyIsRoundedHalfUpToCentsGroupedAndNamed) {
    EXPECT_EQ(money_text(*Money::parse("1234567.885"), "CNY"), "1,234,567.89 CNY");
    EXPECT_EQ(money_text(*Money::parse("-1234.5649"), "CNY"), "-1,234.56 CNY");
    EXPECT_EQ(money_text(Money{}, "CNY"), "0.00 CNY");
}

}  // namespace
}  // namespace gridaudit
