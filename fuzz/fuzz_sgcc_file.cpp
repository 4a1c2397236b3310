// Fuzz target: random bytes through the SGCC theft-data layout of `gridaudit import --format sgcc`
// (ingest/sgcc_file.hpp). Invariants: no crash or sanitizer report; a refused file's message starts
// with "fuzz.csv:"; an accepted file has one flag and one row of days per customer, unique
// non-empty customer numbers, every day missing or 0 .. 1e7 kWh, 1 .. sgcc_max_days days; its truth
// file reads back (ingest/theft_truth.hpp) with one row per flagged customer, and its export files
// are the four the import needs.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>

#include "ingest/sgcc_file.hpp"
#include "ingest/theft_truth.hpp"
#include "fuzz_require.hpp"

namespace {

using gridaudit::fuzzing::require;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace gridaudit;
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const auto parsed = parse_sgcc(input, "fuzz.csv");
    if (!parsed) {
        require(parsed.error().message().starts_with("fuzz.csv:"));
        return 0;
    }
    const SgccData& sgcc = *parsed;
    require(sgcc.days >= 1 && sgcc.days <= sgcc_max_days);
    require(sgcc.flag.size() == sgcc.customers.size());
    require(sgcc.usage.size() == sgcc.customers.size() * static_cast<std::size_t>(sgcc.days));
    std::set<std::string> ids(sgcc.customers.begin(), sgcc.customers.end());
    require(ids.size() == sgcc.customers.size());
    std::size_t flagged = 0;
    for (std::size_t c = 0; c < sgcc.customers.size(); ++c) {
        require(!sgcc.customers[c].empty());
        require(sgcc.flag[c] <= 1);
        flagged += sgcc.flag[c];
    }
    for (const double value : sgcc.usage) require(std::isnan(value) || (value >= 0 && value <= 1e7));
    const auto truth = parse_theft_truth(sgcc_truth_csv(sgcc), "truth.csv");
    require(truth.has_value());
    require(truth->size() == flagged);
    if (sgcc.usage.size() <= 100000) require(sgcc_export_files(sgcc).size() == 4);
    return 0;
}
