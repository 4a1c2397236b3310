// Fuzz target: random bytes through both tariff loaders (GridAudit tariff JSON and URDB). Invariants:
// no crash or sanitizer report; a refused document's message starts with "fuzz.json:" and a line;
// an accepted tariff validates, prices a month without crashing, and written back in the GridAudit
// format loads again into a tariff that writes the same text.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "tariff/pricing_engine.hpp"
#include "tariff/tariff_json.hpp"
#include "tariff/urdb_import.hpp"
#include "fuzz_require.hpp"

namespace {

using gridaudit::fuzzing::require;

void check(const gridaudit::Result<gridaudit::Tariff>& tariff) {
    using namespace gridaudit;
    if (!tariff) {
        require(tariff.error().message().rfind("fuzz.json", 0) == 0);
        return;
    }
    require(validate_tariff(*tariff).has_value());
    MonthUsage usage;
    usage.period = Period::from_year_month(2026, 3);
    usage.period_kwh.assign(tariff->energy_periods.size(), 123.4567);
    usage.kvarh = 60;
    usage.max_demand_kw = 42;
    if (tariff->demand) usage.period_max_demand_kw.assign(tariff->demand->periods.size(), 40.0);
    CustomerTerms terms;
    terms.capacity_kva = 315;
    terms.contracted_demand_kw = 100;
    BillingState state;
    const auto bill = price_month(*tariff, terms, usage, state);
    if (bill) {
        Money total;
        for (const Money component : bill->components) total += component;
        require(total == bill->total);
    }
    const std::string written = tariff_to_json(*tariff);
    const auto reloaded = parse_tariff_json(written, "written.json");
    require(reloaded.has_value());
    require(tariff_to_json(*reloaded) == written);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    check(gridaudit::parse_tariff_json(input, "fuzz.json"));
    check(gridaudit::parse_urdb_rate(input, "fuzz.json"));
    return 0;
}
