// SERV-WRONG-READ: a manual billing read that disagrees with the AMI value frozen at the end of
// the same day beyond a tolerance (wrong read, 错抄), or a read that makes the register go
// backwards.
#include <fmt/format.h>

#include <cmath>

#include "engine/vee/usage_derivation.hpp"
#include "rules/evidence.hpp"
#include "rules/reading/daily_register_scan.hpp"
#include "rules/reading/reader_rates.hpp"
#include "rules/reading/reading_rules.hpp"

namespace gridaudit {
namespace {

class ServWrongReadRule final : public Rule {
public:
    explicit ServWrongReadRule(BillingReadsSource reads) : reads_(std::move(reads)) {
        info_.id = "SERV-WRONG-READ";
        info_.area = InspectionArea::SERV;
        info_.title = "Manual read disagrees with the meter";
        info_.description =
            "A manual billing read of the total register differs from the value the meter itself froze at the "
            "end of the same day (AMI) by more than the tolerance, or a read is lower than the meter's previous "
            "read (the register cannot go backwards). Installation and removal reads are taken at another time "
            "of the day and are not compared. The bill of that month is wrong; the reader should be asked.";
        info_.parameters = {
            {"lookback_months", 12.0, "months", "Whole months before the audit month searched."},
            {"tolerance", 0.5, "register units", "Allowed difference between the manual read and the AMI value."},
            {"register_digits", 6.0, "digits",
             "Integer digits of the register: a read below the previous one is a rollover, not a backwards read, "
             "when the wrapped advance is under 10 % of 10^digits."},
        };
        info_.evidence_fields = {"read_on", "read_value", "ami_value", "previous_read", "reader_id", "kind"};
        info_.truth_anomalies = {"wrong_read"};
    }

    const RuleInfo& info() const override { return info_; }

    void evaluate(const RuleContext& context, const RuleSettings& settings,
                  std::vector<Finding>& findings) const override {
        const BillingReadColumns* reads = reads_ ? reads_(context.frame) : nullptr;
        if (!reads) return;
        const RegionFrame& frame = context.frame;
        CivilDate first = months_back(context.as_of, static_cast<int>(settings.number("lookback_months")));
        CivilDate last = context.as_of;
        if (context.period) {
            first = context.period->first_day();
            last = context.period->last_day();
        }
        const double tolerance = settings.number("tolerance");
        const int digits = static_cast<int>(settings.number("register_digits"));
        std::size_t i = 0;
        while (i < reads->size()) {
            const MeterIndex meter = reads->meter[i];
            const std::size_t m = meter.value();
            std::size_t end = i;
            while (end < reads->size() && reads->meter[end] == meter) ++end;
            double previous = std::nan("");
            bool reported = false;
            for (std::size_t k = i; k < end && !reported; ++k) {
                const CivilDate day = reads->read_on[k];
                const double value = reads->value[k];
                const bool boundary = day == frame.meters.installed_on[m] ||
                                      (frame.meters.removed_on[m] && day == *frame.meters.removed_on[m]);
                if (reads->source[k] == ReadSource::estimated) continue;
                const bool in_window = day >= first && day <= last;
                double ami = std::nan("");
                std::string kind;
                if (in_window && !std::isnan(previous) && value < previous - tolerance &&
                    register_advance(previous, value, digits, 0.1).decrease)
                    kind = "backwards";
                if (in_window && kind.empty() && reads->source[k] == ReadSource::manual && !boundary &&
                    frame.has_daily()) {
                    const std::int32_t d = day - frame.daily.first_day;
                    if (d >= 0 && d < frame.daily.day_count) {
                        ami = frame.daily.import_at(m, d);
                        if (!std::isnan(ami) && std::abs(value - ami) > tolerance) kind = "ami_mismatch";
                    }
                }
                if (!kind.empty()) {
                    Finding finding = finding_of(info_, "meter", frame.meters.id[m]);
                    finding.period = Period::of(day).to_string();
                    finding.severity = Severity::medium;
                    finding.summary =
                        kind == "backwards"
                            ? fmt::format("read {:.2f} of meter {} on {} is below the previous read {:.2f}", value,
                                          frame.meters.id[m], day.to_string(), previous)
                            : fmt::format("manual read {:.2f} of meter {} on {} differs from the meter's own {:.2f}",
                                          value, frame.meters.id[m], day.to_string(), ami);
                    finding.evidence_json = Evidence(info_)
                                                .date("read_on", day)
                                                .number("read_value", value)
                                                .number("ami_value", ami)
                                                .number("previous_read", previous)
                                                .text("reader_id", reads->reader_id[k])
                                                .text("kind", kind)
                                                .dump();
                    const double off = kind == "backwards" ? previous - value : std::abs(value - ami);
                    finding.kwh_at_risk = off * frame.meters.multiplier[m];
                    findings.push_back(std::move(finding));
                    reported = true;
                }
                previous = value;
            }
            i = end;
        }
    }

private:
    BillingReadsSource reads_;
    RuleInfo info_;
};

}  // namespace

std::unique_ptr<Rule> make_serv_wrong_read_rule(BillingReadsSource reads) {
    return std::make_unique<ServWrongReadRule>(std::move(reads));
}

}  // namespace gridaudit
