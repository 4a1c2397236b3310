// The LOSS rules on a generated utility, scored against its truth.csv: recall of the areas with
// injected balance anomalies, and whether the injected customers rank in the top 3 of their area.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "analysis/loss_table.hpp"
#include "audit/truth_score.hpp"
#include "frame/frame_loader.hpp"
#include "generator/synthetic_utility.hpp"
#include "ingest/import_folder.hpp"
#include "rules/catalogue.hpp"
#include "rules/loss/loss_rules.hpp"

namespace gridaudit {
namespace {

class GeneratedUtilityLossTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        if (auto ready = prepare(); !ready) setup_error_ = ready.error().message();
    }
    // A failure here fails every test in SetUp (an assertion in SetUpTestSuite would only mark them
    // skipped, which ctest counts as passing).
    void SetUp() override { ASSERT_EQ(setup_error_, "") << "the suite's setup failed"; }
    static Status prepare() {
        root_ = std::filesystem::temp_directory_path() / ("gridaudit-loss-" + std::to_string(::getpid()));
        std::filesystem::remove_all(root_);
        GeneratorOptions options;
        options.out = root_ / "export";
        options.customers = 3000;
        options.days = 180;
        options.seed = 5;
        GA_TRY(generate_utility(options));
        GA_ASSIGN_OR_RETURN(store_, Store::open((root_ / "loss.db").string()));
        GA_TRY(import_folder(*store_, root_ / "export", ImportFolderOptions{}));
        GA_ASSIGN_OR_RETURN(frames_, load_region_frames(*store_, FrameOptions{}));
        GA_ASSIGN_OR_RETURN(truth_, read_truth(root_ / "export" / "truth.csv"));
        add_loss_rules(catalogue_);
        for (const auto& frame : frames_) {
            const RuleContext context{frame, CivilDate::from_ymd(2026, 10, 31), std::nullopt};
            for (const auto& rule : catalogue_.rules())
                rule->evaluate(context, RuleSettings(rule->info(), Policy()), findings_);
        }
        return {};
    }
    static void TearDownTestSuite() {
        store_.reset();
        frames_.clear();
        std::filesystem::remove_all(root_);
    }

    // Customer id -> recorded area id, meter id -> customer id or node id.
    static std::map<std::string, std::string> node_of_customer() {
        std::map<std::string, std::string> node;
        for (const auto& frame : frames_)
            for (std::size_t c = 0; c < frame.customers.size(); ++c)
                node[frame.customers.id[c]] = frame.network.id[frame.customers.node[c].value()];
        return node;
    }
    static std::map<std::string, std::string> customer_of_meter() {
        std::map<std::string, std::string> customer;
        for (const auto& frame : frames_)
            for (std::size_t m = 0; m < frame.meters.size(); ++m)
                customer[frame.meters.id[m]] = frame.meters.is_gateway[m]
                                                   ? frame.network.id[frame.meters.node[m].value()]
                                                   : frame.customers.id[frame.meters.customer[m].value()];
        return customer;
    }

    static inline std::string setup_error_;
    static inline std::filesystem::path root_;
    static inline std::unique_ptr<Store> store_;
    static inline std::vector<RegionFrame> frames_;
    static inline std::vector<TruthRecord> truth_;
    static inline Catalogue catalogue_;
    static inline std::vector<Finding> findings_;
};

TEST_F(GeneratedUtilityLossTest, AreasWithTheftOrStoppedMetersInTheLastMonthAreFound) {
    const auto node = node_of_customer();
    const auto customer = customer_of_meter();
    // Areas (or feeders) where a theft or a stopped meter is ongoing at the last day.
    std::set<std::string> injected;
    for (const auto& t : truth_) {
        if ((t.anomaly != "theft_bypass" && t.anomaly != "meter_stopped") || !t.end.empty()) continue;
        const std::string id = t.subject_kind == "meter" ? customer.at(t.subject_id) : t.subject_id;
        injected.insert(node.at(id));
    }
    std::set<std::string> flagged;
    for (const auto& f : findings_)
        if (f.rule_id == "LOSS-AREA-HIGH" || f.rule_id == "LOSS-FEEDER-HIGH") flagged.insert(f.subject_id);
    std::size_t found = 0;
    for (const auto& id : injected) found += flagged.contains(id);
    ASSERT_GT(injected.size(), 5u);
    const double recall = static_cast<double>(found) / static_cast<double>(injected.size());
    RecordProperty("abnormal_area_recall", std::to_string(recall));
    std::printf("abnormal nodes: %zu of %zu with ongoing theft/stopped meters flagged (recall %.2f); %zu flagged\n",
                found, injected.size(), recall, flagged.size());
    // Measured 0.90 with seed 5 (docs/loss.md).
    EXPECT_GE(recall, 0.8);
}

