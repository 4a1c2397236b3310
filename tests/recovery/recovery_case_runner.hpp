// The runner of data-driven back-billing and penalty cases (tests/cases/recovery/*.test, read by
// tests/support/case_file.hpp).
//
// Directives, one a line; `policy` is the block directive:
//   case <name>                 the header (case_file.hpp)
//   policy                      the case's policy file: TOML on the following lines up to `end`
//   policy_error <text>         the policy above is refused with a message containing text
//   run <computation> key=value ...   theft, violation, metering or late-payment with the keys of
//                               docs/recovery.md; the expectations below apply to the last run;
//                               a relative tariff=PATH is relative to the case file
//   expect energy <kWh>         back-billed (negative: refunded) kWh, exact
//   expect amount <name> <rounded> [exact=<decimal>]
//   expect no_amount <name>
//   expect total <rounded>
//   expect step <name> <value>  an intermediate value, exact decimal text
//   expect note <text>          a note containing text
//   expect error <text>         the run fails with a user error containing text
//   expect external_error <text>  the same, an external error (e.g. a file that cannot be read)
// Thread safety: run_recovery_case may run concurrently for different cases.
#pragma once

#include <vector>

#include "support/case_file.hpp"

namespace gridaudit::testing {

// Runs one case: a failure for each expectation that does not hold and each directive that cannot
// be read, at its line; a case without expectations fails at its header.
[[nodiscard]] std::vector<CaseFailure> run_recovery_case(const TextCase& text_case);

// The block directive of recovery cases: `policy`.
[[nodiscard]] bool recovery_block(const CaseLine& line);

}  // namespace gridaudit::testing
