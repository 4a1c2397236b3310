// Counting sort by meter, then a per-meter order check; sorts only the buckets that need it.
#include "ingest/series_duplicates.hpp"

#include <algorithm>
#include <utility>

namespace gridaudit {

template <class Time>
bool strictly_increasing(std::span<const std::uint32_t> meter, std::span<const Time> time) {
    for (std::size_t i = 1; i < meter.size(); ++i) {
        if (meter[i] < meter[i - 1] || (meter[i] == meter[i - 1] && time[i] <= time[i - 1])) return false;
    }
    return true;
}

template <class Time>
std::vector<DuplicateRow> find_duplicate_rows(std::span<const std::uint32_t> meter, std::span<const Time> time,
                                              std::size_t meter_count) {
    std::vector<DuplicateRow> duplicates;
    if (strictly_increasing(meter, time)) return duplicates;
    std::vector<std::size_t> bucket_start(meter_count + 1, 0);
    for (const std::uint32_t m : meter) ++bucket_start[m + 1];
    for (std::size_t m = 0; m < meter_count; ++m) bucket_start[m + 1] += bucket_start[m];
    std::vector<std::size_t> fill(bucket_start.begin(), bucket_start.end() - 1);
    std::vector<std::uint32_t> rows(meter.size());  // row numbers bucketed by meter, in file order
    for (std::size_t row = 0; row < meter.size(); ++row) rows[fill[meter[row]]++] = static_cast<std::uint32_t>(row);

    std::vector<std::pair<Time, std::uint32_t>> bucket;
    for (std::size_t m = 0; m < meter_count; ++m) {
        const std::size_t begin = bucket_start[m], end = bucket_start[m + 1];
        bool increasing = true;
        for (std::size_t i = begin + 1; i < end && increasing; ++i) increasing = time[rows[i]] > time[rows[i - 1]];
        if (increasing) continue;
        bucket.clear();
        for (std::size_t i = begin; i < end; ++i) bucket.emplace_back(time[rows[i]], rows[i]);
        std::sort(bucket.begin(), bucket.end());
        for (std::size_t i = 1; i < bucket.size(); ++i) {
            if (bucket[i].first != bucket[i - 1].first) continue;
            std::size_t first = i - 1;
            while (first > 0 && bucket[first - 1].first == bucket[i].first) --first;
            duplicates.push_back({bucket[i].second, bucket[first].second});
        }
    }
    std::sort(duplicates.begin(), duplicates.end(),
              [](const DuplicateRow& a, const DuplicateRow& b) { return a.row < b.row; });
    return duplicates;
}

template bool strictly_increasing<std::int32_t>(std::span<const std::uint32_t>, std::span<const std::int32_t>);
template bool strictly_increasing<std::int64_t>(std::span<const std::uint32_t>, std::span<const std::int64_t>);
template std::vector<DuplicateRow> find_duplicate_rows<std::int32_t>(std::span<const std::uint32_t>,
                                                                     std::span<const std::int32_t>, std::size_t);
template std::vector<DuplicateRow> find_duplicate_rows<std::int64_t>(std::span<const std::uint32_t>,
                                                                     std::span<const std::int64_t>, std::size_t);

}  // namespace gridaudit