TEST_F(GeneratedUtilityLossTest, InjectedCustomersRankInTheTopThreeOfTheirArea) {
    const auto node = node_of_customer();
    const auto customer = customer_of_meter();
    std::set<std::string> flagged_nodes, suspects;
    for (const auto& f : findings_) {
        if (f.rule_id == "LOSS-AREA-HIGH" || f.rule_id == "LOSS-FEEDER-HIGH") flagged_nodes.insert(f.subject_id);
        // Only the top 3 of an area's ranking count here (LOSS-SUSPECT may report more).
        if (f.rule_id == "LOSS-SUSPECT" && nlohmann::json::parse(f.evidence_json).at("rank").get<int>() <= 3)
            suspects.insert(f.subject_id);
    }
    // Culprits (LOSS-SUSPECT's truth kinds) ongoing at the last day in an area the balance flagged.
    std::size_t culprits = 0, hits = 0;
    for (const auto& t : truth_) {
        if ((t.anomaly != "theft_bypass" && t.anomaly != "meter_stopped" && t.anomaly != "meter_reversed") ||
            !t.end.empty())
            continue;
        const std::string id = t.subject_kind == "meter" ? customer.at(t.subject_id) : t.subject_id;
        if (!flagged_nodes.contains(node.at(id))) continue;
        ++culprits;
        hits += suspects.contains(id);
    }
    ASSERT_GT(culprits, 3u);
    // An area can hold more culprits than the three reported: count the slots that could be hit.
    std::map<std::string, std::size_t> culprits_per_node, hits_per_node;
    for (const auto& t : truth_) {
        if ((t.anomaly != "theft_bypass" && t.anomaly != "meter_stopped" && t.anomaly != "meter_reversed") ||
            !t.end.empty())
            continue;
        const std::string id = t.subject_kind == "meter" ? customer.at(t.subject_id) : t.subject_id;
        if (!flagged_nodes.contains(node.at(id))) continue;
        ++culprits_per_node[node.at(id)];
        hits_per_node[node.at(id)] += suspects.contains(id);
    }
    std::size_t slots = 0;
    for (const auto& [id, count] : culprits_per_node) {
        slots += std::min<std::size_t>(3, count);
        std::printf("  %s: %zu culprits, %zu in the top 3\n", id.c_str(), count, hits_per_node[id]);
    }
    const double hit_rate = static_cast<double>(hits) / static_cast<double>(slots);
    std::printf("culprits in the top 3 of their flagged area: %zu of %zu culprits, %zu reachable slots (%.2f); "
                "%zu suspects reported\n", hits, culprits, slots, hit_rate, suspects.size());
    // The demo's measure (audit/truth_score.hpp) counts the same way.
    const auto score = score_culprits(*store_, findings_, truth_);
    ASSERT_TRUE(score) << score.error().message();
    EXPECT_EQ(score->culprits, culprits);
    EXPECT_EQ(score->slots, slots);
    EXPECT_EQ(score->top_three_hits, hits);
    // Measured 0.83 with seed 5 since the loss decomposition (0.64 with the one-by-one ranking before it;
    // docs/loss.md); the floor guards against regressions.
    EXPECT_GE(hit_rate, 0.75);
}

