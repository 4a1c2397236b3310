// SERV-MISSED-READ: a billing period (month end) with no read of a meter that was in service.
#include <fmt/format.h>

#include <algorithm>

#include "rules/evidence.hpp"
#include "rules/reading/daily_register_scan.hpp"
#include "rules/reading/reader_rates.hpp"
#include "rules/reading/reading_rules.hpp"

namespace gridaudit {
namespace {

class ServMissedReadRule final : public Rule {
public:
    explicit ServMissedReadRule(BillingReadsSource reads) : reads_(std::move(reads)) {
        info_.id = "SERV-MISSED-READ";
        info_.area = InspectionArea::SERV;
        info_.title = "Billing period without a read";
        info_.description =
            "A customer meter in service on a month end has no billing read for that day: the period was not "
            "read and its bill shows no energy (the next bill catches up). Only month ends from the region's "
            "first billing read on are judged, so a short export is not taken for missed reads.";
        info_.parameters = {
            {"lookback_months", 12.0, "months", "Whole months before the audit month searched for missed reads."},
        };
        info_.evidence_fields = {"missed_month_ends", "reader_id"};
        info_.truth_anomalies = {"missed_read"};
    }

    const RuleInfo& info() const override { return info_; }

    void evaluate(const RuleContext& context, const RuleSettings& settings,
                  std::vector<Finding>& findings) const override {
        const BillingReadColumns* reads = reads_ ? reads_(context.frame) : nullptr;
        if (!reads || reads->size() == 0) return;
        const CivilDate coverage = *std::min_element(reads->read_on.begin(), reads->read_on.end());
        CivilDate first = std::max(coverage, months_back(context.as_of, static_cast<int>(settings.number("lookback_months"))));
        CivilDate last = context.as_of;
        if (context.period) {
            first = std::max(coverage, context.period->first_day());
            last = std::min(last, context.period->last_day());
        }
        const MeterColumns& meters = context.frame.meters;
        // Reads of each meter: [begin, end) positions in the sorted columns.
        std::vector<std::pair<std::size_t, std::size_t>> range(meters.size(), {0, 0});
        for (std::size_t i = 0; i < reads->size();) {
            std::size_t end = i;
            while (end < reads->size() && reads->meter[end] == reads->meter[i]) ++end;
            range[reads->meter[i].value()] = {i, end};
            i = end;
        }
        for (std::size_t m = 0; m < meters.size(); ++m) {
            if (meters.is_gateway[m] || !meters.customer[m].valid()) continue;
            const auto [begin, end] = range[m];
            std::vector<std::string> missed;
            for (Period p = Period::of(first); p.last_day() <= last; p = p + 1) {
                const CivilDate month_end = p.last_day();
                if (month_end < first || !meter_installed(meters, m, month_end)) continue;
                const bool read = std::binary_search(reads->read_on.begin() + static_cast<std::ptrdiff_t>(begin),
                                                     reads->read_on.begin() + static_cast<std::ptrdiff_t>(end),
                                                     month_end);
                if (!read) missed.push_back(month_end.to_string());
            }
            if (missed.empty()) continue;
            const std::string reader = end > begin ? reads->reader_id[end - 1] : "";
            Finding finding = finding_of(info_, "meter", meters.id[m]);
            finding.period = missed.back().substr(0, 7);
            finding.severity = missed.size() > 1 ? Severity::high : Severity::medium;
            finding.summary = fmt::format("meter {} has no billing read for {} month end(s), latest {}", meters.id[m],
                                          missed.size(), missed.back());
            finding.evidence_json = Evidence(info_).texts("missed_month_ends", missed).text("reader_id", reader).dump();
            findings.push_back(std::move(finding));
        }
    }

private:
    BillingReadsSource reads_;
    RuleInfo info_;
};

}  // namespace

std::unique_ptr<Rule> make_serv_missed_read_rule(BillingReadsSource reads) {
    return std::make_unique<ServMissedReadRule>(std::move(reads));
}

}  // namespace gridaudit
