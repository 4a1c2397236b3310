// `gridaudit model train --db DB [--truth FILE] [--from DATE --to DATE | --period YYYY-MM] [--now INSTANT]
//  [--rounds N] [--max-depth N] [--learning-rate X] [--json]` and `gridaudit model list --db DB [--json]`:
// the learned suspect model (docs/suspects.md, "The model"). train ranks every area as `gridaudit
// suspects` does, labels its customers from the truth file (a generator's, before any case exists)
// or else from the store's concluded cases (confirmed theft or violation against no problem), trains
// gradient-boosted trees on the ranking's features and stores them as the next version with a summary
// of the training data; list shows the versions.
#include <fmt/core.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "audit/suspect_training.hpp"
#include "cli/command.hpp"
#include "cli/date_options.hpp"
#include "store/suspect_model_store.hpp"

namespace gridaudit {

namespace {

struct TrainArguments {
    std::string db, truth, from, to, period, now;
    SuspectModelParameters parameters;
    bool json = false;
};

Result<int> train_model(const TrainArguments& args) {
    GA_ASSIGN_OR_RETURN(const DayWindowOptions window, day_window_options(args.period, args.from, args.to));
    std::string now = args.now;
    if (now.empty()) {
        const auto clock = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
        now = Instant::from_unix_seconds(clock.time_since_epoch().count()).to_string();
    } else if (!Instant::parse(now)) {
        return user_error(fmt::format("--now must be an ISO instant such as 2026-12-08T09:00:00Z ({})", now));
    }
    if (args.parameters.rounds < 1 || args.parameters.rounds > 5000)
        return user_error(fmt::format("--rounds must be 1 to 5000 ({})", args.parameters.rounds));
    if (args.parameters.max_depth < 1 || args.parameters.max_depth > 12)
        return user_error(fmt::format("--max-depth must be 1 to 12 ({})", args.parameters.max_depth));
    if (!(args.parameters.learning_rate > 0 && args.parameters.learning_rate <= 1))
        return user_error(
            fmt::format("--learning-rate must be above 0 and at most 1 ({})", args.parameters.learning_rate));
    std::vector<TheftTruthRow> truth;
    if (!args.truth.empty()) {
        GA_ASSIGN_OR_RETURN(truth, read_theft_truth(args.truth));
    }
    GA_ASSIGN_OR_RETURN(auto store, Store::open(args.db, StoreOpening::existing_only));
    SuspectModelStore* models = suspect_model_store(*store);
    if (models == nullptr) return user_error("this store keeps no suspect models");
    GA_ASSIGN_OR_RETURN(const AuditSession session, load_suspect_session(*store, window.from));
    bool node_found = false;
    const std::vector<AreaSuspects> areas =
        rank_area_suspects(session, SuspectRequest{window.from, window.to, {}}, node_found);
    if (areas.empty())
        return user_error(
            "no area with customers and at least 7 days of daily data in the window: nothing to learn from");
    LabelledSuspects data;
    const std::string source = args.truth.empty() ? "cases" : "truth";
    if (args.truth.empty()) {
        GA_ASSIGN_OR_RETURN(data, label_from_cases(*store, areas));
    } else {
        data = label_from_truth(areas, truth);
    }
    if (data.positives == 0 || data.positives == data.size())
        return user_error(fmt::format(
            "{} labelled customers, {} of them thieves or violators: training needs both (give --truth, or conclude "
            "cases as confirmed theft or violation and as no problem)",
            data.size(), data.positives));
    GA_ASSIGN_OR_RETURN(const SuspectModel model, SuspectModel::train(data.features, data.labels, args.parameters));
    StoredSuspectModel stored;
    stored.created_at = now;
    stored.source = source;
    stored.features_json =
        nlohmann::json(std::vector<std::string>(suspect_feature_names.begin(), suspect_feature_names.end())).dump();
    stored.parameters_json = args.parameters.to_json();
    stored.summary_json = training_summary_json(data, source, areas);
    GA_ASSIGN_OR_RETURN(stored.model, model.save());
    GA_ASSIGN_OR_RETURN(const std::int64_t version, models->save_suspect_model(stored));
    if (args.json) {
        fmt::print("{}\n", nlohmann::json{{"version", version},
                                          {"created_at", stored.created_at},
                                          {"source", source},
                                          {"summary", nlohmann::json::parse(stored.summary_json)},
                                          {"parameters", nlohmann::json::parse(stored.parameters_json)}}
                               .dump());
        return 0;
    }
    fmt::print("Suspect model version {} trained from {} on {} customers of {} areas ({} positive, {} negative)\n",
               version, source == "truth" ? args.truth : std::string("the concluded cases"), data.size(), areas.size(),
               data.positives, data.size() - data.positives);
    return 0;
}

Result<int> list_models(const std::string& db, bool json) {
    GA_ASSIGN_OR_RETURN(auto store, Store::open(db, StoreOpening::existing_only));
    SuspectModelStore* models = suspect_model_store(*store);
    if (models == nullptr) return user_error("this store keeps no suspect models");
    GA_ASSIGN_OR_RETURN(const auto listed, models->suspect_models());
    if (json) {
        nlohmann::json rows = nlohmann::json::array();
        for (const StoredSuspectModel& m : listed)
            rows.push_back({{"version", m.version},
                            {"created_at", m.created_at},
                            {"source", m.source},
                            {"summary", nlohmann::json::parse(m.summary_json, nullptr, false)},
                            {"parameters", nlohmann::json::parse(m.parameters_json, nullptr, false)}});
        fmt::print("{}\n", nlohmann::json{{"models", rows}}.dump());
        return 0;
    }
    if (listed.empty()) {
        fmt::print("No suspect model yet (train one with `gridaudit model train`)\n");
        return 0;
    }
    fmt::print("{:>7}  {:<20}  {:<6}  {:>9}  {:>9}  {}\n", "version", "created", "source", "customers", "positives",
               "window");
    for (const StoredSuspectModel& m : listed) {
        const auto summary = nlohmann::json::parse(m.summary_json, nullptr, false);
        const auto field = [&](const char* name) {
            return summary.is_object() && summary.contains(name) ? summary[name].dump() : std::string("-");
        };
        fmt::print("{:>7}  {:<20}  {:<6}  {:>9}  {:>9}  {} .. {}\n", m.version, m.created_at, m.source,
                   field("customers"), field("positives"), summary.value("from", "-"), summary.value("to", "-"));
    }
    return 0;
}

}  // namespace

CommandRegistration register_model_command(CLI::App& app) {
    auto train = std::make_shared<TrainArguments>();
    auto list = std::make_shared<std::pair<std::string, bool>>();
    auto* command = app.add_subcommand("model", "The learned suspect model: train, list (see docs/suspects.md)");
    command->require_subcommand(1);
    auto* train_command = command->add_subcommand(
        "train", "Train a new version from a theft truth file or from the concluded cases, and store it");
    train_command->add_option("--db", train->db, "Store: a SQLite file path")->required();
    train_command->add_option("--truth", train->truth,
                              "theft_truth.csv: the customers known to have stolen (default: the concluded cases)");
    train_command->add_option("--from", train->from, "First day (YYYY-MM-DD); default: the window's first");
    train_command->add_option("--to", train->to, "Last day (YYYY-MM-DD), included; default: the window's last");
    train_command->add_option("--period", train->period, "A month (YYYY-MM) instead of --from/--to");
    train_command->add_option("--now", train->now,
                              "The instant recorded as its creation, ISO UTC (default: the clock)");
    train_command->add_option("--rounds", train->parameters.rounds, "Boosting rounds")->capture_default_str();
    train_command->add_option("--max-depth", train->parameters.max_depth, "Depth of each tree")->capture_default_str();
    train_command->add_option("--learning-rate", train->parameters.learning_rate, "Shrinkage per round")
        ->capture_default_str();
    train_command->add_flag("--json", train->json, "One JSON document on stdout");
    auto* list_command = command->add_subcommand("list", "The stored versions with their training data's summary");
    list_command->add_option("--db", list->first, "Store: a SQLite file path")->required();
    list_command->add_flag("--json", list->second, "One JSON document on stdout");
    return {command, [train, list, train_command]() -> Result<int> {
                if (train_command->parsed()) return train_model(*train);
                return list_models(list->first, list->second);
            }};
}

}  // namespace gridaudit
