// Fuzz target: random bytes as the JSON body of every POST route of the HTTP API, through the
// parser its handler calls (server/api_bodies.hpp). Invariants: no crash or sanitizer report; a
// refused body is a user error the server answers with 400 naming the field at fault (never a
// 500, never a 400 without a field).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "server/api_bodies.hpp"
#include "server/api_errors.hpp"
#include "fuzz_require.hpp"

namespace {

using gridaudit::fuzzing::require;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace gridaudit;
    static const std::vector<BodyParser> parsers = body_parsers();
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    for (const BodyParser& parser : parsers) {
        const Status parsed = parser.parse(input);
        if (parsed) continue;
        require(parsed.error().kind() == ErrorClass::user);
        require(http_status(parsed.error()) == 400);
        require(!error_field(parsed.error()).empty());
        require(error_response(parsed.error()).status == 400);
    }
    return 0;
}
