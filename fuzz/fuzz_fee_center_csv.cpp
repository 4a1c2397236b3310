// Fuzz target: random bytes through the fee center's anomaly CSV of `gridaudit cases import`
// (cases/fee_center_csv.hpp). Invariants: no crash or sanitizer report; a refused file's message
// starts with "fuzz.csv" and every listed problem names "fuzz.csv:LINE:COLUMN"; an accepted row has
// a subject id, a kind usable as a cause, a description, an amount of at least 0, a date not after
// today and a source line inside the file.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "cases/fee_center_csv.hpp"
#include "fuzz_require.hpp"

namespace {

using gridaudit::fuzzing::require;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace gridaudit;
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const CivilDate today = CivilDate::from_ymd(2026, 10, 8);
    const auto rows = parse_fee_center_csv(input, "fuzz.csv", today);
    if (!rows) {
        const std::string& message = rows.error().message();
        require(message.starts_with("fuzz.csv: the fee-center list is refused"));
        for (std::size_t at = message.find('\n'); at != std::string::npos; at = message.find('\n', at + 1)) {
            const std::string_view line = std::string_view(message).substr(at + 1);
            require(line.starts_with("fuzz.csv:") || line.starts_with("... and "));
        }
        return 0;
    }
    std::size_t lines = 1;
    for (const char c : input) lines += c == '\n' ? 1 : 0;
    for (const FeeCenterAnomaly& row : *rows) {
        require(!row.subject_id.empty());
        require(is_case_cause(row.kind));
        require(!row.description.empty());
        require(row.amount.units() >= 0);
        require(row.found_on <= today);
        require(row.source.starts_with("fuzz.csv:"));
        require(std::stoul(row.source.substr(9)) <= lines);
    }
    return 0;
}
