// The interval theft scenario as a user meets it: `gridaudit generate --theft-scenario` writes an
// export folder and theft_truth.csv, `gridaudit import` stores it, `gridaudit eval` scores the
// ranking `gridaudit suspects` gives against the truth; the figures are compared with the same
// seed ranked in memory (analysis/suspect_ranking.hpp over generator/theft_scenario.hpp).
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "analysis/suspect_evaluation.hpp"
#include "analysis/suspect_ranking.hpp"
#include "generator/theft_scenario.hpp"
#include "support/command_runner.hpp"

namespace gridaudit {
namespace {

namespace fs = std::filesystem;

CommandOutput run(const std::string& arguments) {
    return run_command(GRIDAUDIT_BINARY, arguments);
}

class TheftEvalTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / fmt::format("gridaudit-theft-eval-{}-{}", ::getpid(),
                                                       ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }
    fs::path dir_;
};

// The scenario ranked in memory as tests/analysis/suspect_ranking_test does, evaluated by
// evaluate_suspects.
SuspectEvaluation evaluate_in_memory(const TheftScenarioOptions& options) {
    const TheftScenario scenario = generate_theft_scenario(options);
    const auto days = static_cast<std::size_t>(scenario.days);
    std::vector<std::uint8_t> day_type(days);
    for (std::size_t d = 0; d < days; ++d)
        day_type[d] = (scenario.first_day + static_cast<std::int32_t>(d)).weekday_from_monday() >= 5 ? 1 : 0;
    std::vector<EvaluatedSuspect> suspects;
    for (std::size_t a = 0; a < scenario.areas.size(); ++a) {
        const TheftArea& area = scenario.areas[a];
        std::vector<double> supply(days, 0);
        for (std::size_t d = 0; d < days; ++d) {
            for (std::size_t i = 0; i < theft_intervals_per_day; ++i)
                supply[d] += area.area_intervals[d * theft_intervals_per_day + i];
        }
        SuspectAreaInput input;
        input.days = scenario.days;
        input.intervals_per_day = theft_intervals_per_day;
        input.supply_daily = supply;
        input.supply_intervals = area.area_intervals;
        input.day_type = day_type;
        // The meter events as the store's ranking weighs them.
        std::vector<std::vector<TamperEventRecord>> events(static_cast<std::size_t>(area.customers));
        for (const TheftEvent& e : area.events)
            events[static_cast<std::size_t>(e.customer)].push_back(
                {scenario.first_day + e.day, e.code, e.duration_s >= 0 ? static_cast<double>(e.duration_s) : std::nan("")});
        for (std::size_t c = 0; c < static_cast<std::size_t>(area.customers); ++c)
            input.customers.push_back({std::span<const double>(area.customer_daily).subspan(c * days, days),
                                       std::span<const double>(area.customer_intervals[c]), area.business[c],
                                       tamper_events_of(events[c]).score});
        for (const SuspectScore& s : rank_suspects(input)) {
            const TheftTruth& truth = area.truth[s.customer];
            suspects.push_back({static_cast<std::uint32_t>(a), s.score, truth.tampered,
                                truth.tampered ? theft_attack_name(truth.attack) : std::string_view()});
        }
    }
    return evaluate_suspects(suspects);
}

TEST_F(TheftEvalTest, ScenarioFilesImportedAndEvaluatedAgreeWithTheRankingInMemory) {
    TheftScenarioOptions options;
    options.seed = 4242;
    options.areas = 4;
    options.min_customers = options.max_customers = 40;
    const SuspectEvaluation memory = evaluate_in_memory(options);

    const fs::path out = dir_ / "scenario";
    const std::string db = (dir_ / "s.db").string();
    const auto generated =
        run(fmt::format("generate --theft-scenario --out {} --areas 4 --customers 40 --seed 4242", out.string()));
    ASSERT_EQ(generated.exit_code, 0) << generated.out;
    ASSERT_TRUE(fs::exists(out / "theft_truth.csv"));
    const auto imported = run(fmt::format("import --db {} {}", db, out.string()));
    ASSERT_EQ(imported.exit_code, 0) << imported.out;
    const auto evaluated = run(fmt::format("eval --db {} --truth {} --json", db, (out / "theft_truth.csv").string()));
    ASSERT_EQ(evaluated.exit_code, 0) << evaluated.out;
    const auto json = nlohmann::json::parse(evaluated.out);
    std::printf("in memory: AUC %.4f, top-5 %.3f, top-3 %.3f, MAP@100 %.3f, P@50 %.3f\n", memory.auc,
                memory.top5_hit_rate, memory.top3_hit_rate, memory.map_at_100, memory.precision_at[0].precision);
    std::printf("imported:  AUC %.4f, top-5 %.3f, top-3 %.3f, MAP@100 %.3f, P@50 %.3f\n", json["auc"].get<double>(),
                json["top5_hit_rate"].get<double>(), json["top3_hit_rate"].get<double>(),
                json["map_at_100"].get<double>(), json["precision_at"]["50"].get<double>());

    // The same customers, areas and thieves.
    EXPECT_EQ(json["customers"], memory.customers);
    EXPECT_EQ(json["areas"], memory.areas);
    EXPECT_EQ(json["tampered"], memory.tampered);
    EXPECT_EQ(json["truth_not_ranked"], 0);
    EXPECT_EQ(json["from"], "2026-09-20");
    EXPECT_EQ(json["to"], "2026-10-19");
    ASSERT_EQ(json["by_attack"].size(), memory.by_attack.size());
    for (std::size_t k = 0; k < memory.by_attack.size(); ++k) {
        EXPECT_EQ(json["by_attack"][k]["attack"], memory.by_attack[k].attack);
        EXPECT_EQ(json["by_attack"][k]["tampered"], memory.by_attack[k].tampered);
    }
    // The store holds each half-hour as two 15-minute halves and the registers to 0.001 kWh: the
    // figures agree within what that moves (docs/suspects.md, "Evaluation").
    EXPECT_NEAR(json["auc"].get<double>(), memory.auc, 0.05);
    EXPECT_NEAR(json["top5_hit_rate"].get<double>(), memory.top5_hit_rate, 0.1);

    // The plain text names every measure.
    const auto text = run(fmt::format("eval --db {} --truth {}", db, (out / "theft_truth.csv").string()));
    ASSERT_EQ(text.exit_code, 0) << text.out;
    for (const char* word : {"ROC AUC", "precision at 50", "precision at 200", "MAP@100", "top 3 of its area",
                             "top 5 of its area", "h1-constant-factor"})
        EXPECT_NE(text.out.find(word), std::string::npos) << word << "\n" << text.out;
}

TEST_F(TheftEvalTest, OneAttackPerScenarioAndStrictTruthFiles) {
    const fs::path out = dir_ / "h5";
    const auto generated = run(fmt::format(
        "generate --theft-scenario --out {} --areas 1 --customers 20 --days 14 --attack h5-flattened --seed 7",
        out.string()));
    ASSERT_EQ(generated.exit_code, 0) << generated.out;
    std::ifstream truth_file(out / "theft_truth.csv");
    std::stringstream truth;
    truth << truth_file.rdbuf();
    EXPECT_EQ(truth.str().rfind("customer_id,attack,attacked_days,stolen_kwh\n", 0), 0u) << truth.str();
    std::string line;
    std::getline(truth, line);
    int rows = 0;
    while (std::getline(truth, line)) {
        ++rows;
        EXPECT_NE(line.find(",h5-flattened,"), std::string::npos) << line;
    }
    EXPECT_GE(rows, 1);

    const auto unknown = run(fmt::format("generate --theft-scenario --out {} --attack h9", (dir_ / "x").string()));
    EXPECT_EQ(unknown.exit_code, 1);
    EXPECT_NE(unknown.out.find("--attack must be one of h1-constant-factor"), std::string::npos) << unknown.out;
    const auto not_empty = run(fmt::format("generate --theft-scenario --out {}", dir_.string()));
    EXPECT_EQ(not_empty.exit_code, 1);
    EXPECT_NE(not_empty.out.find("not an earlier theft scenario"), std::string::npos) << not_empty.out;

    const std::string db = (dir_ / "h5.db").string();
    ASSERT_EQ(run(fmt::format("import --db {} {}", db, out.string())).exit_code, 0);
    {
        std::ofstream bad(dir_ / "bad_truth.csv");
        bad << "customer_id,attack,attacked_days,stolen_kwh\nC00010001,h1,3,1.5\nC00010002,h1,x3,\n";
    }
    const auto bad = run(fmt::format("eval --db {} --truth {}", db, (dir_ / "bad_truth.csv").string()));
    EXPECT_EQ(bad.exit_code, 1);
    EXPECT_NE(bad.out.find("bad_truth.csv:3:14: attacked_days: not a whole number of days 0 .. 100000 (x3)"),
              std::string::npos)
        << bad.out;
}

TEST_F(TheftEvalTest, AnSgccFileIsImportedWithItsFlagsAsTruth) {
    const fs::path out = dir_ / "scenario";
    const fs::path sgcc = dir_ / "sgcc.csv";
    const fs::path truth = dir_ / "sgcc_truth.csv";
    const std::string db = (dir_ / "sgcc.db").string();
    const auto generated =
        run(fmt::format("generate --theft-scenario --out {} --areas 2 --customers 50 --seed 77 --sgcc {}", out.string(),
                        sgcc.string()));
    ASSERT_EQ(generated.exit_code, 0) << generated.out;
    const auto imported =
        run(fmt::format("import --db {} --format sgcc {} --truth-out {}", db, sgcc.string(), truth.string()));
    ASSERT_EQ(imported.exit_code, 0) << imported.out;
    // The flags are the scenario's truth: the same customers, attack sgcc-flag.
    std::ifstream flags_file(truth), scenario_file(out / "theft_truth.csv");
    std::string line;
    std::vector<std::string> flagged, tampered;
    while (std::getline(flags_file, line)) flagged.push_back(line.substr(0, line.find(',')));
    while (std::getline(scenario_file, line)) tampered.push_back(line.substr(0, line.find(',')));
    EXPECT_EQ(flagged, tampered);
    const auto evaluated = run(fmt::format("eval --db {} --truth {} --json", db, truth.string()));
    ASSERT_EQ(evaluated.exit_code, 0) << evaluated.out;
    const auto json = nlohmann::json::parse(evaluated.out);
    EXPECT_EQ(json["customers"], 100);
    EXPECT_EQ(json["areas"], 1);  // 100 customers: one synthetic area of up to 200
    EXPECT_EQ(json["tampered"], flagged.size() - 1);
    EXPECT_EQ(json["truth_not_ranked"], 0);
    EXPECT_EQ(json["by_attack"][0]["attack"], "sgcc-flag");

    // A bad value refuses the whole file at its line and column, and nothing is stored.
    {
        std::ofstream bad(dir_ / "bad.csv");
        bad << "CONS_NO,FLAG,2014/1/2,2014/1/1\nA,0,1.5,2\nB,1,,x\n";
    }
    const std::string bad_db = (dir_ / "bad.db").string();
    const auto refused = run(fmt::format("import --db {} --format sgcc {}", bad_db, (dir_ / "bad.csv").string()));
    EXPECT_EQ(refused.exit_code, 1);
    EXPECT_NE(refused.out.find("bad.csv:3:6: 2014/1/1: not a decimal kWh 0 .. 1e7 (x)"), std::string::npos)
        << refused.out;
    const auto empty = run(fmt::format("suspects --db {}", bad_db));
    EXPECT_NE(empty.out.find("no area"), std::string::npos) << empty.out;
}

}  // namespace
}  // namespace gridaudit

