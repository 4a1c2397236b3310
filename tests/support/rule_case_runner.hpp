// The runner of data-driven rule cases (tests/cases/<area>/*.test, read by case_file.hpp): builds a
// RegionFrame from a case's rows, runs the catalogue, compares the findings.
//
// Directives, one a line (no block directives; a row takes only the attributes listed):
//   case <name>                       the header (case_file.hpp)
//   as_of YYYY-MM-DD                  the audit's today (default 2026-10-31)
//   rules ID [ID...]                  the rules evaluated (default: all of the catalogue)
//   policy <toml line>                a line of gridaudit.toml, e.g. `policy [rules.X]` then `policy k = 1`
//   node ID kind=area [parent=ID] [rated_kva=400] [unit=]
//   customer ID node=ID [category=residential] [contracted_kva=8] [voltage_kv=0.22] [monthly_kwh=300]
//        [tariff=RES] [pf_standard=] [status=active] [supply_start=2015-01-01] [supply_end=]
//        [name=ID] [address=] [unit=] [industry=]   (values hold no spaces; `_` in name and address is one)
//   meter ID (customer=ID | node=ID) [phases=1] [accuracy_class=2.0] [ct_ratio=1] [pt_ratio=1]
//         [ct_class=] [pt_class=] [multiplier=1] [installed_on=2022-01-01] [removed_on=] [model=DDZY71]
//         [named=true] (a node's meter is its named gateway unless named=false)
//         [daily=first:step] (import register rising by `step` per day from `first`, 60 days to as_of)
//   tariff FILE                       a tariff or calendar JSON document (path relative to the case file)
//   bill ID customer=ID period=YYYY-MM [kwh=0] [peak=] [flat=] [valley=] [kvarh=] [demand=] [energy=0]
//        [basic=] [pf=] [surcharges=] [fixed=] [other=] [item=] [total=sum of the charges]
//        [issued_on=period end + 3] [due_on=period end + 18] [status=paid|partial|unpaid]
//   payment ID [bill=ID] [customer=ID] paid_on=YYYY-MM-DD amount=X [channel=online] [late_fee=] [waiver=]
//   collection YYYY-MM-DD [channel=online] payments=N amount=X
//   read METER YYYY-MM-DD VALUE [source=ami] [peak=] [flat=] [valley=]   a billing read (total register)
//   work_order ID [customer=ID] [type=new_connection] [segment=residential] [accepted_at=2026-10-08]
//        [plan_at=] [design_at=] [checked_at=] [connected_at=] [closed_at=] [staff=] [old=] [new=]
//        step instants as ISO 8601 (2026-10-08T09:30:00+08:00) or a bare date (09:00 at +08:00)
//   event METER at=INSTANT code=power_off [phase=A] [duration=3600]   a meter event (at as for work orders)
//   expect RULE-ID meter|customer|node|collection|work_order|policy ID   a finding the case must produce
//        (the list is exhaustive)
// Thread safety: run_rule_case may run concurrently for different cases.
#pragma once

#include <vector>

#include "rules/catalogue.hpp"
#include "support/case_file.hpp"

namespace gridaudit::testing {

// Runs one case against `catalogue`: a failure for each expected finding missing (at its `expect`
// line), each finding not expected (at the header) and each directive that cannot be read. A `rules`
// line naming a rule the catalogue lacks is a failure of the case.
[[nodiscard]] std::vector<CaseFailure> run_rule_case(const TextCase& text_case, const Catalogue& catalogue);

}  // namespace gridaudit::testing
