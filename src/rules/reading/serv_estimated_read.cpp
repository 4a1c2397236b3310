// SERV-ESTIMATED-READ: billing reads marked estimated instead of read; consecutive estimated
// periods per meter; the estimation rate of the meter's reader and team as evidence.
#include <fmt/format.h>

#include "rules/evidence.hpp"
#include "rules/reading/reader_rates.hpp"
#include "rules/reading/reading_rules.hpp"

namespace gridaudit {
namespace {

class ServEstimatedReadRule final : public Rule {
public:
    explicit ServEstimatedReadRule(BillingReadsSource reads) : reads_(std::move(reads)) {
        info_.id = "SERV-ESTIMATED-READ";
        info_.area = InspectionArea::SERV;
        info_.title = "Billing read estimated instead of read";
        info_.description =
            "A month-end billing read of the total register is marked estimated: the bill was based on a guess. "
            "Consecutive estimated periods on one meter are high severity. The evidence gives the estimation "
            "rate of the meter's reader and reading team over the look-back, so that supervisors see who "
            "estimates instead of reading.";
        info_.parameters = {
            {"lookback_months", 12.0, "months", "Whole months before the audit month searched for estimated reads."},
            {"high_severity_consecutive", 2.0, "reads", "This many estimated reads in a row is high severity."},
        };
        info_.evidence_fields = {"estimated_reads", "max_consecutive", "reader_id", "reader_estimation_rate",
                                 "team", "team_estimation_rate"};
        info_.truth_anomalies = {"estimated_read"};
    }

    const RuleInfo& info() const override { return info_; }

    void evaluate(const RuleContext& context, const RuleSettings& settings,
                  std::vector<Finding>& findings) const override {
        const BillingReadColumns* reads = reads_ ? reads_(context.frame) : nullptr;
        if (!reads) return;
        CivilDate first = months_back(context.as_of, static_cast<int>(settings.number("lookback_months")));
        CivilDate last = context.as_of;
        if (context.period) {
            first = context.period->first_day();
            last = context.period->last_day();
        }
        const ReaderRates rates = reader_rates(*reads, first, last);
        std::size_t i = 0;
        while (i < reads->size()) {
            const MeterIndex meter = reads->meter[i];
            std::size_t end = i;
            while (end < reads->size() && reads->meter[end] == meter) ++end;
            std::vector<std::string> dates;
            int run = 0, longest = 0;
            std::size_t latest = i;
            for (std::size_t k = i; k < end; ++k) {
                if (reads->read_on[k] < first || reads->read_on[k] > last) continue;
                if (reads->source[k] == ReadSource::estimated) {
                    dates.push_back(reads->read_on[k].to_string());
                    longest = std::max(longest, ++run);
                    latest = k;
                } else {
                    run = 0;
                }
            }
            if (!dates.empty()) {
                const std::string& reader = reads->reader_id[latest];
                const std::string& team = reads->reader_team[latest];
                const double reader_rate = rates.by_reader.find(reader)->second.rate();
                const double team_rate = rates.by_team.find(team)->second.rate();
                Finding finding = finding_of(info_, "meter", context.frame.meters.id[meter.value()]);
                finding.period = Period::of(reads->read_on[latest]).to_string();
                finding.severity = longest >= settings.number("high_severity_consecutive") ? Severity::high
                                                                                            : Severity::medium;
                finding.summary = fmt::format("{} estimated read(s) on meter {} (latest {}, {} in a row); reader {} "
                                              "estimates {:.1f} % of reads",
                                              dates.size(), finding.subject_id, dates.back(), longest, reader,
                                              100 * reader_rate);
                finding.evidence_json = Evidence(info_)
                                            .texts("estimated_reads", dates)
                                            .integer("max_consecutive", longest)
                                            .text("reader_id", reader)
                                            .number("reader_estimation_rate", reader_rate)
                                            .text("team", team)
                                            .number("team_estimation_rate", team_rate)
                                            .dump();
                findings.push_back(std::move(finding));
            }
            i = end;
        }
    }

private:
    BillingReadsSource reads_;
    RuleInfo info_;
};

}  // namespace

std::unique_ptr<Rule> make_serv_estimated_read_rule(BillingReadsSource reads) {
    return std::make_unique<ServEstimatedReadRule>(std::move(reads));
}

}  // namespace gridaudit
