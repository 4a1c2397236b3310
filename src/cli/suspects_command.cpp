// `gridaudit suspects --db DB [--node NODE | --level area] [--from DATE --to DATE | --period YYYY-MM]
//  [--top K] [--model VERSION|none] [--json]`: every customer of the area(s) ranked by how well its missing consumption
//  explains the area's loss and how far its own days look like theft (analysis/suspect_ranking.hpp,
//  docs/suspects.md), with the stored 15-minute intervals where they cover the window, combined
//  with the newest learned model when the store keeps one (each suspect's margin explained by its
//  features' contributions).
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>

#include "analysis/suspect_ranking.hpp"
#include "audit/area_suspects.hpp"
#include "audit/suspect_training.hpp"
#include "cli/command.hpp"
#include "cli/date_options.hpp"

namespace gridaudit {

namespace {

nlohmann::json number_or_null(double value) {
    return std::isfinite(value) ? nlohmann::json(value) : nlohmann::json();
}

// The evidence per signal, by name, the signals with none left out.
nlohmann::json evidence_json(const SuspectScore& s) {
    nlohmann::json evidence = nlohmann::json::object();
    for (int k = 0; k < suspect_signal_count; ++k) {
        const double value = s.evidence[static_cast<std::size_t>(k)];
        if (value > 0) evidence[std::string(suspect_signal_name(static_cast<SuspectSignal>(k)))] = value;
    }
    return evidence;
}

// The --model option: a version, "none", or empty for the newest stored model (if any).
Result<std::optional<std::int64_t>> apply_model_option(Store& store, std::vector<AreaSuspects>& areas,
                                                       const std::string& option) {
    if (option == "none") return std::optional<std::int64_t>();
    std::optional<std::int64_t> version;
    if (!option.empty()) {
        std::int64_t value = 0;
        const auto [end, error] = std::from_chars(option.data(), option.data() + option.size(), value);
        if (error != std::errc() || end != option.data() + option.size() || value < 1)
            return user_error(fmt::format("--model must be a model version (1, 2, ...) or none ({})", option));
        version = value;
    }
    return apply_stored_model(store, areas, version);
}

}  // namespace

CommandRegistration register_suspects_command(CLI::App& app) {
    struct Arguments {
        std::string db, node, level, from, to, period, model;
        int top = 10;
        bool json = false;
    };
    auto args = std::make_shared<Arguments>();
    auto* command =
        app.add_subcommand("suspects", "Every customer of an area ranked as a theft suspect (see docs/suspects.md)");
    command->add_option("--db", args->db, "Store: a SQLite file path or a postgresql:// URI")->required();
    command->add_option("--node", args->node, "One transformer area (node id)");
    command->add_option("--level", args->level, "area: every transformer area (the default)")
        ->check(CLI::IsMember({"area"}));
    command->add_option("--from", args->from, "First day (YYYY-MM-DD); default: the window's first");
    command->add_option("--to", args->to, "Last day (YYYY-MM-DD), included; default: the window's last");
    command->add_option("--period", args->period, "A month (YYYY-MM) instead of --from/--to");
    command->add_option("--top", args->top, "Customers listed per area (0: all)")->capture_default_str();
    command->add_option("--model", args->model,
                        "Learned model version to combine with the ranking (default: the newest; none: no model)");
    command->add_flag("--json", args->json, "One JSON document on stdout");
    return {
        command, [args]() -> Result<int> {
            if (!args->node.empty() && !args->level.empty()) return user_error("give --node or --level, not both");
            if (args->top < 0) return user_error(fmt::format("--top must be 0 or more ({})", args->top));
            GA_ASSIGN_OR_RETURN(const DayWindowOptions window, day_window_options(args->period, args->from, args->to));
            const std::optional<CivilDate> from = window.from, to = window.to;

            GA_ASSIGN_OR_RETURN(auto store, Store::open(args->db, StoreOpening::existing_only));
            GA_ASSIGN_OR_RETURN(const AuditSession session, load_suspect_session(*store, from));
            nlohmann::json areas = nlohmann::json::array();
            std::string text;
            bool node_found = false;
            std::vector<AreaSuspects> ranked =
                rank_area_suspects(session, SuspectRequest{from, to, args->node}, node_found);
            GA_ASSIGN_OR_RETURN(const std::optional<std::int64_t> model_version,
                                apply_model_option(*store, ranked, args->model));
            const std::size_t ranked_areas = ranked.size();
            for (const AreaSuspects& area : ranked) {
                const RegionFrame& frame = *area.frame;
                const std::size_t n = area.node;
                const std::vector<SuspectScore>& ranking = area.ranking;
                const SuspectIntervalsUsed& intervals_used = area.intervals_used;
                const std::size_t shown =
                    args->top == 0 ? ranking.size() : std::min(ranking.size(), static_cast<std::size_t>(args->top));
                nlohmann::json rows = nlohmann::json::array();
                text += fmt::format("{} {} ({} customers, {} .. {}, {})\n", frame.network.id[n],
                                    frame.network.name[n], ranking.size(), area.first_day.to_string(),
                                    (area.first_day + area.days - 1).to_string(),
                                    intervals_used.area_meter
                                        ? fmt::format("area meter and {} customers with 15-minute intervals",
                                                      intervals_used.customers)
                                        : std::string("daily"));
                text += fmt::format("  {:>4}  {:<12} {:>7} {:>8} {:>10} {:>12} {:>11}  {:<10} {:>9}  {}\n", "rank",
                                    "customer", "score", "daily r", "loss share", "unmetered", "deficit days",
                                    "from", "odd days", "reason");
                for (std::size_t r = 0; r < shown; ++r) {
                    const SuspectScore& s = ranking[r];
                    const std::string& id = frame.customers.id[s.customer];
                    const std::string first_day =
                        s.first_day < 0 ? std::string() : (area.first_day + s.first_day).to_string();
                    rows.push_back(
                        {{"rank", r + 1},
                         {"customer_id", id},
                         {"score", s.score},
                         {"daily_correlation", number_or_null(s.daily_correlation)},
                         {"loss_share", s.loss_share},
                         {"unmetered_kwh", s.unmetered_kwh},
                         {"deficit_days", s.deficit_days},
                         {"first_deficit_day", s.first_day < 0 ? nlohmann::json() : nlohmann::json(first_day)},
                         {"interval_correlation", number_or_null(s.interval_correlation)},
                         {"anomalous_days", s.anomalous_days},
                         {"first_anomalous_day",
                          s.first_anomalous_day < 0
                              ? nlohmann::json()
                              : nlohmann::json((area.first_day + s.first_anomalous_day).to_string())},
                         {"reason", suspect_signal_name(s.reason)},
                         {"evidence", evidence_json(s)}});
                    if (model_version) {
                        nlohmann::json contributions = nlohmann::json::object();
                        for (std::size_t k = 0; k < suspect_feature_count; ++k)
                            contributions[std::string(suspect_feature_names[k])] = s.contributions[k];
                        contributions["bias"] = s.contributions[suspect_feature_count];
                        rows.back()["ranking_score"] = s.ranking_score;
                        rows.back()["model_margin"] = s.model_margin;
                        rows.back()["contributions"] = std::move(contributions);
                    }
                    text += fmt::format(
                        "  {:>4}  {:<12} {:>7.2f} {:>8} {:>10.2f} {:>8.1f} kWh {:>11}  {:<10} {:>9}  {}\n", r + 1,
                        id, s.score,
                        std::isfinite(s.daily_correlation) ? fmt::format("{:.3f}", s.daily_correlation)
                                                           : std::string("-"),
                        s.loss_share, s.unmetered_kwh, s.deficit_days,
                        first_day.empty() ? std::string("-") : first_day, s.anomalous_days,
                        s.score > 0 ? suspect_signal_name(s.reason) : std::string_view("-"));
                    if (model_version) {
                        std::vector<std::string> why;
                        for (const FeatureContribution& c : top_contributions(s, 3))
                            why.push_back(fmt::format("{} +{:.2f}", c.feature, c.value));
                        text += fmt::format("        model v{}: log-odds {:.2f}{}{}\n", *model_version, s.model_margin,
                                            why.empty() ? "" : ", raised by ", fmt::join(why, ", "));
                    }
                }
                areas.push_back({{"node_id", frame.network.id[n]},
                                 {"from", area.first_day.to_string()},
                                 {"to", (area.first_day + area.days - 1).to_string()},
                                 {"customers", ranking.size()},
                                 {"area_meter_intervals", intervals_used.area_meter},
                                 {"interval_customers", intervals_used.customers},
                                 {"suspects", std::move(rows)}});
            }
            if (!node_found)
                return refusal_error(Refusal::not_found, fmt::format("--node: no such node ({})", args->node));
            if (args->json) {
                fmt::print("{}\n", nlohmann::json{{"areas", std::move(areas)},
                                                  {"model_version", model_version ? nlohmann::json(*model_version)
                                                                                  : nlohmann::json()}}
                                       .dump());
            } else if (ranked_areas == 0) {
                fmt::print("no area with customers and at least 7 days of daily data in the window\n");
            } else {
                fmt::print("{}", text);
            }
            return 0;
        }};
}

}  // namespace gridaudit
