// Fuzz target: random bytes through the shared-calendar loader (tariff/calendar_json.hpp) and the
// test that tells a calendar document from a tariff. Invariants: no crash or sanitizer report; a
// refused document's message starts with "fuzz.json:"; a loaded calendar written back loads again
// into a calendar that writes the same text, and is recognised as a calendar document.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "tariff/calendar_json.hpp"
#include "fuzz_require.hpp"

namespace {

using gridaudit::fuzzing::require;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace gridaudit;
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    (void)is_calendar_document(input);
    const auto calendar = parse_calendar_json(input, "fuzz.json");
    if (!calendar) {
        require(calendar.error().message().starts_with("fuzz.json"));
        return 0;
    }
    const std::string written = calendar_to_json(*calendar);
    require(is_calendar_document(written));
    const auto reloaded = parse_calendar_json(written, "written.json");
    require(reloaded.has_value());
    require(calendar_to_json(*reloaded) == written);
    return 0;
}
