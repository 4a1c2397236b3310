// Tests of the packed series encodings: bit-exact round trips, missing values, compactness.
#include "store/series_codec.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <limits>
#include <random>

namespace gridaudit {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

std::vector<std::uint8_t> encode(const std::vector<double>& values) {
    std::vector<std::uint8_t> bytes;
    encode_value_column(values, bytes);
    return bytes;
}

std::vector<double> decode(const std::vector<std::uint8_t>& bytes) {
    const auto size = value_column_size(bytes);
    EXPECT_TRUE(size.has_value());
    std::vector<double> values(size.value_or(0));
    EXPECT_TRUE(decode_value_column(bytes, values));
    return values;
}

// Present values must come back with the same bits; missing ones as NaN.
void expect_round_trip(const std::vector<double>& values) {
    const auto decoded = decode(encode(values));
    ASSERT_EQ(decoded.size(), values.size());
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (std::isnan(values[i]))
            EXPECT_TRUE(std::isnan(decoded[i])) << "slot " << i;
        else
            EXPECT_EQ(std::bit_cast<std::uint64_t>(decoded[i]), std::bit_cast<std::uint64_t>(values[i]))
                << "slot " << i << ": " << values[i] << " came back as " << decoded[i];
    }
}

TEST(SeriesCodecTest, RoundTripsTypicalRegisterReadings) {
    expect_round_trip({5230.41, 5241.07, 5252.9, 5263.0, 5275.33, 5286.12, 5297.98});
}

TEST(SeriesCodecTest, RoundTripsMissingValuesInAnyPosition) {
    expect_round_trip({nan, 1.5, nan, nan, 2.25, nan});
    expect_round_trip({nan, nan, nan});
    expect_round_trip({1.0, nan});
    expect_round_trip({});
}

TEST(SeriesCodecTest, RoundTripsNegativeZeroAndSignedValues) {
    expect_round_trip({-0.0, 0.0, -1.25, 3.5, -1e9, 1e9});
}

TEST(SeriesCodecTest, RoundTripsHugeAndTinyValues) {
    expect_round_trip({1e12, 999999999999.99, 1e300, -1e300, 5e-324, std::numeric_limits<double>::max()});
    expect_round_trip({std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(), 1.0});
    expect_round_trip({9007199254740992.0, -9007199254740992.0, 9007199254740993.0});
}

TEST(SeriesCodecTest, RoundTripsRolloverDropsAndMeterReplacement) {
    // A register that wraps at 99999.99 and one replaced by a new meter starting at 0.
    expect_round_trip({99990.5, 99998.75, 3.25, 12.0, 20.5});
    expect_round_trip({123456.78, 123470.01, 0.0, 0.02, 8.4});
}

TEST(SeriesCodecTest, RoundTripsValuesWithMoreDecimalsThanTheScaledForm) {
    expect_round_trip({0.1234567, 1.0 / 3.0, 2.0, nan, 3.141592653589793});
}

TEST(SeriesCodecTest, RoundTripsSeededRandomBitPatterns) {
    std::mt19937_64 generator(20261129);
    for (int trial = 0; trial < 200; ++trial) {
        std::vector<double> values(31);
        for (auto& value : values) {
            value = std::bit_cast<double>(generator());
            if (generator() % 4 == 0) value = nan;
        }
        expect_round_trip(values);
    }
}

TEST(SeriesCodecTest, RoundTripsSeededRandomDecimalSeries) {
    std::mt19937_64 generator(7);
    for (int decimals = 0; decimals <= 6; ++decimals) {
        std::vector<double> values(96);
        long long scaled = static_cast<long long>(generator() % 1'000'000'000);
        for (auto& value : values) {
            scaled += static_cast<long long>(generator() % 50'000) - 10'000;
            value = static_cast<double>(scaled) / std::pow(10.0, decimals);
        }
        expect_round_trip(values);
    }
}

TEST(SeriesCodecTest, PacksAMonthOfTwoDecimalReadingsInAboutTwoBytesADay) {
    std::vector<double> month;
    long long hundredths = 4'821'327;  // 48213.27 kWh
    for (int day = 0; day < 31; ++day) month.push_back(static_cast<double>(hundredths += 1143 + day % 5 * 100) / 100);
    const auto bytes = encode(month);
    EXPECT_LE(bytes.size(), 2u + 4u + 31u * 2u);  // header, first value, then 2-byte deltas
    EXPECT_LT(bytes.size(), month.size() * sizeof(double) / 3);
}

TEST(SeriesCodecTest, StoresAnAllMissingColumnInTwoBytes) {
    EXPECT_EQ(encode(std::vector<double>(31, nan)).size(), 2u);
}

TEST(SeriesCodecTest, RejectsTruncatedAndTrailingBytes) {
    const auto bytes = encode({5230.41, nan, 5241.07});
    std::vector<double> values(3);
    for (std::size_t cut = 0; cut < bytes.size(); ++cut) {
        const std::vector<std::uint8_t> truncated(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(cut));
        const auto size = value_column_size(truncated);
        EXPECT_FALSE(size == 3u && decode_value_column(truncated, values)) << "cut at " << cut;
    }
    auto longer = bytes;
    longer.push_back(0);
    EXPECT_FALSE(decode_value_column(longer, values));
}

TEST(SeriesCodecTest, RejectsADecodeIntoTheWrongSize) {
    const auto bytes = encode({1.0, 2.0, 3.0});
    std::vector<double> values(4);
    EXPECT_FALSE(decode_value_column(bytes, values));
}

TEST(SeriesCodecTest, RoundTripsIntegerColumns) {
    const std::vector<std::int64_t> values{
        0, 900, -900, 1, std::numeric_limits<std::int64_t>::max(), std::numeric_limits<std::int64_t>::min(), 15};
    std::vector<std::uint8_t> bytes;
    encode_integer_column(values, bytes);
    ASSERT_EQ(integer_column_size(bytes), values.size());
    std::vector<std::int64_t> decoded(values.size());
    ASSERT_TRUE(decode_integer_column(bytes, decoded));
    EXPECT_EQ(decoded, values);
}

TEST(SeriesCodecTest, RejectsTruncatedIntegerColumns) {
    std::vector<std::uint8_t> bytes;
    encode_integer_column(std::vector<std::int64_t>{300, 5}, bytes);
    bytes.pop_back();
    std::vector<std::int64_t> decoded(2);
    EXPECT_FALSE(decode_integer_column(bytes, decoded));
}

}  // namespace
}  // namespace gridaudit
