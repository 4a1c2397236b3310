// Value and integer column encodings of the packed series (format in docs/storage.md).
//
// Value column layout:
//   header byte: bits 0-2 decimal exponent e; bit 3 raw doubles; bit 4 every value present (no
//                bitmap); bit 5 no value present (no bitmap, no values); bits 6-7 zero
//   varint       number of values n
//   bitmap       ceil(n / 8) bytes, bit i % 8 of byte i / 8 set when value i is present
//   values       per present value: zig-zag varint of round(v * 10^e) minus the previous one
//                (the first minus 0), or 8 bytes little-endian IEEE 754 when raw
// Integer column layout: varint n, then n zig-zag varints.
//
// The encoder guesses e from the first present value and restarts with a larger e when a later
// value needs one (at most 6 restarts, rare in practice: a meter's readings share their decimals).
#include "store/series_codec.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>

namespace gridaudit {
namespace {

constexpr std::uint8_t exponent_mask = 0x07;
constexpr std::uint8_t raw_flag = 0x08;
constexpr std::uint8_t all_present_flag = 0x10;
constexpr std::uint8_t none_present_flag = 0x20;
constexpr std::uint8_t reserved_bits = 0xc0;
constexpr int max_exponent = 6;
constexpr std::array<double, max_exponent + 1> powers_of_ten{1.0, 10.0, 100.0, 1e3, 1e4, 1e5, 1e6};
constexpr double max_scaled = 2251799813685248.0;      // 2^51: rounding below is exact up to here
constexpr double rounding_shift = 6755399441055744.0;  // 1.5 * 2^52
constexpr std::size_t max_varint_bytes = 10;

static_assert(std::endian::native == std::endian::little, "raw doubles are stored little-endian");

std::uint64_t zigzag(std::int64_t value) {
    return (static_cast<std::uint64_t>(value) << 1) ^ static_cast<std::uint64_t>(value >> 63);
}
std::int64_t unzigzag(std::uint64_t value) {
    return static_cast<std::int64_t>(value >> 1) ^ -static_cast<std::int64_t>(value & 1);
}

// Writes a varint at `at` (REQUIRES: max_varint_bytes of room); returns the end.
std::uint8_t* put_varint(std::uint64_t value, std::uint8_t* at) {
    while (value >= 0x80) {
        *at++ = static_cast<std::uint8_t>(value | 0x80);
        value >>= 7;
    }
    *at++ = static_cast<std::uint8_t>(value);
    return at;
}

void append_varint(std::uint64_t value, std::vector<std::uint8_t>& out) {
    std::uint8_t buffer[max_varint_bytes];
    out.insert(out.end(), buffer, put_varint(value, buffer));
}

// Reads a varint at `at`, advancing it. False when the input ends or the varint is too long.
inline bool read_varint(const std::uint8_t*& at, const std::uint8_t* end, std::uint64_t& value) {
    if (at < end && *at < 0x80) {  // one byte: the common case of small deltas
        value = *at++;
        return true;
    }
    std::uint64_t result = 0;
    for (int shift = 0; shift < 64 && at < end; shift += 7) {
        const std::uint8_t byte = *at++;
        result |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
        if ((byte & 0x80) == 0) {
            value = result;
            return true;
        }
    }
    return false;
}

bool is_present(double value) {
    return !std::isnan(value);
}

// Sets `scaled` to the integer r with r / 10^e == value bit for bit, if |r| < 2^51.
inline bool scale_exactly(double value, double power, std::int64_t& scaled) {
    const double product = value * power;
    if (!(std::fabs(product) < max_scaled)) return false;
    const double rounded = (product + rounding_shift) - rounding_shift;  // round to nearest, ties even
    const auto candidate = static_cast<std::int64_t>(rounded);
    if (std::bit_cast<std::uint64_t>(static_cast<double>(candidate) / power) != std::bit_cast<std::uint64_t>(value))
        return false;
    scaled = candidate;
    return true;
}

// The smallest exponent >= `from` at which `value` scales exactly, or max_exponent + 1.
int exponent_for(double value, int from) {
    std::int64_t ignored = 0;
    int exponent = from;
    while (exponent <= max_exponent && !scale_exactly(value, powers_of_ten[exponent], ignored)) ++exponent;
    return exponent;
}

// Writes the scaled deltas of the present values at `at`; returns the end, or null when a value
// needs an exponent above `exponent` (then `exponent` is raised to what that value needs).
std::uint8_t* put_scaled_deltas(std::span<const double> values, int& exponent, std::uint8_t* at) {
    const double power = powers_of_ten[static_cast<std::size_t>(exponent)];
    std::int64_t previous = 0;
    for (const double value : values) {
        if (!is_present(value)) continue;
        std::int64_t scaled = 0;
        if (!scale_exactly(value, power, scaled)) {
            exponent = exponent_for(value, exponent + 1);
            return nullptr;
        }
        at = put_varint(zigzag(scaled - previous), at);
        previous = scaled;
    }
    return at;
}

std::uint8_t* put_raw(std::span<const double> values, std::uint8_t* at) {
    for (const double value : values) {
        if (!is_present(value)) continue;
        std::memcpy(at, &value, sizeof(double));
        at += sizeof(double);
    }
    return at;
}

std::uint8_t* put_bitmap(std::span<const double> values, std::uint8_t* at) {
    const std::size_t size = (values.size() + 7) / 8;
    std::memset(at, 0, size);
    for (std::size_t i = 0; i < values.size(); ++i)
        if (is_present(values[i])) at[i / 8] |= static_cast<std::uint8_t>(1u << (i % 8));
    return at + size;
}

struct ValueColumnHeader {
    std::uint8_t flags = 0;
    std::size_t count = 0;
    const std::uint8_t* bitmap = nullptr;  // null when every or no value is present
    const std::uint8_t* values = nullptr;
};

std::optional<ValueColumnHeader> read_value_header(std::span<const std::uint8_t> bytes) {
    if (bytes.empty()) return std::nullopt;
    ValueColumnHeader header;
    header.flags = bytes[0];
    if ((header.flags & reserved_bits) != 0) return std::nullopt;
    if ((header.flags & exponent_mask) > max_exponent) return std::nullopt;
    if ((header.flags & all_present_flag) != 0 && (header.flags & none_present_flag) != 0) return std::nullopt;
    const std::uint8_t* at = bytes.data() + 1;
    const std::uint8_t* end = bytes.data() + bytes.size();
    std::uint64_t count = 0;
    if (!read_varint(at, end, count) || count > std::numeric_limits<std::uint32_t>::max()) return std::nullopt;
    header.count = static_cast<std::size_t>(count);
    if ((header.flags & (all_present_flag | none_present_flag)) == 0) {
        const std::size_t bitmap_size = (header.count + 7) / 8;
        if (static_cast<std::size_t>(end - at) < bitmap_size) return std::nullopt;
        header.bitmap = at;
        at += bitmap_size;
    }
    header.values = at;
    return header;
}

bool decode_scaled(const ValueColumnHeader& header, const std::uint8_t* end, std::span<double> values) {
    const double power = powers_of_ten[header.flags & exponent_mask];
    const double missing = std::numeric_limits<double>::quiet_NaN();
    const std::uint8_t* at = header.values;
    std::uint64_t accumulator = 0;  // unsigned: malformed input wraps instead of overflowing
    const auto next = [&](double& value) {
        std::uint64_t encoded = 0;
        if (!read_varint(at, end, encoded)) return false;
        accumulator += static_cast<std::uint64_t>(unzigzag(encoded));
        value = static_cast<double>(static_cast<std::int64_t>(accumulator)) / power;
        return true;
    };
    if (header.bitmap == nullptr) {
        for (auto& value : values) {
            if ((header.flags & none_present_flag) != 0)
                value = missing;
            else if (!next(value))
                return false;
        }
        return at == end;
    }
    for (std::size_t i = 0; i < values.size(); ++i) {
        if ((header.bitmap[i / 8] >> (i % 8) & 1) == 0)
            values[i] = missing;
        else if (!next(values[i]))
            return false;
    }
    return at == end;
}

bool decode_raw(const ValueColumnHeader& header, const std::uint8_t* end, std::span<double> values) {
    const double missing = std::numeric_limits<double>::quiet_NaN();
    const std::uint8_t* at = header.values;
    for (std::size_t i = 0; i < values.size(); ++i) {
        const bool present = header.bitmap == nullptr ? (header.flags & none_present_flag) == 0
                                                      : (header.bitmap[i / 8] >> (i % 8) & 1) != 0;
        if (!present) {
            values[i] = missing;
            continue;
        }
        if (end - at < static_cast<std::ptrdiff_t>(sizeof(double))) return false;
        std::memcpy(&values[i], at, sizeof(double));
        at += sizeof(double);
    }
    return at == end;
}

}  // namespace

void encode_value_column(std::span<const double> values, std::vector<std::uint8_t>& out) {
    std::size_t present = 0;
    double first_present = 0;
    for (const double value : values) {
        if (!is_present(value)) continue;
        if (present++ == 0) first_present = value;
    }
    std::uint8_t flags = 0;
    if (present == values.size()) flags |= all_present_flag;
    if (present == 0 && !values.empty()) flags = none_present_flag;

    const std::size_t start = out.size();
    out.resize(start + 1 + max_varint_bytes + (values.size() + 7) / 8 + present * max_varint_bytes);
    std::uint8_t* const header = out.data() + start;
    std::uint8_t* at = put_varint(values.size(), header + 1);
    if ((flags & (all_present_flag | none_present_flag)) == 0) at = put_bitmap(values, at);

    std::uint8_t* end = at;
    if (present > 0) {
        int exponent = exponent_for(first_present, 0);
        end = nullptr;
        while (end == nullptr && exponent <= max_exponent) end = put_scaled_deltas(values, exponent, at);
        if (end != nullptr) {
            flags |= static_cast<std::uint8_t>(exponent);
        } else {
            flags |= raw_flag;
            end = put_raw(values, at);
        }
    }
    *header = flags;
    out.resize(static_cast<std::size_t>(end - out.data()));
}

std::optional<std::size_t> value_column_size(std::span<const std::uint8_t> bytes) {
    const auto header = read_value_header(bytes);
    if (!header) return std::nullopt;
    return header->count;
}

bool decode_value_column(std::span<const std::uint8_t> bytes, std::span<double> values) {
    const auto header = read_value_header(bytes);
    if (!header || header->count != values.size()) return false;
    const std::uint8_t* end = bytes.data() + bytes.size();
    if ((header->flags & raw_flag) != 0) return decode_raw(*header, end, values);
    return decode_scaled(*header, end, values);
}

void encode_integer_column(std::span<const std::int64_t> values, std::vector<std::uint8_t>& out) {
    append_varint(values.size(), out);
    for (const std::int64_t value : values) append_varint(zigzag(value), out);
}

std::optional<std::size_t> integer_column_size(std::span<const std::uint8_t> bytes) {
    const std::uint8_t* at = bytes.data();
    std::uint64_t count = 0;
    if (!read_varint(at, bytes.data() + bytes.size(), count) || count > bytes.size()) return std::nullopt;
    return static_cast<std::size_t>(count);
}

bool decode_integer_column(std::span<const std::uint8_t> bytes, std::span<std::int64_t> values) {
    const std::uint8_t* at = bytes.data();
    const std::uint8_t* end = bytes.data() + bytes.size();
    std::uint64_t count = 0;
    if (!read_varint(at, end, count) || count != values.size()) return false;
    for (auto& value : values) {
        std::uint64_t encoded = 0;
        if (!read_varint(at, end, encoded)) return false;
        value = unzigzag(encoded);
    }
    return at == end;
}

std::optional<std::pair<CivilDate, CivilDate>> stored_day_span(
    const std::map<std::int32_t, std::uint32_t>& day_masks_by_month) {
    const auto first = std::find_if(day_masks_by_month.begin(), day_masks_by_month.end(),
                                     [](const auto& entry) { return entry.second != 0; });
    if (first == day_masks_by_month.end()) return std::nullopt;
    const auto last = std::find_if(day_masks_by_month.rbegin(), day_masks_by_month.rend(),
                                   [](const auto& entry) { return entry.second != 0; });
    return std::pair{Period::from_index(first->first).first_day() + std::countr_zero(first->second),
                     Period::from_index(last->first).first_day() + (31 - std::countl_zero(last->second))};
}

}  // namespace gridaudit
