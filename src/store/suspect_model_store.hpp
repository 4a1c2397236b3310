// The learned suspect models (docs/suspects.md, "The model"): each training of `gridaudit model
// train` stored as a new version with the features it reads, its parameters, a summary of its
// training data and the model itself (XGBoost's JSON). A backend that keeps them implements
// SuspectModelStore beside Store (SqliteStore and PostgresStore do: schema migration 10, table
// suspect_models); suspect_model_store() finds it. Versions are never changed or deleted.
// Thread safety: as the Store it belongs to.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "store/store.hpp"

namespace gridaudit {

struct StoredSuspectModel {
    std::int64_t version = 0;         // assigned when saved: 1, 2, ...
    std::string created_at;           // ISO instant, UTC
    std::string source;               // "truth" (a generator's truth file) or "cases" (concluded cases)
    std::string features_json;        // the feature names in column order, a JSON array
    std::string parameters_json;      // the training parameters, a JSON object
    std::string summary_json;         // the training data's summary, a JSON object
    std::vector<std::uint8_t> model;  // the booster as XGBoost saves it; empty when listed without it
};

class SuspectModelStore {
public:
    virtual ~SuspectModelStore() = default;
    // Stores `model` as the next version (its `version` is ignored) and returns that version.
    [[nodiscard]] virtual Result<std::int64_t> save_suspect_model(const StoredSuspectModel& model) = 0;
    // Every version, oldest first, without the model bytes.
    [[nodiscard]] virtual Result<std::vector<StoredSuspectModel>> suspect_models() = 0;
    // One version with its bytes (the newest when `version` is empty); nullopt when there is none.
    [[nodiscard]] virtual Result<std::optional<StoredSuspectModel>> suspect_model(
        std::optional<std::int64_t> version) = 0;
};

// The store's SuspectModelStore, or nullptr when the backend keeps no models.
[[nodiscard]] SuspectModelStore* suspect_model_store(Store& store);

}  // namespace gridaudit
