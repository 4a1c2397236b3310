// The status line of a long command on a terminal (see progress_line.hpp).
#include "cli/progress_line.hpp"

#include <fmt/format.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <vector>

#include "core/money_text.hpp"

namespace gridaudit {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view bytes_unit = "bytes";

std::string grouped(std::uint64_t count) {
    return group_thousands(std::to_string(count));
}

// A byte count as people read it: "950 kB", "412 MB", "1.5 GB".
std::string byte_size(double bytes) {
    constexpr std::string_view units[] = {"B", "kB", "MB", "GB", "TB"};
    std::size_t u = 0;
    while (bytes >= 1000 && u + 1 < std::size(units)) {
        bytes /= 1000;
        ++u;
    }
    return bytes < 10 && u > 0 ? fmt::format("{:.1f} {}", bytes, units[u]) : fmt::format("{:.0f} {}", bytes, units[u]);
}

// A count of the stage's unit: "120,000 rows", "412 MB".
std::string amount(std::uint64_t count, std::string_view unit) {
    if (unit == bytes_unit) return byte_size(static_cast<double>(count));
    return grouped(count);
}

// Units per second: one decimal under 10, whole and grouped above.
std::string rate_text(double per_second, std::string_view unit) {
    if (unit == bytes_unit) return byte_size(per_second) + "/s";
    if (per_second < 10) return fmt::format("{:.1f} {}/s", per_second, unit);
    return fmt::format("{} {}/s", grouped(static_cast<std::uint64_t>(std::llround(per_second))), unit);
}

// Whole seconds as "9 s", "4 min 05 s", "2 h 07 min".
std::string duration_text(std::uint64_t seconds) {
    if (seconds < 60) return fmt::format("{} s", seconds);
    if (seconds < 3600) return fmt::format("{} min {:02} s", seconds / 60, seconds % 60);
    return fmt::format("{} h {:02} min", seconds / 3600, seconds % 3600 / 60);
}

// The first `columns` characters of UTF-8 text (each code point one column), and how many it has.
std::pair<std::string_view, std::size_t> cut(std::string_view text, std::size_t columns) {
    std::size_t count = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;  // a continuation byte
        if (count == columns) return {text.substr(0, i), count};
        ++count;
    }
    return {text, count};
}

}  // namespace

ProgressLine::ProgressLine(Sink sink, Clock clock, std::size_t width)
    : sink_(std::move(sink)), clock_(std::move(clock)), width_(width) {}

void ProgressLine::stage(std::string_view name, std::string_view unit, std::uint64_t total) {
    const std::lock_guard lock(mutex_);
    name_ = std::string(name);
    unit_ = std::string(unit);
    total_ = total;
    done_.store(0, std::memory_order_relaxed);
    started_ = clock_();
    staged_ = true;
}

void ProgressLine::advance(std::uint64_t done) {
    done_.fetch_add(done, std::memory_order_relaxed);
}

void ProgressLine::finish() {
    {
        const std::lock_guard lock(mutex_);
        staged_ = false;
    }
    clear();
}

std::string ProgressLine::text() {
    const std::lock_guard lock(mutex_);
    return text_locked(clock_());
}

std::string ProgressLine::text_locked(std::chrono::steady_clock::time_point now) const {
    if (!staged_) return {};
    std::uint64_t done = done_.load(std::memory_order_relaxed);
    if (total_ > 0) done = std::min(done, total_);
    const double seconds = std::chrono::duration<double>(now - started_).count();
    std::vector<std::string> parts{name_};
    if (done == 0 && total_ == 0) {
        // Nothing counted: how long the stage has run, so the line shows it is alive.
        if (seconds >= 1) parts.push_back(duration_text(static_cast<std::uint64_t>(seconds)));
    } else {
        std::string count = amount(done, unit_);
        if (total_ > 0) count += " of " + amount(total_, unit_);
        if (unit_ != bytes_unit) count += " " + unit_;
        parts.push_back(std::move(count));
        if (done > 0 && seconds > 0) {
            const double per_second = static_cast<double>(done) / seconds;
            parts.push_back(rate_text(per_second, unit_));
            if (total_ > 0 && done < total_) {
                const double left = static_cast<double>(total_ - done) / per_second;
                parts.push_back(duration_text(static_cast<std::uint64_t>(std::ceil(left))) + " left");
            }
        }
    }
    std::string text;
    for (const auto& part : parts) text += (text.empty() ? "" : "  ") + part;
    return text;
}

void ProgressLine::draw() {
    const std::lock_guard lock(mutex_);
    const std::string full = text_locked(clock_());
    if (full.empty()) return;
    const auto [shown, columns] = cut(full, width_ > 1 ? width_ - 1 : 1);
    if (shown == shown_) return;
    std::string out = "\r" + std::string(shown);
    // Spaces over what the longer line before left, then back to the end of this one.
    if (shown_columns_ > columns) out += std::string(shown_columns_ - columns, ' ');
    sink_(out);
    shown_ = std::string(shown);
    shown_columns_ = columns;
}

void ProgressLine::clear() {
    const std::lock_guard lock(mutex_);
    if (shown_columns_ > 0) sink_("\r" + std::string(shown_columns_, ' ') + "\r");
    shown_.clear();
    shown_columns_ = 0;
}

bool stderr_is_terminal() {
    return isatty(STDERR_FILENO) == 1;
}

TerminalProgress::TerminalProgress(bool quiet) {
    if (quiet || !stderr_is_terminal()) return;
    std::size_t width = 80;
    winsize size{};
    if (ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) width = size.ws_col;
    line_ = std::make_unique<ProgressLine>(
        [](std::string_view text) {
            std::fwrite(text.data(), 1, text.size(), stderr);
            std::fflush(stderr);
        },
        [] { return std::chrono::steady_clock::now(); }, width);
    ticker_ = std::thread([this] {
        std::unique_lock lock(mutex_);
        while (!wake_.wait_for(lock, 100ms, [this] { return stopping_; })) line_->draw();
    });
}

TerminalProgress::~TerminalProgress() {
    clear();
}

ProgressObserver& TerminalProgress::observer() {
    if (line_) return *line_;
    return null_progress();
}

void TerminalProgress::clear() {
    if (!line_) return;
    {
        const std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (ticker_.joinable()) ticker_.join();
    line_->clear();
}

}  // namespace gridaudit
