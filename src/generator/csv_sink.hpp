// A buffered CSV file writer for the generator's bulk output.
//
// Rows are appended into an in-memory buffer with cheap fixed-point formatting (no locale, no
// exponent, '.' as decimal point) and written with one fwrite per megabyte. Fields are never
// quoted: the generator writes no commas, quotes or line breaks inside a field. The first I/O
// error is kept and reported by close(). Thread safety: one thread per sink.
#pragma once

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "core/time.hpp"

namespace gridaudit {

class CsvSink {
public:
    CsvSink() = default;
    CsvSink(const CsvSink&) = delete;
    CsvSink& operator=(const CsvSink&) = delete;
    ~CsvSink();

    // Creates (truncates) the file and writes the header row.
    [[nodiscard]] Status open(const std::filesystem::path& path, std::string_view header);
    // Flushes and closes; returns the first error met while writing.
    [[nodiscard]] Status close();

    void text(std::string_view value) { buffer_.append(value); }
    void comma() { buffer_.push_back(','); }
    void field(std::string_view value) {
        buffer_.append(value);
        buffer_.push_back(',');
    }
    void integer(std::int64_t value);
    // `value` counted in units of 10^-decimals, written with exactly `decimals` decimals.
    void fixed(std::int64_t value, int decimals);
    // A double rounded half away from zero to `decimals` places.
    void decimal(double value, int decimals);
    void date(CivilDate date);
    void end_row() {
        buffer_.push_back('\n');
        ++rows_;
        if (buffer_.size() >= flush_threshold) flush();
    }

    [[nodiscard]] std::uint64_t rows() const { return rows_; }  // data rows, header excluded
    [[nodiscard]] std::uint64_t bytes() const { return bytes_ + buffer_.size(); }
    [[nodiscard]] const std::filesystem::path& path() const { return path_; }

private:
    static constexpr std::size_t flush_threshold = 1 << 20;
    void flush();

    std::FILE* file_ = nullptr;
    std::filesystem::path path_;
    std::string buffer_;
    std::uint64_t rows_ = 0;
    std::uint64_t bytes_ = 0;
    std::string error_;
};

// "YYYY-MM-DD" into out[0..10). Faster than CivilDate::to_string for bulk output.
void format_iso_date(CivilDate date, char* out);

}  // namespace gridaudit
