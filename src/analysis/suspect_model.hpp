// The learned suspect model (docs/suspects.md, "The model"): gradient-boosted trees (XGBoost's C
// API) over per-customer features the suspect ranking computes (suspect_features), trained on
// customers known to have stolen or not, scoring each customer's log-odds of theft with every
// feature's contribution (XGBoost's SHAP values: they and the bias sum to the margin).
// Training is deterministic for given data and parameters (exact sums on one thread by default,
// no sampling unless asked, a fixed seed).
// Thread safety: a SuspectModel is not shared between threads while it predicts (XGBoost's
// booster keeps prediction buffers); train() and load() are independent calls.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/suspect_ranking.hpp"
#include "core/result.hpp"

namespace gridaudit {

// The features, in column order, as stored with a model.
inline constexpr std::array<std::string_view, 20> suspect_feature_names{"balance_z",
                                                                        "level_drop",
                                                                        "zero_intervals",
                                                                        "flat_day",
                                                                        "plateau",
                                                                        "reversed_day",
                                                                        "profile_mismatch",
                                                                        "night_drop",
                                                                        "tamper_events",
                                                                        "daily_correlation",
                                                                        "interval_correlation",
                                                                        "loss_share",
                                                                        "unmetered_share",
                                                                        "deficit_day_share",
                                                                        "anomalous_day_share",
                                                                        "shape_evidence",
                                                                        "anomaly_loss_correlation",
                                                                        "mean_daily_kwh",
                                                                        "has_intervals",
                                                                        "ranking_score"};
inline constexpr std::size_t suspect_feature_count = suspect_feature_names.size();

// One customer's features from its ranking over `days` days (NaN where a signal is undefined:
// XGBoost treats it as missing). Shares are of the window's days or of its metered energy, so a
// model carries over between window lengths.
[[nodiscard]] std::array<float, suspect_feature_count> suspect_features(const SuspectScore& score, std::int32_t days);

struct SuspectModelParameters {
    int rounds = 300;  // boosting rounds (trees)
    int max_depth = 4;
    double learning_rate = 0.05;
    double min_child_weight = 1;
    double subsample = 1;  // below 1: rows sampled per tree with `seed`
    double reg_lambda = 1;
    double scale_pos_weight = 1;  // weight of a positive (thief) row against a negative one
    int threads = 1;              // XGBoost's nthread; results are identical for one thread
    std::uint64_t seed = 15;
    [[nodiscard]] std::string to_json() const;
};

class SuspectModel {
public:
    // Trains on `rows` customers: features row-major (rows x suspect_feature_count), labels 1 for
    // theft, 0 for none. A user error without both a positive and a negative row.
    // REQUIRES: features.size() == labels.size() x suspect_feature_count.
    [[nodiscard]] static Result<SuspectModel> train(std::span<const float> features, std::span<const float> labels,
                                                    const SuspectModelParameters& parameters);
    // A model saved by save(); a user error when the bytes are not one.
    [[nodiscard]] static Result<SuspectModel> load(std::span<const std::uint8_t> bytes);
    [[nodiscard]] Result<std::vector<std::uint8_t>> save() const;

    // Per row the margin (log-odds of theft).
    [[nodiscard]] Result<std::vector<float>> margins(std::span<const float> features) const;
    // Per row suspect_feature_count contributions and the bias (rows x (suspect_feature_count + 1)).
    [[nodiscard]] Result<std::vector<float>> contributions(std::span<const float> features) const;

    SuspectModel(SuspectModel&&) noexcept;
    SuspectModel& operator=(SuspectModel&&) noexcept;
    ~SuspectModel();

private:
    struct Booster;
    explicit SuspectModel(std::unique_ptr<Booster> booster);
    std::unique_ptr<Booster> booster_;
};

// How the model's margin and the balance evidence make one score: the model's probability of
// theft (0-10) plus what the balance adds above chance (its z above 2), so a customer whose missing
// consumption clearly follows the area's loss stays near the top whatever the model says.
[[nodiscard]] double combined_suspect_score(double model_margin, double balance_z);

// The features that raised a scored customer's margin most, largest first (at most `count`, only
// positive contributions); empty without contributions.
struct FeatureContribution {
    std::string_view feature;
    float value = 0;
};
[[nodiscard]] std::vector<FeatureContribution> top_contributions(const SuspectScore& score, std::size_t count);

// Scores a ranking with the model: margins, contributions, the combined score; re-sorted most
// suspect first (ties by customer).
[[nodiscard]] Status apply_suspect_model(const SuspectModel& model, std::vector<SuspectScore>& ranking,
                                         std::int32_t days);

}  // namespace gridaudit
