// Lossless compact encodings of the packed time-series columns (see docs/storage.md).
//
// A value column is a run of doubles in which NaN marks a missing value: a validity bitmap plus
// the present values, either as zig-zag varint deltas of value * 10^e (when every present value
// is exactly representable that way, e in 0..6) or as raw little-endian doubles. Decoding
// returns the very same bits for every present value; every missing value decodes as quiet NaN.
// An integer column is a run of int64 as zig-zag varints. A month's day mask (bit d set: day d + 1
// is stored) says which days a packed month row holds.
// Thread safety: free functions without shared state.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "core/time.hpp"

namespace gridaudit {

// Appends the encoding of `values` (NaN = missing) to `out`.
void encode_value_column(std::span<const double> values, std::vector<std::uint8_t>& out);

// Number of values of an encoded value column, or nullopt when `bytes` is not one.
[[nodiscard]] std::optional<std::size_t> value_column_size(std::span<const std::uint8_t> bytes);

// Decodes an encoded value column into `values`. False when `bytes` is malformed.
// REQUIRES: values.size() == value_column_size(bytes).
[[nodiscard]] bool decode_value_column(std::span<const std::uint8_t> bytes, std::span<double> values);

// Appends the encoding of `values` to `out`.
void encode_integer_column(std::span<const std::int64_t> values, std::vector<std::uint8_t>& out);

// Number of values of an encoded integer column, or nullopt when `bytes` is not one.
[[nodiscard]] std::optional<std::size_t> integer_column_size(std::span<const std::uint8_t> bytes);

// Decodes an encoded integer column into `values`. False when `bytes` is malformed.
// REQUIRES: values.size() == integer_column_size(bytes).
[[nodiscard]] bool decode_integer_column(std::span<const std::uint8_t> bytes, std::span<std::int64_t> values);

// The first and last stored day given each month's day mask (keyed by Period::index()), months
// with an empty mask ignored; nullopt when no day is stored. daily_range() of both backends.
[[nodiscard]] std::optional<std::pair<CivilDate, CivilDate>> stored_day_span(
    const std::map<std::int32_t, std::uint32_t>& day_masks_by_month);

}  // namespace gridaudit
