// The runner of data-driven tariff cases (tests/cases/tariff/*.test, read by
// tests/support/case_file.hpp).
//
// Directives, one a line; `tariff` and `calendar` without file= are block directives:
//   case <name>                      the header (case_file.hpp)
//   tariff [format=urdb] [file=PATH] a tariff: from PATH (relative to the case file), or inline JSON
//                                    on the following lines up to a line `end`; inline tariffs are
//                                    named `case.json` in messages (line 1 = first JSON line)
//   calendar [file=PATH]             a shared calendar document (from PATH or inline up to `end`, named
//                                    `calendar.json`) for the case's tariffs that reference it by id;
//                                    give it before the tariff
//   terms [capacity_kva=] [contracted_kw=] [pf_standard=0.90] [supply_start=YYYY-MM-DD]
//   state [tier_kwh=] [tier_year=]   the customer's tier accumulation before the next month
//   month YYYY-MM [<period>=kWh ...] [reg.<total|peak|flat|valley|critical_peak|deep_valley>=kWh ...]
//         [kvarh=] [demand_kw=] [demand.<demand period>=kW ...] [days=]
//                                    prices one month (state carries on to the next month)
//   load file=PATH [start=YYYY-MM-DD] prices a load CSV month by month
//   expect component <name> <amount> [tolerance=]   (month: that bill; load: summed over months)
//   expect total <amount> [tolerance=]
//   expect months <count>
//   expect line <kind> [period=] [tier=N] [item=N] [quantity=] [price=] [amount=EXACT] [percent=]
//   expect no_line <kind> [period=] [tier=N]
//   expect pf <0.xx|none>            the bill's power factor
//   expect note <name>               e.g. tiers_prorated, basic_prorated, demand_floor, pf_no_reactive
//   expect thresholds <kWh,...>      the tier thresholds used this month
//   expect error <text>              the tariff, the load or the month fails with a message containing text
//   pf <standard> <PF> <percent>     a row of the power-factor tables (e.g. `pf 0.90 0.66 +14`)
//   power_factor kwh=<P> kvarh=<Q> <0.xx|none>     the rounded power factor
//   exact [<k> x (] <q>x<price> + ... [)] = <exact> round <decimals> <mode> = <rounded>
//                                    exact sums and the one rounding step (REFERENCE.md section 2)
// Thread safety: run_tariff_case may run concurrently for different cases.
#pragma once

#include <vector>

#include "support/case_file.hpp"

namespace gridaudit::testing {

// Runs one case: a failure for each expectation that does not hold and each directive that cannot
// be read, at its line; a case without expectations fails at its header.
[[nodiscard]] std::vector<CaseFailure> run_tariff_case(const TextCase& text_case);

// The block directives of tariff cases: `tariff` and `calendar` without file=.
[[nodiscard]] bool tariff_block(const CaseLine& line);

}  // namespace gridaudit::testing
