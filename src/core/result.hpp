// The error and result types used across every layer boundary.
//
// A Result<T> is either a T or an Error. An Error carries a class (user input, internal bug,
// external system) that decides the CLI exit code, and for a user error what it refuses (bad
// input, no login, no permission, nothing there, a conflict), which decides the HTTP status. No exception
// crosses a module boundary: functions that can fail return Result and are [[nodiscard]].
// Thread safety: Error and Result are values; const methods may be called from many threads.
#pragma once

#include <expected>
#include <string>
#include <utility>

namespace gridaudit {

enum class ErrorClass {
    user,      // bad input or usage the user must fix (exit code 1)
    internal,  // a bug in GridAudit (exit code 2)
    external,  // a failing file system, database or other system (exit code 2)
};

// What a user error refuses; the HTTP API maps it to a status (400, 401, 403, 404, 409). Errors of
// the other classes are always Refusal::none.
enum class Refusal {
    none,             // not a refusal: internal or external failure
    invalid_input,    // 400 (every user error unless it says otherwise)
    unauthenticated,  // 401: no session, an expired or revoked one, wrong password
    forbidden,        // 403: the actor's role or org-unit scope does not allow it
    not_found,        // 404: no such case, user, customer, ...
    conflict,         // 409: an illegal state transition, a stale version, a duplicate
};

class Error {
public:
    Error(ErrorClass kind, std::string message)
        : kind_(kind),
          refusal_(kind == ErrorClass::user ? Refusal::invalid_input : Refusal::none),
          message_(std::move(message)) {}
    // A user error with the given refusal.
    Error(Refusal refusal, std::string message)
        : kind_(ErrorClass::user),
          refusal_(refusal == Refusal::none ? Refusal::invalid_input : refusal),
          message_(std::move(message)) {}

    [[nodiscard]] ErrorClass kind() const { return kind_; }
    [[nodiscard]] Refusal refusal() const { return refusal_; }
    [[nodiscard]] const std::string& message() const { return message_; }

    // Prefixes the message with context, e.g. "import customers.csv: " + message.
    [[nodiscard]] Error with_context(std::string_view context) const {
        Error error = *this;
        error.message_ = std::string(context) + ": " + message_;
        return error;
    }

private:
    ErrorClass kind_;
    Refusal refusal_;
    std::string message_;
};

template <class T>
using Result = std::expected<T, Error>;

// Result of an operation that yields nothing but may fail.
using Status = std::expected<void, Error>;

[[nodiscard]] inline std::unexpected<Error> user_error(std::string message) {
    return std::unexpected(Error(ErrorClass::user, std::move(message)));
}
// User errors that refuse for a reason other than bad input (see Refusal).
[[nodiscard]] inline std::unexpected<Error> refusal_error(Refusal refusal, std::string message) {
    return std::unexpected(Error(refusal, std::move(message)));
}
[[nodiscard]] inline std::unexpected<Error> internal_error(std::string message) {
    return std::unexpected(Error(ErrorClass::internal, std::move(message)));
}
[[nodiscard]] inline std::unexpected<Error> external_error(std::string message) {
    return std::unexpected(Error(ErrorClass::external, std::move(message)));
}

// Process exit code of the command line for an error of this class.
[[nodiscard]] constexpr int exit_code(ErrorClass kind) {
    return kind == ErrorClass::user ? 1 : 2;
}

}  // namespace gridaudit

// Returns the error of a failed Result/Status from the enclosing function.
#define GA_TRY(expression)                                             \
    do {                                                               \
        if (auto ga_try_result_ = (expression); !ga_try_result_)       \
            return std::unexpected(std::move(ga_try_result_).error()); \
    } while (false)

#define GA_CONCAT_INNER_(a, b) a##b
#define GA_CONCAT_(a, b) GA_CONCAT_INNER_(a, b)

// Declares `lhs` from a Result's value, or returns its error from the enclosing function.
// Usage: GA_ASSIGN_OR_RETURN(auto store, SqliteStore::open(path));
#define GA_ASSIGN_OR_RETURN(lhs, expression) \
    GA_ASSIGN_OR_RETURN_IMPL_(GA_CONCAT_(ga_result_, __LINE__), lhs, expression)
#define GA_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expression)       \
    auto tmp = (expression);                                  \
    if (!tmp) return std::unexpected(std::move(tmp).error()); \
    lhs = std::move(tmp).value()
