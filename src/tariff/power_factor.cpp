// The three power-factor adjustment tables and the exact power-factor rounding.
//
// The tables restate REFERENCE.md section 5 row by row (hundredths of a percent). Their test
// (tests/cases/tariff/power_factor_tables.test) derives every row independently, by stepping down
// from the standard as the regulation's text describes, and holds the published spot values.
#include "tariff/power_factor.hpp"

#include <array>
#include <cmath>

namespace gridaudit {
namespace {

// Standard 0.90, PF 0.00 .. 1.00.
constexpr std::array<std::int16_t, 101> standard_0_90{
    14500, 14300, 14100, 13900, 13700, 13500, 13300, 13100, 12900, 12700,  // PF 0.00 .. 0.09
    12500, 12300, 12100, 11900, 11700, 11500, 11300, 11100, 10900, 10700,  // PF 0.10 .. 0.19
    10500, 10300, 10100, 9900,  9700,  9500,  9300,  9100,  8900,  8700,   // PF 0.20 .. 0.29
    8500,  8300,  8100,  7900,  7700,  7500,  7300,  7100,  6900,  6700,   // PF 0.30 .. 0.39
    6500,  6300,  6100,  5900,  5700,  5500,  5300,  5100,  4900,  4700,   // PF 0.40 .. 0.49
    4500,  4300,  4100,  3900,  3700,  3500,  3300,  3100,  2900,  2700,   // PF 0.50 .. 0.59
    2500,  2300,  2100,  1900,  1700,  1500,  1400,  1300,  1200,  1100,   // PF 0.60 .. 0.69
    1000,  950,   900,   850,   800,   750,   700,   650,   600,   550,    // PF 0.70 .. 0.79
    500,   450,   400,   350,   300,   250,   200,   150,   100,   50,     // PF 0.80 .. 0.89
    0,     -15,   -30,   -45,   -60,   -75,   -75,   -75,   -75,   -75,    // PF 0.90 .. 0.99
    -75,                                                                   // PF 1.00 .. 1.00
};
// Standard 0.85, PF 0.00 .. 1.00.
constexpr std::array<std::int16_t, 101> standard_0_85{
    13500, 13300, 13100, 12900, 12700, 12500, 12300, 12100, 11900, 11700,  // PF 0.00 .. 0.09
    11500, 11300, 11100, 10900, 10700, 10500, 10300, 10100, 9900,  9700,   // PF 0.10 .. 0.19
    9500,  9300,  9100,  8900,  8700,  8500,  8300,  8100,  7900,  7700,   // PF 0.20 .. 0.29
    7500,  7300,  7100,  6900,  6700,  6500,  6300,  6100,  5900,  5700,   // PF 0.30 .. 0.39
    5500,  5300,  5100,  4900,  4700,  4500,  4300,  4100,  3900,  3700,   // PF 0.40 .. 0.49
    3500,  3300,  3100,  2900,  2700,  2500,  2300,  2100,  1900,  1700,   // PF 0.50 .. 0.59
    1500,  1400,  1300,  1200,  1100,  1000,  950,   900,   850,   800,    // PF 0.60 .. 0.69
    750,   700,   650,   600,   550,   500,   450,   400,   350,   300,    // PF 0.70 .. 0.79
    250,   200,   150,   100,   50,    0,     -10,   -20,   -30,   -40,    // PF 0.80 .. 0.89
    -50,   -65,   -80,   -95,   -110,  -110,  -110,  -110,  -110,  -110,   // PF 0.90 .. 0.99
    -110,                                                                  // PF 1.00 .. 1.00
};
// Standard 0.80, PF 0.00 .. 1.00.
constexpr std::array<std::int16_t, 101> standard_0_80{
    12500, 12300, 12100, 11900, 11700, 11500, 11300, 11100, 10900, 10700,  // PF 0.00 .. 0.09
    10500, 10300, 10100, 9900,  9700,  9500,  9300,  9100,  8900,  8700,   // PF 0.10 .. 0.19
    8500,  8300,  8100,  7900,  7700,  7500,  7300,  7100,  6900,  6700,   // PF 0.20 .. 0.29
    6500,  6300,  6100,  5900,  5700,  5500,  5300,  5100,  4900,  4700,   // PF 0.30 .. 0.39
    4500,  4300,  4100,  3900,  3700,  3500,  3300,  3100,  2900,  2700,   // PF 0.40 .. 0.49
    2500,  2300,  2100,  1900,  1700,  1500,  1400,  1300,  1200,  1100,   // PF 0.50 .. 0.59
    1000,  950,   900,   850,   800,   750,   700,   650,   600,   550,    // PF 0.60 .. 0.69
    500,   450,   400,   350,   300,   250,   200,   150,   100,   50,     // PF 0.70 .. 0.79
    0,     -10,   -20,   -30,   -40,   -50,   -60,   -70,   -80,   -90,    // PF 0.80 .. 0.89
    -100,  -115,  -130,  -130,  -130,  -130,  -130,  -130,  -130,  -130,   // PF 0.90 .. 0.99
    -130,                                                                  // PF 1.00 .. 1.00
};

}  // namespace

std::optional<PowerFactorStandard> parse_power_factor_standard(std::string_view text) {
    if (text == "0.90" || text == "0.9") return PowerFactorStandard::pf_0_90;
    if (text == "0.85") return PowerFactorStandard::pf_0_85;
    if (text == "0.80" || text == "0.8") return PowerFactorStandard::pf_0_80;
    return std::nullopt;
}

std::string_view power_factor_standard_name(PowerFactorStandard standard) {
    switch (standard) {
        case PowerFactorStandard::pf_0_90:
            return "0.90";
        case PowerFactorStandard::pf_0_85:
            return "0.85";
        case PowerFactorStandard::pf_0_80:
            return "0.80";
    }
    return "0.90";
}

int power_factor_standard_hundredths(PowerFactorStandard standard) {
    switch (standard) {
        case PowerFactorStandard::pf_0_90:
            return 90;
        case PowerFactorStandard::pf_0_85:
            return 85;
        case PowerFactorStandard::pf_0_80:
            return 80;
    }
    return 90;
}

std::optional<int> power_factor_hundredths(Quantity active_kwh, Quantity reactive_kvarh) {
    Int128 p = active_kwh.units();
    Int128 q = reactive_kvarh.units();
    if (p < 0 || q < 0 || (p == 0 && q == 0)) return std::nullopt;
    // Keep 40000 x P^2 inside 128 bits (only quantities beyond 10^11 kWh are scaled, negligibly).
    while (p > (Int128(1) << 50) || q > (Int128(1) << 50)) {
        p >>= 1;
        q >>= 1;
    }
    const Int128 sum_of_squares = p * p + q * q;
    // PF rounds to k hundredths (half-up) when PF >= (2k - 1) / 200, i.e. 40000 P^2 >= (2k - 1)^2 S.
    const auto reaches = [&](int k) {
        const Int128 odd = 2 * k - 1;
        return Int128(40000) * p * p >= odd * odd * sum_of_squares;
    };
    const double estimate = static_cast<double>(p) / std::sqrt(static_cast<double>(sum_of_squares));
    int k = static_cast<int>(std::floor(estimate * 100.0 + 0.5));
    if (k < 0) k = 0;
    if (k > 100) k = 100;
    while (k < 100 && reaches(k + 1)) ++k;
    while (k > 0 && !reaches(k)) --k;
    return k;
}

int power_factor_adjustment_basis_points(PowerFactorStandard standard, int pf_hundredths) {
    const auto row = static_cast<std::size_t>(pf_hundredths < 0 ? 0 : (pf_hundredths > 100 ? 100 : pf_hundredths));
    switch (standard) {
        case PowerFactorStandard::pf_0_90:
            return standard_0_90[row];
        case PowerFactorStandard::pf_0_85:
            return standard_0_85[row];
        case PowerFactorStandard::pf_0_80:
            return standard_0_80[row];
    }
    return 0;
}

}  // namespace gridaudit
