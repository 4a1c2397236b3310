// BILL-TARIFF-CATEGORY: the customer's tariff does not fit its category, voltage or capacity.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "rules/billing/billing_rules.hpp"
#include "rules/billing/billing_scope.hpp"
#include "rules/evidence.hpp"

namespace gridaudit {
namespace {

// The voltages (kV) a tariff's free-text voltage names: "0.22/0.38 kV" -> {0.22, 0.38}; "10 kV" -> {10}.
std::vector<double> tariff_voltages(std::string_view text) {
    std::vector<double> voltages;
    std::size_t i = 0;
    while (i < text.size()) {
        if (std::isdigit(static_cast<unsigned char>(text[i]))) {
            std::size_t end = i;
            while (end < text.size() && (std::isdigit(static_cast<unsigned char>(text[end])) || text[end] == '.')) ++end;
            voltages.push_back(std::strtod(std::string(text.substr(i, end - i)).c_str(), nullptr));
            i = end;
        } else {
            ++i;
        }
    }
    return voltages;
}

// The problems of `tariff` for customer `c` (empty when it fits).
std::vector<std::string> misfits(const Tariff& tariff, const CustomerColumns& customers, std::size_t c,
                                 double threshold, const std::vector<std::string>& two_part_categories) {
    std::vector<std::string> problems;
    if (!tariff.category.empty() && tariff.category != customers.category[c])
        problems.push_back(
            fmt::format("tariff is for {} customers, the customer is {}", tariff.category, customers.category[c]));
    const auto voltages = tariff_voltages(tariff.voltage);
    if (!voltages.empty() &&
        std::none_of(voltages.begin(), voltages.end(), [&](double v) { return std::fabs(v - customers.voltage_kv[c]) < 1e-6; }))
        problems.push_back(
            fmt::format("tariff is for {}, the customer is supplied at {} kV", tariff.voltage, customers.voltage_kv[c]));
    if (!tariff.basic && customers.contracted_kva[c] >= threshold &&
        std::find(two_part_categories.begin(), two_part_categories.end(), customers.category[c]) !=
            two_part_categories.end())
        problems.push_back(fmt::format("{} kVA {} customer is not on a two-part tariff", customers.contracted_kva[c],
                                       customers.category[c]));
    return problems;
}

// The first tariff of the book (by id) in force on `day` that fits the customer, if any.
const Tariff* fitting_tariff(const TariffBook& book, const CustomerColumns& customers, std::size_t c, CivilDate day,
                             double threshold, const std::vector<std::string>& two_part_categories) {
    for (const std::string& id : book.ids()) {
        auto tariff = book.find(id, day);
        if (tariff && !(*tariff)->category.empty() &&
            misfits(**tariff, customers, c, threshold, two_part_categories).empty())
            return *tariff;
    }
    return nullptr;
}

class BillTariffCategoryRule final : public Rule {
public:
    BillTariffCategoryRule() {
        info_.id = "BILL-TARIFF-CATEGORY";
        info_.area = InspectionArea::BILL;
        info_.title = "Tariff does not fit the customer";
        info_.description =
            "The tariff a customer is billed on (the version in force on the audit day) is meant for another "
            "electricity-use category (e.g. a commercial customer on the residential price), for another supply "
            "voltage, or an industrial customer at or above the two-part threshold is not on a two-part tariff "
            "(no basic charge). A tariff that states no category or voltage is not judged on it. The money at risk "
            "is the difference the customer's bills would make recomputed under the first tariff of the book that "
            "fits it, when there is one.";
        info_.parameters = {
            {"two_part_threshold_kva", 315.0, "kVA",
             "Industrial capacity from which a two-part tariff (basic charge) is required."},
            {"two_part_categories", std::vector<std::string>{"industrial", "large_industrial"}, "",
             "Categories the two-part threshold applies to."},
            {"lookback_months", 12.0, "months",
             "Billing months recomputed under a fitting tariff for the money at risk (without --period)."},
        };
        info_.evidence_fields = {"tariff_id", "tariff_category", "tariff_voltage", "category", "voltage_kv",
                                 "contracted_kva", "problems", "fitting_tariff_id", "difference_under_fitting"};
        info_.truth_anomalies = {"wrong_tariff_category"};
    }

    const RuleInfo& info() const override { return info_; }

    void evaluate(const RuleContext& context, const RuleSettings& settings,
                  std::vector<Finding>& findings) const override {
        const RegionFrame& frame = context.frame;
        if (!frame.tariffs) return;
        const CustomerColumns& customers = frame.customers;
        const double threshold = settings.number("two_part_threshold_kva");
        const auto& two_part_categories = settings.list("two_part_categories");
        const CivilDate day = context.period ? context.period->last_day() : context.as_of;
        for (std::size_t c = 0; c < customers.size(); ++c) {
            if (customers.status[c] == "closed") continue;
            auto found = frame.tariffs->find(customers.tariff_id[c], day);
            if (!found) continue;  // BILL-RECOMPUTE-MISMATCH reports bills without a tariff
            const Tariff& tariff = **found;
            const std::vector<std::string> problems = misfits(tariff, customers, c, threshold, two_part_categories);
            if (problems.empty()) continue;
            Finding finding = billing_finding(info_, frame, c, "");
            finding.severity = Severity::high;
            finding.summary = fmt::format("customer {} is billed on tariff {}: {}", customers.id[c],
                                          customers.tariff_id[c], problems.front());
            Evidence evidence(info_);
            evidence.text("tariff_id", customers.tariff_id[c])
                .text("tariff_category", tariff.category)
                .text("tariff_voltage", tariff.voltage)
                .text("category", customers.category[c])
                .number("voltage_kv", customers.voltage_kv[c])
                .number("contracted_kva", customers.contracted_kva[c])
                .texts("problems", problems);
            // The bills in the window recomputed under a tariff that fits, when the book has one.
            if (const Tariff* fitting = fitting_tariff(*frame.tariffs, customers, c, day, threshold, two_part_categories)) {
                evidence.text("fitting_tariff_id", fitting->id);
                const BillWindow window = bill_window(context, settings);
                if (const auto difference = recompute_difference(frame, c, window, RecomputeAs{fitting->id, std::nullopt})) {
                    finding.money_at_risk = *difference;
                    evidence.money("difference_under_fitting", *difference);
                }
            }
            finding.evidence_json = evidence.dump();
            findings.push_back(std::move(finding));
        }
    }

private:
    RuleInfo info_;
};

}  // namespace

std::unique_ptr<Rule> make_bill_tariff_category_rule() { return std::make_unique<BillTariffCategoryRule>(); }

}  // namespace gridaudit
