// The learned suspect model over a store (docs/suspects.md, "The model"): the ranked customers of
// every area labelled from a theft truth file or from concluded cases, the summary stored with a
// model, cross-validated scores on folds by customer (a customer is never scored by a model that
// saw it in training), and a stored model applied to a ranking. `gridaudit model train`, `gridaudit
// suspects` and `gridaudit eval` share them.
// Thread safety: pure functions over their arguments, except those taking a Store (which read it).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analysis/suspect_model.hpp"
#include "audit/area_suspects.hpp"
#include "ingest/theft_truth.hpp"
#include "store/store.hpp"

namespace gridaudit {

// Customers of the ranked areas with a label, their features row-major.
struct LabelledSuspects {
    std::vector<float> features;  // rows x suspect_feature_count
    std::vector<float> labels;    // 1 theft (or violation), 0 none
    std::vector<std::string> customer_ids;
    std::vector<std::uint32_t> area;  // index into the areas given
    std::vector<std::string> attack;  // the truth's attack or the case's conclusion; "" when honest
    std::size_t positives = 0;
    std::size_t areas = 0;
    [[nodiscard]] std::size_t size() const { return labels.size(); }
};

// Every ranked customer: a thief when the truth file lists it, honest otherwise.
[[nodiscard]] LabelledSuspects label_from_truth(const std::vector<AreaSuspects>& areas,
                                                const std::vector<TheftTruthRow>& truth);

// The ranked customers with a concluded case (concluded or any state after): confirmed theft or
// violation a positive, no problem a negative; other conclusions and open cases are left out. A
// case about a meter stands for its customer; a customer's latest conclusion counts.
[[nodiscard]] Result<LabelledSuspects> label_from_cases(Store& store, const std::vector<AreaSuspects>& areas);

// The training data's summary stored with a model (JSON object): customers, positives, negatives,
// areas, the window, the source and the positives per attack or conclusion.
[[nodiscard]] std::string training_summary_json(const LabelledSuspects& data, std::string_view source,
                                                const std::vector<AreaSuspects>& areas);

// The fold of a customer in a split by customer: a hash of its id, so the split does not depend on
// the order customers are listed in. REQUIRES: folds >= 2.
[[nodiscard]] int customer_fold(std::string_view customer_id, int folds);

// Per row of `data`, the combined score of a model trained on the other folds' customers only.
// A fold whose training part lacks a positive or a negative is scored by the ranking alone.
[[nodiscard]] Result<std::vector<double>> cross_validated_scores(const LabelledSuspects& data,
                                                                 const SuspectModelParameters& parameters, int folds);

// Scores every area's ranking with the stored model `version` (the newest when empty), re-sorted;
// the version used, or nullopt when the store keeps no model (the rankings are then unchanged).
// A user error when the version asked for does not exist.
[[nodiscard]] Result<std::optional<std::int64_t>> apply_stored_model(Store& store, std::vector<AreaSuspects>& areas,
                                                                     std::optional<std::int64_t> version);

}  // namespace gridaudit
