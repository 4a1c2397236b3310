// Building the monthly report model (see report_model.hpp).
#include "report/report_model.hpp"

#include <fmt/format.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>

#include "audit/audit_session.hpp"
#include "rules/loss/loss_evidence.hpp"

namespace gridaudit {

void FindingTotals::add(const Finding& finding) {
    ++count;
    if (finding.kwh_at_risk && std::isfinite(*finding.kwh_at_risk)) ++with_kwh, kwh_at_risk += *finding.kwh_at_risk;
    if (finding.money_at_risk) ++with_money, money_at_risk += *finding.money_at_risk;
}

const LevelLossTable* ReportModel::level(BalanceLevel wanted) const {
    for (const auto& table : levels)
        if (table.level == wanted) return &table;
    return nullptr;
}

namespace {

// Orders findings for the top table: most money at risk first (findings without money after
// every finding with it), then most kWh at risk, then rule and subject for a stable order.
bool ranks_before(const Finding& a, const Finding& b) {
    if (a.money_at_risk.has_value() != b.money_at_risk.has_value()) return a.money_at_risk.has_value();
    if (a.money_at_risk && *a.money_at_risk != *b.money_at_risk) return *a.money_at_risk > *b.money_at_risk;
    const double ka = a.kwh_at_risk.value_or(-1), kb = b.kwh_at_risk.value_or(-1);
    if (ka != kb) return ka > kb;
    return std::tie(a.rule_id, a.subject_kind, a.subject_id, a.period) <
           std::tie(b.rule_id, b.subject_kind, b.subject_id, b.period);
}

// Names of the subjects of `top`: customers and nodes by their own name, meters by their
// customer's (or, for a gateway, their node's).
void name_subjects(std::vector<TopFinding>& top, std::span<const RegionFrame> frames) {
    std::unordered_map<std::string, std::string*> wanted_customer, wanted_node, wanted_meter;
    for (auto& t : top) {
        if (t.finding.subject_kind == "customer") wanted_customer.emplace(t.finding.subject_id, nullptr);
        if (t.finding.subject_kind == "node") wanted_node.emplace(t.finding.subject_id, nullptr);
        if (t.finding.subject_kind == "meter") wanted_meter.emplace(t.finding.subject_id, nullptr);
    }
    std::unordered_map<std::string, std::string> names;  // kind + '\n' + id -> name
    for (const RegionFrame& frame : frames) {
        for (std::size_t c = 0; c < frame.customers.size(); ++c)
            if (wanted_customer.contains(frame.customers.id[c]))
                names["customer\n" + frame.customers.id[c]] = frame.customers.name[c];
        for (std::size_t n = 0; n < frame.network.size(); ++n)
            if (wanted_node.contains(frame.network.id[n]))
                names["node\n" + frame.network.id[n]] = frame.network.name[n];
        for (std::size_t m = 0; m < frame.meters.size(); ++m) {
            if (!wanted_meter.contains(frame.meters.id[m])) continue;
            const CustomerIndex customer = frame.meters.customer[m];
            const NodeIndex node = frame.meters.node[m];
            names["meter\n" + frame.meters.id[m]] = customer.valid() ? frame.customers.name[customer.value()]
                                                    : node.valid()   ? frame.network.name[node.value()]
                                                                     : std::string();
        }
    }
    for (auto& t : top) {
        const auto it = names.find(t.finding.subject_kind + "\n" + t.finding.subject_id);
        if (it != names.end()) t.subject_name = it->second;
    }
}

}  // namespace

FindingsSummary summarise_findings(const std::vector<Finding>& findings, std::span<const RegionFrame> frames,
                                   const Catalogue& catalogue, const std::vector<std::string>& rules_run,
                                   std::size_t top) {
    FindingsSummary summary;
    for (const InspectionArea area : {InspectionArea::PROC, InspectionArea::METER, InspectionArea::BILL,
                                      InspectionArea::LOSS, InspectionArea::SERV, InspectionArea::SHARE})
        summary.by_area.push_back({area, {}});
    std::map<std::string, std::size_t> rule_row;
    const auto row_of_rule = [&](const std::string& id, InspectionArea area) -> RuleFindingTotals& {
        auto [it, added] = rule_row.emplace(id, summary.by_rule.size());
        if (added) {
            const Rule* rule = catalogue.find(id);
            summary.by_rule.push_back(
                {id, rule ? rule->info().title : std::string(), rule ? rule->info().area : area, {}});
        }
        return summary.by_rule[it->second];
    };
    for (const auto& rule : catalogue.rules())
        if (std::find(rules_run.begin(), rules_run.end(), rule->info().id) != rules_run.end())
            row_of_rule(rule->info().id, rule->info().area);
    for (const auto& id : rules_run) row_of_rule(id, InspectionArea::PROC);
    for (const Finding& finding : findings) {
        summary.total.add(finding);
        summary.by_area[static_cast<std::size_t>(finding.area)].totals.add(finding);
        row_of_rule(finding.rule_id, finding.area).totals.add(finding);
    }

    std::vector<const Finding*> at_risk;
    for (const Finding& finding : findings)
        if (finding.money_at_risk || finding.kwh_at_risk) at_risk.push_back(&finding);
    const std::size_t kept = std::min(top, at_risk.size());
    std::partial_sort(at_risk.begin(), at_risk.begin() + static_cast<std::ptrdiff_t>(kept), at_risk.end(),
                      [](const Finding* a, const Finding* b) { return ranks_before(*a, *b); });
    for (std::size_t i = 0; i < kept; ++i) summary.top.push_back({i + 1, *at_risk[i], {}});
    name_subjects(summary.top, frames);
    return summary;
}

void add_loss_analysis(std::span<const RegionFrame> frames, const Policy& policy, Period period,
                       double purchase_price_per_kwh, ReportModel& model) {
    // One analysis per frame for each distinct set of thresholds (areas use LOSS-AREA-HIGH's, the
    // levels above LOSS-FEEDER-HIGH's), the regions in parallel.
    struct ThresholdAnalyses {
        LossThresholds thresholds;
        std::vector<std::optional<LossAnalysis>> analyses;
    };
    std::vector<ThresholdAnalyses> sets;
    const auto analyses_for = [&](const LossThresholds& t) -> const ThresholdAnalyses& {
        for (const auto& set : sets)
            if (set.thresholds.high_rate == t.high_rate && set.thresholds.very_high_rate == t.very_high_rate &&
                set.thresholds.negative_rate == t.negative_rate && set.thresholds.min_coverage == t.min_coverage &&
                set.thresholds.min_month_days_share == t.min_month_days_share)
                return set;
        ThresholdAnalyses& set = sets.emplace_back(ThresholdAnalyses{t, {}});
        set.analyses.resize(frames.size());
        tbb::parallel_for(std::size_t{0}, frames.size(),
                          [&](std::size_t f) { set.analyses[f] = analyse_loss(frames[f], t); });
        return set;
    };
    sets.reserve(std::size(report_levels));
    model.period = period;
    model.purchase_price_per_kwh = purchase_price_per_kwh;
    model.levels.clear();
    model.units.clear();
    for (const BalanceLevel level : report_levels) {
        const LossThresholds thresholds = loss_table_thresholds(policy, level);
        const auto& analyses = analyses_for(thresholds).analyses;
        model.levels.push_back({level, loss_table(frames, analyses, level, period, purchase_price_per_kwh)});
        auto units = loss_unit_table(frames, analyses, level, period, thresholds, purchase_price_per_kwh);
        model.units.insert(model.units.end(), units.begin(), units.end());
    }
    model.prices = selling_price_by_category(frames, period);

    // The utility's months, from the substations' analyses above.
    const auto& top_analyses = analyses_for(loss_table_thresholds(policy, BalanceLevel::substation)).analyses;
    model.months = utility_months(frames, top_analyses, period - 12, period);
}

Result<ReportModel> build_report(Store& store, const Catalogue& catalogue, const Policy& policy,
                                 const ReportOptions& options) {
    GA_TRY(catalogue.check_policy(policy));
    GA_ASSIGN_OR_RETURN(const auto range, store.daily_range());
    if (!range)
        return user_error(
            "the store holds no daily register data: the report's loss analysis needs it "
            "(import ami_daily.csv first)");
    const Period first_month = Period::of(range->first), last_month = Period::of(range->second);
    const Period period = options.period.value_or(last_month);
    if (period < first_month || period > last_month)
        return user_error(fmt::format("no daily data for {} (the store has {} to {})", period.to_string(),
                                      range->first.to_string(), range->second.to_string()));

    // The frames `gridaudit audit` and `gridaudit loss` load, with the daily window reaching back
    // to the same month a year before the period when that is further back than the default.
    FrameOptions frame_options;
    const int days_needed = (range->second - (period - 12).first_day()) + 2;
    frame_options.daily_lookback_days = std::max(frame_options.daily_lookback_days, days_needed);
    AuditSessionOptions session_options;
    session_options.frames = frame_options;
    GA_ASSIGN_OR_RETURN(const AuditSession session, AuditSession::load(store, catalogue, policy, session_options));

    ReportModel model;
    model.as_of = options.as_of.value_or(range->second);
    model.rules_run = session.selection().ids();
    model.audit_findings = session.run(model.as_of, period);
    add_loss_analysis(session.frames(), policy, period, options.purchase_price_per_kwh, model);
    model.findings =
        summarise_findings(model.audit_findings, session.frames(), catalogue, model.rules_run, options.top_findings);
    GA_ASSIGN_OR_RETURN(const CasePolicy case_policy, CasePolicy::from(policy));
    GA_ASSIGN_OR_RETURN(const KpiWeights weights, KpiWeights::from(policy));
    const Instant period_end = Instant::from_unix_seconds(std::int64_t{(period + 1).first_day().days_since_epoch()} *
                                                          86400);
    GA_ASSIGN_OR_RETURN(model.kpis, kpis_for(store, case_policy, weights, period, options.now.value_or(period_end),
                                             Actor::system()));
    return model;
}

}  // namespace gridaudit
