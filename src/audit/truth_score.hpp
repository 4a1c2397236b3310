// Scoring findings against a generator's truth.csv: recall and precision per rule.
//
// A rule declares the truth anomaly kinds it is meant to find (RuleInfo::truth_anomalies).
// Subjects are compared as meters: a truth row about a customer stands for that customer's
// meters, a row about a node for the node's gateway meter, so a rule reporting the meter of a
// customer named in the truth counts as finding it. A finding about a node (the area-level LOSS
// rules) stands for every meter of its subtree: gateway meters and the meters of every customer
// recorded under it or under its descendants (customers.csv node_id, network.csv parent_id), so
// flagging the area (or feeder) of an injected customer or meter counts as finding it, and the
// finding is a true positive when its subtree holds any injected subject of the rule's kinds; a `wrong_area` truth row also stands for the area that really supplies the
// customer (its detail), so a node finding on either area counts (a meter finding on that area's
// gateway does not). Thread safety: stateless
// functions.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "model/finding.hpp"
#include "rules/catalogue.hpp"
#include "store/store.hpp"

namespace gridaudit {

struct TruthRecord {
    std::string subject_kind;  // customer, meter, node, work_order
    std::string subject_id;
    std::string anomaly;
    std::string start, end;
    double magnitude = 0;
    std::string detail;
};

// Reads truth.csv (subject_kind,subject_id,anomaly,start,end,magnitude,detail).
[[nodiscard]] Result<std::vector<TruthRecord>> read_truth(const std::filesystem::path& file);

struct RuleScore {
    std::string rule_id;
    std::size_t truth_subjects = 0;   // distinct subjects injected with the rule's anomaly kinds
    std::size_t found_subjects = 0;   // distinct subjects the rule reported
    std::size_t truth_found = 0;      // injected subjects the rule reported (recall's numerator)
    std::size_t true_positives = 0;   // reported subjects that were injected (precision's numerator)
    [[nodiscard]] double recall() const { return truth_subjects ? double(truth_found) / double(truth_subjects) : 1.0; }
    [[nodiscard]] double precision() const { return found_subjects ? double(true_positives) / double(found_subjects) : 1.0; }
};

// The LOSS measure of issue 5: how many of the generator's abnormal nodes (area_loss_high,
// feeder_loss_high truth rows flagged by LOSS-AREA-HIGH / LOSS-FEEDER-HIGH, area_loss_negative,
// feeder_loss_negative by LOSS-AREA-NEGATIVE / LOSS-FEEDER-NEGATIVE) were found, and how many culprits
// (theft_bypass, meter_stopped, meter_reversed ongoing at the data's end) recorded under a flagged
// node LOSS-SUSPECT ranks in the top 3 of that node (evidence `rank` <= 3), of the slots that could
// be hit (per node, the smaller of 3 and its culprits).
struct CulpritScore {
    std::size_t abnormal_nodes = 0, abnormal_found = 0;
    std::size_t culprits = 0, slots = 0, top_three_hits = 0;
    [[nodiscard]] double node_recall() const {
        return abnormal_nodes ? double(abnormal_found) / double(abnormal_nodes) : 1.0;
    }
    [[nodiscard]] double hit_rate() const { return slots ? double(top_three_hits) / double(slots) : 1.0; }
};

[[nodiscard]] Result<CulpritScore> score_culprits(Store& store, const std::vector<Finding>& findings,
                                                  const std::vector<TruthRecord>& truth);

// One score per rule that declares truth anomalies and ran (appears in `rules_run`).
[[nodiscard]] Result<std::vector<RuleScore>> score_against_truth(Store& store, const Catalogue& catalogue,
                                                                 const std::vector<std::string>& rules_run,
                                                                 const std::vector<Finding>& findings,
                                                                 const std::vector<TruthRecord>& truth);

}  // namespace gridaudit