TEST_F(GeneratedUtilityLossTest, ScoresAgainstTruthPerRule) {
    std::vector<std::string> rules_run;
    for (const auto& rule : catalogue_.rules()) rules_run.push_back(rule->info().id);
    const auto scores = score_against_truth(*store_, catalogue_, rules_run, findings_, truth_);
    ASSERT_TRUE(scores) << scores.error().message();
    std::map<std::string, RuleScore> by_rule;
    for (const auto& score : *scores) {
        by_rule[score.rule_id] = score;
        std::printf("%-20s truth %zu found %zu recall %.2f precision %.2f\n", score.rule_id.c_str(),
                    score.truth_subjects, score.found_subjects, score.recall(), score.precision());
    }
    ASSERT_TRUE(by_rule.contains("LOSS-SUSPECT"));
    ASSERT_TRUE(by_rule.contains("LOSS-TOPOLOGY"));
    // Measured 0.67 / 1.00 with seed 5 (0.61 / 0.94 and 0.65 / 0.85 with seeds 7 and 11).
    EXPECT_GE(by_rule["LOSS-SUSPECT"].recall(), 0.6);
    EXPECT_GE(by_rule["LOSS-SUSPECT"].precision(), 0.9);
    // Node rules are scored against the generator's abnormal nodes (generator/loss_anomaly_plan.hpp):
    // measured 10 of 10 high and 4 of 4 negative areas with seed 5, precision 1.
    ASSERT_TRUE(by_rule.contains("LOSS-AREA-HIGH"));
    ASSERT_TRUE(by_rule.contains("LOSS-AREA-NEGATIVE"));
    EXPECT_GE(by_rule["LOSS-AREA-HIGH"].recall(), 0.9);
    EXPECT_GE(by_rule["LOSS-AREA-HIGH"].precision(), 0.9);
    EXPECT_GE(by_rule["LOSS-AREA-NEGATIVE"].recall(), 0.75);
    EXPECT_GE(by_rule["LOSS-AREA-NEGATIVE"].precision(), 0.9);
    // Wrong areas by the outages their meters saw, wrong multipliers fitted jointly: measured 25 of 27
    // (0.93), precision 1.
    EXPECT_GE(by_rule["LOSS-TOPOLOGY"].recall(), 0.8);
    EXPECT_GE(by_rule["LOSS-TOPOLOGY"].precision(), 0.95);
}

TEST_F(GeneratedUtilityLossTest, UnbalancedBusesAreFoundWithBothSidesAsEvidence) {
    std::set<std::string> injected, flagged;
    for (const auto& t : truth_)
        if (t.anomaly == "bus_unbalance") injected.insert(t.subject_id);
    std::size_t buses = 0;
    std::map<std::string, std::string> gateway_of_node;
    for (const auto& frame : frames_) {
        for (const auto kind : frame.network.kind) buses += kind == NodeKind::bus;
        for (std::size_t m = 0; m < frame.meters.size(); ++m)
            if (frame.meters.is_gateway[m]) gateway_of_node[frame.network.id[frame.meters.node[m].value()]] = frame.meters.id[m];
    }
    ASSERT_GE(injected.size(), 1u);
    ASSERT_GT(buses, injected.size()) << "a clean bus is needed to show precision";
    for (const auto& f : findings_) {
        if (f.rule_id != "LOSS-BUS-UNBALANCE") continue;
        flagged.insert(f.subject_id);
        const auto evidence = nlohmann::json::parse(f.evidence_json);
        const double input = evidence.at("input_kwh").get<double>();
        const double output = evidence.at("output_kwh").get<double>();
        const double difference = evidence.at("difference_kwh").get<double>();
        EXPECT_NEAR(difference, input - output, 0.02) << f.subject_id;
        EXPECT_NEAR(evidence.at("unbalance_rate").get<double>(), difference / input, 1e-4) << f.subject_id;
        EXPECT_GT(std::abs(evidence.at("unbalance_rate").get<double>()), 0.02) << f.subject_id;
        EXPECT_EQ(evidence.at("month"), "2026-10");
        EXPECT_EQ(f.period, "2026-10");
        ASSERT_TRUE(f.kwh_at_risk);
        EXPECT_NEAR(*f.kwh_at_risk, std::abs(difference), 0.02);
        // The input is the bus's gateway; the output its feeders' gateways, which add up to it.
        ASSERT_EQ(evidence.at("input_meters").size(), 1u);
        EXPECT_EQ(evidence.at("input_meters")[0].at("meter"), gateway_of_node.at(f.subject_id));
        double feeders = 0;
        for (const auto& side : evidence.at("output_meters")) {
            EXPECT_EQ(side.at("meter"), gateway_of_node.at(side.at("node").get<std::string>()));
            feeders += side.at("kwh").get<double>();
        }
        EXPECT_GE(evidence.at("output_meters").size(), 1u);
        EXPECT_NEAR(feeders + evidence.at("customer_output_kwh").get<double>(), output, 0.05) << f.subject_id;
    }
    std::printf("unbalanced buses: %zu injected, %zu flagged of %zu buses\n", injected.size(), flagged.size(), buses);
    EXPECT_EQ(flagged, injected);
}

