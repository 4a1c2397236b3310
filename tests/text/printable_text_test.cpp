// Tests of the escaping of input text for one-line messages.
#include "text/printable_text.hpp"

#include <gtest/gtest.h>

#include <string>

namespace gridaudit {
namespace {

TEST(PrintableTextTest, PlainTextIsUnchanged) {
    EXPECT_EQ(printable_value("Zhang San, 12 kWh"), "Zhang San, 12 kWh");
    EXPECT_EQ(printable_value("张三"), "张三");
}

TEST(PrintableTextTest, ControlCharactersAndBytesThatAreNotUtf8AreEscaped) {
    EXPECT_EQ(printable_value("a\nb\tc\rd"), "a\\nb\\tc\\rd");
    EXPECT_EQ(printable_value("\x1b[31mred"), "\\x1B[31mred");
    EXPECT_EQ(printable_value("x\xC2\x9By"), "x\\u009By");  // C1 CSI
    EXPECT_EQ(printable_value("\xFF\xFE"), "\\xFF\\xFE");
}

TEST(PrintableTextTest, ValuesAreCutAfterEightyCharactersAndTextWhereAsked) {
    const std::string long_value(100, 'a');
    EXPECT_EQ(printable_value(long_value), std::string(80, 'a') + "...");
    EXPECT_EQ(printable_text(long_value), long_value);
    EXPECT_EQ(printable_text("abcdef", 3), "abc...");
}

}  // namespace
}  // namespace gridaudit
