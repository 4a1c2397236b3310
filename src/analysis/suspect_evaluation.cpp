// The ranking's evaluation measures (docs/suspects.md, "Evaluation"), ties averaged.
#include "analysis/suspect_evaluation.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace gridaudit {

namespace {

// A run of equal scores in a ranking sorted by score, most suspect first: places [begin, end).
struct TieGroup {
    std::size_t begin = 0;
    std::size_t end = 0;
    std::size_t tampered = 0;
};

// `order` indexes into `suspects`, sorted by score descending.
std::vector<TieGroup> tie_groups(std::span<const EvaluatedSuspect> suspects, std::span<const std::size_t> order) {
    std::vector<TieGroup> groups;
    for (std::size_t i = 0; i < order.size();) {
        TieGroup group{i, i, 0};
        while (group.end < order.size() && suspects[order[group.end]].score == suspects[order[i]].score) {
            if (suspects[order[group.end]].tampered) ++group.tampered;
            ++group.end;
        }
        groups.push_back(group);
        i = group.end;
    }
    return groups;
}

// The share of a group's members counted in the first `k` places.
double share_in_top(const TieGroup& group, std::size_t k) {
    if (k <= group.begin) return 0;
    if (k >= group.end) return 1;
    return static_cast<double>(k - group.begin) / static_cast<double>(group.end - group.begin);
}

std::vector<std::size_t> by_score(std::span<const EvaluatedSuspect> suspects, std::vector<std::size_t> order) {
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return suspects[a].score > suspects[b].score; });
    return order;
}

}  // namespace

SuspectEvaluation evaluate_suspects(std::span<const EvaluatedSuspect> suspects) {
    constexpr double nan = std::numeric_limits<double>::quiet_NaN();
    SuspectEvaluation result;
    result.customers = suspects.size();
    std::vector<std::size_t> all(suspects.size());
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
    for (const EvaluatedSuspect& s : suspects) result.tampered += s.tampered ? 1 : 0;
    const std::size_t honest = result.customers - result.tampered;

    const std::vector<std::size_t> pooled = by_score(suspects, all);
    const std::vector<TieGroup> groups = tie_groups(suspects, pooled);

    // AUC (Mann-Whitney): per tampered customer, the honest ones below it plus half the tied ones.
    if (result.tampered == 0 || honest == 0) {
        result.auc = nan;
    } else {
        double wins = 0;
        std::size_t honest_below = honest;
        for (const TieGroup& group : groups) {
            const std::size_t group_honest = (group.end - group.begin) - group.tampered;
            honest_below -= group_honest;
            wins += static_cast<double>(group.tampered) *
                    (static_cast<double>(honest_below) + 0.5 * static_cast<double>(group_honest));
        }
        result.auc = wins / (static_cast<double>(result.tampered) * static_cast<double>(honest));
    }

    for (const std::size_t k : {std::size_t{50}, std::size_t{100}, std::size_t{200}}) {
        const std::size_t places = std::min(k, result.customers);
        double found = 0;
        for (const TieGroup& group : groups) found += static_cast<double>(group.tampered) * share_in_top(group, places);
        result.precision_at.push_back({k, places == 0 ? nan : found / static_cast<double>(places)});
    }

    // Average precision over the first 100 places: each place's expected relevance (its tie
    // group's tampered share) times the precision up to it, over the sum of those relevances.
    double relevant = 0, weighted = 0, found = 0;
    for (const TieGroup& group : groups) {
        const double relevance = static_cast<double>(group.tampered) / static_cast<double>(group.end - group.begin);
        for (std::size_t place = group.begin; place < group.end && place < suspect_map_depth; ++place) {
            found += relevance;
            relevant += relevance;
            weighted += relevance * found / static_cast<double>(place + 1);
        }
    }
    result.map_at_100 = relevant > 0 ? weighted / relevant : 0;

    // Per area: each tampered customer in its area's top 3 and top 5.
    std::map<std::uint32_t, std::vector<std::size_t>> areas;
    for (std::size_t i = 0; i < suspects.size(); ++i) areas[suspects[i].area].push_back(i);
    result.areas = areas.size();
    std::map<std::string, AttackRecall, std::less<>> attacks;
    for (auto& [area, members] : areas) {
        const std::vector<std::size_t> order = by_score(suspects, members);
        bool any = false;
        for (const TieGroup& group : tie_groups(suspects, order)) {
            for (std::size_t place = group.begin; place < group.end; ++place) {
                const EvaluatedSuspect& s = suspects[order[place]];
                if (!s.tampered) continue;
                any = true;
                const double top5 = share_in_top(group, 5);
                result.top3_in_area += share_in_top(group, 3);
                result.top5_in_area += top5;
                auto it = attacks.find(s.attack);
                if (it == attacks.end())
                    it = attacks.emplace(std::string(s.attack), AttackRecall{std::string(s.attack)}).first;
                ++it->second.tampered;
                it->second.in_top5 += top5;
            }
        }
        if (any) ++result.areas_with_tampered;
    }
    const auto tampered = static_cast<double>(result.tampered);
    result.top3_hit_rate = result.tampered == 0 ? nan : result.top3_in_area / tampered;
    result.top5_hit_rate = result.tampered == 0 ? nan : result.top5_in_area / tampered;
    for (auto& [name, recall] : attacks) {
        recall.recall = recall.in_top5 / static_cast<double>(recall.tampered);
        result.by_attack.push_back(std::move(recall));
    }
    return result;
}

}  // namespace gridaudit
