// The KPIs of the closed loop and the assessment score (issue 14, "reward and punishment linked
// to standards"): per org unit (rolled up the tree: a unit counts its own cases and those of the
// units below), per person (the case's assignee) and for the whole scope, for one month; each
// rule's measured precision. `gridaudit kpis`, the monthly report and GET /api/kpis call these.
//
// Definitions (docs/kpis.md): days and months are local dates under the [cases] calendar's UTC
// offset. findings: first produced by an audit run in the month, by the subject's unit. cases
// opened: opened in the month. concluded: the case's last entry into concluded falls in the month
// and it still holds a conclusion. verified within deadline: concluded, and every state it passed
// on the way (new, assigned, online_check, onsite_check) was left on or before that state's
// deadline. confirmed rate: of the concluded, the share not no_problem. kWh and money assessed:
// back-billings approved in the month; money recovered: payments made in the month, each counted
// up to what its notice still owed; kWh recovered: back-billings recovered in full in the month.
// Mean days: from the first finding (or the opening, for a case without findings) to the
// conclusion (concluded in the month) and to recovery in full (recovered in the month). Overdue:
// cases open at the month's end (or now, for the current month) past their state's deadline.
// Score: 100 x the weighted mean of the within-deadline share, the confirmed rate, the recovery
// rate (money recovered / assessed, at most 1) and the on-time share (1 - overdue / open), over
// the components the month has data for; none without any.
// Thread safety: compute_kpis is a pure function; load_kpi_input uses the Store (one thread).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "access/actor.hpp"
#include "cases/case_policy.hpp"
#include "core/money.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "rules/policy.hpp"
#include "store/access_store.hpp"
#include "store/casework_store.hpp"
#include "store/store.hpp"

namespace gridaudit {

// The `[kpis]` section: the weights of the score's components (defaults below); each at least 0,
// not all 0. Unknown keys and values that are not numbers are refused naming them.
struct KpiWeights {
    double within_deadline = 0.3;
    double confirmed_rate = 0.2;
    double recovery_rate = 0.3;
    double on_time = 0.2;

    [[nodiscard]] static Result<KpiWeights> from(const Policy& policy);
};

struct KpiFigures {
    std::size_t findings = 0;
    std::size_t cases_opened = 0;
    std::size_t concluded = 0;
    std::size_t verified_within_deadline = 0;
    std::size_t confirmed = 0;
    double kwh_assessed = 0;
    Money money_assessed;
    double kwh_recovered = 0;
    Money money_recovered;
    std::size_t reached_conclusion = 0;  // cases in the mean days to conclusion
    double days_to_conclusion_sum = 0;
    std::size_t reached_recovery = 0;
    double days_to_recovery_sum = 0;
    std::size_t open_at_end = 0;
    std::size_t overdue = 0;

    [[nodiscard]] std::optional<double> within_deadline_share() const;
    [[nodiscard]] std::optional<double> confirmed_rate() const;
    [[nodiscard]] std::optional<double> recovery_rate() const;
    [[nodiscard]] std::optional<double> on_time_share() const;
    [[nodiscard]] std::optional<double> mean_days_to_conclusion() const;
    [[nodiscard]] std::optional<double> mean_days_to_recovery() const;
    // 0..100; none when no component has data.
    [[nodiscard]] std::optional<double> score(const KpiWeights& weights) const;
};

struct UnitKpis {
    std::string unit_id;
    std::string parent_id;
    KpiFigures figures;
    std::optional<double> score;
};

struct PersonKpis {
    std::string username;
    KpiFigures figures;
};

struct RulePrecision {
    std::string rule_id;
    std::size_t concluded = 0;
    std::size_t confirmed = 0;  // not no_problem
    [[nodiscard]] double precision() const { return concluded ? double(confirmed) / double(concluded) : 0.0; }
};

struct KpiReport {
    Period period;
    CivilDate as_of;   // the day open and overdue cases are counted on
    KpiFigures total;  // the actor's whole scope
    std::optional<double> total_score;
    std::vector<UnitKpis> units;       // the units in scope, in tree order
    std::vector<PersonKpis> people;    // by username
    std::vector<RulePrecision> rules;  // by rule id
    KpiWeights weights;
};

// A finding as the KPIs count it.
struct FindingOrigin {
    std::int64_t finding_id = 0;
    std::string unit_id;        // its subject's unit ("" when none)
    std::string first_seen_at;  // ISO instant of the run that first produced it
};

// Everything the KPIs read, loaded once.
struct KpiInput {
    std::vector<Case> cases;
    std::vector<CaseMove> moves;
    std::vector<CaseFindingLink> links;
    std::vector<BackBillingRecord> back_billings;
    std::vector<CasePayment> payments;
    std::vector<FindingOrigin> findings;
    std::vector<OrgUnitLink> units;
};

[[nodiscard]] Result<KpiInput> load_kpi_input(Store& store);

// The KPIs of `period` as seen by `actor` (their units and below; Actor::system() sees all).
[[nodiscard]] KpiReport compute_kpis(const KpiInput& input, const CasePolicy& policy, const KpiWeights& weights,
                                     Period period, Instant now, const Actor& actor);

// Loads and computes, after checking the read_kpis permission.
[[nodiscard]] Result<KpiReport> kpis_for(Store& store, const CasePolicy& policy, const KpiWeights& weights,
                                         Period period, Instant now, const Actor& actor);

// {"period", "as_of", "weights", "total", "units": [...], "people": [...], "rules": [...]}: shares
// and means as numbers (null without data), money as decimal strings in CNY, kWh as numbers.
[[nodiscard]] nlohmann::json kpi_report_json(const KpiReport& report);

}  // namespace gridaudit
