// Meter ranks for grouping series rows in store key order (meter id byte order).
#include "store/series_grouping.hpp"

namespace gridaudit {

MeterRanks rank_meters(std::span<const std::string> meter_ids) {
    std::vector<std::uint32_t> by_id(meter_ids.size());
    std::iota(by_id.begin(), by_id.end(), 0u);
    std::stable_sort(by_id.begin(), by_id.end(),
                     [&](std::uint32_t a, std::uint32_t b) { return meter_ids[a] < meter_ids[b]; });
    MeterRanks ranks;
    ranks.rank.resize(meter_ids.size());
    for (std::size_t k = 0; k < by_id.size(); ++k) {
        if (k == 0 || meter_ids[by_id[k]] != meter_ids[by_id[k - 1]]) ranks.representative.push_back(by_id[k]);
        ranks.rank[by_id[k]] = static_cast<std::uint32_t>(ranks.representative.size() - 1);
    }
    return ranks;
}

}  // namespace gridaudit
