// Tests of the UTF-8 and control-character checks of input text.
#include "text/utf8_text.hpp"

#include <gtest/gtest.h>

namespace gridaudit {
namespace {

TEST(Utf8TextTest, WellFormedUtf8WithoutControlCharactersIsCleanText) {
    EXPECT_TRUE(is_clean_text("Ärger 电表"));
    EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));          // overlong '/'
    EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));      // a surrogate
    EXPECT_EQ(find_control_character("ab\x7F"), 2U);  // DEL
    EXPECT_FALSE(is_clean_text("a\tb"));
}

}  // namespace
}  // namespace gridaudit
