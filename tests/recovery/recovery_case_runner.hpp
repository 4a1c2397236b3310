// A tiny runner for data-driven back-billing and penalty cases (tests/cases/recovery/*.test).
//
// Format, one directive per line ('#' starts a comment line):
//   case <name>                 starts a case; everything until the next `case` belongs to it
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
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace gridaudit::testing {

struct RecoveryCaseOutcome {
    std::string file;
    std::string name;
    int line = 0;
    std::vector<std::string> failures;  // empty: the case passed
    int checks = 0;                     // expectations evaluated
};

// Runs every case of every *.test file under `folder`.
std::vector<RecoveryCaseOutcome> run_recovery_cases(const std::filesystem::path& folder);

}  // namespace gridaudit::testing
