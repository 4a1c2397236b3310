// Error classes and refusals: the exit code follows the class, the HTTP status the refusal, and
// context added to a message keeps both.
#include "core/result.hpp"

#include <gtest/gtest.h>

namespace gridaudit {
namespace {

TEST(ErrorTest, UserErrorIsInvalidInputUnlessItSaysOtherwise) {
    const Error error = user_error("bad value").error();
    EXPECT_EQ(error.kind(), ErrorClass::user);
    EXPECT_EQ(error.refusal(), Refusal::invalid_input);
    EXPECT_EQ(exit_code(error.kind()), 1);
}

TEST(ErrorTest, InternalAndExternalErrorsRefuseNothing) {
    EXPECT_EQ(internal_error("bug").error().refusal(), Refusal::none);
    EXPECT_EQ(external_error("disk").error().refusal(), Refusal::none);
    EXPECT_EQ(exit_code(external_error("disk").error().kind()), 2);
}

TEST(ErrorTest, RefusalIsAUserErrorThatKeepsItsReasonThroughContext) {
    const Error error = refusal_error(Refusal::conflict, "case 7 is at version 3, not 2").error();
    EXPECT_EQ(error.kind(), ErrorClass::user);
    const Error wrapped = error.with_context("transition case 7");
    EXPECT_EQ(wrapped.refusal(), Refusal::conflict);
    EXPECT_EQ(wrapped.message(), "transition case 7: case 7 is at version 3, not 2");
}

TEST(ErrorTest, RefusalNoneAsksForIsInvalidInput) {
    EXPECT_EQ(refusal_error(Refusal::none, "x").error().refusal(), Refusal::invalid_input);
}

}  // namespace
}  // namespace gridaudit
