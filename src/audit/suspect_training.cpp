// Labelling the ranked customers, cross-validating and applying the learned suspect model
// (suspect_training.hpp).
#include "audit/suspect_training.hpp"

#include <fmt/format.h>

#include <map>
#include <nlohmann/json.hpp>

#include "store/suspect_model_store.hpp"

namespace gridaudit {

namespace {

void add_row(LabelledSuspects& data, const AreaSuspects& area, std::size_t a, const SuspectScore& s, bool positive,
             std::string attack) {
    const auto f = suspect_features(s, area.days);
    data.features.insert(data.features.end(), f.begin(), f.end());
    data.labels.push_back(positive ? 1.0f : 0.0f);
    data.customer_ids.push_back(area.frame->customers.id[s.customer]);
    data.area.push_back(static_cast<std::uint32_t>(a));
    data.attack.push_back(std::move(attack));
    data.positives += positive ? 1 : 0;
}

}  // namespace

LabelledSuspects label_from_truth(const std::vector<AreaSuspects>& areas, const std::vector<TheftTruthRow>& truth) {
    std::map<std::string, const TheftTruthRow*, std::less<>> truth_of;
    for (const TheftTruthRow& row : truth) truth_of.emplace(row.customer_id, &row);
    LabelledSuspects data;
    data.areas = areas.size();
    for (std::size_t a = 0; a < areas.size(); ++a) {
        for (const SuspectScore& s : areas[a].ranking) {
            const auto it = truth_of.find(areas[a].frame->customers.id[s.customer]);
            add_row(data, areas[a], a, s, it != truth_of.end(), it != truth_of.end() ? it->second->attack : "");
        }
    }
    return data;
}

Result<LabelledSuspects> label_from_cases(Store& store, const std::vector<AreaSuspects>& areas) {
    GA_ASSIGN_OR_RETURN(const std::vector<Case> cases, store.cases().list_cases(CaseFilter{}));
    // customer id -> (case id, conclusion) of its latest concluded case.
    std::map<std::string, std::pair<std::int64_t, Conclusion>, std::less<>> concluded;
    std::map<std::string, std::string, std::less<>> customer_of_meter;
    for (const AreaSuspects& area : areas) {
        const RegionFrame& frame = *area.frame;
        for (std::size_t m = 0; m < frame.meters.size(); ++m) {
            if (frame.meters.customer[m].valid())
                customer_of_meter[frame.meters.id[m]] = frame.customers.id[frame.meters.customer[m].value()];
        }
    }
    for (const Case& c : cases) {
        if (!c.conclusion || c.subject_kind == SubjectKind::node) continue;
        std::string customer = c.subject_id;
        if (c.subject_kind == SubjectKind::meter) {
            const auto it = customer_of_meter.find(c.subject_id);
            if (it == customer_of_meter.end()) continue;
            customer = it->second;
        }
        auto& slot = concluded[customer];
        if (slot.first < c.case_id) slot = {c.case_id, *c.conclusion};
    }
    LabelledSuspects data;
    data.areas = areas.size();
    for (std::size_t a = 0; a < areas.size(); ++a) {
        for (const SuspectScore& s : areas[a].ranking) {
            const auto it = concluded.find(areas[a].frame->customers.id[s.customer]);
            if (it == concluded.end()) continue;
            const Conclusion conclusion = it->second.second;
            const bool positive =
                conclusion == Conclusion::confirmed_theft || conclusion == Conclusion::confirmed_violation;
            if (!positive && conclusion != Conclusion::no_problem) continue;
            add_row(data, areas[a], a, s, positive, positive ? std::string(conclusion_name(conclusion)) : "");
        }
    }
    return data;
}

std::string training_summary_json(const LabelledSuspects& data, std::string_view source,
                                  const std::vector<AreaSuspects>& areas) {
    std::map<std::string, std::size_t> by_attack;
    for (std::size_t r = 0; r < data.size(); ++r) {
        if (data.labels[r] > 0) ++by_attack[data.attack[r].empty() ? "(unnamed)" : data.attack[r]];
    }
    nlohmann::json summary{{"source", source},
                           {"customers", data.size()},
                           {"positives", data.positives},
                           {"negatives", data.size() - data.positives},
                           {"areas", areas.size()},
                           {"positives_by_kind", by_attack}};
    if (!areas.empty()) {
        summary["from"] = areas.front().first_day.to_string();
        summary["to"] = (areas.front().first_day + (areas.front().days - 1)).to_string();
    }
    return summary.dump();
}

int customer_fold(std::string_view customer_id, int folds) {
    // FNV-1a: stable across runs and platforms.
    std::uint64_t hash = 14695981039346656037ull;
    for (const char ch : customer_id) {
        hash ^= static_cast<unsigned char>(ch);
        hash *= 1099511628211ull;
    }
    return static_cast<int>(hash % static_cast<std::uint64_t>(folds));
}

Result<std::vector<double>> cross_validated_scores(const LabelledSuspects& data,
                                                   const SuspectModelParameters& parameters, int folds) {
    constexpr std::size_t width = suspect_feature_count;
    std::vector<double> scores(data.size());
    std::vector<int> fold_of(data.size());
    for (std::size_t r = 0; r < data.size(); ++r) fold_of[r] = customer_fold(data.customer_ids[r], folds);
    for (int k = 0; k < folds; ++k) {
        std::vector<float> train_features, train_labels, test_features;
        std::vector<std::size_t> test_rows;
        for (std::size_t r = 0; r < data.size(); ++r) {
            const auto row = std::span<const float>(data.features).subspan(r * width, width);
            if (fold_of[r] == k) {
                test_features.insert(test_features.end(), row.begin(), row.end());
                test_rows.push_back(r);
            } else {
                train_features.insert(train_features.end(), row.begin(), row.end());
                train_labels.push_back(data.labels[r]);
            }
        }
        if (test_rows.empty()) continue;
        const auto positives = std::count(train_labels.begin(), train_labels.end(), 1.0f);
        if (positives == 0 || positives == static_cast<std::ptrdiff_t>(train_labels.size())) {
            for (std::size_t r : test_rows) scores[r] = data.features[r * width + width - 1];  // the ranking's score
            continue;
        }
        GA_ASSIGN_OR_RETURN(const SuspectModel model, SuspectModel::train(train_features, train_labels, parameters));
        GA_ASSIGN_OR_RETURN(const std::vector<float> margins, model.margins(test_features));
        for (std::size_t i = 0; i < test_rows.size(); ++i) {
            const std::size_t r = test_rows[i];
            scores[r] = combined_suspect_score(margins[i], data.features[r * width]);
        }
    }
    return scores;
}

Result<std::optional<std::int64_t>> apply_stored_model(Store& store, std::vector<AreaSuspects>& areas,
                                                       std::optional<std::int64_t> version) {
    SuspectModelStore* models = suspect_model_store(store);
    if (models == nullptr) {
        if (version) return user_error("this store keeps no suspect models");
        return std::optional<std::int64_t>();
    }
    GA_ASSIGN_OR_RETURN(const auto stored, models->suspect_model(version));
    if (!stored) {
        if (version)
            return user_error(fmt::format("no suspect model version {} (see `gridaudit model list`)", *version));
        return std::optional<std::int64_t>();
    }
    const auto names = nlohmann::json::parse(stored->features_json, nullptr, false);
    bool same = names.is_array() && names.size() == suspect_feature_count;
    for (std::size_t k = 0; same && k < suspect_feature_count; ++k)
        same = names[k].is_string() && names[k].get<std::string>() == suspect_feature_names[k];
    if (!same)
        return user_error(
            fmt::format("suspect model version {} reads other features than this GridAudit computes; "
                        "train a new one with `gridaudit model train`",
                        stored->version));
    GA_ASSIGN_OR_RETURN(const SuspectModel model, SuspectModel::load(stored->model));
    for (AreaSuspects& area : areas) GA_TRY(apply_suspect_model(model, area.ranking, area.days));
    return std::optional<std::int64_t>(stored->version);
}

}  // namespace gridaudit
