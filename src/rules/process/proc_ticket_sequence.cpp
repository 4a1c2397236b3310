// PROC-TICKET-SEQUENCE: work-order steps out of order, or a step the order's type and segment
// require missing when a later step is done.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>

#include "rules/evidence.hpp"
#include "rules/process/process_rules.hpp"
#include "rules/process/process_scope.hpp"

namespace gridaudit {
namespace {

class ProcTicketSequenceRule final : public Rule {
public:
    ProcTicketSequenceRule() {
        info_.id = "PROC-TICKET-SEQUENCE";
        info_.area = InspectionArea::PROC;
        info_.title = "Work-order steps out of order or missing";
        info_.description =
            "A work order whose recorded steps do not follow the chain acceptance, supply plan, design review, "
            "completion check, connection, closing: a step recorded before an earlier one (connected before the "
            "completion check), or a required step missing although a later one is done (connected with no "
            "completion check, closed with no connection). Such tickets are often back-filled to hide a missed "
            "time limit or a connection made without inspection. Which steps are required depends on the type "
            "(connection, capacity increase and temporary supply pass through every stage) and the segment "
            "(design review for high voltage, completion check for every non-residential segment).";
        info_.parameters = {
            {"staged_types", std::vector<std::string>{"new_connection", "capacity_increase", "temporary_supply"}, "",
             "Types that require a supply plan before connection, and a connection before closing."},
            {"design_segments", std::vector<std::string>{"hv_single", "hv_dual"}, "",
             "Segments whose staged orders require a design review before the completion check."},
            {"check_segments", std::vector<std::string>{"lv_nonresidential", "hv_single", "hv_dual"}, "",
             "Segments whose staged orders require a completion check before connection."},
        };
        info_.evidence_fields = {"order_type", "segment", "customer_id", "problems", "steps"};
        info_.truth_anomalies = {"ticket_out_of_sequence"};
    }

    const RuleInfo& info() const override { return info_; }

    void evaluate(const RuleContext& context, const RuleSettings& settings,
                  std::vector<Finding>& findings) const override {
        const WorkOrderColumns& orders = context.frame.work_orders;
        const auto listed = [](const std::vector<std::string>& list, const std::string& value) {
            return std::find(list.begin(), list.end(), value) != list.end();
        };
        const auto& staged = settings.list("staged_types");
        const auto& design_segments = settings.list("design_segments");
        const auto& check_segments = settings.list("check_segments");
        for (std::size_t o = 0; o < orders.size(); ++o) {
            // The chain after acceptance (the importer guarantees no step before acceptance).
            const std::array<const std::optional<Instant>*, 5> chain{&orders.plan_at[o], &orders.design_at[o],
                                                                     &orders.checked_at[o], &orders.connected_at[o],
                                                                     &orders.closed_at[o]};
            std::vector<std::string> problems;
            // Out of order: a step before the latest earlier step that is recorded.
            std::optional<std::size_t> previous;
            for (std::size_t s = 0; s < chain.size(); ++s) {
                if (!*chain[s]) continue;
                if (previous && **chain[s] < **chain[*previous])
                    problems.push_back(fmt::format("{} before {}", step_name[s], step_name[*previous]));
                if (!previous || **chain[s] >= **chain[*previous]) previous = s;
            }
            // Missing: a required step absent although a later step is recorded.
            if (listed(staged, orders.type[o])) {
                const bool design_required = listed(design_segments, orders.segment[o]);
                const bool check_required = listed(check_segments, orders.segment[o]);
                const auto require = [&](std::size_t s, std::size_t until) {
                    // Step s is required once any step up to `until` (inclusive) beyond it is recorded.
                    if (*chain[s]) return;
                    for (std::size_t later = s + 1; later <= until; ++later)
                        if (*chain[later]) {
                            problems.push_back(fmt::format("{} without {}", step_name[later], step_name[s]));
                            return;
                        }
                };
                require(0, 3);                        // supply plan before connection
                if (design_required) require(1, 3);   // design review before check and connection
                if (check_required) require(2, 3);    // completion check before connection
                require(3, 4);                        // connection before closing
            }
            if (problems.empty()) continue;

            Finding finding = work_order_finding(info_, orders, o);
            finding.severity = Severity::medium;
            finding.summary = fmt::format("work order {} ({} {}{}): {}", orders.id[o], orders.type[o],
                                          orders.segment[o],
                                          orders.customer_id[o].empty() ? "" : ", customer " + orders.customer_id[o],
                                          fmt::join(problems, "; "));
            nlohmann::json steps{{"accepted", orders.accepted_at[o].to_string()}};
            for (std::size_t s = 0; s < chain.size(); ++s)
                steps[step_key[s]] = *chain[s] ? nlohmann::json((*chain[s])->to_string()) : nlohmann::json();
            finding.evidence_json = Evidence(info_)
                                        .text("order_type", orders.type[o])
                                        .text("segment", orders.segment[o])
                                        .text("customer_id", orders.customer_id[o])
                                        .texts("problems", problems)
                                        .json("steps", std::move(steps))
                                        .dump();
            findings.push_back(std::move(finding));
        }
    }

private:
    static constexpr std::array<const char*, 5> step_name{"supply plan", "design review", "completion check",
                                                          "connection", "closing"};
    static constexpr std::array<const char*, 5> step_key{"plan", "design", "checked", "connected", "closed"};
    RuleInfo info_;
};

}  // namespace

std::unique_ptr<Rule> make_proc_ticket_sequence_rule() { return std::make_unique<ProcTicketSequenceRule>(); }

}  // namespace gridaudit
