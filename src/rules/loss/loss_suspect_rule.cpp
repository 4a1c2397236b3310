// LOSS-SUSPECT: inside every area (or feeder) with a loss, the customers whose consumption explains
// part of it (a decomposition of the node's loss rate), with the energy each took unmetered.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "engine/balance/loss_decomposition.hpp"
#include "rules/loss/loss_evidence.hpp"
#include "rules/loss/loss_outage_match.hpp"
#include "rules/loss/loss_rules.hpp"

namespace gridaudit {
namespace {

class LossSuspectRule final : public Rule {
public:
    LossSuspectRule() {
        info_.id = "LOSS-SUSPECT";
        info_.area = InspectionArea::LOSS;
        info_.title = "Customer suspected of causing a high line loss";
        info_.description =
            "For each transformer area (or feeder, for 10 kV customers) whose audited month has a positive loss "
            "(parameter min_month_rate), the daily loss rate over the data window is decomposed into a base rate plus "
            "what individual customers took unmetered (engine/balance/loss_decomposition.hpp): a customer whose "
            "share of its peers' consumption stepped down (a bypass starting, a meter stopping or reversed) or up (a "
            "theft ending), with the usage it stopped registering or the usage it still registers on the low side "
            "as the term; or, for a theft older than the window, its registered usage throughout. Terms enter one by "
            "one, the one explaining most of the remaining loss first, only with a plausible coefficient (a step "
            "leaves about 1 kWh of loss per kWh missing, a bypass taking a share f leaves f / (1 - f) of what is "
            "registered) and a clear t statistic, so several culprits of one area with different start days are "
            "told apart. Each term is a finding with the energy it took unmetered. In a high-loss area, an active "
            "customer that registers nothing at all over the window, or whose meter runs only backwards, is a "
            "suspect too (REFERENCE.md section 11). Customers whose records explain a fall (closed, suspended) and "
            "customers that generate (both registers advance: PV) are not candidates. A customer whose meters saw "
            "another area's outages (LOSS-TOPOLOGY's finding) is fitted as what it is: energy in the supplying "
            "area's balance, usage in its recorded area's sales, so neither area puts it on a neighbour.";
        info_.parameters = loss_threshold_parameters(0.07, 0.30);
        info_.parameters.push_back({"max_customers", 12.0, "customers", "Most findings per area (or feeder)."});
        info_.parameters.push_back({"min_month_rate", 0.0, "",
                                    "Audited month's loss rate above which a node's loss is decomposed: by default "
                                    "every node with a positive loss (a culprit in a large area can hide inside the "
                                    "qualified range); set it to high_rate to look at high-loss nodes only."});
        info_.parameters.push_back({"min_t", 4.0, "",
                                    "t statistic a step (or a bypass after a step) needs to be credited with part of "
                                    "the loss."});
        info_.parameters.push_back({"min_stopped_t", 2.5, "",
                                    "The same for a meter that registers nothing at all after its step (an indicator "
                                    "on its own)."});
        info_.parameters.push_back({"min_level_t", 8.0, "",
                                    "The same for a customer without a step in the window, whose registered usage the "
                                    "loss follows throughout."});
        info_.parameters.push_back({"min_step_drop", 0.25, "",
                                    "Smallest fall (or rise) of a customer's share of its peers' consumption that "
                                    "counts as a step."});
        info_.parameters.push_back({"min_silent_days", 60.0, "days",
                                    "A customer registering nothing (or only backwards) for the whole window, at "
                                    "least this many days, is a suspect of a high-loss area."});
        info_.evidence_fields = {"node",          "rank",          "signal",   "from",      "to",
                                 "coefficient",   "t",             "drop",     "estimated_kwh",
                                 "area_excess_kwh", "base_rate",   "residual_sigma"};
        info_.truth_anomalies = {"theft_bypass", "meter_stopped", "meter_reversed"};
    }

    const RuleInfo& info() const override { return info_; }

