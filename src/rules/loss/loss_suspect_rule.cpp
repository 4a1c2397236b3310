// LOSS-SUSPECT: inside every area (or feeder) with high loss, the customers whose consumption
// best explains the extra loss, with the energy each plausibly took unmetered.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "rules/loss/loss_evidence.hpp"
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
            "(parameter min_month_rate), the customers are ranked by how well their consumption explains the extra loss: the day the area's loss "
            "rate jumped, how far each customer's consumption fell at that day compared with the other customers "
            "of the area, and how closely their daily consumption follows the area's daily extra loss afterwards "
            "(a bypass takes a fixed share of what is really consumed). The best-ranked customers become findings "
            "for an on-site inspection, with the estimated unmetered energy since the jump; below the top ones, more "
            "are reported while the area's extra loss is not yet explained by those reported. Customers whose "
            "records explain a fall (closed, suspended) and customers that feed in (their net consumption falls with "
            "the sun; a meter that exported in the first 30 days of the data) are passed over.";
        info_.parameters = loss_threshold_parameters(0.07, 0.30);
        info_.parameters.push_back({"top_customers", 3.0, "customers", "How many of an area's best-ranked customers are reported."});
        info_.parameters.push_back({"min_score", 0.25, "", "Ranking score (0..1) below which a customer is not reported."});
        info_.parameters.push_back({"max_customers", 8.0, "customers",
                                    "Below the top customers, more are reported (up to this many in all) while the "
                                    "estimated unmetered energy of those reported is less than the area's extra loss."});
        info_.parameters.push_back({"min_month_rate", 0.0, "",
                                    "Audited month's loss rate above which a node's customers are ranked: by default "
                                    "every node with a positive loss (a culprit in a large area can hide inside the "
                                    "qualified range); set it to high_rate to rank high-loss nodes only."});
        info_.parameters.push_back({"min_jump", 0.02, "", "Smallest rise of the daily loss rate that counts as the area's jump."});
        info_.parameters.push_back({"reference_rate", 0.04, "", "Normal loss rate assumed when the area was abnormal throughout."});
        info_.evidence_fields = {"node", "rank", "score", "correlation", "drop", "estimated_kwh", "jump_day",
                                 "area_excess_kwh", "base_rate"};
        info_.truth_anomalies = {"theft_bypass", "meter_stopped", "meter_reversed"};
    }

    const RuleInfo& info() const override { return info_; }

    void evaluate(const RuleContext& context, const RuleSettings& settings,
                  std::vector<Finding>& findings) const override {
        const RegionFrame& frame = context.frame;
        const auto analysis = shared_loss_analysis(frame, loss_thresholds(settings), info_.id);
        if (!analysis) return;
        const auto month = analysis->month_column(context.period);
        if (!month) return;
        const BalanceTable& monthly = analysis->balance.monthly;
        const auto top = static_cast<std::size_t>(settings.number("top_customers"));
        const double min_score = settings.number("min_score");
        const auto most = std::max(top, static_cast<std::size_t>(settings.number("max_customers")));
        const double min_month_rate = settings.number("min_month_rate");
        const std::string period = Period::from_index(analysis->balance.month_index[*month]).to_string();
        // Customers that feed in (PV): their net usage falls with the sun, not with a bypass. A meter that
        // exported in the first 30 days of the data generates; a reversed meter exports only from the
        // day it was reversed, so it stays a suspect.
        std::vector<std::uint8_t> generates(frame.customers.size(), 0);
        {
            const auto days = static_cast<std::size_t>(frame.daily.day_count);
            const std::size_t window = std::min<std::size_t>(days, 30);
            for (std::size_t m = 0; m < frame.meters.size(); ++m) {
                if (frame.meters.is_gateway[m] || !frame.meters.customer[m].valid()) continue;
                const double* exported = frame.daily.export_register.data() + m * days;
                double low = std::numeric_limits<double>::infinity(), high = -low;
                for (std::size_t d = 0; d < window; ++d)
                    if (!std::isnan(exported[d])) low = std::min(low, exported[d]), high = std::max(high, exported[d]);
                if (high > low) generates[frame.meters.customer[m].value()] = 1;
            }
        }
        for (std::size_t n = 0; n < frame.network.size(); ++n) {
            const LossClass loss_class = monthly.loss_class[monthly.at(n, *month)];
            if (loss_class == LossClass::not_computable || !(monthly.loss_rate(n, *month) > min_month_rate)) continue;
            const std::uint32_t begin = analysis->graph().customer_offset[n], end = analysis->graph().customer_offset[n + 1];
            if (begin == end) continue;
            LossChangeOptions change_options;
            change_options.min_shift = settings.number("min_jump");
            const LossChange change = find_loss_change(analysis->daily_supply(n), analysis->daily_sales(n), change_options);
            RankingOptions ranking_options;
            ranking_options.reference_rate = settings.number("reference_rate");
            const CulpritRanking ranking = rank_culprits(analysis->customers(), begin, end, analysis->daily_supply(n),
                                                         analysis->daily_sales(n), change, ranking_options);
            // The top of the ranking; further down only while the area's extra loss is not yet explained
            // by what the reported customers plausibly took (an area can hold many culprits).
            // Customers whose records explain a fall (closed, suspended) or that feed in are passed over.
            double explained = 0;
            std::size_t rank = 0;
            for (const CulpritScore& s : ranking.customers) {
                if (rank >= most || s.score < min_score) break;
                if (rank >= top && explained >= ranking.excess_kwh) break;
                const std::uint32_t c = analysis->customer_of_row()[s.row];
                if (frame.customers.status[c] != "active" || frame.customers.supply_end[c] || generates[c]) continue;
                explained += s.estimated_kwh;
                Finding finding = finding_of(info_, "customer", frame.customers.id[c]);
                finding.period = period;
                finding.severity = rank == 0 ? Severity::high : Severity::medium;
                finding.kwh_at_risk = s.estimated_kwh;
                const std::string since =
                    change.day >= 0 ? (analysis->first_day + change.day).to_string() : std::string("the window's start");
                finding.summary = fmt::format(
                    "Customer {} ranks #{} in {} {} ({:.1f} % loss in {}): consumption {} since {}, about {:.0f} kWh "
                    "unmetered",
                    frame.customers.id[c], rank + 1, frame.network.kind[n] == NodeKind::area ? "area" : "feeder",
                    frame.network.id[n], monthly.loss_rate(n, *month) * 100, period,
                    s.drop > 0.2 ? fmt::format("fell {:.0f} % against its peers", s.drop * 100)
                                 : fmt::format("follows the extra loss (r = {:.2f})", s.correlation),
                    since, s.estimated_kwh);
                nlohmann::json evidence{{"node", frame.network.id[n]},
                                        {"rank", rank + 1},
                                        {"score", std::round(s.score * 1000) / 1000},
                                        {"correlation", std::round(s.correlation * 1000) / 1000},
                                        {"drop", std::round(s.drop * 1000) / 1000},
                                        {"estimated_kwh", std::round(s.estimated_kwh * 10) / 10},
                                        {"area_excess_kwh", std::round(ranking.excess_kwh * 10) / 10},
                                        {"base_rate", std::round(ranking.base_rate * 1e4) / 1e4}};
                evidence["jump_day"] = change.day >= 0 ? nlohmann::json(since) : nlohmann::json();
                finding.evidence_json = evidence.dump();
                findings.push_back(std::move(finding));
                ++rank;
            }
        }
    }

private:
    RuleInfo info_;
};

}  // namespace

std::unique_ptr<Rule> make_loss_suspect_rule() { return std::make_unique<LossSuspectRule>(); }

}  // namespace gridaudit