namespace gridaudit {
namespace {

// The learned model through the binary: trained from a generated scenario's truth, stored as
// version 1 and listed with its summary; gridaudit suspects scores with it and every suspect's
// contributions sum to its margin; gridaudit eval reports it on folds by customer; a second
// training is version 2; an unknown version and a training without thieves are refused.
TEST_F(TheftEvalTest, AModelTrainedFromTheTruthIsStoredListedAndExplainsEverySuspect) {
    const fs::path out = dir_ / "scenario";
    const std::string db = (dir_ / "s.db").string();
    const std::string truth = (out / "theft_truth.csv").string();
    ASSERT_EQ(run(fmt::format("generate --theft-scenario --out {} --areas 4 --customers 40 --seed 77", out.string()))
                  .exit_code,
              0);
    ASSERT_EQ(run(fmt::format("import --db {} {}", db, out.string())).exit_code, 0);
    const auto empty = run(fmt::format("model list --db {}", db));
    EXPECT_EQ(empty.exit_code, 0);
    EXPECT_NE(empty.out.find("No suspect model yet"), std::string::npos) << empty.out;

    const auto trained = run(fmt::format("model train --db {} --truth {} --now 2026-12-08T05:00:00Z --rounds 50 --json",
                                         db, truth));
    ASSERT_EQ(trained.exit_code, 0) << trained.out;
    const auto model = nlohmann::json::parse(trained.out);
    EXPECT_EQ(model["version"], 1);
    EXPECT_EQ(model["source"], "truth");
    EXPECT_EQ(model["created_at"], "2026-12-08T05:00:00Z");
    EXPECT_EQ(model["summary"]["customers"], 160);
    EXPECT_GT(model["summary"]["positives"].get<int>(), 0);
    EXPECT_EQ(model["parameters"]["rounds"], 50);

    const auto listed = nlohmann::json::parse(run(fmt::format("model list --db {} --json", db)).out);
    ASSERT_EQ(listed["models"].size(), 1u);
    EXPECT_EQ(listed["models"][0]["summary"], model["summary"]);

    const auto ranked = run(fmt::format("suspects --db {} --top 0 --json", db));
    ASSERT_EQ(ranked.exit_code, 0) << ranked.out;
    const auto suspects = nlohmann::json::parse(ranked.out);
    EXPECT_EQ(suspects["model_version"], 1);
    std::size_t scored = 0;
    for (const auto& area : suspects["areas"]) {
        double previous = 1e9;
        for (const auto& s : area["suspects"]) {
            double sum = 0;
            for (const auto& [feature, value] : s["contributions"].items()) sum += value.get<double>();
            EXPECT_NEAR(sum, s["model_margin"].get<double>(), 1e-3) << s["customer_id"];
            EXPECT_LE(s["score"].get<double>(), previous);  // most suspect first
            previous = s["score"].get<double>();
            ++scored;
        }
    }
    EXPECT_EQ(scored, 160u);
    const auto without = nlohmann::json::parse(run(fmt::format("suspects --db {} --model none --json", db)).out);
    EXPECT_TRUE(without["model_version"].is_null());
    EXPECT_FALSE(without["areas"][0]["suspects"][0].contains("contributions"));
    const auto unknown = run(fmt::format("suspects --db {} --model 9", db));
    EXPECT_EQ(unknown.exit_code, 1);
    EXPECT_NE(unknown.out.find("no suspect model version 9"), std::string::npos) << unknown.out;

    const auto evaluated = run(fmt::format("eval --db {} --truth {} --folds 4 --json", db, truth));
    ASSERT_EQ(evaluated.exit_code, 0) << evaluated.out;
    const auto e = nlohmann::json::parse(evaluated.out);
    EXPECT_EQ(e["learned_model"]["folds"], 4);
    EXPECT_EQ(e["learned_model"]["customers"], 160);
    EXPECT_EQ(e["learned_model"]["tampered"], e["tampered"]);
    EXPECT_TRUE(e["learned_model"]["auc"].is_number());
    EXPECT_TRUE(nlohmann::json::parse(run(fmt::format("eval --db {} --truth {} --folds 0 --json", db, truth)).out)
                    ["learned_model"].is_null());

    EXPECT_EQ(nlohmann::json::parse(run(fmt::format("model train --db {} --truth {} --rounds 20 --json", db, truth)).out)
                  ["version"],
              2);
    // A truth file naming no customer of the store: no thief to learn from.
    const fs::path none = dir_ / "none.csv";
    std::ofstream(none) << "customer_id,attack,attacked_days,stolen_kwh\nNOBODY,h1-constant-factor,3,1.0\n";
    const auto refused = run(fmt::format("model train --db {} --truth {}", db, none.string()));
    EXPECT_EQ(refused.exit_code, 1);
    EXPECT_NE(refused.out.find("training needs both"), std::string::npos) << refused.out;
}

}  // namespace
}  // namespace gridaudit
