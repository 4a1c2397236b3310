// Assertions on Result and Status for tests (Arrow's ASSERT_OK style): a result that holds an error
// fails the running test with the error's message instead of crashing on a dereference.
// Thread safety: as gtest's own assertions.
#pragma once

#include <gtest/gtest.h>

#include <stdexcept>
#include <utility>

#include "core/result.hpp"

// Fails the test and returns from the enclosing void function when `expression` (a Result or a
// Status) holds an error.
#define ASSERT_OK(expression)                                                                          \
    do {                                                                                               \
        const auto& ga_assert_ok_ = (expression);                                                      \
        ASSERT_TRUE(ga_assert_ok_.has_value()) << #expression ": " << ga_assert_ok_.error().message(); \
    } while (false)

// Declares `lhs` from the value of a Result, or fails the test and returns from the enclosing void
// function. Usage: ASSERT_OK_AND_ASSIGN(auto store, Store::open(path));
#define ASSERT_OK_AND_ASSIGN(lhs, expression) \
    GA_ASSERT_OK_AND_ASSIGN_IMPL_(GA_CONCAT_(ga_assert_result_, __LINE__), lhs, expression)
#define GA_ASSERT_OK_AND_ASSIGN_IMPL_(tmp, lhs, expression)                    \
    auto tmp = (expression);                                                   \
    ASSERT_TRUE(tmp.has_value()) << #expression ": " << tmp.error().message(); \
    lhs = std::move(tmp).value()

namespace gridaudit::testing {

// The value of a result that a test helper returns (where ASSERT_* cannot return): throws when the
// result holds an error, which gtest reports as a failure of the running test with the message.
template <class T>
T value_of(Result<T> result) {
    if (!result) throw std::runtime_error(result.error().message());
    return std::move(result).value();
}

}  // namespace gridaudit::testing