    void evaluate(const RuleContext& context, const RuleSettings& settings,
                  std::vector<Finding>& findings) const override {
        const RegionFrame& frame = context.frame;
        const LossThresholds thresholds = loss_thresholds(settings);
        const auto analysis = shared_loss_analysis(context.analyses, context.frame, thresholds);
        if (!analysis) return;
        const auto month = analysis->month_column(context.period);
        if (!month) return;
        const BalanceTable& monthly = analysis->balance.monthly;
        const auto most = static_cast<std::size_t>(settings.number("max_customers"));
        const double min_month_rate = settings.number("min_month_rate");
        const auto min_silent_days = static_cast<std::int32_t>(settings.number("min_silent_days"));
        DecompositionOptions options;
        options.min_t = settings.number("min_t");
        options.min_stopped_t = settings.number("min_stopped_t");
        options.min_level_t = settings.number("min_level_t");
        options.min_step_drop = settings.number("min_step_drop");
        options.max_terms = most;
        const std::string period = Period::from_index(analysis->balance.month_index[*month]).to_string();
        const RegisterActivity activity = register_activity(frame);
        // Customers whose meters saw another area's outages (LOSS-TOPOLOGY's finding): their energy
        // sits in that area's balance, their usage in their recorded area's sales.
        std::vector<std::uint32_t> row_of(frame.customers.size());
        for (std::uint32_t r = 0; r < analysis->customer_of_row().size(); ++r) row_of[analysis->customer_of_row()[r]] = r;
        std::vector<std::vector<MisfiledCustomer>> misfiled(frame.network.size());
        std::vector<std::uint8_t> supplied_elsewhere(frame.customers.size(), 0);
        const CivilDate last_day = Period::from_index(analysis->balance.month_index[*month]).last_day();
        for (const OutageAssignment& a : customers_supplied_elsewhere(frame, last_day, OutageMatchOptions{})) {
            const std::uint32_t row = row_of[a.customer.value()];
            misfiled[a.supplying.value()].push_back({row, 1.0});
            misfiled[a.recorded.value()].push_back({row, -1.0});
            supplied_elsewhere[a.customer.value()] = 1;
        }
        std::vector<CandidateRole> roles;
        for (std::size_t n = 0; n < frame.network.size(); ++n) {
            const LossClass loss_class = monthly.loss_class[monthly.at(n, *month)];
            const double rate = monthly.loss_rate(n, *month);
            if (loss_class == LossClass::not_computable || !(rate > min_month_rate)) continue;
            const std::uint32_t begin = analysis->graph().customer_offset[n], end = analysis->graph().customer_offset[n + 1];
            if (begin == end) continue;
            // Customers whose records explain a fall, and customers that generate, are not candidates;
            // customers whose recorded multiplier disagrees with their CT x PT are, without a bound on
            // the loss they explain, and are not reported (METER-MULTIPLIER-MISMATCH and LOSS-TOPOLOGY are
            // the findings for them).
            roles.assign(end - begin, CandidateRole::suspect);
            for (std::uint32_t r = begin; r < end; ++r) {
                const std::uint32_t c = analysis->customer_of_row()[r];
                if (frame.customers.status[c] != "active" || frame.customers.supply_end[c] || activity.generates[c] ||
                    supplied_elsewhere[c])
                    roles[r - begin] = CandidateRole::none;
                else if (activity.multiplier_disagrees[c])
                    roles[r - begin] = CandidateRole::unbounded;
            }
            const LossDecomposition decomposition = decompose_loss(analysis->customers(), begin, end,
                                                                   analysis->daily_supply(n), analysis->daily_sales(n),
                                                                   roles, options, misfiled[n]);
            std::vector<Suspect> suspects;
            for (const CulpritTerm& term : decomposition.terms)
                if (term.row >= begin && term.row < end && roles[term.row - begin] == CandidateRole::suspect)
                    suspects.push_back({term, term.row, ""});
            // In a high-loss node: meters that stopped or run backwards from a day on, then who registers
            // nothing, or only backwards, all window long.
            if (loss_class == LossClass::high || loss_class == LossClass::very_high) {
                for (const CulpritTerm& term : decomposition.indicators)
                    if (roles[term.row - begin] == CandidateRole::suspect && suspects.size() < most)
                        suspects.push_back({term, term.row, term.drop > 1 ? "reversed" : "stopped"});
                for (std::uint32_t r = begin; r < end && suspects.size() < most; ++r) {
                    const std::uint32_t c = analysis->customer_of_row()[r];
                    if (roles[r - begin] != CandidateRole::suspect || activity.days[c] < min_silent_days) continue;
                    if (std::any_of(suspects.begin(), suspects.end(), [&](const Suspect& s) { return s.row == r; })) continue;
                    if (activity.silent[c]) {
                        suspects.push_back({CulpritTerm{}, r, "silent"});
                    } else if (activity.backwards[c]) {
                        CulpritTerm term;
                        term.estimated_kwh = 2 * activity.exported_kwh[c];  // registered backwards: twice in the loss
                        suspects.push_back({term, r, "backwards"});
                    }
                }
            }
            const std::string kind = frame.network.kind[n] == NodeKind::area ? "area" : "feeder";
            for (std::size_t rank = 0; rank < suspects.size() && rank < most; ++rank) {
                const Suspect& s = suspects[rank];
                const std::uint32_t c = analysis->customer_of_row()[s.row];
                findings.push_back(suspect_finding(frame, *analysis, n, c, s, rank, kind, rate, period, decomposition));
            }
        }
    }

private:
    // A customer of a node's findings: a decomposition term, or an indicator without one.
    struct Suspect {
        CulpritTerm term;
        std::uint32_t row = 0;
        std::string_view indicator;  // "" for a term; "stopped", "reversed", "silent" or "backwards"
    };

