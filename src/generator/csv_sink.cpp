// Buffered CSV output with fixed-point number formatting.
#include "generator/csv_sink.hpp"

#include <cerrno>
#include <cmath>
#include <cstring>
#include <fmt/format.h>

namespace gridaudit {

CsvSink::~CsvSink() {
    if (file_) std::fclose(file_);
}

Status CsvSink::open(const std::filesystem::path& path, std::string_view header) {
    path_ = path;
    file_ = std::fopen(path.c_str(), "wb");
    if (!file_) return external_error(fmt::format("{}: cannot create file: {}", path.string(), std::strerror(errno)));
    buffer_.reserve(flush_threshold + 4096);
    buffer_.append(header);
    buffer_.push_back('\n');
    return {};
}

void CsvSink::flush() {
    if (buffer_.empty()) return;
    if (file_ && error_.empty()) {
        if (std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size())
            error_ = fmt::format("{}: write failed: {}", path_.string(), std::strerror(errno));
    }
    bytes_ += buffer_.size();
    buffer_.clear();
}

Status CsvSink::close() {
    flush();
    if (file_) {
        if (std::fclose(file_) != 0 && error_.empty())
            error_ = fmt::format("{}: close failed: {}", path_.string(), std::strerror(errno));
        file_ = nullptr;
    }
    if (!error_.empty()) return external_error(error_);
    return {};
}

void CsvSink::integer(std::int64_t value) {
    const fmt::format_int formatted(value);
    buffer_.append(formatted.data(), formatted.size());
}

void CsvSink::fixed(std::int64_t value, int decimals) {
    if (decimals <= 0) {
        integer(value);
        return;
    }
    std::uint64_t magnitude = value < 0 ? static_cast<std::uint64_t>(-value) : static_cast<std::uint64_t>(value);
    std::uint64_t scale = 1;
    for (int i = 0; i < decimals; ++i) scale *= 10;
    if (value < 0) buffer_.push_back('-');
    const fmt::format_int whole(magnitude / scale);
    buffer_.append(whole.data(), whole.size());
    buffer_.push_back('.');
    char digits[20];
    std::uint64_t fraction = magnitude % scale;
    for (int i = decimals - 1; i >= 0; --i) {
        digits[i] = static_cast<char>('0' + fraction % 10);
        fraction /= 10;
    }
    buffer_.append(digits, static_cast<std::size_t>(decimals));
}

void CsvSink::decimal(double value, int decimals) {
    double scale = 1;
    for (int i = 0; i < decimals; ++i) scale *= 10;
    const double scaled = value * scale;
    const auto rounded = static_cast<std::int64_t>(scaled < 0 ? -std::floor(-scaled + 0.5) : std::floor(scaled + 0.5));
    fixed(rounded, decimals);
}

void format_iso_date(CivilDate date, char* out) {
    // Howard Hinnant's civil_from_days.
    std::int64_t z = static_cast<std::int64_t>(date.days_since_epoch()) + 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned day = doy - (153 * mp + 2) / 5 + 1;
    const unsigned month = mp < 10 ? mp + 3 : mp - 9;
    const auto year = static_cast<unsigned>(static_cast<std::int64_t>(yoe) + era * 400 + (month <= 2 ? 1 : 0));
    out[0] = static_cast<char>('0' + year / 1000 % 10);
    out[1] = static_cast<char>('0' + year / 100 % 10);
    out[2] = static_cast<char>('0' + year / 10 % 10);
    out[3] = static_cast<char>('0' + year % 10);
    out[4] = '-';
    out[5] = static_cast<char>('0' + month / 10);
    out[6] = static_cast<char>('0' + month % 10);
    out[7] = '-';
    out[8] = static_cast<char>('0' + day / 10);
    out[9] = static_cast<char>('0' + day % 10);
}

void CsvSink::date(CivilDate date) {
    char text[10];
    format_iso_date(date, text);
    buffer_.append(text, 10);
}

}  // namespace gridaudit
