// SqliteStore's learned suspect models (suspect_model_store.hpp), table suspect_models of schema
// migration 10.
#include "store/sqlite_store.hpp"

namespace gridaudit {

SuspectModelStore* suspect_model_store(Store& store) {
    return dynamic_cast<SuspectModelStore*>(&store);
}

Result<std::int64_t> SqliteStore::save_suspect_model(const StoredSuspectModel& model) {
    GA_ASSIGN_OR_RETURN(auto transaction, SqliteTransaction::begin_immediate(connection_));
    GA_ASSIGN_OR_RETURN(auto insert,
                        connection_.prepare("INSERT INTO suspect_models (created_at, source, features, parameters, "
                                            "summary, model) VALUES (?, ?, ?, ?, ?, ?)"));
    insert.bind_text(1, model.created_at);
    insert.bind_text(2, model.source);
    insert.bind_text(3, model.features_json);
    insert.bind_text(4, model.parameters_json);
    insert.bind_text(5, model.summary_json);
    insert.bind_blob(6, model.model);
    GA_TRY(insert.step());
    const std::int64_t version = connection_.last_insert_rowid();
    GA_TRY(transaction.commit());
    return version;
}

namespace {

StoredSuspectModel model_of(const SqliteStatement& row, bool with_bytes) {
    StoredSuspectModel model;
    model.version = row.column_int64(0);
    model.created_at = std::string(row.column_text(1));
    model.source = std::string(row.column_text(2));
    model.features_json = std::string(row.column_text(3));
    model.parameters_json = std::string(row.column_text(4));
    model.summary_json = std::string(row.column_text(5));
    if (with_bytes) {
        const auto bytes = row.column_blob(6);
        model.model.assign(bytes.begin(), bytes.end());
    }
    return model;
}

}  // namespace

Result<std::vector<StoredSuspectModel>> SqliteStore::suspect_models() {
    GA_ASSIGN_OR_RETURN(auto query, connection_.prepare("SELECT version, created_at, source, features, parameters, "
                                                        "summary FROM suspect_models ORDER BY version"));
    std::vector<StoredSuspectModel> models;
    while (true) {
        GA_ASSIGN_OR_RETURN(const bool row, query.step());
        if (!row) break;
        models.push_back(model_of(query, false));
    }
    return models;
}

Result<std::optional<StoredSuspectModel>> SqliteStore::suspect_model(std::optional<std::int64_t> version) {
    GA_ASSIGN_OR_RETURN(
        auto query, connection_.prepare(version ? "SELECT version, created_at, source, features, parameters, "
                                                  "summary, model FROM suspect_models WHERE version = ?"
                                                : "SELECT version, created_at, source, features, parameters, "
                                                  "summary, model FROM suspect_models ORDER BY version DESC LIMIT 1"));
    if (version) query.bind_int64(1, *version);
    GA_ASSIGN_OR_RETURN(const bool row, query.step());
    if (!row) return std::optional<StoredSuspectModel>();
    return std::optional<StoredSuspectModel>(model_of(query, true));
}

}  // namespace gridaudit
