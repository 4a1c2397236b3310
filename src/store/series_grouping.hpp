// Groups the rows of a columnar series batch by (meter, bucket) in store key order, without
// per-row allocations: a counting sort over dense group numbers (or a stable sort of row
// indices when the groups would be too sparse), and no index at all when the rows already come
// grouped in key order. A bucket is a month (ami_daily) or a UTC day (ami_interval).
// Thread safety: free functions without shared state.
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <numeric>
#include <span>
#include <string>
#include <vector>

namespace gridaudit {

struct SeriesGroup {
    std::uint32_t meter = 0;  // index into the batch's meter_ids (the first of equal ids)
    std::int32_t bucket = 0;
    std::uint32_t begin = 0;  // positions [begin, end) of SeriesGrouping::row()
    std::uint32_t end = 0;
};

struct SeriesGrouping {
    std::vector<SeriesGroup> groups;   // by meter id (byte order), then bucket
    std::vector<std::uint32_t> order;  // row index at each position; empty when rows are in order

    [[nodiscard]] std::uint32_t row(std::uint32_t position) const { return order.empty() ? position : order[position]; }
};

// Dense ranks of meter ids in byte order; equal ids share a rank.
struct MeterRanks {
    std::vector<std::uint32_t> rank;            // per meter index
    std::vector<std::uint32_t> representative;  // per rank: the first meter index with that id
};

[[nodiscard]] MeterRanks rank_meters(std::span<const std::string> meter_ids);

// Groups rows 0..meter.size()-1; bucket_of(i) is row i's bucket. Rows of a group keep their
// batch order. REQUIRES: meter[i] < meter_ids.size(); meter.size() < 2^32.
template <class BucketOf>
[[nodiscard]] SeriesGrouping group_series_rows(std::span<const std::string> meter_ids,
                                               std::span<const std::uint32_t> meter, BucketOf bucket_of) {
    SeriesGrouping grouping;
    const auto row_count = static_cast<std::uint32_t>(meter.size());
    if (row_count == 0) return grouping;
    const MeterRanks ranks = rank_meters(meter_ids);

    std::int32_t lowest = std::numeric_limits<std::int32_t>::max();
    std::int32_t highest = std::numeric_limits<std::int32_t>::min();
    for (std::uint32_t i = 0; i < row_count; ++i) {
        const std::int32_t bucket = bucket_of(i);
        lowest = std::min(lowest, bucket);
        highest = std::max(highest, bucket);
    }
    const std::uint64_t bucket_count = static_cast<std::uint64_t>(static_cast<std::int64_t>(highest) - lowest) + 1;
    const std::uint64_t group_space = ranks.representative.size() * bucket_count;  // < 2^64: both < 2^32
    const bool dense = bucket_count <= (2ull * row_count + 65536) / ranks.representative.size();
    const auto group_of = [&](std::uint32_t i) {
        return ranks.rank[meter[i]] * bucket_count + static_cast<std::uint64_t>(bucket_of(i) - lowest);
    };
    const auto add_group = [&](std::uint64_t group, std::uint32_t begin, std::uint32_t end) {
        grouping.groups.push_back(SeriesGroup{
            ranks.representative[group / bucket_count],
            static_cast<std::int32_t>(lowest + static_cast<std::int64_t>(group % bucket_count)), begin, end});
    };

    if (dense) {
        // Counting sort: starts[g] is the first position of group g.
        std::vector<std::uint32_t> starts(group_space + 1, 0);
        bool in_order = true;
        std::uint64_t previous = 0;
        for (std::uint32_t i = 0; i < row_count; ++i) {
            const std::uint64_t group = group_of(i);
            ++starts[group + 1];
            in_order = in_order && group >= previous;
            previous = group;
        }
        std::partial_sum(starts.begin(), starts.end(), starts.begin());
        for (std::uint64_t group = 0; group < group_space; ++group)
            if (starts[group + 1] > starts[group]) add_group(group, starts[group], starts[group + 1]);
        if (!in_order) {
            grouping.order.resize(row_count);
            for (std::uint32_t i = 0; i < row_count; ++i) grouping.order[starts[group_of(i)]++] = i;
        }
        return grouping;
    }

    // Sparse groups (buckets far apart): sort row indices by group number.
    std::vector<std::uint64_t> group_numbers(row_count);
    for (std::uint32_t i = 0; i < row_count; ++i) group_numbers[i] = group_of(i);
    grouping.order.resize(row_count);
    std::iota(grouping.order.begin(), grouping.order.end(), 0u);
    std::stable_sort(grouping.order.begin(), grouping.order.end(),
                     [&](std::uint32_t a, std::uint32_t b) { return group_numbers[a] < group_numbers[b]; });
    std::uint32_t begin = 0;
    for (std::uint32_t position = 1; position <= row_count; ++position) {
        if (position == row_count || group_numbers[grouping.order[position]] != group_numbers[grouping.order[begin]]) {
            add_group(group_numbers[grouping.order[begin]], begin, position);
            begin = position;
        }
    }
    return grouping;
}

}  // namespace gridaudit
