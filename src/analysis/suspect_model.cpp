// The learned suspect model over XGBoost's C API (suspect_model.hpp).
#include "analysis/suspect_model.hpp"

#include <fmt/format.h>
#include <xgboost/c_api.h>

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>
#include <utility>

namespace gridaudit {

namespace {

constexpr float missing = std::numeric_limits<float>::quiet_NaN();

Error xgboost_error(std::string_view what) {
    return Error(ErrorClass::internal, fmt::format("XGBoost: {}: {}", what, XGBGetLastError()));
}

// An owned DMatrix handle (moved, never copied).
struct Matrix {
    DMatrixHandle handle = nullptr;
    Matrix() = default;
    Matrix(Matrix&& other) noexcept : handle(std::exchange(other.handle, nullptr)) {}
    Matrix& operator=(Matrix&&) = delete;
    Matrix(const Matrix&) = delete;
    ~Matrix() {
        if (handle != nullptr) XGDMatrixFree(handle);
    }
};

Result<Matrix> matrix_of(std::span<const float> features) {
    assert(features.size() % suspect_feature_count == 0);
    Matrix m;
    if (XGDMatrixCreateFromMat(features.data(), features.size() / suspect_feature_count, suspect_feature_count, missing,
                               &m.handle) != 0)
        return std::unexpected(xgboost_error("creating the feature matrix"));
    return m;
}

float as_float(double v) {
    return std::isfinite(v) ? static_cast<float>(v) : missing;
}

}  // namespace

std::array<float, suspect_feature_count> suspect_features(const SuspectScore& s, std::int32_t days) {
    const double n = std::max(1, days);
    const double energy = std::isfinite(s.mean_daily_kwh) ? s.mean_daily_kwh * n : std::nan("");
    std::array<float, suspect_feature_count> f{};
    for (std::size_t k = 0; k < static_cast<std::size_t>(suspect_signal_count); ++k) f[k] = as_float(s.evidence[k]);
    f[9] = as_float(s.daily_correlation);
    f[10] = as_float(s.interval_correlation);
    f[11] = as_float(s.loss_share);
    f[12] = as_float(energy > 0 ? s.unmetered_kwh / energy : std::nan(""));
    f[13] = as_float(s.deficit_days / n);
    f[14] = as_float(s.anomalous_days / n);
    f[15] = as_float(s.shape_evidence);
    f[16] = as_float(s.anomaly_loss_correlation);
    f[17] = as_float(s.mean_daily_kwh);
    f[18] = s.has_intervals ? 1.0f : 0.0f;
    f[19] = as_float(s.ranking_score);
    return f;
}

std::string SuspectModelParameters::to_json() const {
    return fmt::format(
        R"({{"objective":"binary:logistic","tree_method":"exact","rounds":{},"max_depth":{},"learning_rate":{},)"
        R"("min_child_weight":{},"subsample":{},"reg_lambda":{},"scale_pos_weight":{},"threads":{},"seed":{}}})",
        rounds, max_depth, learning_rate, min_child_weight, subsample, reg_lambda, scale_pos_weight, threads, seed);
}

struct SuspectModel::Booster {
    BoosterHandle handle = nullptr;
    ~Booster() {
        if (handle != nullptr) XGBoosterFree(handle);
    }
};

SuspectModel::SuspectModel(std::unique_ptr<Booster> booster) : booster_(std::move(booster)) {}
SuspectModel::SuspectModel(SuspectModel&&) noexcept = default;
SuspectModel& SuspectModel::operator=(SuspectModel&&) noexcept = default;
SuspectModel::~SuspectModel() = default;

Result<SuspectModel> SuspectModel::train(std::span<const float> features, std::span<const float> labels,
                                         const SuspectModelParameters& p) {
    assert(features.size() == labels.size() * suspect_feature_count);
    const auto positives = std::count(labels.begin(), labels.end(), 1.0f);
    if (positives == 0 || positives == static_cast<std::ptrdiff_t>(labels.size()))
        return user_error(fmt::format("training needs customers both with and without theft ({} of {} with)", positives,
                                      labels.size()));
    GA_ASSIGN_OR_RETURN(Matrix train, matrix_of(features));
    if (XGDMatrixSetFloatInfo(train.handle, "label", labels.data(), labels.size()) != 0)
        return std::unexpected(xgboost_error("setting the labels"));
    auto booster = std::make_unique<Booster>();
    if (XGBoosterCreate(&train.handle, 1, &booster->handle) != 0)
        return std::unexpected(xgboost_error("creating the booster"));
    const std::vector<std::pair<std::string, std::string>> settings{
        {"objective", "binary:logistic"},
        {"tree_method", "exact"},
        {"max_depth", std::to_string(p.max_depth)},
        {"eta", fmt::format("{}", p.learning_rate)},
        {"min_child_weight", fmt::format("{}", p.min_child_weight)},
        {"subsample", fmt::format("{}", p.subsample)},
        {"lambda", fmt::format("{}", p.reg_lambda)},
        {"scale_pos_weight", fmt::format("{}", p.scale_pos_weight)},
        {"nthread", std::to_string(p.threads)},
        {"seed", std::to_string(p.seed)},
        {"verbosity", "0"},
    };
    for (const auto& [name, value] : settings) {
        if (XGBoosterSetParam(booster->handle, name.c_str(), value.c_str()) != 0)
            return std::unexpected(xgboost_error(fmt::format("parameter {}", name)));
    }
    for (int round = 0; round < p.rounds; ++round) {
        if (XGBoosterUpdateOneIter(booster->handle, round, train.handle) != 0)
            return std::unexpected(xgboost_error(fmt::format("round {}", round)));
    }
    return SuspectModel(std::move(booster));
}

Result<SuspectModel> SuspectModel::load(std::span<const std::uint8_t> bytes) {
    auto booster = std::make_unique<Booster>();
    if (XGBoosterCreate(nullptr, 0, &booster->handle) != 0)
        return std::unexpected(xgboost_error("creating the booster"));
    if (bytes.empty() || XGBoosterLoadModelFromBuffer(booster->handle, bytes.data(), bytes.size()) != 0)
        return user_error(fmt::format("the stored model cannot be read by XGBoost: {}", XGBGetLastError()));
    return SuspectModel(std::move(booster));
}

Result<std::vector<std::uint8_t>> SuspectModel::save() const {
    bst_ulong length = 0;
    const char* bytes = nullptr;
    if (XGBoosterSaveModelToBuffer(booster_->handle, R"({"format": "json"})", &length, &bytes) != 0)
        return std::unexpected(xgboost_error("saving the model"));
    return std::vector<std::uint8_t>(reinterpret_cast<const std::uint8_t*>(bytes),
                                     reinterpret_cast<const std::uint8_t*>(bytes) + length);
}

namespace {

// type 0: margins (output_margin), 2: contributions.
Result<std::vector<float>> predict(BoosterHandle booster, std::span<const float> features, int type) {
    if (features.empty()) return std::vector<float>{};
    GA_ASSIGN_OR_RETURN(Matrix data, matrix_of(features));
    const std::string config = fmt::format(
        R"({{"type": {}, "training": false, "iteration_begin": 0, "iteration_end": 0, "strict_shape": false}})", type);
    const bst_ulong* shape = nullptr;
    bst_ulong dimensions = 0;
    const float* result = nullptr;
    if (XGBoosterPredictFromDMatrix(booster, data.handle, config.c_str(), &shape, &dimensions, &result) != 0)
        return std::unexpected(xgboost_error("predicting"));
    bst_ulong size = 1;
    for (bst_ulong d = 0; d < dimensions; ++d) size *= shape[d];
    return std::vector<float>(result, result + size);
}

}  // namespace

Result<std::vector<float>> SuspectModel::margins(std::span<const float> features) const {
    // type 1 is the margin (log-odds) for prediction type "margin".
    return predict(booster_->handle, features, 1);
}

Result<std::vector<float>> SuspectModel::contributions(std::span<const float> features) const {
    return predict(booster_->handle, features, 2);
}

double combined_suspect_score(double model_margin, double balance_z) {
    const double probability = 1 / (1 + std::exp(-model_margin));
    return 10 * probability + std::max(0.0, balance_z - 2);
}

std::vector<FeatureContribution> top_contributions(const SuspectScore& score, std::size_t count) {
    std::vector<FeatureContribution> out;
    if (score.contributions.size() != suspect_feature_count + 1) return out;
    for (std::size_t k = 0; k < suspect_feature_count; ++k) {
        if (score.contributions[k] > 0) out.push_back({suspect_feature_names[k], score.contributions[k]});
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const FeatureContribution& a, const FeatureContribution& b) { return a.value > b.value; });
    if (out.size() > count) out.resize(count);
    return out;
}

