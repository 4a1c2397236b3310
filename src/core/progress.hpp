// The observer a long operation (an import, the generator's write loop, the audit's run over
// regions, the report, a benchmark) tells how far it has come, so a command line can show it. The
// layers below cli/ call it; only cli/ draws (cli/progress_line.hpp). Every call that takes an
// observer defaults to null_progress(), which does nothing, so a caller that passes none sees no
// change.
//
// Cost: report in batches (a file, a chunk of rows, a region), never once per row in a hot loop:
// each call is a virtual call and the terminal observer reads a clock.
//
// Thread safety: stage() is called by one thread at a time, between the stages' work; advance()
// may be called from several threads at once (the audit's regions run in parallel), and every
// implementation must allow that.
#pragma once

#include <cstdint>
#include <string_view>

namespace gridaudit {

class ProgressObserver {
public:
    virtual ~ProgressObserver() = default;

    // A new stage begins and the one before it ends: what is being done ("validating meters.csv"),
    // the unit counted ("rows", "regions", "files") and how many there are, 0 when not known. The
    // observer copies the text it keeps.
    virtual void stage(std::string_view name, std::string_view unit, std::uint64_t total) = 0;

    // `done` more units of the current stage are done.
    virtual void advance(std::uint64_t done) = 0;

    // The current stage is over and nothing shows until the next one begins: what a caller that
    // prints to the terminal between stages (a benchmark's table row) calls first.
    virtual void finish() {}
};

// The observer that ignores everything: the default of every call that takes one.
class NullProgress final : public ProgressObserver {
public:
    void stage(std::string_view, std::string_view, std::uint64_t) override {}
    void advance(std::uint64_t) override {}
};

[[nodiscard]] inline ProgressObserver& null_progress() {
    static NullProgress none;
    return none;
}

}  // namespace gridaudit
