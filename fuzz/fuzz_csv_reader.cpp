// Fuzz target: random bytes through the CSV reader. Invariants: no crash or sanitizer report;
// every field has a line >= its record's and a column >= 1; the reader always moves forward;
// the good records, written back as CSV and read again, give the same fields.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "text/csv_reader.hpp"
#include "fuzz_require.hpp"

namespace {

using Records = std::vector<std::vector<std::string>>;

using gridaudit::fuzzing::require;

Records read_records(std::string_view input, bool expect_no_errors) {
    Records records;
    gridaudit::CsvReader reader(input);
    std::size_t last_offset = 0;
    bool first = true;
    for (gridaudit::CsvStatus status; (status = reader.next()) != gridaudit::CsvStatus::end;) {
        const auto& record = reader.record();
        require(first || reader.position().offset > last_offset);
        first = false;
        last_offset = reader.position().offset;
        require(record.line >= 1);
        require(record.offset + record.raw.size() <= input.size());
        if (status == gridaudit::CsvStatus::malformed) {
            require(!expect_no_errors);
            require(reader.error().line >= record.line && reader.error().column >= 1);
            continue;
        }
        require(!record.fields.empty());
        std::vector<std::string> fields;
        for (const auto& field : record.fields) {
            require(field.column >= 1);
            require(field.line >= record.line);
            fields.emplace_back(field.text);
        }
        records.push_back(std::move(fields));
    }
    return records;
}

std::string write_records(const Records& records) {
    std::string text;
    for (std::size_t r = 0; r < records.size(); ++r) {
        const auto& record = records[r];
        for (std::size_t f = 0; f < record.size(); ++f) {
            if (f > 0) text += ',';
            // An empty lone field must be quoted (an empty line is no record); a byte-order mark
            // at the very start would be skipped, so it is quoted too.
            const bool force = (record.size() == 1 && record[f].empty()) ||
                               (r == 0 && f == 0 && std::string_view(record[f]).starts_with("\xEF\xBB\xBF"));
            gridaudit::append_csv_field(text, record[f], force);
        }
        text += '\n';
    }
    return text;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const Records records = read_records(input, false);
    const std::string written = write_records(records);
    require(read_records(written, true) == records);
    return 0;
}