Status apply_suspect_model(const SuspectModel& model, std::vector<SuspectScore>& ranking, std::int32_t days) {
    std::vector<float> features;
    features.reserve(ranking.size() * suspect_feature_count);
    for (const SuspectScore& s : ranking) {
        const auto f = suspect_features(s, days);
        features.insert(features.end(), f.begin(), f.end());
    }
    GA_ASSIGN_OR_RETURN(const std::vector<float> margins, model.margins(features));
    GA_ASSIGN_OR_RETURN(const std::vector<float> contributions, model.contributions(features));
    constexpr std::size_t width = suspect_feature_count + 1;
    if (margins.size() != ranking.size() || contributions.size() != ranking.size() * width)
        return internal_error(fmt::format("XGBoost gave {} margins and {} contributions for {} customers",
                                          margins.size(), contributions.size(), ranking.size()));
    for (std::size_t r = 0; r < ranking.size(); ++r) {
        SuspectScore& s = ranking[r];
        s.model_margin = margins[r];
        s.contributions.assign(contributions.begin() + static_cast<std::ptrdiff_t>(r * width),
                               contributions.begin() + static_cast<std::ptrdiff_t>((r + 1) * width));
        s.score = combined_suspect_score(s.model_margin,
                                         s.evidence[static_cast<std::size_t>(SuspectSignal::loss_correlation)]);
    }
    std::sort(ranking.begin(), ranking.end(), [](const SuspectScore& a, const SuspectScore& b) {
        return a.score != b.score ? a.score > b.score : a.customer < b.customer;
    });
    return {};
}

}  // namespace gridaudit
