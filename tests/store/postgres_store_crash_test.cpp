// Atomicity under kill -9 on PostgreSQL: a child process applies a large batch (or records an
// audit run) through the PostgreSQL store and is killed at many points; the store must then hold
// exactly the state before the write or exactly the state after it.
//
// Kill points are fractions of the duration of an uninterrupted reference run (0 kills before the
// child can write anything). After each kill the test waits until the server has ended the killed
// child's session (found by its application_name), so a COMMIT the child had sent is either done
// or never will be when the store is read.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "crash_batches.hpp"
#include "store/postgres_connection.hpp"
#include "store/store.hpp"
#include "store_backends.hpp"
#include "support/result_assertions.hpp"

namespace gridaudit {
namespace {

using namespace gridaudit::testing;
using Clock = std::chrono::steady_clock;

// (2,000 + 200 meters) x 100 days = 220,000 daily rows: large enough that the import takes a
// while, small enough for make test.
constexpr CrashBatchSize crash_size{2'000, 200, 100};
constexpr std::string_view child_name = "gridaudit_crash_child";

Finding crash_finding(int subject) {
    Finding finding;
    finding.rule_id = "METER-ROTATION-OVERDUE";
    finding.subject_kind = "meter";
    finding.subject_id = crash_meter_name(subject);
    finding.summary = "Rotation overdue";
    finding.evidence_json = "{}";
    return finding;
}

std::vector<Finding> crash_findings() {
    std::vector<Finding> findings;
    for (int m = 0; m < 5'000; ++m) findings.push_back(crash_finding(m));
    return findings;
}

class PostgresStoreCrashTest : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_OK(reference_.set_up());
        ASSERT_OK(killed_.set_up());
        ASSERT_OK_AND_ASSIGN(const auto server, postgres_test_server_uri());
        ASSERT_OK_AND_ASSIGN(auto admin, PostgresConnection::open(server));
        admin_.emplace(std::move(admin));
        for (const auto* backend : {&reference_, &killed_}) {
            auto store = Store::open(backend->location());
            ASSERT_OK(store);
            ASSERT_OK((*store)->apply_batch(crash_base_batch(crash_size), {}));
        }
    }

    Fingerprint fingerprint(const PostgresBackend& backend) {
        auto store = Store::open(backend.location(), StoreOpening::existing_only);
        EXPECT_TRUE(store.has_value()) << store.error().message();
        if (!store) return {};
        Fingerprint print = crash_fingerprint(**store, crash_size);
        const auto runs = (*store)->audit_runs().value();
        print.counts.emplace_back("audit_runs", static_cast<std::int64_t>(runs.size()));
        print.counts.emplace_back("findings", static_cast<std::int64_t>((*store)->findings(false).value().size()));
        return print;
    }

    // Forks a child that opens the store at `backend` and runs `write`; exits 0 when it succeeded.
    template <class Write>
    pid_t start_child(const PostgresBackend& backend, Write write) {
        const std::string location =
            uri_with_option(backend.location(), fmt::format("application_name={}", child_name));
        const pid_t child = fork();
        if (child == 0) {
            auto store = Store::open(location);
            const bool done = store && write(**store);
            _exit(done ? 0 : 1);
        }
        return child;
    }

    // Waits until the server has no session of a (killed) child left.
    void wait_for_child_sessions_to_end() {
        for (int tries = 0; tries < 6000; ++tries) {
            auto sessions = admin_->query_int64(
                fmt::format("SELECT count(*) FROM pg_stat_activity WHERE application_name = '{}'", child_name));
            ASSERT_OK(sessions);
            if (*sessions == 0) return;
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        FAIL() << "the killed child's session did not end within 60 s";
    }

    // Runs `write` in a child once uninterrupted on the reference store, then kills it at fractions
    // of that duration on the other store; each time the store must be before or after.
    template <class Write>
    void kill_at_many_points(Write write) {
        const Fingerprint before = fingerprint(killed_);
        const auto started = Clock::now();
        const pid_t reference = start_child(reference_, write);
        ASSERT_GT(reference, 0);
        int status = 0;
        waitpid(reference, &status, 0);
        const auto duration = Clock::now() - started;
        ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "the reference run failed";
        const Fingerprint after = fingerprint(reference_);
        ASSERT_NE(before, after);

        int ended_before = 0, ended_after = 0;
        for (const double fraction : {0.0, 0.1, 0.25, 0.4, 0.55, 0.7, 0.85, 0.95, 1.1}) {
            const auto kill_started = Clock::now();
            const pid_t child = start_child(killed_, write);
            ASSERT_GT(child, 0);
            const auto delay = std::chrono::duration_cast<Clock::duration>(duration * fraction);
            bool exited = false;  // reaped already: never signal a pid that may have been reused
            while (Clock::now() - kill_started < delay && !exited) {
                exited = waitpid(child, nullptr, WNOHANG) == child;
                if (!exited) std::this_thread::sleep_for(std::chrono::microseconds(200));
            }
            if (!exited) {
                kill(child, SIGKILL);
                waitpid(child, nullptr, 0);
            }
            wait_for_child_sessions_to_end();
            const Fingerprint state = fingerprint(killed_);
            const bool is_before = state == before;
            const bool is_after = state == after;
            EXPECT_TRUE(is_before || is_after) << "killed at " << fraction << ": the store is between states";
            ended_before += is_before ? 1 : 0;
            ended_after += is_after ? 1 : 0;
            std::printf("killed at %.0f%% of the reference duration: %s%s\n", fraction * 100,
                        is_before  ? "before"
                        : is_after ? "after"
                                   : "BETWEEN",
                        exited ? " (the child had finished)" : "");
            if (is_after) break;  // later kill points would find the write done already
        }
        EXPECT_GE(ended_before, 1);  // the kill at 0 lands before the child can commit
        std::printf("kill points: %d ended before the write, %d after it\n", ended_before, ended_after);
    }

    PostgresBackend reference_;
    PostgresBackend killed_;
    std::optional<PostgresConnection> admin_;
};

TEST_F(PostgresStoreCrashTest, AKilledImportLeavesTheStoreBeforeOrAfterNeverBetween) {
    const ValidatedBatch batch = crash_large_batch(crash_size);
    kill_at_many_points([&](Store& store) { return store.apply_batch(batch, {}).has_value(); });
}

TEST_F(PostgresStoreCrashTest, AKilledAuditRunLeavesTheStoreBeforeOrAfterNeverBetween) {
    const std::vector<Finding> findings = crash_findings();
    kill_at_many_points(
        [&](Store& store) { return store.record_audit({"METER-ROTATION-OVERDUE"}, "", findings, {}).has_value(); });
}

}  // namespace
}  // namespace gridaudit
