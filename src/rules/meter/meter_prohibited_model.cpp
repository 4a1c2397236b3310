// METER-PROHIBITED-MODEL: a meter of a prohibited model, or older than its model's own rotation period.
#include <fmt/format.h>

#include <charconv>
#include <optional>

#include "rules/evidence.hpp"
#include "rules/meter/meter_rules.hpp"
#include "rules/meter/meter_service.hpp"

namespace gridaudit {
namespace {

// "DD862*" matches every model starting with DD862; without '*' the model must be equal.
bool model_matches(std::string_view pattern, std::string_view model) {
    if (!pattern.empty() && pattern.back() == '*') return model.starts_with(pattern.substr(0, pattern.size() - 1));
    return model == pattern;
}

// "DDZY422=8" or "DDZY4*=8": the pattern and its rotation years; nullopt when malformed.
std::optional<std::pair<std::string_view, double>> model_period(std::string_view entry) {
    const auto equals = entry.find('=');
    if (equals == std::string_view::npos || equals == 0) return std::nullopt;
    double years = 0;
    const std::string_view number = entry.substr(equals + 1);
    const auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), years);
    if (error != std::errc() || end != number.data() + number.size() || !(years > 0)) return std::nullopt;
    return std::make_pair(entry.substr(0, equals), years);
}

class MeterProhibitedModelRule final : public Rule {
public:
    MeterProhibitedModelRule() {
        info_.id = "METER-PROHIBITED-MODEL";
        info_.area = InspectionArea::METER;
        info_.title = "Prohibited meter model, or older than its model's rotation period";
        info_.description =
            "A meter in service whose model is on the utility's prohibited list: obsolete induction (mechanical) "
            "meters such as the DD862, DT862 and DS862 families, which are easy to slow down and drift out of class, "
            "or types withdrawn after a recall. Entries ending in '*' match every model starting with the prefix. "
            "Models can also be given their own, shorter rotation period (a type that ages badly): a meter older "
            "than that is flagged here, while the general periods by phases are METER-ROTATION-OVERDUE's. The "
            "meter should be replaced at the next visit; a prohibited model is also a theft risk.";
        info_.parameters = {
            {"prohibited_models", std::vector<std::string>{"DD28*", "DD86*", "DT86*", "DS86*", "DX86*"}, "",
             "Prohibited models: exact designations, or prefixes ending in '*'."},
            {"model_rotation_years", std::vector<std::string>{}, "",
             "Rotation periods of particular models, as \"MODEL=years\" (prefixes ending in '*' allowed)."},
        };
        info_.evidence_fields = {"model",          "matched", "reason",       "installed_on",
                                 "rotation_years", "due_on",  "days_overdue", "entry"};
        info_.truth_anomalies = {"prohibited_model"};
    }

    const RuleInfo& info() const override { return info_; }

    void evaluate(const RuleContext& context, const RuleSettings& settings,
                  std::vector<Finding>& findings) const override {
        const MeterColumns& meters = context.frame.meters;
        const auto& prohibited = settings.list("prohibited_models");
        std::vector<std::pair<std::string_view, double>> periods;
        for (const auto& entry : settings.list("model_rotation_years")) {
            const auto period = model_period(entry);
            if (!period) {
                Finding finding = finding_of(info_, "policy", "rules." + info_.id);
                finding.severity = Severity::high;
                finding.summary =
                    fmt::format("{} did not run: model_rotation_years entry '{}' is not MODEL=years", info_.id, entry);
                finding.evidence_json = Evidence(info_).text("entry", entry).dump();
                findings.push_back(std::move(finding));
                return;
            }
            periods.push_back(*period);
        }
        for (std::size_t m = 0; m < meters.size(); ++m) {
            if (!in_service(meters, m, context.as_of)) continue;
            const std::string& model = meters.model[m];
            const auto banned = std::find_if(prohibited.begin(), prohibited.end(),
                                             [&](const std::string& p) { return model_matches(p, model); });
            const auto period = banned != prohibited.end()
                                    ? periods.end()
                                    : std::find_if(periods.begin(), periods.end(),
                                                   [&](const auto& p) { return model_matches(p.first, model); });
            if (banned == prohibited.end() && period == periods.end()) continue;  // most meters: no JSON built
            Evidence evidence(info_);
            evidence.text("model", model).date("installed_on", meters.installed_on[m]);
            Finding finding = finding_of(info_, "meter", meters.id[m]);
            if (banned != prohibited.end()) {
                evidence.text("matched", *banned).text("reason", "prohibited");
                finding.severity = Severity::high;
                finding.summary = fmt::format("Meter {} is a prohibited model {} (list entry {}), installed {}",
                                              meters.id[m], model, *banned, meters.installed_on[m].to_string());
            } else {
                // Whole years and the rest in days (365.25 a year): 7.5 years is 7 years and 183 days.
                const int whole = static_cast<int>(period->second);
                const CivilDate due = add_years(meters.installed_on[m], whole) +
                                      static_cast<std::int32_t>(std::lround((period->second - whole) * 365.25));
                if (context.as_of <= due) continue;
                evidence.text("matched", period->first)
                    .text("reason", "model_rotation")
                    .number("rotation_years", period->second)
                    .date("due_on", due)
                    .integer("days_overdue", context.as_of - due);
                finding.severity = Severity::medium;
                finding.summary = fmt::format(
                    "Meter {} model {} installed {} is {} days past its model's {:g}-year "
                    "rotation",
                    meters.id[m], model, meters.installed_on[m].to_string(), context.as_of - due, period->second);
            }
            finding.evidence_json = evidence.dump();
            findings.push_back(std::move(finding));
        }
    }

private:
    RuleInfo info_;
};

}  // namespace

std::unique_ptr<Rule> make_meter_prohibited_model_rule() {
    return std::make_unique<MeterProhibitedModelRule>();
}

}  // namespace gridaudit
