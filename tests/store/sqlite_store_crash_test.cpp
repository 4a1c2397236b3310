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
#include "store/sqlite_store.hpp"

namespace gridaudit {
namespace {

using namespace gridaudit::testing;
using Clock = std::chrono::steady_clock;

constexpr int base_meters = 20'000;
constexpr int new_meters = 2'000;
constexpr int batch_days = 100;  // (base + new meters) x 100 days = 2.2 M daily rows

std::string meter_name(int meter) {
    return fmt::format("M{:06}", meter);
}
std::string day_name(int offset) {
    return (day("2026-01-01") + offset).to_string();
}
double reading(int meter, int offset) {
    return 1000.0 + meter % 997 + offset * 12.25;
}

// Master data of meters [first, last) and their customers, under one substation.
void add_master(BatchBuilder& builder, int first, int last) {
    for (int m = first; m < last; ++m) builder.customer("C" + meter_name(m), "N1");
    for (int m = first; m < last; ++m) builder.meter(meter_name(m), "C" + meter_name(m));
}

// The state before: base meters with five days of readings.
ValidatedBatch base_batch() {
    BatchBuilder builder("base");
    builder.substation("N1");
    add_master(builder, 0, base_meters);
    for (int m = 0; m < base_meters; ++m)
        for (int offset = 0; offset < 5; ++offset)
            builder.daily(meter_name(m), day_name(offset), reading(m, offset), 0);
    return builder.batch();
}

// The batch under test: new meters, renamed customers, 100 later days for every meter, and
// corrected readings of the first day for some meters.
ValidatedBatch large_batch() {
    BatchBuilder builder("large");
    add_master(builder, base_meters, base_meters + new_meters);
    for (int m = 0; m < 500; ++m)
        builder.row("customers", {text("C" + meter_name(m)), text("Renamed"), missing(), text("N1"),
                                  text("residential"), missing(), decimal(0.22), decimal(8), text("RES-TIER"),
                                  missing(), text("active"), date("2019-04-01"), missing(), missing()});
    // The daily columns directly, as the ingest layer builds them (no per-row lookups).
    DailySeriesRows& daily = builder.batch().daily;
    const std::int32_t first_day = day("2026-01-01").days_since_epoch();
    const auto add = [&](int meter, int offset, double import_register, double export_register) {
        daily.meter.push_back(static_cast<std::uint32_t>(meter));
        daily.day.push_back(first_day + offset);
        daily.import_register.push_back(import_register);
        daily.export_register.push_back(export_register);
    };
    for (int m = 0; m < base_meters + new_meters; ++m) {
        daily.meter_ids.push_back(meter_name(m));
        if (m % 20 == 0) add(m, 0, reading(m, 0) + 0.5, 0);
        for (int offset = 5; offset < 5 + batch_days; ++offset) add(m, offset, reading(m, offset), 0.01 * (m % 3));
    }
    return builder.batch();
}

// Everything a reader can observe, reduced to comparable values.
struct Fingerprint {
    std::vector<std::pair<std::string, std::int64_t>> counts;
    std::size_t batches = 0;
    std::size_t corrections = 0;
    std::uint64_t daily_checksum = 0;
    std::uint64_t customers_checksum = 0;
    bool operator==(const Fingerprint&) const = default;
};

std::uint64_t fnv1a(std::uint64_t hash, const void* data, std::size_t size) {
    const auto* bytes = static_cast<const unsigned char*>(data);
    for (std::size_t i = 0; i < size; ++i) hash = (hash ^ bytes[i]) * 1099511628211ull;
    return hash;
}

Fingerprint fingerprint(const std::string& path) {
    auto store = SqliteStore::open(path);
    EXPECT_TRUE(store.has_value()) << store.error().message();
    if (!store) return {};
    Fingerprint result;
    result.counts = (*store)->table_counts().value();
    result.batches = (*store)->batches().value().size();
    result.corrections = (*store)->corrections("").value().size();
    const auto matrix = (*store)->load_daily({}, day("2026-01-01"), day("2026-01-01") + 5 + batch_days).value();
    std::uint64_t hash = 14695981039346656037ull;
    for (const auto& id : matrix.meter_ids) hash = fnv1a(hash, id.data(), id.size());
    for (const auto* values : {&matrix.import_register, &matrix.export_register})
        for (double value : *values) {
            if (std::isnan(value)) value = -1;  // one pattern for every missing value
            hash = fnv1a(hash, &value, sizeof value);
        }
    result.daily_checksum = hash;
    hash = 14695981039346656037ull;
    const auto customers = (*store)->read_rows(*find_table("customers")).value();
    for (const auto& row : customers)
        for (const auto& value : row.values)
            if (const auto* text = std::get_if<std::string>(&value)) hash = fnv1a(hash, text->data(), text->size());
    result.customers_checksum = hash;
    return result;
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
            auto outcome = (*store)->apply_batch(base_batch(), {});
            ASSERT_TRUE(outcome.has_value()) << outcome.error().message();
        }  // closing the last connection checkpoints and removes the WAL: one self-contained file
        ASSERT_FALSE(std::filesystem::exists(base_path_ + "-wal"));
        batch_ = large_batch();
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
