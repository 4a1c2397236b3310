// RFC 4180 record scanning: SSE2 search for the next special byte in unquoted fields, memchr for
// quotes in quoted ones, and line/column bookkeeping in UTF-8 code points.
#include "text/csv_reader.hpp"

#include <algorithm>
#include <bit>
#include <cstring>
#include <string>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace gridaudit {
namespace {

constexpr std::string_view byte_order_mark = "\xEF\xBB\xBF";
constexpr std::string_view field_too_long = "a field longer than 65536 bytes";
static_assert(max_field_bytes == 65536);

// Number of UTF-8 continuation bytes (10xxxxxx) in [from, to).
std::uint32_t count_continuation(const char* from, const char* to) {
    std::uint32_t count = 0;
    constexpr std::uint64_t high_bits = 0x8080808080808080ULL;
    while (to - from >= 8) {
        std::uint64_t word;
        std::memcpy(&word, from, 8);
        if ((word & high_bits) != 0) count += std::popcount(word & ~(word << 1) & high_bits);
        from += 8;
    }
    for (; from < to; ++from) count += (static_cast<unsigned char>(*from) & 0xC0) == 0x80;
    return count;
}

// First byte of [p, end) that is a comma, quote, CR or LF (or `end`); adds the UTF-8
// continuation bytes before it to `continuation`.
inline const char* find_special(const char* p, const char* end, std::uint32_t& continuation) {
#if defined(__SSE2__)
    const __m128i comma = _mm_set1_epi8(',');
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i carriage_return = _mm_set1_epi8('\r');
    const __m128i line_feed = _mm_set1_epi8('\n');
    const __m128i continuation_limit = _mm_set1_epi8(-64);  // bytes 0x80..0xBF are below it as signed
    while (end - p >= 16) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
        const __m128i special =
            _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, comma), _mm_cmpeq_epi8(v, quote)),
                         _mm_or_si128(_mm_cmpeq_epi8(v, carriage_return), _mm_cmpeq_epi8(v, line_feed)));
        const auto mask = static_cast<unsigned>(_mm_movemask_epi8(special));
        const auto continuation_mask = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmplt_epi8(v, continuation_limit)));
        if (mask != 0) {
            const int at = std::countr_zero(mask);
            if (continuation_mask != 0) continuation += std::popcount(continuation_mask & ((1u << at) - 1));
            return p + at;
        }
        if (continuation_mask != 0) continuation += std::popcount(continuation_mask);
        p += 16;
    }
#endif
    for (; p < end; ++p) {
        const char c = *p;
        if (c == ',' || c == '"' || c == '\r' || c == '\n') return p;
        continuation += (static_cast<unsigned char>(c) & 0xC0) == 0x80;
    }
    return end;
}

}  // namespace

CsvReader::CsvReader(std::string_view input, CsvPosition start) : input_(input), end_(input.data() + input.size()) {
    reset(start);
}

void CsvReader::reset(CsvPosition position) {
    cursor_ = input_.data() + position.offset;
    line_ = position.line;
    if (position.offset == 0 && input_.starts_with(byte_order_mark)) cursor_ += byte_order_mark.size();
    line_start_ = cursor_;
    line_continuation_ = 0;
}

void CsvReader::advance_lines(const char* from, const char* to) {
    while (const void* found = std::memchr(from, '\n', static_cast<std::size_t>(to - from))) {
        const char* line_feed = static_cast<const char*>(found);
        ++line_;
        line_start_ = line_feed + 1;
        line_continuation_ = 0;
        from = line_start_;
    }
    line_continuation_ += count_continuation(from, to);
}

CsvStatus CsvReader::too_long() {
    message_ = "a line longer than " + std::to_string(record_limit_) +
               " bytes: not a CSV export, the rest of the file is not read";
    error_ = CsvSyntaxError{record_.line, 1, message_, true};
    cursor_ = end_;
    record_.fields = {};
    record_.raw = {};
    return CsvStatus::malformed;
}

CsvStatus CsvReader::fail_at(std::uint32_t line, std::uint32_t column, std::string_view what, bool to_end) {
    error_ = CsvSyntaxError{line, column, what};
    // Resume after the line the error is on (or give up at the end of the input).
    const char* record_end = end_;
    if (to_end) {
        cursor_ = end_;
    } else {
        const char* limit = std::max(record_limit(), cursor_);
        const void* found = std::memchr(cursor_, '\n', static_cast<std::size_t>(limit - cursor_));
        if (found == nullptr && limit < end_) return too_long();
        record_end = found != nullptr ? static_cast<const char*>(found) : end_;
        cursor_ = found != nullptr ? record_end + 1 : end_;
        if (found != nullptr) {
            ++line_;
            line_start_ = cursor_;
            line_continuation_ = 0;
        }
    }
    if (record_end > record_start_ && record_end[-1] == '\n') --record_end;
    if (record_end > record_start_ && record_end[-1] == '\r') --record_end;
    record_.fields = {};
    record_.raw = std::string_view(record_start_, static_cast<std::size_t>(record_end - record_start_));
    return CsvStatus::malformed;
}

