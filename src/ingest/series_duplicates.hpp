// Duplicate (meter, time) rows of a series: rows are bucketed by meter (a counting sort, linear
// time), each meter's times are checked in file order, and only a meter whose times are not
// strictly increasing has its bucket sorted. The first occurrence stays; every later one is a
// duplicate. Thread safety: pure function.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace gridaudit {

struct DuplicateRow {
    std::size_t row;        // the later occurrence (to reject)
    std::size_t first_row;  // the first occurrence
};

// True when (meter[i], time[i]) strictly increases with i: then no row repeats another.
template <class Time>
[[nodiscard]] bool strictly_increasing(std::span<const std::uint32_t> meter, std::span<const Time> time);

// Duplicates in increasing order of `row`. REQUIRES: meter[i] < meter_count, equal spans.
template <class Time>
[[nodiscard]] std::vector<DuplicateRow> find_duplicate_rows(std::span<const std::uint32_t> meter,
                                                            std::span<const Time> time, std::size_t meter_count);

}  // namespace gridaudit