TEST_F(GeneratedUtilityLossTest, MonthlyTableCarriesRevenueAveragePriceAndMargin) {
    // A substation's billed kWh and revenue are those of every bill of its region that month.
    const Period month = *Period::parse("2026-09");
    double region_kwh = 0, table_kwh = 0, table_revenue = 0;
    for (const auto& frame : frames_) {
        for (std::size_t b = 0; b < frame.bills.size(); ++b)
            if (frame.bills.period[b] == month) region_kwh += frame.bills.kwh_total[b];
        const auto analysis = analyse_loss(frame, LossThresholds{});
        ASSERT_TRUE(analysis);
        for (const auto& row : loss_table(frame, *analysis, BalanceLevel::substation, month, 0.45)) {
            table_kwh += row.billed_kwh;
            table_revenue += row.revenue;
            EXPECT_NEAR(row.average_price, row.revenue / row.billed_kwh, 1e-9);
            EXPECT_NEAR(row.purchase_cost, row.supply_kwh * 0.45, 1e-6);
            EXPECT_NEAR(row.margin, row.revenue - row.purchase_cost, 1e-6);
            // Revenue per kWh lies between the cheapest and dearest synthetic prices.
            EXPECT_GT(row.average_price, 0.3);
            EXPECT_LT(row.average_price, 1.5);
        }
    }
    ASSERT_GT(region_kwh, 0.0);
    EXPECT_NEAR(table_kwh, region_kwh, 1e-6 * region_kwh);
    // The category table adds up to the same kWh and revenue.
    double category_kwh = 0, category_revenue = 0;
    for (const auto& row : selling_price_by_category(frames_, month)) {
        category_kwh += row.billed_kwh;
        category_revenue += row.revenue;
        EXPECT_EQ(row.month, "2026-09");
    }
    EXPECT_NEAR(category_kwh, region_kwh, 1e-6 * region_kwh);
    EXPECT_NEAR(category_revenue, table_revenue, 1e-6 * table_revenue);
}

TEST_F(GeneratedUtilityLossTest, MonthlyTableCoversEveryNodeOfALevel) {
    std::size_t areas = 0, rows = 0, qualified = 0, substations = 0, with_month_change = 0;
    for (const auto& frame : frames_) {
        for (const auto kind : frame.network.kind) areas += kind == NodeKind::area;
        const auto analysis = analyse_loss(frame, LossThresholds{});
        ASSERT_TRUE(analysis);
        const auto table = loss_table(frame, *analysis, BalanceLevel::area, Period::parse("2026-10"), 0.4);
        rows += table.size();
        for (const auto& row : table) {
            EXPECT_EQ(row.month, "2026-10");
            qualified += row.loss_class == "qualified";
            if (row.loss_class != "not_computable") {
                EXPECT_NEAR(row.loss_kwh, row.supply_kwh - row.sales_kwh, 1e-6);
                EXPECT_NEAR(row.loss_cost, row.loss_kwh * 0.4, 1e-6);
                with_month_change += std::isfinite(row.rate_change_month);
                EXPECT_FALSE(std::isfinite(row.rate_change_year)) << "180 days of data have no month a year earlier";
            }
        }
        const auto top = loss_table(frame, *analysis, BalanceLevel::substation, std::nullopt, 0);
        substations += top.size();
        for (const auto& row : top) {
            // The generator grosses the substation up by 0.5-1.5 % over its buses.
            EXPECT_EQ(row.loss_class, "qualified") << row.node_id;
            EXPECT_GT(row.loss_rate, 0.0);
            EXPECT_LT(row.loss_rate, 0.03);
        }
        EXPECT_TRUE(loss_table(frame, *analysis, BalanceLevel::area, Period::parse("2020-01"), 0).empty());
    }
    EXPECT_EQ(rows, areas);
    EXPECT_EQ(substations, frames_.size());
    // Half of the areas are problem areas; most of the others must come out qualified.
    EXPECT_GE(qualified, areas / 3);
    // September is computable for most areas too (a gateway gap can make a month not computable).
    EXPECT_GE(with_month_change, rows / 2);
    const auto analysis = analyse_loss(frames_[0], LossThresholds{});
    const auto table = loss_table(frames_[0], *analysis, BalanceLevel::feeder, std::nullopt, 0);
    const auto json = loss_table_json(table);
    ASSERT_EQ(json.size(), table.size());
    ASSERT_FALSE(table.empty());
    EXPECT_EQ(json[0]["node"], table[0].node_id);
    EXPECT_EQ(json[0]["level"], "feeder");
}

}  // namespace
}  // namespace gridaudit