    // Which customers generate (both registers advance: PV imports at night and exports by day), which
    // register nothing at all or only backwards over the window (a stopped or reversed meter older
    // than the window), and over how many days with data.
    struct RegisterActivity {
        std::vector<std::uint8_t> generates, silent, backwards;
        std::vector<std::int32_t> days;
        std::vector<double> exported_kwh;
        std::vector<std::uint8_t> multiplier_disagrees;  // a meter's recorded multiplier != its CT x PT
    };

    static RegisterActivity register_activity(const RegionFrame& frame) {
        const std::size_t customers = frame.customers.size();
        RegisterActivity a;
        a.generates.assign(customers, 0);
        a.silent.assign(customers, 1);
        a.backwards.assign(customers, 1);
        a.days.assign(customers, 0);
        a.exported_kwh.assign(customers, 0.0);
        a.multiplier_disagrees.assign(customers, 0);
        std::vector<std::uint8_t> has_meter(customers, 0);
        const auto days = static_cast<std::size_t>(frame.daily.day_count);
        for (std::size_t m = 0; m < frame.meters.size(); ++m) {
            if (frame.meters.is_gateway[m] || !frame.meters.customer[m].valid()) continue;
            const std::size_t c = frame.meters.customer[m].value();
            has_meter[c] = 1;
            const double* imported = frame.daily.import_register.data() + m * days;
            const double* exported = frame.daily.export_register.data() + m * days;
            auto span_of = [&](const double* values, std::int32_t& valid) {
                double low = std::numeric_limits<double>::infinity(), high = -low;
                valid = 0;
                for (std::size_t d = 0; d < days; ++d)
                    if (!std::isnan(values[d])) low = std::min(low, values[d]), high = std::max(high, values[d]), ++valid;
                return valid > 0 ? high - low : 0.0;
            };
            std::int32_t import_days = 0, export_days = 0;
            const double import_advance = span_of(imported, import_days);
            const double export_advance = span_of(exported, export_days);
            const double multiplier = frame.meters.multiplier[m];
            const double ratio = frame.meters.ct_ratio[m] * frame.meters.pt_ratio[m];
            if (std::isfinite(ratio) && std::isfinite(multiplier) && std::abs(ratio - multiplier) > 0.005 * ratio &&
                !frame.meters.removed_on[m])
                a.multiplier_disagrees[c] = 1;
            a.days[c] = std::max(a.days[c], import_days);
            if (import_advance > 0 && export_advance > 0) a.generates[c] = 1;
            if (import_advance > 0) a.silent[c] = 0, a.backwards[c] = 0;
            if (export_advance > 0) a.silent[c] = 0;
            else a.backwards[c] = 0;
            a.exported_kwh[c] += export_advance * (std::isfinite(multiplier) ? multiplier : 1.0);
        }
        for (std::size_t c = 0; c < customers; ++c)
            if (!has_meter[c]) a.silent[c] = 0, a.backwards[c] = 0;
        return a;
    }

