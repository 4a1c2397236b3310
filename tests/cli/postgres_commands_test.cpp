// The commands on a PostgreSQL store, through the binary as a user runs them: a generated utility
// imported with --db postgresql://... answers audit, loss, vee, report, kpis and suspects exactly as
// the same export imported into a SQLite file does; a second import of the export changes nothing;
// users and cases work as on SQLite; back-billings are refused with a message naming the SQLite
// store. Runs on the test server make test starts (tests/store/store_backends.hpp).
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "store/store_backends.hpp"
#include "support/command_runner.hpp"

namespace gridaudit {
namespace {

namespace fs = std::filesystem;

CommandOutput run(const std::string& arguments) {
    return run_command(GRIDAUDIT_BINARY, arguments);
}

std::string file_text(const fs::path& path) {
    std::ifstream file(path, std::ios::binary);
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
}

class PostgresCommandsTest : public ::testing::Test {
protected:
    void SetUp() override {
        const auto ready = postgres_.set_up();
        ASSERT_TRUE(ready.has_value()) << ready.error().message();
        dir_ = fs::temp_directory_path() / fmt::format("gridaudit-cli-pg-{}", ::getpid());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
        pg_ = "'" + postgres_.location() + "'";  // quoted for the shell: the URI has '?' and '%'
        sqlite_ = (dir_ / "store.db").string();
        export_ = (dir_ / "export").string();
        ASSERT_EQ(run(fmt::format("generate --out {} --customers 200 --days 70 --seed 5", export_)).exit_code, 0);
    }
    void TearDown() override { fs::remove_all(dir_); }

    // The output of `command` (a format string with {} for the store) on each store; both exit 0.
    std::pair<std::string, std::string> both(const std::string& command) {
        const auto on_sqlite = run(fmt::format(fmt::runtime(command), sqlite_));
        const auto on_postgres = run(fmt::format(fmt::runtime(command), pg_));
        EXPECT_EQ(on_sqlite.exit_code, 0) << command << "\n" << on_sqlite.out;
        EXPECT_EQ(on_postgres.exit_code, 0) << command << "\n" << on_postgres.out;
        return {on_sqlite.out, on_postgres.out};
    }

    testing::PostgresBackend postgres_;
    fs::path dir_;
    std::string pg_, sqlite_, export_;
};

TEST_F(PostgresCommandsTest, EveryReadingCommandAnswersAsOnSqlite) {
    const auto imported = both("import --db {} " + export_);
    EXPECT_NE(imported.second.find("Batch 1 committed"), std::string::npos) << imported.second;

    const auto audit = both("audit --db {} --json");
    EXPECT_EQ(audit.first, audit.second);
    EXPECT_NE(audit.second.find("\"findings\""), std::string::npos);
    const auto loss = both("loss --db {} --period 2026-10 --json");
    EXPECT_EQ(loss.first, loss.second);
    const auto vee = both("vee --db {} --json");
    EXPECT_EQ(vee.first, vee.second);
    const auto suspects = both("suspects --db {} --json");
    EXPECT_EQ(suspects.first, suspects.second);
    const auto kpis = both("kpis --db {} --period 2026-10 --json");
    EXPECT_EQ(kpis.first, kpis.second);

    const auto sqlite_report = dir_ / "sqlite.html";
    const auto postgres_report = dir_ / "postgres.html";
    ASSERT_EQ(run(fmt::format("report --db {} --period 2026-10 --out {}", sqlite_, sqlite_report.string())).exit_code,
              0);
    const auto reported = run(fmt::format("report --db {} --period 2026-10 --out {}", pg_, postgres_report.string()));
    ASSERT_EQ(reported.exit_code, 0) << reported.out;
    EXPECT_EQ(file_text(sqlite_report), file_text(postgres_report));
}

TEST_F(PostgresCommandsTest, ASecondImportOfTheSameExportChangesNothing) {
    ASSERT_EQ(run(fmt::format("import --db {} {}", pg_, export_)).exit_code, 0);
    const auto again = run(fmt::format("import --db {} {}", pg_, export_));
    EXPECT_EQ(again.exit_code, 0) << again.out;
    EXPECT_NE(again.out.find("already imported"), std::string::npos) << again.out;
}

TEST_F(PostgresCommandsTest, AReadingCommandOnAnEmptyDatabaseIsAUserErrorAndCreatesNothing) {
    const auto audit = run(fmt::format("audit --db {}", pg_));
    EXPECT_EQ(audit.exit_code, 1) << audit.out;
    EXPECT_NE(audit.out.find("no GridAudit store"), std::string::npos) << audit.out;
    const auto loss = run(fmt::format("loss --db {} --period 2026-10", pg_));
    EXPECT_EQ(loss.exit_code, 1) << loss.out;
    const auto tables = postgres_.admin->query_int64(
        fmt::format("SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = '{}'", postgres_.schema));
    ASSERT_TRUE(tables.has_value()) << tables.error().message();
    EXPECT_EQ(*tables, 0);
}

TEST_F(PostgresCommandsTest, UsersAndCasesWorkAndBackBillingsAreRefusedNamingTheSqliteStore) {
    both("import --db {} " + export_);
    both("audit --db {}");
    std::ofstream(dir_ / "password.txt") << "river stone 42\n";
    const auto added =
        run(fmt::format("user add --db {} --name li.na --role inspector < {}", pg_, (dir_ / "password.txt").string()));
    EXPECT_EQ(added.exit_code, 0) << added.out;
    const auto users = run(fmt::format("user list --db {}", pg_));
    EXPECT_EQ(users.exit_code, 0) << users.out;
    EXPECT_NE(users.out.find("li.na"), std::string::npos) << users.out;

    const auto opened = both("cases --db {} --now 2026-11-01T00:00:00Z open");
    EXPECT_EQ(opened.first, opened.second);
    EXPECT_NE(opened.second.find("case(s) opened"), std::string::npos) << opened.second;
    const auto listed = both("cases --db {} list --json");
    EXPECT_EQ(listed.first, listed.second);
    const auto shown = both("cases --db {} show 1 --json");
    EXPECT_EQ(shown.first, shown.second);

    const auto approved = run(fmt::format("cases --db {} approve 1 --version 1", pg_));
    EXPECT_EQ(approved.exit_code, 1) << approved.out;
    EXPECT_NE(approved.out.find("SQLite"), std::string::npos) << approved.out;
}

}  // namespace
}  // namespace gridaudit
