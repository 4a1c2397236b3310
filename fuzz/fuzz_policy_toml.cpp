// Fuzz target: random bytes through the policy TOML reader (rules/policy.hpp) and its `[recovery]`
// section (recovery/recovery_policy.hpp). Invariants: no crash or sanitizer report; a refused file's
// message starts with "fuzz.toml"; an accepted recovery section written back as TOML reads again
// into the same section.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "recovery/recovery_policy.hpp"
#include "rules/policy.hpp"
#include "fuzz_require.hpp"

namespace {

using gridaudit::fuzzing::require;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace gridaudit;
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const auto policy = Policy::parse(input, "fuzz.toml");
    if (!policy) {
        require(policy.error().message().starts_with("fuzz.toml"));
        return 0;
    }
    const auto recovery = RecoveryPolicy::from(*policy);
    if (!recovery) return 0;
    const std::string written = recovery->to_toml();
    const auto policy_again = Policy::parse(written, "written.toml");
    require(policy_again.has_value());
    const auto recovery_again = RecoveryPolicy::from(*policy_again);
    require(recovery_again.has_value());
    require(recovery_again->to_toml() == written);
    return 0;
}
