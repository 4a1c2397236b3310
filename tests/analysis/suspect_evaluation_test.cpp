// The ranking's evaluation measures (analysis/suspect_evaluation.hpp) against values computed by
// hand on tiny rankings: ties inside an area and across areas, a tie straddling a cut, an area
// without thieves, and nothing to find.
#include "analysis/suspect_evaluation.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace gridaudit {
namespace {

// Area 0: a0 9 (h1), a1 7, a2 7 (h5), a3 5, a4 0, a5 0 (h1); area 1, no thief: b0 8, b1 7, b2 1.
std::vector<EvaluatedSuspect> tiny_ranking() {
    return {
        {0, 9, true, "h1-constant-factor"},
        {0, 7, false, ""},
        {0, 7, true, "h5-flattened"},
        {0, 5, false, ""},
        {0, 0, false, ""},
        {0, 0, true, "h1-constant-factor"},
        {1, 8, false, ""},
        {1, 7, false, ""},
        {1, 1, false, ""},
    };
}

TEST(SuspectEvaluationTest, TiesAreAveragedInTheAreaTopAndInTheAuc) {
    const auto ranking = tiny_ranking();
    const SuspectEvaluation e = evaluate_suspects(ranking);
    EXPECT_EQ(e.customers, 9u);
    EXPECT_EQ(e.tampered, 3u);
    EXPECT_EQ(e.areas, 2u);
    EXPECT_EQ(e.areas_with_tampered, 1u);
    // Area 0's places: a0 | a1 a2 | a3 | a4 a5. Top 3: a0 and a2 whole, a5 not: 2 of 3. Top 5: a5's
    // pair holds places 5-6, so a5 is in by half: 2.5 of 3.
    EXPECT_DOUBLE_EQ(e.top3_in_area, 2.0);
    EXPECT_DOUBLE_EQ(e.top3_hit_rate, 2.0 / 3.0);
    EXPECT_DOUBLE_EQ(e.top5_in_area, 2.5);
    EXPECT_DOUBLE_EQ(e.top5_hit_rate, 2.5 / 3.0);
    ASSERT_EQ(e.by_attack.size(), 2u);
    EXPECT_EQ(e.by_attack[0].attack, "h1-constant-factor");
    EXPECT_EQ(e.by_attack[0].tampered, 2u);
    EXPECT_DOUBLE_EQ(e.by_attack[0].recall, 0.75);
    EXPECT_EQ(e.by_attack[1].attack, "h5-flattened");
    EXPECT_DOUBLE_EQ(e.by_attack[1].recall, 1.0);
    // AUC over 3 x 6 pairs: a0 beats all 6 honest; a2 beats a3, b2, a4 and ties a1, b1 (4); a5
    // ties a4 (0.5).
    EXPECT_DOUBLE_EQ(e.auc, 10.5 / 18.0);
    // Fewer customers than k: precision over all 9.
    ASSERT_EQ(e.precision_at.size(), 3u);
    EXPECT_EQ(e.precision_at[0].k, 50u);
    EXPECT_DOUBLE_EQ(e.precision_at[0].precision, 3.0 / 9.0);
    EXPECT_DOUBLE_EQ(e.precision_at[2].precision, 3.0 / 9.0);
    // Pooled: 9 | 8 | 7 7 7 (one thief) | 5 | 1 | 0 0 (one thief). Relevance per place 1, 0, 1/3
    // x 3, 0, 0, 1/2 x 2; precision so far at those places 1, 4/9, 5/12, 2/5, 2.5/8, 3/9.
    const double weighted =
        1 + (1.0 / 3) * (4.0 / 3) / 3 + (1.0 / 3) * (5.0 / 3) / 4 + (1.0 / 3) * 2 / 5 + 0.5 * 2.5 / 8 + 0.5 * 3 / 9;
    EXPECT_NEAR(e.map_at_100, weighted / 3, 1e-12);
    EXPECT_NEAR(e.map_at_100, 0.581096, 1e-6);
}

TEST(SuspectEvaluationTest, ATieAcrossTheCutCountsByTheShareOfItsPlacesAboveIt) {
    // 40 at 10 (20 thieves), 20 at 5 (5 thieves), 40 honest at 1, 150 honest at 0.
    std::vector<EvaluatedSuspect> ranking;
    for (int i = 0; i < 40; ++i) ranking.push_back({static_cast<std::uint32_t>(i % 3), 10, i % 2 == 0, "a"});
    for (int i = 0; i < 20; ++i) ranking.push_back({static_cast<std::uint32_t>(i % 3), 5, i % 4 == 0, "b"});
    for (int i = 0; i < 40; ++i) ranking.push_back({static_cast<std::uint32_t>(i % 3), 1, false, ""});
    for (int i = 0; i < 150; ++i) ranking.push_back({static_cast<std::uint32_t>(i % 3), 0, false, ""});
    const SuspectEvaluation e = evaluate_suspects(ranking);
    EXPECT_EQ(e.tampered, 25u);
    // Places 41-60 hold the second group: 10 of its 20 places are in the first 50.
    EXPECT_DOUBLE_EQ(e.precision_at[0].precision, (20 + 5 * 0.5) / 50);
    EXPECT_DOUBLE_EQ(e.precision_at[1].precision, 25.0 / 100);
    EXPECT_DOUBLE_EQ(e.precision_at[2].precision, 25.0 / 200);
    // 20 x (205 below + 20 / 2 tied) + 5 x (190 below + 15 / 2 tied) over 25 x 225.
    EXPECT_DOUBLE_EQ(e.auc, (20 * 215.0 + 5 * 197.5) / (25.0 * 225));
}

TEST(SuspectEvaluationTest, NothingToFindLeavesTheRatesUndefined) {
    const std::vector<EvaluatedSuspect> honest = {{0, 3, false, ""}, {0, 1, false, ""}};
    const SuspectEvaluation e = evaluate_suspects(honest);
    EXPECT_TRUE(std::isnan(e.auc));
    EXPECT_TRUE(std::isnan(e.top5_hit_rate));
    EXPECT_EQ(e.map_at_100, 0);
    EXPECT_EQ(e.areas_with_tampered, 0u);
    EXPECT_DOUBLE_EQ(e.precision_at[0].precision, 0);
}

}  // namespace
}  // namespace gridaudit
