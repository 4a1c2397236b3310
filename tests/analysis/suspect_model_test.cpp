// The learned suspect model (analysis/suspect_model.hpp): trained on a separable toy set it ranks
// the positives first; each customer's contributions and bias sum to its margin; a model saved and
// loaded scores the same; training twice gives the same model; a set without positives is refused;
// the combined score keeps a strong balance signal at the top.
#include "analysis/suspect_model.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "generator/generator_random.hpp"

namespace gridaudit {
namespace {

// 200 customers: the positives (every fifth) have level_drop evidence around 20 and tamper events;
// the negatives level_drop around 2 and none; the other features noise or missing.
struct ToySet {
    std::vector<float> features;
    std::vector<float> labels;
};

ToySet toy_set(std::uint64_t seed) {
    GeneratorRng rng(seed, RandomStream::theft_scenario, 99);
    ToySet set;
    for (int r = 0; r < 200; ++r) {
        const bool positive = r % 5 == 0;
        std::array<float, suspect_feature_count> f{};
        for (std::size_t k = 0; k < suspect_feature_count; ++k) f[k] = static_cast<float>(rng.uniform());
        f[1] = static_cast<float>((positive ? 20.0 : 2.0) + rng.normal());
        f[8] = positive ? 3.0f : 0.0f;
        f[10] = std::nanf("");  // interval correlation missing for everyone
        set.features.insert(set.features.end(), f.begin(), f.end());
        set.labels.push_back(positive ? 1.0f : 0.0f);
    }
    return set;
}

SuspectModelParameters small() {
    SuspectModelParameters p;
    p.rounds = 30;
    p.max_depth = 3;
    p.learning_rate = 0.3;
    return p;
}

TEST(SuspectModelTest, ASeparableSetRanksItsPositivesFirst) {
    const ToySet train = toy_set(1);
    const auto model = SuspectModel::train(train.features, train.labels, small());
    ASSERT_TRUE(model.has_value()) << model.error().message();
    const ToySet test = toy_set(2);  // other noise
    const auto margins = model->margins(test.features);
    ASSERT_TRUE(margins.has_value());
    ASSERT_EQ(margins->size(), test.labels.size());
    std::vector<std::size_t> order(margins->size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return (*margins)[a] > (*margins)[b]; });
    for (std::size_t i = 0; i < 40; ++i) EXPECT_EQ(test.labels[order[i]], 1.0f) << "place " << i;
    for (std::size_t i = 40; i < order.size(); ++i) EXPECT_EQ(test.labels[order[i]], 0.0f) << "place " << i;
}

TEST(SuspectModelTest, ContributionsAndBiasSumToTheMargin) {
    const ToySet train = toy_set(3);
    const auto model = SuspectModel::train(train.features, train.labels, small());
    ASSERT_TRUE(model.has_value());
    const auto margins = model->margins(train.features);
    const auto contributions = model->contributions(train.features);
    ASSERT_TRUE(margins.has_value() && contributions.has_value());
    constexpr std::size_t width = suspect_feature_count + 1;
    ASSERT_EQ(contributions->size(), margins->size() * width);
    double level_drop_share = 0;
    for (std::size_t r = 0; r < margins->size(); ++r) {
        double sum = 0;
        for (std::size_t k = 0; k < width; ++k) sum += (*contributions)[r * width + k];
        EXPECT_NEAR(sum, (*margins)[r], 1e-4) << "row " << r;
        level_drop_share += std::abs((*contributions)[r * width + 1]);
    }
    // The feature that separates the set carries its margins; the missing one carries nothing.
    EXPECT_GT(level_drop_share, 0);
    for (std::size_t r = 0; r < margins->size(); ++r) EXPECT_EQ((*contributions)[r * width + 10], 0.0f);
}

TEST(SuspectModelTest, SavedAndLoadedScoresTheSameAndTrainingIsReproducible) {
    const ToySet train = toy_set(4);
    const auto first = SuspectModel::train(train.features, train.labels, small());
    const auto second = SuspectModel::train(train.features, train.labels, small());
    ASSERT_TRUE(first.has_value() && second.has_value());
    const auto bytes = first->save();
    ASSERT_TRUE(bytes.has_value());
    EXPECT_EQ(*bytes, second->save().value());  // same data and parameters: the same model
    const auto loaded = SuspectModel::load(*bytes);
    ASSERT_TRUE(loaded.has_value()) << loaded.error().message();
    EXPECT_EQ(loaded->margins(train.features).value(), first->margins(train.features).value());
    const std::vector<std::uint8_t> garbage{'n', 'o', 't'};
    EXPECT_FALSE(SuspectModel::load(garbage).has_value());
}

TEST(SuspectModelTest, ASetWithoutPositivesIsRefused) {
    ToySet set = toy_set(5);
    std::fill(set.labels.begin(), set.labels.end(), 0.0f);
    const auto model = SuspectModel::train(set.features, set.labels, small());
    ASSERT_FALSE(model.has_value());
    EXPECT_EQ(model.error().kind(), ErrorClass::user);
}

TEST(SuspectModelTest, ApplyingAModelReordersTheRankingAndExplainsEachSuspect) {
    const ToySet train = toy_set(6);
    const auto model = SuspectModel::train(train.features, train.labels, small());
    ASSERT_TRUE(model.has_value());
    // Two customers: 0 looks honest to the ranking's score, 1 has level-drop evidence like a thief.
    std::vector<SuspectScore> ranking(2);
    ranking[0].customer = 0;
    ranking[0].score = ranking[0].ranking_score = 5;
    ranking[1].customer = 1;
    ranking[1].evidence[static_cast<std::size_t>(SuspectSignal::level_drop)] = 20;
    ranking[1].evidence[static_cast<std::size_t>(SuspectSignal::tamper_events)] = 3;
    ASSERT_TRUE(apply_suspect_model(*model, ranking, 30).has_value());
    EXPECT_EQ(ranking[0].customer, 1u);
    EXPECT_GT(ranking[0].model_margin, ranking[1].model_margin);
    const auto why = top_contributions(ranking[0], 3);
    ASSERT_FALSE(why.empty());
    EXPECT_TRUE(why.front().feature == "level_drop" || why.front().feature == "tamper_events") << why.front().feature;
}

TEST(SuspectModelTest, TheBalanceAboveChanceAddsToTheModelsProbability) {
    EXPECT_DOUBLE_EQ(combined_suspect_score(0, 0), 5);
    EXPECT_DOUBLE_EQ(combined_suspect_score(0, 2), 5);
    EXPECT_DOUBLE_EQ(combined_suspect_score(0, 6), 9);
    EXPECT_GT(combined_suspect_score(0, 8),
              combined_suspect_score(3, 0));  // a clear balance outweighs a confident model
}

}  // namespace
}  // namespace gridaudit
