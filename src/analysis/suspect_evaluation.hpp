// How well a suspect ranking finds the customers known to have stolen (docs/suspects.md,
// "Evaluation"): ROC AUC over all customers, precision at k and MAP@100 over the customers of
// every area pooled by score, the share of the tampered customers in the top 3 and top 5 of their
// own area, and that top-5 share per attack. Ties are averaged everywhere: a group of equal scores
// that straddles a cut counts each member as in by the share of the group's places above the cut,
// so a result never depends on how ties happened to be ordered.
// Thread safety: pure function over its input.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace gridaudit {

// One customer as ranked: its area, its score (higher is more suspect) and what it truly did.
struct EvaluatedSuspect {
    std::uint32_t area = 0;  // any number naming its area; customers of one area share it
    double score = 0;        // finite
    bool tampered = false;
    std::string_view attack;  // the tampered customer's attack name ("h1-constant-factor", ...)
};

struct AttackRecall {
    std::string attack;
    std::size_t tampered = 0;
    double in_top5 = 0;  // expected count with ties averaged
    double recall = 0;   // in_top5 / tampered
};

struct PrecisionAtK {
    std::size_t k = 0;
    double precision = 0;  // expected tampered in the first min(k, customers) places / that many places
};

struct SuspectEvaluation {
    std::size_t customers = 0;
    std::size_t tampered = 0;
    std::size_t areas = 0;
    std::size_t areas_with_tampered = 0;
    double auc = 0;                          // NaN without a tampered or without an honest customer
    std::vector<PrecisionAtK> precision_at;  // k = 50, 100, 200
    double map_at_100 = 0;                   // average precision over the first 100 places (Zheng et al. 2018)
    double top3_in_area = 0;                 // tampered customers in the top 3 of their area (expected count)
    double top5_in_area = 0;
    double top3_hit_rate = 0;  // top3_in_area / tampered (NaN without tampered customers)
    double top5_hit_rate = 0;
    std::vector<AttackRecall> by_attack;  // by attack name
};

inline constexpr std::size_t suspect_map_depth = 100;

[[nodiscard]] SuspectEvaluation evaluate_suspects(std::span<const EvaluatedSuspect> suspects);

}  // namespace gridaudit
