// Runs one benchmark stage in a child process and measures its time and peak memory.
//
// Each stage gets a fresh process, so its peak resident memory (from wait4's rusage) is its own
// and not the maximum of everything run before. Thread safety: call from one thread.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "core/progress.hpp"
#include "core/result.hpp"

namespace gridaudit {

struct StageMeasurement {
    std::string name;
    std::uint64_t items = 0;  // rows or values the stage processed
    double seconds = 0;
    std::uint64_t peak_rss_bytes = 0;
    [[nodiscard]] double items_per_second() const { return seconds > 0 ? static_cast<double>(items) / seconds : 0; }
};

// Forks; the child runs `body` (which returns the number of items it processed) and the time it
// took; the parent collects both and the child's peak RSS. A failing body fails the stage.
[[nodiscard]] Result<StageMeasurement> run_stage(const std::string& name, const std::function<Result<std::uint64_t>()>& body);

// The observer every later run_stage tells, in the parent process, that its stage began (by name)
// and ended (finish(), before the caller prints the stage's row); `gridaudit bench` points it at
// its progress line. null_progress() until set. Call from the thread that runs the stages.
void report_stages_to(ProgressObserver& observer);

// "AMD EPYC ..., 2 cores, 23.4 GiB" from /proc.
[[nodiscard]] std::string machine_description();

}  // namespace gridaudit
