// The suspect ranking (analysis/suspect_ranking.hpp) on handmade areas and evaluated on the
// generator's interval theft scenario (generator/theft_scenario.hpp): the top-5-per-area hit
// rate and the ROC AUC over all customers, on seeds held back while the ranking was developed.
#include "analysis/suspect_ranking.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "analysis/suspect_model.hpp"
#include "generator/theft_scenario.hpp"

namespace gridaudit {
namespace {

// Seeds the ranking was developed and tuned on; the evaluation below uses others only.
constexpr std::array<std::uint64_t, 3> tuning_seeds = {101, 102, 103};
// (7001-7004 were run once, before the last change of the daily score, and are not used. The
// held-back seeds' test ran once by accident on an intermediate version of the day signals,
// 0.560 in the top 5; nothing was tuned on it, and the figures below are the frozen version's.)
constexpr std::array<std::uint64_t, 4> held_back_seeds = {9001, 9002, 9003, 9004};

std::vector<std::uint8_t> weekend_days(CivilDate first_day, int days) {
    std::vector<std::uint8_t> type(static_cast<std::size_t>(days));
    for (int d = 0; d < days; ++d)
        type[static_cast<std::size_t>(d)] = (first_day + d).weekday_from_monday() >= 5 ? 1 : 0;
    return type;
}

// When set, every area's ranking is scored by this learned model (HeldBackSeedsWithTheLearnedModel).
const SuspectModel* learned_model = nullptr;

std::vector<SuspectScore> rank_area(const TheftScenario& scenario, const TheftArea& area,
                                    const std::vector<std::uint8_t>& day_type, std::vector<double>& supply_daily) {
    const auto days = static_cast<std::size_t>(scenario.days);
    supply_daily.assign(days, 0);
    for (std::size_t d = 0; d < days; ++d) {
        for (int i = 0; i < theft_intervals_per_day; ++i)
            supply_daily[d] += area.area_intervals[d * theft_intervals_per_day + static_cast<std::size_t>(i)];
    }
    SuspectAreaInput input;
    input.days = scenario.days;
    input.intervals_per_day = theft_intervals_per_day;
    input.supply_daily = supply_daily;
    input.supply_intervals = area.area_intervals;
    input.day_type = day_type;
    // Each customer's meter events weighed as the store's ranking weighs them.
    std::vector<std::vector<TamperEventRecord>> events(static_cast<std::size_t>(area.customers));
    for (const TheftEvent& e : area.events)
        events[static_cast<std::size_t>(e.customer)].push_back(
            {scenario.first_day + e.day, e.code, e.duration_s >= 0 ? static_cast<double>(e.duration_s) : std::nan("")});
    const bool no_events = std::getenv("SUSPECT_NO_EVENTS") != nullptr;
    for (int c = 0; c < area.customers; ++c) {
        const auto ci = static_cast<std::size_t>(c);
        input.customers.push_back({std::span<const double>(area.customer_daily).subspan(ci * days, days),
                                   std::span<const double>(area.customer_intervals[ci]),
                                   std::getenv("SUSPECT_NO_GROUPS") != nullptr ? std::uint8_t{0} : area.business[ci],
                                   no_events ? 0.0 : tamper_events_of(events[ci]).score});
    }
    std::vector<SuspectScore> ranking = rank_suspects(input);
    if (learned_model != nullptr) {
        const Status applied = apply_suspect_model(*learned_model, ranking, scenario.days);
        EXPECT_TRUE(applied.has_value()) << applied.error().message();
    }
    return ranking;
}

struct Evaluation {
    double auc = 0;
    double top5_hit_rate = 0;
    int tampered = 0;
    int customers = 0;
    std::map<std::string, std::pair<int, int>> top5_by_attack;  // hits, tampered
};

// A score other than the ranking's, to compare variants while developing (SUSPECT_DEBUG prints).
using ScoreOf = std::function<double(const SuspectScore&)>;

// `resolution` > 0: every interval reading rounded to it, as a register of that resolution gives them.
Evaluation evaluate(std::uint64_t seed, const ScoreOf& score_of = {}, TheftScenarioOptions options = {},
                    double resolution = 0) {
    options.seed = seed;
    options.areas = 12;
    if (const char* share = std::getenv("SUSPECT_INTERVAL_SHARE")) options.interval_share = std::atof(share);
    TheftScenario scenario = generate_theft_scenario(options);
    if (resolution > 0) {
        const auto round = [resolution](double& v) { v = std::round(v / resolution) * resolution; };
        for (TheftArea& area : scenario.areas) {
            for (double& v : area.area_intervals) round(v);
            for (auto& series : area.customer_intervals) {
                for (double& v : series) round(v);
            }
        }
    }
    const auto day_type = weekend_days(scenario.first_day, scenario.days);
    std::vector<std::pair<double, bool>> all;
    Evaluation result;
    int hits = 0;
    std::vector<double> supply;
    for (const TheftArea& area : scenario.areas) {
        auto ranking = rank_area(scenario, area, day_type, supply);
        if (score_of) {
            for (SuspectScore& s : ranking) s.score = score_of(s);
            std::stable_sort(ranking.begin(), ranking.end(),
                             [](const SuspectScore& a, const SuspectScore& b) { return a.score > b.score; });
        }
        for (std::size_t r = 0; r < ranking.size(); ++r) {
            const TheftTruth& truth = area.truth[ranking[r].customer];
            all.emplace_back(ranking[r].score, truth.tampered);
            if (!truth.tampered && r < 3 && std::getenv("SUSPECT_DEBUG_HONEST") != nullptr) {
                const SuspectScore& s = ranking[r];
                std::printf("  honest n=%3d iv=%d biz=%d rank=%zu rd=%.2f ra=%.2f sh=%.1f ad=%d ev=[%.1f %.1f %.1f %.1f %.1f "
                            "%.1f %.1f %.1f] score=%.2f\n",
                            area.customers, area.has_intervals[s.customer], area.business[s.customer], r,
                            s.daily_correlation, s.anomaly_loss_correlation, s.shape_evidence, s.anomalous_days,
                            s.evidence[0], s.evidence[1], s.evidence[2], s.evidence[3], s.evidence[4], s.evidence[5],
                            s.evidence[6], s.evidence[7], s.score);
                if (s.evidence[1] > 25) {
                    for (int d = 0; d < scenario.days; ++d)
                        std::printf(" %.1f", area.customer_daily[s.customer * static_cast<std::size_t>(scenario.days) + static_cast<std::size_t>(d)]);
                    std::printf("\n");
                }
            }
            if (!truth.tampered) continue;
            if (std::getenv("SUSPECT_DEBUG") != nullptr) {
                double total = 0;
                for (int d = 0; d < scenario.days; ++d)
                    total += area.customer_daily[ranking[r].customer * static_cast<std::size_t>(scenario.days) +
                                                 static_cast<std::size_t>(d)];
                const SuspectScore& s = ranking[r];
                std::printf(
                    "  %-20s n=%3d iv=%d biz=%d rank=%3zu rd=%.2f ri=%.2f ra=%.2f sh=%.1f ad=%d ev=[%.1f %.1f %.1f %.1f "
                    "%.1f %.1f %.1f %.1f] score=%.2f stolen=%.1f of %.1f days=%zu\n",
                    std::string(theft_attack_name(truth.attack)).c_str(), area.customers,
                    area.has_intervals[s.customer], area.business[s.customer], r, s.daily_correlation,
                    s.interval_correlation, s.anomaly_loss_correlation, s.shape_evidence, s.anomalous_days,
                    s.evidence[0], s.evidence[1], s.evidence[2], s.evidence[3], s.evidence[4], s.evidence[5],
                    s.evidence[6], s.evidence[7], s.score, truth.unmetered_kwh, total + truth.unmetered_kwh,
                    truth.days.size());
            }
            auto& [attack_hits, attack_total] = result.top5_by_attack[std::string(theft_attack_name(truth.attack))];
            ++attack_total;
            if (truth.left_events) {
                auto& [physical_hits, physical_total] = result.top5_by_attack["(physical, left events)"];
                ++physical_total;
                physical_hits += r < 5 ? 1 : 0;
            }
            ++result.tampered;
            if (r < 5) {
                ++hits;
                ++attack_hits;
            }
        }
        result.customers += area.customers;
    }
    // AUC: the probability that a tampered customer outscores an honest one (ties count half).
    std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    double rank_sum = 0;
    std::size_t positives = 0;
    for (std::size_t i = 0; i < all.size();) {
        std::size_t j = i;
        while (j < all.size() && all[j].first == all[i].first) ++j;
        const double mid_rank = (static_cast<double>(i) + static_cast<double>(j) + 1) / 2;
        for (std::size_t k = i; k < j; ++k) {
            if (all[k].second) {
                rank_sum += mid_rank;
                ++positives;
            }
        }
        i = j;
    }
    const double negatives = static_cast<double>(all.size() - positives);
    result.auc = (rank_sum - static_cast<double>(positives) * (static_cast<double>(positives) + 1) / 2) /
                 (static_cast<double>(positives) * negatives);
    result.top5_hit_rate = static_cast<double>(hits) / static_cast<double>(result.tampered);
    return result;
}

void print(const char* label, std::uint64_t seed, const Evaluation& e) {
    std::printf("%s seed %llu: %d customers, %d tampered, top-5 hit rate %.3f, AUC %.4f\n", label,
                static_cast<unsigned long long>(seed), e.customers, e.tampered, e.top5_hit_rate, e.auc);
    for (const auto& [attack, counts] : e.top5_by_attack) {
        std::printf("  %-20s %d / %d in the top 5\n", attack.c_str(), counts.first, counts.second);
    }
}

// A handmade area: 40 customers, 30 days, a holiday week (days 10-16) when everyone uses half,
// a 4 % technical loss, and customer 7 metering 40 % of its use on six days.
TEST(SuspectRankingTest, AHolidayMovesEveryoneAndScoresNoOneTheThiefDoes) {
    constexpr int days = 30;
    constexpr int customers = 40;
    std::vector<double> daily(static_cast<std::size_t>(customers * days));
    std::vector<double> supply(days, 0.0);
    std::uint64_t state = 12345;
    const auto noise = [&state] {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<double>(state >> 11) * 0x1.0p-53 - 0.5;
    };
    const std::array<int, 6> theft_days = {3, 5, 8, 20, 22, 25};
    for (int c = 0; c < customers; ++c) {
        const double level = 4.0 + c % 9;
        for (int d = 0; d < days; ++d) {
            const double holiday = d >= 10 && d <= 16 ? 0.5 : 1.0;
            const double used = level * holiday * (1 + 0.1 * noise());
            const bool stolen = c == 7 && std::find(theft_days.begin(), theft_days.end(), d) != theft_days.end();
            daily[static_cast<std::size_t>(c * days + d)] = stolen ? 0.4 * used : used;
            supply[static_cast<std::size_t>(d)] += used / 0.96;
        }
    }
    const std::vector<std::uint8_t> day_type(days, 0);
    SuspectAreaInput input;
    input.days = days;
    input.supply_daily = supply;
    input.day_type = day_type;
    for (int c = 0; c < customers; ++c) {
        input.customers.push_back(
            {std::span<const double>(daily).subspan(static_cast<std::size_t>(c * days), days), {}});
    }
    const auto ranking = rank_suspects(input);
    ASSERT_EQ(ranking.size(), static_cast<std::size_t>(customers));
    EXPECT_EQ(ranking[0].customer, 7u);
    EXPECT_GT(ranking[0].daily_correlation, 0.9);
    EXPECT_EQ(ranking[0].first_day, 3);
    EXPECT_EQ(ranking[0].deficit_days, 6);
    // What it failed to meter: 60 % of about 11 kWh (its level) on six days.
    EXPECT_NEAR(ranking[0].unmetered_kwh, 6 * 0.6 * 11.0, 4.0);
    EXPECT_GT(ranking[0].loss_share, 0.8);
    // The holiday week: no honest customer's deficit follows the loss.
    for (std::size_t r = 1; r < ranking.size(); ++r)
        EXPECT_LT(ranking[r].daily_correlation, 0.6) << ranking[r].customer;
}

// How much signal the scenario's balance holds (printed for docs/suspects.md): per area the loss
// as a share of supply; per tampered customer its share of the area's loss and the kWh it stole
// on an attacked day against the day-to-day noise of the technical loss (0.3 % of the supply).
TEST(SuspectRankingTest, TheScenarioHoldsALossSignal) {
    std::vector<double> loss_shares, theft_shares, snr;
    for (std::uint64_t seed : tuning_seeds) {
        TheftScenarioOptions options;
        options.seed = seed;
        options.areas = 12;
        const TheftScenario scenario = generate_theft_scenario(options);
        for (const TheftArea& area : scenario.areas) {
            double supply = 0, sales = 0;
            for (double v : area.area_intervals) supply += v;
            for (double v : area.customer_daily) sales += v;
            loss_shares.push_back((supply - sales) / supply);
            for (const TheftTruth& truth : area.truth) {
                if (!truth.tampered) continue;
                theft_shares.push_back(truth.unmetered_kwh / (supply - sales));
                snr.push_back(truth.unmetered_kwh / static_cast<double>(truth.days.size()) /
                              (0.003 * supply / scenario.days));
            }
        }
    }
    const auto median = [](std::vector<double> v) {
        std::sort(v.begin(), v.end());
        return v[v.size() / 2];
    };
    const auto share_above = [](const std::vector<double>& v, double x) {
        return static_cast<double>(std::count_if(v.begin(), v.end(), [x](double y) { return y > x; })) /
               static_cast<double>(v.size());
    };
    std::printf("areas' loss: median %.2f %%, %.2f-%.2f %%; a thief's share of its area's loss: median %.3f; stolen "
                "per attacked day / technical-loss noise: median %.2f, above 1 for %.0f %% of thieves\n",
                100 * median(loss_shares), 100 * *std::min_element(loss_shares.begin(), loss_shares.end()),
                100 * *std::max_element(loss_shares.begin(), loss_shares.end()), median(theft_shares), median(snr),
                100 * share_above(snr, 1));
    // The loss is there (technical 2.3-5.7 % plus theft) and every thief adds to it.
    EXPECT_GT(median(loss_shares), 0.02);
    EXPECT_GT(*std::min_element(theft_shares.begin(), theft_shares.end()), -1e-9);
}

// A handmade interval area: 40 customers with half-hours, 30 days, each customer its own noisy
// evening-peaked profile; customer 5 flattens its day (keeping its energy, so the daily balance
// cannot see it) on eight days from day 4, customer 9 zeroes 08:00-14:00 on six days from day 10.
TEST(SuspectRankingTest, FlattenedAndZeroedDaysRankFirstWithTheirReasons) {
    constexpr int days = 30;
    constexpr int customers = 40;
    constexpr int per_day = 48;
    std::uint64_t state = 777;
    const auto noise = [&state] {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<double>(state >> 11) * 0x1.0p-53 - 0.5;
    };
    const std::array<int, 8> flat_days = {4, 6, 9, 13, 17, 20, 24, 27};
    const std::array<int, 6> zero_days = {10, 12, 15, 19, 23, 26};
    std::vector<std::vector<double>> intervals(customers, std::vector<double>(days * per_day));
    std::vector<double> daily(static_cast<std::size_t>(customers * days));
    std::vector<double> supply_intervals(days * per_day, 0.0);
    for (int c = 0; c < customers; ++c) {
        const double peak = 19.0 + c % 4;
        for (int d = 0; d < days; ++d) {
            double* day = intervals[static_cast<std::size_t>(c)].data() + d * per_day;
            double sum = 0;
            const double level = 1 + 0.3 * noise();
            for (int i = 0; i < per_day; ++i) {
                const double hour = i / 2.0;
                day[i] = level * (0.1 + 0.3 * std::exp(-(hour - peak) * (hour - peak) / 6)) * (1 + 0.6 * noise());
                supply_intervals[static_cast<std::size_t>(d * per_day + i)] += day[i] / 0.96;
                sum += day[i];
            }
            if (c == 5 && std::find(flat_days.begin(), flat_days.end(), d) != flat_days.end())
                std::fill(day, day + per_day, sum / per_day);
            if (c == 9 && std::find(zero_days.begin(), zero_days.end(), d) != zero_days.end())
                std::fill(day + 16, day + 28, 0.0);
            double metered = 0;
            for (int i = 0; i < per_day; ++i) metered += day[i];
            daily[static_cast<std::size_t>(c * days + d)] = metered;
        }
    }
    std::vector<double> supply(days, 0.0);
    for (int d = 0; d < days; ++d) {
        for (int i = 0; i < per_day; ++i)
            supply[static_cast<std::size_t>(d)] += supply_intervals[static_cast<std::size_t>(d * per_day + i)];
    }
    const std::vector<std::uint8_t> day_type(days, 0);
    SuspectAreaInput input;
    input.days = days;
    input.intervals_per_day = per_day;
    input.supply_daily = supply;
    input.supply_intervals = supply_intervals;
    input.day_type = day_type;
    for (int c = 0; c < customers; ++c) {
        input.customers.push_back({std::span<const double>(daily).subspan(static_cast<std::size_t>(c * days), days),
                                   intervals[static_cast<std::size_t>(c)]});
    }
    const auto ranking = rank_suspects(input);
    ASSERT_EQ(ranking.size(), static_cast<std::size_t>(customers));
    const auto find = [&ranking](std::uint32_t customer) {
        return std::find_if(ranking.begin(), ranking.end(),
                            [customer](const SuspectScore& s) { return s.customer == customer; });
    };
    const auto flattened = find(5);
    const auto zeroed = find(9);
    EXPECT_LT(flattened - ranking.begin(), 2);
    EXPECT_LT(zeroed - ranking.begin(), 2);
    // Each flattened day and each 6-hour zero window counts the cap (8) less the threshold (2.5).
    EXPECT_EQ(flattened->reason, SuspectSignal::flat_day);
    EXPECT_DOUBLE_EQ(flattened->evidence[static_cast<std::size_t>(SuspectSignal::flat_day)], 8 * 5.5);
    EXPECT_GE(flattened->anomalous_days, 8);
    EXPECT_LE(flattened->first_anomalous_day, 4);
    EXPECT_EQ(zeroed->reason, SuspectSignal::zero_intervals);
    EXPECT_DOUBLE_EQ(zeroed->evidence[static_cast<std::size_t>(SuspectSignal::zero_intervals)], 6 * 5.5);
    EXPECT_LE(zeroed->first_anomalous_day, 10);
    // The honest customers: no day's shape is flat or has a zero window.
    for (const SuspectScore& s : ranking) {
        if (s.customer == 5 || s.customer == 9) continue;
        EXPECT_EQ(s.evidence[static_cast<std::size_t>(SuspectSignal::flat_day)], 0) << s.customer;
        EXPECT_EQ(s.evidence[static_cast<std::size_t>(SuspectSignal::zero_intervals)], 0) << s.customer;
        EXPECT_LT(s.score, flattened->score) << s.customer;
    }
}

TEST(SuspectRankingTest, TuningSeedsFigures) {
    for (std::uint64_t seed : tuning_seeds) print("tuning", seed, evaluate(seed));
}

TEST(SuspectRankingTest, HeldBackSeedsReachTheMeasuredRates) {
    std::map<std::string, std::pair<int, int>> by_attack;
    int hits = 0;
    int tampered = 0;
    double worst_auc = 1;
    for (std::uint64_t seed : held_back_seeds) {
        const Evaluation e = evaluate(seed);
        print("held back", seed, e);
        worst_auc = std::min(worst_auc, e.auc);
        hits += static_cast<int>(std::lround(e.top5_hit_rate * e.tampered));
        tampered += e.tampered;
        for (const auto& [attack, counts] : e.top5_by_attack) {
            by_attack[attack].first += counts.first;
            by_attack[attack].second += counts.second;
        }
    }
    std::printf("held back overall: top-5 hit rate %.3f (%d / %d), worst AUC %.4f\n",
                static_cast<double>(hits) / tampered, hits, tampered, worst_auc);
    for (const auto& [attack, counts] : by_attack) {
        std::printf("  %-20s %d / %d in the top 5\n", attack.c_str(), counts.first, counts.second);
    }
    // Measured when the frozen ranking was run on them (2026-12-08): top-5 hit rate 0.610
    // (97 / 159), AUC 0.79, 0.84, 0.84, 0.79 per seed (the daily-loss ranking before it: 0.182 and
    // 0.60-0.71). With the scenario's meter events weighed (a third of the thieves tamper
    // physically and leave events; SUSPECT_NO_EVENTS=1 leaves them out): 0.698 (111 / 159), AUC
    // 0.84, 0.86, 0.91, 0.86. Below issue 15's targets (0.80 and 0.95); these bounds guard the
    // level without events, well above chance (about 5 / 130 = 0.04 in the top 5, AUC 0.5).
    EXPECT_GE(static_cast<double>(hits) / tampered, 0.58);
    EXPECT_GE(worst_auc, 0.76);
}

// The learned model (analysis/suspect_model.hpp) trained on the tuning seeds' customers only
// (features of the ranking, labels of the scenario's truth) and run on the held-back seeds.
TEST(SuspectRankingTest, HeldBackSeedsWithTheLearnedModel) {
    std::vector<float> features, labels;
    for (std::uint64_t seed : tuning_seeds) {
        TheftScenarioOptions options;
        options.seed = seed;
        options.areas = 12;
        const TheftScenario scenario = generate_theft_scenario(options);
        const auto day_type = weekend_days(scenario.first_day, scenario.days);
        std::vector<double> supply;
        for (const TheftArea& area : scenario.areas) {
            for (const SuspectScore& s : rank_area(scenario, area, day_type, supply)) {
                const auto f = suspect_features(s, scenario.days);
                features.insert(features.end(), f.begin(), f.end());
                labels.push_back(area.truth[s.customer].tampered ? 1.0f : 0.0f);
            }
        }
    }
    const auto model = SuspectModel::train(features, labels, SuspectModelParameters{});
    ASSERT_TRUE(model.has_value()) << model.error().message();
    learned_model = &*model;
    int hits = 0, tampered = 0;
    double worst_auc = 1;
    std::map<std::string, std::pair<int, int>> by_attack;
    for (std::uint64_t seed : held_back_seeds) {
        const Evaluation e = evaluate(seed);
        print("held back, learned model", seed, e);
        worst_auc = std::min(worst_auc, e.auc);
        hits += static_cast<int>(std::lround(e.top5_hit_rate * e.tampered));
        tampered += e.tampered;
        for (const auto& [attack, counts] : e.top5_by_attack) {
            by_attack[attack].first += counts.first;
            by_attack[attack].second += counts.second;
        }
    }
    learned_model = nullptr;
    std::printf("held back, learned model, overall: top-5 hit rate %.3f (%d / %d), worst AUC %.4f\n",
                static_cast<double>(hits) / tampered, hits, tampered, worst_auc);
    for (const auto& [attack, counts] : by_attack)
        std::printf("  %-24s %d / %d in the top 5\n", attack.c_str(), counts.first, counts.second);
    // Measured when first run (2026-12-08): top-5 0.736 (117 / 159), AUC 0.890, 0.901, 0.920, 0.872
    // per seed, against 0.698 (111 / 159) and 0.841-0.911 for the ranking alone on the same data.
    EXPECT_GE(static_cast<double>(hits) / tampered, 0.71);
    EXPECT_GE(worst_auc, 0.85);
}

}  // namespace
}  // namespace gridaudit

