// A strict RFC 4180 CSV reader over a whole file held in memory.
//
// Records come out as spans of field views, each with its 1-based line and 1-based character
// column (UTF-8 code points, not bytes), so every problem can be reported as file:line:column.
// Accepted: fields quoted with '"', doubled quotes inside quotes, commas and line breaks inside
// quotes, LF or CRLF line ends, a UTF-8 byte-order mark at the start of the input (skipped),
// a last line with or without a line end, empty fields. Blank lines between records are
// skipped (they are not records). Malformed records (a quote inside an unquoted field, text
// after a closing quote, a carriage return not followed by a line feed, a quoted field still
// open at the end of the input) are reported with their position; reading then resumes at the
// next line. Unquoted fields are scanned 16 bytes at a time (SSE2) and returned as views into
// the input; a quoted field is unescaped into the reader's scratch buffer only when it holds a
// doubled quote.
//
// Sizes are capped so that a file that is no CSV export (a binary file, gigabytes without a line
// end) is refused after reading a bounded prefix: a record longer than its limit (max_record_bytes;
// a header line: max_header_bytes, see limit_record_bytes) ends the reading of the whole input
// (CsvSyntaxError::whole_file; the rest is not scanned), and a field longer than max_field_bytes
// makes its record malformed.
//
// Thread safety: a CsvReader is used by one thread; many readers may share one input.
// REQUIRES: the input outlives the reader and every view it returned. Views returned for a
// record stay valid until the next call to next().
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace gridaudit {

struct CsvField {
    std::string_view text;     // the unescaped value
    std::uint32_t line = 0;    // line where the field starts (1-based)
    std::uint32_t column = 0;  // character column where the field starts (1-based; the opening quote if quoted)
    bool quoted = false;
};

struct CsvRecord {
    std::span<const CsvField> fields;  // empty for a malformed record
    std::string_view raw;              // the record's bytes as in the input, without its line end
    std::size_t offset = 0;            // byte offset of `raw` in the input
    std::uint32_t line = 0;            // line where the record starts
};

inline constexpr std::size_t max_header_bytes = std::size_t{64} << 10;
inline constexpr std::size_t max_record_bytes = std::size_t{1} << 20;
inline constexpr std::size_t max_field_bytes = std::size_t{64} << 10;

struct CsvSyntaxError {
    std::uint32_t line = 0;
    std::uint32_t column = 0;
    std::string_view what;    // e.g. "quote inside an unquoted field"; valid until the next call to next()
    bool whole_file = false;  // a record over the limit: the rest of the input was not read
};

enum class CsvStatus {
    record,     // record() holds the next record
    malformed,  // record().raw and error() describe a malformed record; the reader has moved past it
    end,        // no more records
};

// Where a reader starts: a byte offset at the start of a line, and that line's number.
struct CsvPosition {
    std::size_t offset = 0;
    std::uint32_t line = 1;
};

class CsvReader {
public:
    // Reads `input` from `start`. A byte-order mark is skipped only at offset 0.
    // REQUIRES: start.offset is 0 or just after a line feed that ends a record.
    explicit CsvReader(std::string_view input, CsvPosition start = {});

    CsvStatus next();

    // The longest record next() reads (without its line end); max_record_bytes unless changed.
    void limit_record_bytes(std::size_t limit) { record_limit_ = limit; }

    // Continues reading at `position` (as if constructed there), keeping the reader's buffers.
    // REQUIRES: as for the constructor.
    void reset(CsvPosition position);

    [[nodiscard]] const CsvRecord& record() const { return record_; }
    [[nodiscard]] const CsvSyntaxError& error() const { return error_; }
    // Where the next record (or blank line) starts.
    [[nodiscard]] CsvPosition position() const { return {static_cast<std::size_t>(cursor_ - input_.data()), line_}; }

private:
    CsvStatus fail(const char* at, std::string_view what);
    CsvStatus fail_at(std::uint32_t line, std::uint32_t column, std::string_view what, bool to_end);
    CsvStatus too_long();
    // Where a record that started at record_start_ must have ended: `end_` or one byte past the limit.
    [[nodiscard]] const char* record_limit() const {
        return static_cast<std::size_t>(end_ - record_start_) > record_limit_ ? record_start_ + record_limit_ + 1
                                                                              : end_;
    }
    void advance_lines(const char* from, const char* to);
    [[nodiscard]] std::uint32_t column_at(const char* at) const {
        return static_cast<std::uint32_t>(at - line_start_) - line_continuation_ + 1;
    }

    std::string_view input_;
    const char* cursor_ = nullptr;
    const char* end_ = nullptr;
    const char* record_start_ = nullptr;
    const char* line_start_ = nullptr;
    std::uint32_t line_ = 1;
    std::uint32_t line_continuation_ = 0;  // UTF-8 continuation bytes in [line_start_, scan position)
    std::vector<CsvField> fields_;
    std::string scratch_;
    struct ScratchField {
        std::size_t field;
        std::size_t offset;
        std::size_t size;
    };
    std::vector<ScratchField> scratch_fields_;
    CsvRecord record_;
    CsvSyntaxError error_;
    std::size_t record_limit_ = max_record_bytes;
    std::string message_;  // error_.what when it is composed
};

// Appends `value` to `out` as one CSV field, quoted when it has to be (a comma, quote, CR or LF
// inside, or when `force_quotes`).
void append_csv_field(std::string& out, std::string_view value, bool force_quotes = false);

}  // namespace gridaudit
