// The rounding routine on integer units and the rounding modes' names.
#include "core/rounding.hpp"

#include <cstdint>

namespace gridaudit {

Int128 divide_rounded(Int128 numerator, Int128 denominator, Rounding mode) {
    if (numerator == 0) return 0;  // most components of most bills
    const Int128 size = numerator < 0 ? -numerator : numerator;
    Int128 kept;
    Int128 remainder;
    constexpr Int128 word = Int128(1) << 64;
    if (size < word && denominator < word) {  // 64-bit division (amounts below 1,844 at 1e-16)
        const auto size64 = static_cast<std::uint64_t>(size);
        const auto denominator64 = static_cast<std::uint64_t>(denominator);
        kept = size64 / denominator64;
        remainder = size64 % denominator64;
    } else {
        kept = size / denominator;
        remainder = size % denominator;
    }
    switch (mode) {
        case Rounding::half_up:
            if (remainder * 2 >= denominator) ++kept;
            break;
        case Rounding::half_even:
            if (remainder * 2 > denominator || (remainder * 2 == denominator && kept % 2 == 1)) ++kept;
            break;
        case Rounding::truncate:
            break;
    }
    return numerator < 0 ? -kept : kept;
}

std::string_view rounding_name(Rounding mode) {
    switch (mode) {
        case Rounding::half_up:
            return "half_up";
        case Rounding::half_even:
            return "half_even";
        case Rounding::truncate:
            return "truncate";
    }
    return "half_up";
}

std::optional<Rounding> parse_rounding(std::string_view name) {
    for (const Rounding mode : {Rounding::half_up, Rounding::half_even, Rounding::truncate})
        if (name == rounding_name(mode)) return mode;
    return std::nullopt;
}

}  // namespace gridaudit