namespace gridaudit {
namespace {

// Shapes of area the ranking was not developed on (seeds 501-502, run after it was frozen):
// area sizes, shares of attacked days, customer mixes and interval shares other than the
// scenario's default, and readings rounded as a 0.01 kWh register gives them. Each asserts the level measured when first run (2026-12-08), less a margin.
TEST(SuspectRankingTest, OtherShapesOfAreaReachTheMeasuredRates) {
    struct Shape {
        const char* name;
        TheftScenarioOptions options;
        double measured_top5;
        double measured_auc;
        double resolution = 0;
    };
    const auto with = [](auto change) {
        TheftScenarioOptions options;
        change(options);
        return options;
    };
    const std::vector<Shape> shapes = {
        {"the scenario's default (for comparison)", TheftScenarioOptions{}, 0.534, 0.7349},
        {"small areas (30-50 customers)", with([](auto& o) { o.min_customers = 30, o.max_customers = 50; }), 0.644, 0.7634},
        {"large areas (250-300 customers)", with([](auto& o) { o.min_customers = 250, o.max_customers = 300; }), 0.658, 0.7938},
        {"few attacked days (10-30 %)", with([](auto& o) { o.min_day_share = 0.1, o.max_day_share = 0.3; }), 0.616, 0.8183},
        {"nearly every day attacked (90-100 %)", with([](auto& o) { o.min_day_share = 0.9, o.max_day_share = 1.0; }), 0.342, 0.5787},
        {"40 % small businesses", with([](auto& o) { o.business_share = 0.4; }), 0.521, 0.7513},
        {"every customer on interval meters", with([](auto& o) { o.interval_share = 1.0; }), 0.877, 0.9547},
        {"no customer on interval meters", with([](auto& o) { o.interval_share = 0.0; }), 0.479, 0.7468},
        {"interval readings rounded to 0.01 kWh", TheftScenarioOptions{}, 0.548, 0.7479, 0.01},
    };
    for (const Shape& shape : shapes) {
        int hits = 0, tampered = 0;
        double worst_auc = 1;
        std::map<std::string, std::pair<int, int>> by_attack;
        for (std::uint64_t seed : {501u, 502u}) {
            const Evaluation e = evaluate(seed, {}, shape.options, shape.resolution);
            hits += static_cast<int>(std::lround(e.top5_hit_rate * e.tampered));
            tampered += e.tampered;
            worst_auc = std::min(worst_auc, e.auc);
        }
        const double rate = static_cast<double>(hits) / tampered;
        std::printf("%-40s top-5 hit rate %.3f (%d / %d), worst AUC %.4f\n", shape.name, rate, hits, tampered,
                    worst_auc);
        EXPECT_GE(rate, shape.measured_top5 - 0.05) << shape.name;
        EXPECT_GE(worst_auc, shape.measured_auc - 0.03) << shape.name;
    }
}

}  // namespace
}  // namespace gridaudit