CsvStatus CsvReader::fail(const char* at, std::string_view what) {
    cursor_ = at;
    return fail_at(line_, column_at(at), what, false);
}

CsvStatus CsvReader::next() {
    // Blank lines are not records.
    const char* p = cursor_;
    while (p < end_ && (*p == '\n' || (*p == '\r' && p + 1 < end_ && p[1] == '\n'))) {
        p += *p == '\n' ? 1 : 2;
        ++line_;
        line_start_ = p;
        line_continuation_ = 0;
    }
    cursor_ = p;
    if (p >= end_) return CsvStatus::end;

    record_start_ = p;
    record_.offset = static_cast<std::size_t>(p - input_.data());
    record_.line = line_;
    fields_.clear();
    scratch_.clear();
    scratch_fields_.clear();

    const char* const limit = record_limit();
    for (;;) {
        CsvField field;
        field.line = line_;
        field.column = column_at(p);
        if (p < end_ && *p == '"') {
            field.quoted = true;
            const char* segment = p + 1;
            bool escaped = false;
            std::size_t scratch_offset = scratch_.size();
            for (;;) {
                const void* found =
                    segment < limit ? std::memchr(segment, '"', static_cast<std::size_t>(limit - segment)) : nullptr;
                if (found == nullptr && limit < end_) return too_long();
                const char* quote = found != nullptr ? static_cast<const char*>(found) : end_;
                advance_lines(segment, quote);
                if (found == nullptr) {
                    cursor_ = end_;
                    return fail_at(field.line, field.column, "quoted field not closed before the end of the file",
                                   true);
                }
                if (quote + 1 < end_ && quote[1] == '"') {
                    if (!escaped) {
                        escaped = true;
                        scratch_offset = scratch_.size();
                        scratch_.append(p + 1, quote + 1);  // includes one quote
                    } else {
                        scratch_.append(segment, quote + 1);
                    }
                    segment = quote + 2;
                    continue;
                }
                if (escaped) {
                    scratch_.append(segment, quote);
                    scratch_fields_.push_back({fields_.size(), scratch_offset, scratch_.size() - scratch_offset});
                } else {
                    field.text = std::string_view(p + 1, static_cast<std::size_t>(quote - p - 1));
                }
                p = quote + 1;
                break;
            }
            if (p < end_ && *p != ',' && *p != '\n' && !(*p == '\r' && p + 1 < end_ && p[1] == '\n'))
                return fail(p, "text after the closing quote of a field");
            const std::size_t size = escaped ? scratch_.size() - scratch_offset : field.text.size();
            if (size > max_field_bytes) {
                cursor_ = p;
                return fail_at(field.line, field.column, field_too_long, false);
            }
        } else {
            const char* stop = find_special(p, limit, line_continuation_);
            if (stop == limit && limit < end_) return too_long();
            if (stop < end_) {
                if (*stop == '"') return fail(stop, "quote inside an unquoted field");
                if (*stop == '\r' && (stop + 1 >= end_ || stop[1] != '\n'))
                    return fail(stop, "carriage return not followed by a line feed");
            }
            field.text = std::string_view(p, static_cast<std::size_t>(stop - p));
            p = stop;
            if (field.text.size() > max_field_bytes) {
                cursor_ = p;
                return fail_at(field.line, field.column, field_too_long, false);
            }
        }
        fields_.push_back(field);

        if (p >= end_) {
            cursor_ = end_;
            record_.raw = std::string_view(record_start_, static_cast<std::size_t>(end_ - record_start_));
            break;
        }
        if (*p == ',') {
            ++p;
            continue;
        }
        // A line end: LF or CRLF.
        const char* record_end = p;
        p += *p == '\r' ? 2 : 1;
        ++line_;
        line_start_ = p;
        line_continuation_ = 0;
        cursor_ = p;
        record_.raw = std::string_view(record_start_, static_cast<std::size_t>(record_end - record_start_));
        break;
    }
    for (const auto& moved : scratch_fields_)
        fields_[moved.field].text = std::string_view(scratch_.data() + moved.offset, moved.size);
    record_.fields = fields_;
    return CsvStatus::record;
}

void append_csv_field(std::string& out, std::string_view value, bool force_quotes) {
    const bool quote = force_quotes || value.find_first_of(",\"\r\n") != std::string_view::npos;
    if (!quote) {
        out += value;
        return;
    }
    out += '"';
    for (const char c : value) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
}

}  // namespace gridaudit
