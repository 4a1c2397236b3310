// `gridaudit eval --db DB --truth FILE [--from DATE --to DATE | --period YYYY-MM] [--folds K] [--json]`: the
// ranking `gridaudit suspects --level area` gives, scored against a theft truth file (ROC AUC,
// precision at 50/100/200, MAP@100, the top-3 and top-5 hit rates in each area, recall per
// attack; definitions in docs/suspects.md, "Evaluation"), and the same for a learned model on a split
// by customer (--folds K: each customer scored by a model trained on the other folds only).
#include <fmt/core.h>

#include <cmath>
#include <map>
#include <nlohmann/json.hpp>

#include "analysis/suspect_evaluation.hpp"
#include "audit/area_suspects.hpp"
#include "audit/suspect_training.hpp"
#include "cli/command.hpp"
#include "cli/date_options.hpp"
#include "ingest/theft_truth.hpp"

namespace gridaudit {

namespace {

nlohmann::json number_or_null(double value) {
    return std::isfinite(value) ? nlohmann::json(value) : nlohmann::json();
}

std::string rate_text(double value) {
    return std::isfinite(value) ? fmt::format("{:.4f}", value) : "-";
}

// One evaluation as JSON (the fields docs/cli.md lists).
nlohmann::json evaluation_json(const SuspectEvaluation& e) {
    nlohmann::json precision = nlohmann::json::object();
    for (const PrecisionAtK& p : e.precision_at) precision[std::to_string(p.k)] = number_or_null(p.precision);
    nlohmann::json attacks = nlohmann::json::array();
    for (const AttackRecall& r : e.by_attack)
        attacks.push_back({{"attack", r.attack},
                           {"tampered", r.tampered},
                           {"in_top5", r.in_top5},
                           {"recall", number_or_null(r.recall)}});
    return nlohmann::json{{"customers", e.customers},
                          {"areas", e.areas},
                          {"areas_with_tampered", e.areas_with_tampered},
                          {"tampered", e.tampered},
                          {"auc", number_or_null(e.auc)},
                          {"precision_at", precision},
                          {"map_at_100", e.map_at_100},
                          {"top3_in_area", e.top3_in_area},
                          {"top3_hit_rate", number_or_null(e.top3_hit_rate)},
                          {"top5_in_area", e.top5_in_area},
                          {"top5_hit_rate", number_or_null(e.top5_hit_rate)},
                          {"by_attack", attacks}};
}

// One evaluation's lines of text.
std::string evaluation_text(const SuspectEvaluation& e) {
    std::string text;
    text += fmt::format("  ROC AUC                 {}\n", rate_text(e.auc));
    for (const PrecisionAtK& p : e.precision_at)
        text += fmt::format("  precision at {:<4}       {}\n", p.k, rate_text(p.precision));
    text += fmt::format("  MAP@100                 {}\n", rate_text(e.map_at_100));
    text += fmt::format("  top 3 of its area       {} ({:.1f} of {})\n", rate_text(e.top3_hit_rate),
                        e.top3_in_area, e.tampered);
    text += fmt::format("  top 5 of its area       {} ({:.1f} of {})\n", rate_text(e.top5_hit_rate),
                        e.top5_in_area, e.tampered);
    if (!e.by_attack.empty()) text += "  in the top 5 of its area, by attack:\n";
    for (const AttackRecall& r : e.by_attack)
        text += fmt::format("    {:<22} {} ({:.1f} of {})\n", r.attack, rate_text(r.recall), r.in_top5, r.tampered);
    return text;
}

}  // namespace

CommandRegistration register_eval_command(CLI::App& app) {
    struct Arguments {
        std::string db, truth, from, to, period;
        int folds = 5;
        bool json = false;
    };
    auto args = std::make_shared<Arguments>();
    auto* command = app.add_subcommand(
        "eval", "The suspect ranking of every area scored against a theft truth file (see docs/suspects.md)");
    command->add_option("--db", args->db, "Store: a SQLite file path or a postgresql:// URI")->required();
    command->add_option("--truth", args->truth, "theft_truth.csv: the customers known to have stolen")->required();
    command->add_option("--from", args->from, "First day (YYYY-MM-DD); default: the window's first");
    command->add_option("--to", args->to, "Last day (YYYY-MM-DD), included; default: the window's last");
    command->add_option("--period", args->period, "A month (YYYY-MM) instead of --from/--to");
    command->add_option("--folds", args->folds,
                        "Also a learned model, cross-validated on this many folds by customer (0: none)")
        ->capture_default_str();
    command->add_flag("--json", args->json, "One JSON document on stdout");
    return {
        command, [args]() -> Result<int> {
            if (args->folds == 1 || args->folds < 0 || args->folds > 20)
                return user_error(fmt::format("--folds must be 0 or 2 to 20 ({})", args->folds));
            GA_ASSIGN_OR_RETURN(const DayWindowOptions window, day_window_options(args->period, args->from, args->to));
            const std::optional<CivilDate> from = window.from, to = window.to;
            GA_ASSIGN_OR_RETURN(const std::vector<TheftTruthRow> truth, read_theft_truth(args->truth));
            std::map<std::string, const TheftTruthRow*, std::less<>> truth_of;
            for (const TheftTruthRow& row : truth) truth_of.emplace(row.customer_id, &row);

            GA_ASSIGN_OR_RETURN(auto store, Store::open(args->db, StoreOpening::existing_only));
            GA_ASSIGN_OR_RETURN(const AuditSession session, load_suspect_session(*store, from));
            bool node_found = false;
            const std::vector<AreaSuspects> areas =
                rank_area_suspects(session, SuspectRequest{from, to, {}}, node_found);
            std::vector<EvaluatedSuspect> suspects;
            std::size_t truth_ranked = 0;
            for (std::size_t a = 0; a < areas.size(); ++a) {
                for (const SuspectScore& s : areas[a].ranking) {
                    const auto it = truth_of.find(areas[a].frame->customers.id[s.customer]);
                    const bool tampered = it != truth_of.end();
                    truth_ranked += tampered ? 1 : 0;
                    suspects.push_back({static_cast<std::uint32_t>(a), s.score, tampered,
                                        tampered ? std::string_view(it->second->attack) : std::string_view()});
                }
            }
            if (suspects.empty())
                return user_error(
                    "no area with customers and at least 7 days of daily data in the window: nothing to evaluate");
            const SuspectEvaluation e = evaluate_suspects(suspects);
            // The learned model on a split by customer: each customer scored by a model trained on the
            // other folds' customers only.
            std::optional<SuspectEvaluation> learned;
            const LabelledSuspects labelled = label_from_truth(areas, truth);
            if (args->folds >= 2 && labelled.positives > 0 && labelled.positives < labelled.size()) {
                GA_ASSIGN_OR_RETURN(const std::vector<double> scores,
                                    cross_validated_scores(labelled, SuspectModelParameters{}, args->folds));
                std::vector<EvaluatedSuspect> scored;
                for (std::size_t r = 0; r < labelled.size(); ++r)
                    scored.push_back({labelled.area[r], scores[r], labelled.labels[r] > 0, labelled.attack[r]});
                learned = evaluate_suspects(scored);
            }
            const std::size_t not_ranked = truth.size() - truth_ranked;
            const CivilDate first_day = areas.front().first_day;
            const CivilDate last_day = first_day + areas.front().days - 1;

            if (args->json) {
                nlohmann::json document = evaluation_json(e);
                document["from"] = first_day.to_string();
                document["to"] = last_day.to_string();
                document["truth_not_ranked"] = not_ranked;
                document["learned_model"] = learned ? evaluation_json(*learned) : nlohmann::json();
                if (learned) document["learned_model"]["folds"] = args->folds;
                fmt::print("{}\n", document.dump());
                return 0;
            }
            std::string text = fmt::format(
                "{} customers in {} areas ({} with tampered customers), {} .. {}; {} tampered of {} in the truth file",
                e.customers, e.areas, e.areas_with_tampered, first_day.to_string(), last_day.to_string(), e.tampered,
                truth.size());
            text += not_ranked == 0 ? "\n" : fmt::format(" ({} not in any ranked area)\n", not_ranked);
            text += evaluation_text(e);
            if (learned)
                text += fmt::format("With a learned model, {} folds by customer (none trained on the customers it scores):\n",
                                    args->folds) +
                        evaluation_text(*learned);
            fmt::print("{}", text);
            return 0;
        }};
}

}  // namespace gridaudit
