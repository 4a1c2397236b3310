// Atomicity under kill -9: a child process applies a large batch and is killed at many points;
// the reopened store must hold exactly the state before the batch or exactly the state after it.
//
// Kill points are deterministic: fractions of the duration of an uninterrupted reference run
// (0 kills before the child can write anything), and moments when the child's write-ahead log
// reaches fractions of the size it reached in the reference run (late ones fall in COMMIT).
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <thread>

#include "batch_builder.hpp"
#include "crash_batches.hpp"
#include "store/sqlite_store.hpp"

namespace gridaudit {
namespace {

using namespace gridaudit::testing;
using Clock = std::chrono::steady_clock;

// (base + new meters) x 100 days = 2.2 M daily rows
constexpr CrashBatchSize crash_size{20'000, 2'000, 100};

Fingerprint fingerprint(const std::string& path) {
    auto store = SqliteStore::open(path);
    EXPECT_TRUE(store.has_value()) << store.error().message();
    if (!store) return {};
    return crash_fingerprint(**store, crash_size);
}

std::uintmax_t file_size_or_zero(const std::string& path) {
    std::error_code error;
    const auto size = std::filesystem::file_size(path, error);
    return error ? 0 : size;
}

// Forks a child that applies `batch` to the store at `path` and exits: 0 when it committed.
pid_t start_import(const std::string& path, const ValidatedBatch& batch) {
    const pid_t child = fork();
    if (child == 0) {
        auto store = SqliteStore::open(path);
        const bool committed = store && (*store)->apply_batch(batch, {}).has_value();
        _exit(committed ? 0 : 1);
    }
    return child;
}

class SqliteStoreCrashTest : public ::testing::Test {
protected:
    void SetUp() override {
        base_path_ = directory_.file("base.db");
        {
            auto store = SqliteStore::open(base_path_);
            ASSERT_TRUE(store.has_value()) << store.error().message();
            auto outcome = (*store)->apply_batch(crash_base_batch(crash_size), {});
            ASSERT_TRUE(outcome.has_value()) << outcome.error().message();
        }  // closing the last connection checkpoints and removes the WAL: one self-contained file
        ASSERT_FALSE(std::filesystem::exists(base_path_ + "-wal"));
        batch_ = crash_large_batch(crash_size);
    }

    std::string fresh_copy(std::string_view name) {
        const auto path = directory_.file(name);
        std::filesystem::copy_file(base_path_, path, std::filesystem::copy_options::overwrite_existing);
        return path;
    }

    TemporaryDirectory directory_;
    std::string base_path_;
    ValidatedBatch batch_;
};

TEST_F(SqliteStoreCrashTest, AKilledImportLeavesTheStoreBeforeOrAfterNeverBetween) {
    const Fingerprint before = fingerprint(base_path_);

    // Reference run: not killed. Measure its duration and its peak WAL size.
    const auto reference_path = fresh_copy("reference.db");
    const auto started = Clock::now();
    const pid_t reference = start_import(reference_path, batch_);
    ASSERT_GT(reference, 0);
    std::uintmax_t peak_wal = 0;
    int status = 0;
    while (waitpid(reference, &status, WNOHANG) == 0) {
        peak_wal = std::max(peak_wal, file_size_or_zero(reference_path + "-wal"));
        std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    const auto duration = Clock::now() - started;
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "the reference import failed";
    const Fingerprint after = fingerprint(reference_path);
    ASSERT_NE(before, after);
    ASSERT_GT(peak_wal, 0u);

    struct KillPoint {
        std::string name;
        double fraction = 0;
        bool by_wal_size = false;
    };
    std::vector<KillPoint> points;
    for (const double fraction : {0.0, 0.1, 0.25, 0.4, 0.55, 0.7, 0.8, 0.9, 0.95, 1.0, 1.1})
        points.push_back({fmt::format("{:.0f}% of the reference duration", fraction * 100), fraction, false});
    for (const double fraction : {0.3, 0.6, 0.9, 0.99})
        points.push_back({fmt::format("WAL at {:.0f}% of its reference size", fraction * 100), fraction, true});

    int ended_before = 0, ended_after = 0;
    for (std::size_t k = 0; k < points.size(); ++k) {
        const auto& point = points[k];
        const auto path = fresh_copy(fmt::format("killed-{}.db", k));
        const auto kill_started = Clock::now();
        const pid_t child = start_import(path, batch_);
        ASSERT_GT(child, 0);
        const auto threshold = static_cast<std::uintmax_t>(point.fraction * static_cast<double>(peak_wal));
        const auto delay = std::chrono::duration_cast<Clock::duration>(duration * point.fraction);
        const auto reached = [&] {
            return point.by_wal_size ? file_size_or_zero(path + "-wal") >= threshold
                                     : Clock::now() - kill_started >= delay;
        };
        bool exited = false;  // reaped already: never signal a pid that may have been reused
        while (!reached() && !exited) {
            exited = waitpid(child, nullptr, WNOHANG) == child;
            if (!exited) std::this_thread::sleep_for(std::chrono::microseconds(50));
        }
        if (!exited) {
            kill(child, SIGKILL);
            waitpid(child, nullptr, 0);
        }
        const auto wal_at_kill = file_size_or_zero(path + "-wal");

        const Fingerprint state = fingerprint(path);
        const bool is_before = state == before;
        const bool is_after = state == after;
        EXPECT_TRUE(is_before || is_after) << "killed at " << point.name << ": the store is between states";
        ended_before += is_before ? 1 : 0;
        ended_after += is_after ? 1 : 0;
        std::printf("killed at %s: %s (WAL %ju bytes%s)\n", point.name.c_str(),
                    is_before  ? "before"
                    : is_after ? "after"
                               : "BETWEEN",
                    wal_at_kill, exited ? ", the child had finished" : "");
        std::filesystem::remove(path);
    }
    EXPECT_GE(ended_before, 1);  // the kill at 0 lands before the child can commit
    RecordProperty("ended_before", ended_before);
    RecordProperty("ended_after", ended_after);
    std::printf("kill points: %d ended before the batch, %d after it\n", ended_before, ended_after);
}

}  // namespace
}  // namespace gridaudit
