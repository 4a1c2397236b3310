// Tests of the statements a connection keeps after use: the next prepare of the same SQL gets one
// back reset, with its bindings cleared, reading the data as it is now; two at once of the same
// SQL are two statements; a statement kept when its schema changed still runs; a connection
// closes with statements kept or still alive.
#include "store/sqlite_connection.hpp"

#include <gtest/gtest.h>

#include <optional>

#include "batch_builder.hpp"
#include "support/result_assertions.hpp"

namespace gridaudit {
namespace {

using testing::TemporaryDirectory;

class SqliteConnectionTest : public ::testing::Test {
protected:
    void SetUp() override {
        auto opened = SqliteConnection::open(directory_.file("kept.db"));
        ASSERT_TRUE(opened.has_value()) << opened.error().message();
        connection_.emplace(std::move(*opened));
        ASSERT_OK(
            connection_->execute("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT); "
                                 "INSERT INTO t VALUES (1, 'one'), (2, 'two'), (3, 'three')"));
    }
    // The v of row k, through a statement prepared each time.
    std::string value_of(std::int64_t k) {
        auto select = connection_->prepare("SELECT v FROM t WHERE k = ?1").value();
        select.bind_int64(1, k);
        if (!select.step().value()) return "(none)";
        return std::string(select.column_text(0));
    }

    TemporaryDirectory directory_;
    std::optional<SqliteConnection> connection_;
};

TEST_F(SqliteConnectionTest, AKeptStatementComesBackResetWithItsBindingsCleared) {
    EXPECT_EQ(value_of(2), "two");
    {
        // Left mid-way through its rows, bound: kept reset.
        auto select = connection_->prepare("SELECT v FROM t WHERE k >= ?1 ORDER BY k").value();
        select.bind_int64(1, 1);
        ASSERT_TRUE(select.step().value());
        EXPECT_EQ(select.column_text(0), "one");
    }
    auto again = connection_->prepare("SELECT v FROM t WHERE k >= ?1 ORDER BY k").value();
    // Unbound, ?1 is NULL: no row (a kept binding of 1 would give three).
    EXPECT_FALSE(again.step().value());
    again.reset();
    again.bind_int64(1, 3);
    ASSERT_TRUE(again.step().value());
    EXPECT_EQ(again.column_text(0), "three");
    EXPECT_EQ(value_of(3), "three");
    EXPECT_EQ(value_of(4), "(none)");
}

TEST_F(SqliteConnectionTest, AKeptStatementReadsWhatWasWrittenSince) {
    EXPECT_EQ(value_of(1), "one");
    ASSERT_OK(connection_->execute("UPDATE t SET v = 'uno' WHERE k = 1"));
    EXPECT_EQ(value_of(1), "uno");
    // Written through another connection too.
    auto other = SqliteConnection::open(directory_.file("kept.db"), SqliteOpening::existing_only).value();
    ASSERT_OK(other.execute("UPDATE t SET v = 'ein' WHERE k = 1"));
    EXPECT_EQ(value_of(1), "ein");
}

TEST_F(SqliteConnectionTest, TheSameSqlTwiceAtOnceIsTwoStatements) {
    auto outer = connection_->prepare("SELECT v FROM t WHERE k = ?1").value();
    outer.bind_int64(1, 1);
    ASSERT_TRUE(outer.step().value());
    EXPECT_EQ(value_of(2), "two");  // the same SQL while `outer` is on its row
    EXPECT_EQ(outer.column_text(0), "one");
    EXPECT_EQ(value_of(3), "three");
}

TEST_F(SqliteConnectionTest, AKeptStatementRunsAfterItsTableChanged) {
    EXPECT_EQ(value_of(1), "one");
    ASSERT_OK(connection_->execute("ALTER TABLE t ADD COLUMN w TEXT"));
    EXPECT_EQ(value_of(1), "one");
    ASSERT_OK(
        connection_->execute("DROP TABLE t; CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT); "
                             "INSERT INTO t VALUES (1, 'new')"));
    EXPECT_EQ(value_of(1), "new");
}

TEST_F(SqliteConnectionTest, AConnectionClosesWithStatementsKeptOrAlive) {
    EXPECT_EQ(value_of(1), "one");
    auto alive = connection_->prepare("SELECT count(*) FROM t").value();
    connection_.reset();
    // The connection is gone: its last statement is finalized when done, not kept.
    auto reopened = SqliteConnection::open(directory_.file("kept.db"), SqliteOpening::existing_only).value();
    ASSERT_OK_AND_ASSIGN(const std::int64_t rows, reopened.query_int64("SELECT count(*) FROM t"));
    EXPECT_EQ(rows, 3);
}

}  // namespace
}  // namespace gridaudit
