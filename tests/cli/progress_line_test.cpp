// The progress line of long commands, drawn into a string with a clock the test moves: what each
// stage shows (counts, rate, time left, bytes), the cut to the terminal's width, the redraw only
// when the text changed and the erasing at the end; and that a command whose stderr is not a
// terminal draws nothing.
#include "cli/progress_line.hpp"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace gridaudit {
namespace {

using namespace std::chrono_literals;

struct FakeTerminal {
    std::string written;
    std::chrono::steady_clock::time_point now{};

    ProgressLine line(std::size_t width = 100) {
        return ProgressLine([this](std::string_view text) { written += text; }, [this] { return now; }, width);
    }
};

TEST(ProgressLineTest, NothingIsDrawnBeforeTheFirstStage) {
    FakeTerminal terminal;
    auto line = terminal.line();
    line.advance(10);
    line.draw();
    line.clear();
    EXPECT_EQ(terminal.written, "");
}

TEST(ProgressLineTest, ShowsDoneOfTotalTheRateAndTheTimeLeft) {
    FakeTerminal terminal;
    auto line = terminal.line();
    line.stage("validating meters.csv", "rows", 480'000);
    EXPECT_EQ(line.text(), "validating meters.csv  0 of 480,000 rows");
    terminal.now += 3s;
    line.advance(100'000);
    line.advance(20'000);
    EXPECT_EQ(line.text(), "validating meters.csv  120,000 of 480,000 rows  40,000 rows/s  9 s left");
    terminal.now += 3s;
    line.advance(120'000);  // 240,000 in 6 s, 240,000 to go
    EXPECT_EQ(line.text(), "validating meters.csv  240,000 of 480,000 rows  40,000 rows/s  6 s left");
    line.advance(1'000'000);  // more than the total: shown as the total, nothing left
    EXPECT_EQ(line.text(), "validating meters.csv  480,000 of 480,000 rows  80,000 rows/s");
}

TEST(ProgressLineTest, ANewStageStartsItsCountAndClockAgain) {
    FakeTerminal terminal;
    auto line = terminal.line();
    line.stage("running rules", "regions", 40);
    terminal.now += 10s;
    line.advance(4);
    EXPECT_EQ(line.text(), "running rules  4 of 40 regions  0.4 regions/s  1 min 30 s left");
    line.stage("utility-wide rules", "rules", 37);
    EXPECT_EQ(line.text(), "utility-wide rules  0 of 37 rules");
    terminal.now += 2s;
    line.advance(1);
    EXPECT_EQ(line.text(), "utility-wide rules  1 of 37 rules  0.5 rules/s  1 min 12 s left");
}

TEST(ProgressLineTest, AStageWithoutCountsShowsHowLongItHasRun) {
    FakeTerminal terminal;
    auto line = terminal.line();
    line.stage("writing to the store", "rows", 0);
    EXPECT_EQ(line.text(), "writing to the store");
    terminal.now += 14s;
    EXPECT_EQ(line.text(), "writing to the store  14 s");
    terminal.now += 2h + 7min;
    EXPECT_EQ(line.text(), "writing to the store  2 h 07 min");
    line.stage("simulating series", "customers", 0);  // counted, total unknown: no time left
    terminal.now += 4s;
    line.advance(12'000);
    EXPECT_EQ(line.text(), "simulating series  12,000 customers  3,000 customers/s");
}

TEST(ProgressLineTest, BytesAreShownInDecimalUnits) {
    FakeTerminal terminal;
    auto line = terminal.line();
    line.stage("reading ami_daily.csv", "bytes", 1'500'000'000);
    terminal.now += 5s;
    line.advance(412'000'000);
    EXPECT_EQ(line.text(), "reading ami_daily.csv  412 MB of 1.5 GB  82 MB/s  14 s left");
}

TEST(ProgressLineTest, RedrawsInPlaceOnlyWhenTheTextChangedAndClearsAtTheEnd) {
    FakeTerminal terminal;
    auto line = terminal.line();
    line.stage("loading regions", "regions", 0);
    line.draw();
    EXPECT_EQ(terminal.written, "\rloading regions");
    line.draw();  // the same text: nothing written
    EXPECT_EQ(terminal.written, "\rloading regions");
    terminal.written.clear();
    line.stage("running rules", "regions", 3);
    line.draw();
    EXPECT_EQ(terminal.written, "\rrunning rules  0 of 3 regions");
    terminal.written.clear();
    line.stage("done", "regions", 0);
    line.draw();  // shorter than the line before: spaces over the rest
    EXPECT_EQ(terminal.written, "\rdone" + std::string(25, ' '));
    terminal.written.clear();
    line.clear();
    EXPECT_EQ(terminal.written, "\r    \r");
    terminal.written.clear();
    line.clear();  // nothing on the terminal any more
    EXPECT_EQ(terminal.written, "");
    line.draw();  // drawn afresh after a clear
    EXPECT_EQ(terminal.written, "\rdone");
}

TEST(ProgressLineTest, AFinishedStageIsErasedAndNothingShowsUntilTheNext) {
    FakeTerminal terminal;
    auto line = terminal.line();
    line.stage("import", "", 0);
    line.draw();
    line.finish();
    EXPECT_EQ(terminal.written, "\rimport\r      \r");
    terminal.now += 5s;
    line.draw();
    EXPECT_EQ(line.text(), "");
    EXPECT_EQ(terminal.written, "\rimport\r      \r");
    line.stage("audit", "", 0);
    line.draw();
    EXPECT_EQ(terminal.written, "\rimport\r      \r\raudit");
}

TEST(ProgressLineTest, TheLineIsCutOneColumnShortOfTheWidth) {
    FakeTerminal terminal;
    auto line = terminal.line(20);
    line.stage("validating customers.csv", "rows", 1000);
    line.draw();
    EXPECT_EQ(terminal.written, "\rvalidating customer");
    terminal.written.clear();
    line.clear();
    EXPECT_EQ(terminal.written, "\r" + std::string(19, ' ') + "\r");

    FakeTerminal wide;  // a code point of several bytes is one column and never split
    auto utf8 = wide.line(8);
    utf8.stage("读取电表数据文件", "rows", 0);
    utf8.draw();
    EXPECT_EQ(wide.written, "\r读取电表数据文");
}

TEST(ProgressLineTest, AdvancesFromSeveralThreadsAllCount) {
    FakeTerminal terminal;
    auto line = terminal.line();
    line.stage("running rules", "regions", 0);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < 1000; ++i) line.advance(1);
        });
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(line.text(), "running rules  4,000 regions");
}

TEST(ProgressLineTest, ACommandWhoseStderrIsNotATerminalOrThatIsQuietDrawsNothing) {
    // The test harness's stderr is a file or a pipe, never a terminal.
    ASSERT_FALSE(stderr_is_terminal());
    TerminalProgress progress(false);
    EXPECT_FALSE(progress.drawing());
    EXPECT_EQ(&progress.observer(), &null_progress());
    TerminalProgress quiet(true);
    EXPECT_FALSE(quiet.drawing());
    EXPECT_EQ(&quiet.observer(), &null_progress());
}

}  // namespace
}  // namespace gridaudit
