// METER-TEST-OVERDUE: a metering point's on-site test (现场检验) later than its metering class allows.
#include <fmt/format.h>

#include "rules/evidence.hpp"
#include "rules/meter/meter_rules.hpp"
#include "rules/meter/meter_service.hpp"

namespace gridaudit {
namespace {

class MeterTestOverdueRule final : public Rule {
public:
    MeterTestOverdueRule() {
        info_.id = "METER-TEST-OVERDUE";
        info_.area = InspectionArea::METER;
        info_.title = "On-site test overdue for the metering class";
        info_.description =
            "DL/T 448-2000 requires an on-site test of a metering point within one month of commissioning and then "
            "every 3 months for class I, 6 months for class II and 12 months for class III points (class IV and V "
            "meters have no periodic on-site test; their rotation is METER-ROTATION-OVERDUE). The class comes from "
            "the capacity and the largest monthly energy billed, as for METER-ACCURACY-CLASS. A meter whose last "
            "test (last_tested_on; the installation day or none counts as 'never tested on site') is older than "
            "its interval may have drifted out of its accuracy class without anyone noticing; the metering team "
            "should test it and the inspection team should ask why the test plan missed it.";
        info_.parameters = {
            {"first_test_months", 1.0, "months", "First on-site test after commissioning within this many months."},
            {"class_i_months", 3.0, "months", "Test interval of class I points."},
            {"class_ii_months", 6.0, "months", "Test interval of class II points."},
            {"class_iii_months", 12.0, "months", "Test interval of class III points."},
            {"class_iv_months", 0.0, "months", "Test interval of class IV points (0: no periodic on-site test)."},
            {"grace_days", 0.0, "days", "Days past the due day before the test counts as overdue."},
            {"high_severity_overdue_days", 90.0, "days", "Overdue by more than this is high severity."},
        };
        info_.evidence_fields = {"metering_class",  "capacity_kva", "installed_on", "last_tested_on",
                                 "interval_months", "due_on",       "days_overdue", "gateway"};
        info_.truth_anomalies = {"meter_test_overdue"};
    }

    const RuleInfo& info() const override { return info_; }

    void evaluate(const RuleContext& context, const RuleSettings& settings,
                  std::vector<Finding>& findings) const override {
        const RegionFrame& frame = context.frame;
        const MeterColumns& meters = frame.meters;
        const int months_of_class[4] = {static_cast<int>(settings.number("class_i_months")),
                                        static_cast<int>(settings.number("class_ii_months")),
                                        static_cast<int>(settings.number("class_iii_months")),
                                        static_cast<int>(settings.number("class_iv_months"))};
        const int first_months = static_cast<int>(settings.number("first_test_months"));
        const auto grace = static_cast<std::int32_t>(settings.number("grace_days"));
        for (std::size_t m = 0; m < meters.size(); ++m) {
            if (!in_service(meters, m, context.as_of)) continue;
            const MeteringPoint point = metering_point(frame, m);
            if (point.metering_class == MeteringClass::V) continue;
            const int interval = months_of_class[static_cast<int>(point.metering_class) - 1];
            if (interval <= 0) continue;
            // The installation day as the last test is the verification before installation, not an on-site test.
            const auto& tested = meters.last_tested_on[m];
            const bool tested_on_site = tested && *tested > meters.installed_on[m];
            const CivilDate due =
                tested_on_site ? add_months(*tested, interval) : add_months(meters.installed_on[m], first_months);
            if (context.as_of <= due + grace) continue;
            const int overdue = context.as_of - due;

            Finding finding = finding_of(info_, "meter", meters.id[m]);
            finding.severity =
                overdue > settings.number("high_severity_overdue_days") ? Severity::high : Severity::medium;
            finding.summary =
                tested_on_site
                    ? fmt::format(
                          "{} meter {} (class {} point): last on-site test {}, {} days past its {}-month interval",
                          meters.is_gateway[m] ? "Gateway" : "Customer", meters.id[m],
                          metering_class_name(point.metering_class), tested->to_string(), overdue, interval)
                    : fmt::format(
                          "{} meter {} (class {} point) installed {}: no on-site test, {} days past the first "
                          "test due {}",
                          meters.is_gateway[m] ? "Gateway" : "Customer", meters.id[m],
                          metering_class_name(point.metering_class), meters.installed_on[m].to_string(), overdue,
                          due.to_string());
            finding.evidence_json = Evidence(info_)
                                        .text("metering_class", metering_class_name(point.metering_class))
                                        .number("capacity_kva", point.capacity_kva)
                                        .date("installed_on", meters.installed_on[m])
                                        .date("last_tested_on", tested)
                                        .integer("interval_months", tested_on_site ? interval : first_months)
                                        .date("due_on", due)
                                        .integer("days_overdue", overdue)
                                        .flag("gateway", static_cast<bool>(meters.is_gateway[m]))
                                        .dump();
            findings.push_back(std::move(finding));
        }
    }

private:
    RuleInfo info_;
};

}  // namespace

std::unique_ptr<Rule> make_meter_test_overdue_rule() {
    return std::make_unique<MeterTestOverdueRule>();
}

}  // namespace gridaudit
