// A textual front end to the calculator: `key=value` arguments, as the `gridaudit recover` command
// and the data-driven case files (tests/cases/recovery/) give them. docs/recovery.md lists the keys.
//
// Every key is checked: an unknown or repeated key, a malformed value or a missing required value is
// a user error naming the key. Thread safety: pure functions.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "recovery/recovery.hpp"

namespace gridaudit {

using RecoveryArguments = std::vector<std::pair<std::string, std::string>>;

// The computations: "theft", "violation", "metering", "late-payment".
[[nodiscard]] std::span<const std::string_view> recovery_computations();

// Reads tokens "key=value", "--key=value" or "--key value" (dashes in a key become underscores:
// --capacity-kw = capacity_kw).
[[nodiscard]] Result<RecoveryArguments> parse_recovery_arguments(std::span<const std::string> tokens);

// Runs `computation` on the arguments.
[[nodiscard]] Result<Recovery> compute_recovery(std::string_view computation, const RecoveryArguments& arguments,
                                                const RecoveryPolicy& policy);

// The keys `computation` accepts, one per line with what they mean (for --help).
[[nodiscard]] std::string recovery_arguments_help(std::string_view computation);

}  // namespace gridaudit