    Finding suspect_finding(const RegionFrame& frame, const LossAnalysis& analysis, std::size_t node, std::uint32_t c,
                            const Suspect& s, std::size_t rank, const std::string& kind, double rate,
                            const std::string& period, const LossDecomposition& decomposition) const {
        Finding finding = finding_of(info_, "customer", frame.customers.id[c]);
        finding.period = period;
        finding.severity = rank == 0 ? Severity::high : Severity::medium;
        finding.kwh_at_risk = s.term.estimated_kwh;
        auto day = [&](std::int32_t column) { return (analysis.first_day + column).to_string(); };
        const std::string signal = !s.indicator.empty()                     ? std::string(s.indicator)
                                   : s.term.signal == CulpritSignal::step   ? "step"
                                   : s.term.signal == CulpritSignal::bypass ? "bypass"
                                                                            : "level";
        std::string how;
        if (s.indicator == "stopped" || s.indicator == "reversed") {
            const std::string when = s.term.to >= 0 ? fmt::format("from {} until {}", day(s.term.from), day(s.term.to))
                                                    : fmt::format("since {}", day(s.term.from));
            how = fmt::format("its meter {} {} (about {:.0f} kWh it would have registered; too small for the "
                              "balance alone, t = {:.1f})",
                              s.indicator == "stopped" ? "registers nothing" : "runs backwards", when,
                              s.term.estimated_kwh, s.term.t);
        } else if (s.indicator == "silent") {
            how = "registers nothing at all over the data window while active";
        } else if (s.indicator == "backwards") {
            how = fmt::format("its meter runs only backwards over the data window (about {:.0f} kWh in the loss)",
                              s.term.estimated_kwh);
        } else if (s.term.signal == CulpritSignal::level) {
            how = fmt::format("the loss follows its registered usage throughout (about {:.2f} kWh lost per kWh "
                              "registered, t = {:.1f}), about {:.0f} kWh unmetered",
                              s.term.coefficient, s.term.t, s.term.estimated_kwh);
        } else {
            const std::string when = s.term.to >= 0 ? fmt::format("until {}", day(s.term.to))
                                                    : fmt::format("since {}", day(s.term.from));
            how = fmt::format("its consumption {} {} {:.0f} % against its peers and the loss moved with it (t = "
                              "{:.1f}), about {:.0f} kWh unmetered",
                              s.term.to >= 0 ? "was low" : "fell", when, std::min(s.term.drop, 9.99) * 100, s.term.t,
                              s.term.estimated_kwh);
        }
        finding.summary = fmt::format("Customer {} ranks #{} in {} {} ({:.1f} % loss in {}): {}", frame.customers.id[c],
                                      rank + 1, kind, frame.network.id[node], rate * 100, period, how);
        auto round_to = [](double value, double unit) { return std::round(value / unit) * unit; };
        const bool stepped = (s.indicator.empty() || s.indicator == "stopped" || s.indicator == "reversed") &&
                             s.term.signal != CulpritSignal::level;
        const auto known_day = [&](bool known, std::int32_t column) {
            return known ? std::optional<CivilDate>(analysis.first_day + column) : std::nullopt;
        };
        finding.evidence_json = Evidence(info_)
                                    .text("node", frame.network.id[node])
                                    .integer("rank", static_cast<std::int64_t>(rank + 1))
                                    .text("signal", signal)
                                    .date("from", known_day(stepped, s.term.from))
                                    .date("to", known_day(stepped && s.term.to >= 0, s.term.to))
                                    .number("coefficient", round_to(s.term.coefficient, 0.001))
                                    .number("t", round_to(s.term.t, 0.01))
                                    .number("drop", round_to(s.term.drop, 0.001))
                                    .number("estimated_kwh", round_to(s.term.estimated_kwh, 0.1))
                                    .number("area_excess_kwh", round_to(decomposition.excess_kwh, 0.1))
                                    .number("base_rate", round_to(decomposition.base_rate, 1e-4))
                                    .number("residual_sigma", round_to(decomposition.residual_sigma, 1e-4))
                                    .dump();
        return finding;
    }

private:
    RuleInfo info_;
};

}  // namespace

std::unique_ptr<Rule> make_loss_suspect_rule() { return std::make_unique<LossSuspectRule>(); }

}  // namespace gridaudit
