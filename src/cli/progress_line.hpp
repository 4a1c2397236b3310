// The one status line a long command shows on a terminal while it works: the stage, how much of it
// is done (of how much, when known), the rate and the time left, redrawn in place with `\r` and
// erased before the command prints its result. Lower layers report through ProgressObserver
// (core/progress.hpp); ProgressLine is the observer that draws, TerminalProgress decides whether
// a command draws at all (stderr a terminal, no --quiet, no --json) and redraws about ten times a
// second from a thread of its own, so advance() is only an atomic addition.
//
// Thread safety: ProgressLine's stage(), advance(), draw() and clear() may be called from any
// threads at once. TerminalProgress is used by the command's thread; its observer by any.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "core/progress.hpp"

namespace gridaudit {

class ProgressLine final : public ProgressObserver {
public:
    using Clock = std::function<std::chrono::steady_clock::time_point()>;
    using Sink = std::function<void(std::string_view)>;

    // Draws into `sink` (stderr, or a string in tests), reading the time from `clock`; the line is
    // cut to width - 1 columns so that it never wraps.
    ProgressLine(Sink sink, Clock clock, std::size_t width);

    void stage(std::string_view name, std::string_view unit, std::uint64_t total) override;
    void advance(std::uint64_t done) override;
    void finish() override;  // clear(), and nothing drawn until the next stage

    // Redraws the line when its text changed. Nothing before the first stage.
    void draw();
    // Erases the line (spaces over it, the cursor back at its start); the next draw starts afresh.
    void clear();

    // The text of the line now, uncut: "validating meters.csv  120,000 of 480,000 rows  40,000 rows/s  9 s left".
    [[nodiscard]] std::string text();

private:
    [[nodiscard]] std::string text_locked(std::chrono::steady_clock::time_point now) const;

    Sink sink_;
    Clock clock_;
    std::size_t width_;
    std::mutex mutex_;
    std::string name_, unit_;
    std::uint64_t total_ = 0;
    std::atomic<std::uint64_t> done_{0};
    std::chrono::steady_clock::time_point started_;
    bool staged_ = false;
    std::string shown_;  // the text on the terminal now (cut), empty when cleared
    std::size_t shown_columns_ = 0;
};

// The progress of one command: a ProgressLine on stderr, redrawn every 100 ms by a thread, when
// stderr is a terminal and the command is neither quiet nor printing JSON; otherwise nothing.
class TerminalProgress {
public:
    explicit TerminalProgress(bool quiet);
    ~TerminalProgress();  // clear()
    TerminalProgress(const TerminalProgress&) = delete;
    TerminalProgress& operator=(const TerminalProgress&) = delete;

    // What lower layers report to: null_progress() when nothing is drawn.
    [[nodiscard]] ProgressObserver& observer();
    [[nodiscard]] bool drawing() const { return line_ != nullptr; }
    // Stops drawing and erases the line; call before printing the command's result. Idempotent.
    void clear();

private:
    std::unique_ptr<ProgressLine> line_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread ticker_;
};

// Whether stderr is a terminal (isatty), the one condition of TerminalProgress besides its flags.
[[nodiscard]] bool stderr_is_terminal();

}  // namespace gridaudit
