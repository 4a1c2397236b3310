// PROC-CATEGORY-AT-ACCEPTANCE: the electricity-use category an account was accepted under does not fit
// its declared use (industry code) or its contracted capacity.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>

#include "rules/evidence.hpp"
#include "rules/process/process_rules.hpp"
#include "rules/process/process_scope.hpp"

namespace gridaudit {
namespace {

// The "category=value" entry of `entries` for `category`: its value, or nullopt when not listed.
std::optional<std::string> category_entry(const std::vector<std::string>& entries, const std::string& category) {
    for (const std::string& entry : entries) {
        const auto equals = entry.find('=');
        if (equals != std::string::npos && entry.compare(0, equals, category) == 0) return entry.substr(equals + 1);
    }
    return std::nullopt;
}

// The first malformed "category=value" entry, as a message; "" when all parse.
std::string entries_problem(std::string_view parameter, const std::vector<std::string>& entries, bool numeric) {
    for (const std::string& entry : entries) {
        const auto equals = entry.find('=');
        bool ok = equals != std::string::npos && equals > 0;
        if (ok && numeric) {
            char* end = nullptr;
            const std::string value = entry.substr(equals + 1);
            std::strtod(value.c_str(), &end);
            ok = !value.empty() && end == value.c_str() + value.size();
        }
        if (!ok) return fmt::format("{}: '{}' is not category={}", parameter, entry, numeric ? "kVA" : "sections");
    }
    return "";
}

// The GB/T 4754 section letter of an industry code ("C13" -> 'C', "F" -> 'F'); 0 when the text is not
// such a code (a free-text industry name is not judged).
char industry_section(const std::string& industry) {
    if (industry.empty() || industry.size() > 5) return 0;
    const char section = static_cast<char>(std::toupper(static_cast<unsigned char>(industry[0])));
    if (section < 'A' || section > 'T') return 0;
    for (std::size_t i = 1; i < industry.size(); ++i)
        if (!std::isdigit(static_cast<unsigned char>(industry[i]))) return 0;
    return section;
}

bool section_listed(const std::string& sections, char section) {
    std::size_t start = 0;
    while (start <= sections.size()) {
        const auto comma = std::min(sections.find(',', start), sections.size());
        const std::string_view item = std::string_view(sections).substr(start, comma - start);
        if (item.size() == 1 && std::toupper(static_cast<unsigned char>(item[0])) == section) return true;
        start = comma + 1;
    }
    return false;
}

class ProcCategoryAtAcceptanceRule final : public Rule {
public:
    ProcCategoryAtAcceptanceRule() {
        info_.id = "PROC-CATEGORY-AT-ACCEPTANCE";
        info_.area = InspectionArea::PROC;
        info_.title = "Category does not fit the declared use or capacity";
        info_.description =
            "The electricity-use category chosen when the account was accepted does not fit what the customer "
            "declared it uses the supply for (the industry code, 行业分类, GB/T 4754 section letter) or its "
            "contracted capacity: a residential account declared as a shop or restaurant, a commercial account "
            "declared as manufacturing, a large-industrial (two-part) account below the two-part capacity, a "
            "residential account of a capacity no household needs. Such a category usually means a cheaper price "
            "than the use deserves. Categories without an entry are not judged on that criterion, nor are "
            "industries written as names rather than codes. An industrial account at or above the two-part "
            "capacity on a one-part tariff is left to BILL-TARIFF-CATEGORY, which prices the difference.";
        info_.parameters = {
            {"industry_sections",
             std::vector<std::string>{"residential=", "commercial=F,G,H,I,J,K,L,M,N,O,P,Q,R,S,T", "industrial=B,C,D",
                                      "large_industrial=B,C,D", "agricultural=A"},
             "",
             "category=sections: the GB/T 4754 sections an account of the category may declare; an empty list "
             "allows no industry code (residential)."},
            {"min_kva", std::vector<std::string>{"large_industrial=315"}, "",
             "category=kVA: the least contracted capacity of the category (two-part tariff threshold)."},
            {"max_kva", std::vector<std::string>{"residential=50"}, "",
             "category=kVA: the largest contracted capacity of the category."},
        };
        info_.evidence_fields = {"category", "industry", "contracted_kva", "tariff_id", "accepted_by", "problems"};
        info_.truth_anomalies = {"category_at_acceptance"};
    }

    const RuleInfo& info() const override { return info_; }

    void evaluate(const RuleContext& context, const RuleSettings& settings,
                  std::vector<Finding>& findings) const override {
        const RegionFrame& frame = context.frame;
        const CustomerColumns& customers = frame.customers;
        const auto& sections = settings.list("industry_sections");
        const auto& min_kva = settings.list("min_kva");
        const auto& max_kva = settings.list("max_kva");
        for (const auto& problem :
             {entries_problem("industry_sections", sections, false), entries_problem("min_kva", min_kva, true),
              entries_problem("max_kva", max_kva, true)})
            if (!problem.empty()) {
                findings.push_back(policy_problem_finding(info_, problem));
                return;
            }
        const bool has_industry = customers.industry.size() == customers.size();
        // The connection order each customer was accepted by (the latest new connection or temporary supply).
        const WorkOrderColumns& orders = frame.work_orders;
        std::vector<std::uint32_t> accepted_by(customers.size(), UINT32_MAX);
        for (std::size_t o = 0; o < orders.size(); ++o)
            if (orders.customer[o].valid() && orders.customer[o].value() < customers.size() &&
                (orders.type[o] == "new_connection" || orders.type[o] == "temporary_supply"))
                accepted_by[orders.customer[o].value()] = static_cast<std::uint32_t>(o);
        for (std::size_t c = 0; c < customers.size(); ++c) {
            const std::string& category = customers.category[c];
            const std::string industry = has_industry ? customers.industry[c] : std::string();
            std::vector<std::string> problems;
            if (const char section = industry_section(industry); section != 0)
                if (const auto allowed = category_entry(sections, category);
                    allowed && !section_listed(*allowed, section))
                    problems.push_back(
                        allowed->empty()
                            ? fmt::format("a {} account declares industry {}", category, industry)
                            : fmt::format("industry {} (section {}) is not a {} use", industry, section, category));
            const double kva = customers.contracted_kva[c];
            if (const auto least = category_entry(min_kva, category); least && kva < std::stod(*least))
                problems.push_back(fmt::format("{} kVA is below the {} kVA of a {} account", kva, *least, category));
            if (const auto most = category_entry(max_kva, category); most && kva > std::stod(*most))
                problems.push_back(fmt::format("{} kVA is above the {} kVA of a {} account", kva, *most, category));
            if (problems.empty()) continue;

            Finding finding = finding_of(info_, "customer", customers.id[c]);
            finding.severity = Severity::medium;
            finding.summary =
                fmt::format("customer {} accepted as {}: {}", customers.id[c], category, fmt::join(problems, "; "));
            const std::uint32_t order = accepted_by[c];
            Evidence evidence(info_);
            evidence.text("category", category)
                .text("industry", industry)
                .number("contracted_kva", kva)
                .text("tariff_id", customers.tariff_id[c])
                .texts("problems", problems);
            if (order == UINT32_MAX)
                evidence.null("accepted_by");
            else
                evidence.text("accepted_by", orders.id[order]);
            finding.evidence_json = evidence.dump();
            findings.push_back(std::move(finding));
        }
    }

private:
    RuleInfo info_;
};

}  // namespace

std::unique_ptr<Rule> make_proc_category_at_acceptance_rule() {
    return std::make_unique<ProcCategoryAtAcceptanceRule>();
}

}  // namespace gridaudit
