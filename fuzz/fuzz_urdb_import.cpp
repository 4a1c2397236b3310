// Fuzz target: random bytes through the URDB rate importer (docs/tariffs.md, "URDB"). Invariants: no
// crash or sanitizer report; a refused document's message starts with "fuzz.json:"; an imported
// tariff validates, and written in the GridAudit format it loads again into a tariff that writes
// the same text.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "tariff/tariff_json.hpp"
#include "tariff/urdb_import.hpp"
#include "fuzz_require.hpp"

namespace {

using gridaudit::fuzzing::require;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace gridaudit;
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const auto tariff = parse_urdb_rate(input, "fuzz.json");
    if (!tariff) {
        require(tariff.error().message().starts_with("fuzz.json"));
        return 0;
    }
    require(validate_tariff(*tariff).has_value());
    const std::string written = tariff_to_json(*tariff);
    const auto reloaded = parse_tariff_json(written, "written.json");
    require(reloaded.has_value());
    require(tariff_to_json(*reloaded) == written);
    return 0;
}
