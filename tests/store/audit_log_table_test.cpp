// Tests of the append-only audit log: entries read back as written, filters narrow them, and the
// schema refuses to change or delete an entry.
#include "store/audit_log_table.hpp"

#include <gtest/gtest.h>

#include "batch_builder.hpp"
#include "store/sqlite_store.hpp"
#include "support/result_assertions.hpp"

namespace gridaudit {
namespace {

using testing::TemporaryDirectory;

class AuditLogTableTest : public ::testing::Test {
protected:
    void SetUp() override {
        auto opened = SqliteStore::open(directory_.file("store.db"));
        ASSERT_TRUE(opened.has_value()) << opened.error().message();
        store_ = std::move(*opened);
        auto connection = SqliteConnection::open(directory_.file("store.db"), SqliteOpening::existing_only);
        ASSERT_TRUE(connection.has_value()) << connection.error().message();
        connection_.emplace(std::move(*connection));
    }

    Status append(const AuditLogEntry& entry) {
        GA_ASSIGN_OR_RETURN(auto transaction, SqliteTransaction::begin_immediate(*connection_));
        GA_TRY(append_audit_log(*connection_, entry));
        return transaction.commit();
    }

    static AuditLogEntry entry(std::string action, std::string object_id, std::int64_t actor_id) {
        AuditLogEntry e;
        e.at = *Instant::parse("2026-12-07T20:30:00Z");
        e.actor_user_id = actor_id;
        e.actor = actor_id == 0 ? "system" : "alice";
        e.action = std::move(action);
        e.object_kind = "case";
        e.object_id = std::move(object_id);
        e.before_json = R"({"state":"new"})";
        e.after_json = R"({"state":"assigned"})";
        return e;
    }

    TemporaryDirectory directory_;
    std::unique_ptr<SqliteStore> store_;
    std::optional<SqliteConnection> connection_;
};

TEST_F(AuditLogTableTest, EntriesReadBackAsWrittenOldestFirst) {
    ASSERT_OK(append(entry("case.assign", "7", 3)));
    auto second = entry("case.open", "8", 0);
    second.before_json = "";
    ASSERT_OK(append(second));
    ASSERT_OK_AND_ASSIGN(const auto entries, store_->access().audit_log({}));
    ASSERT_EQ(entries.size(), 2u);
    EXPECT_EQ(entries[0].action, "case.assign");
    EXPECT_EQ(entries[0].at.to_string(0), "2026-12-07T20:30:00Z");
    EXPECT_EQ(entries[0].actor_user_id, 3);
    EXPECT_EQ(entries[0].actor, "alice");
    EXPECT_EQ(entries[0].object_kind, "case");
    EXPECT_EQ(entries[0].object_id, "7");
    EXPECT_EQ(entries[0].before_json, R"({"state":"new"})");
    EXPECT_EQ(entries[0].after_json, R"({"state":"assigned"})");
    EXPECT_EQ(entries[1].before_json, "");
    EXPECT_LT(entries[0].entry_id, entries[1].entry_id);
}

TEST_F(AuditLogTableTest, FiltersByObjectAndActorAndKeepsTheNewest) {
    ASSERT_OK(append(entry("case.assign", "7", 3)));
    ASSERT_OK(append(entry("case.comment", "8", 3)));
    ASSERT_OK(append(entry("case.comment", "7", 0)));
    AuditLogFilter by_object;
    by_object.object_kind = "case";
    by_object.object_id = "7";
    EXPECT_EQ(store_->access().audit_log(by_object).value().size(), 2u);
    AuditLogFilter by_actor;
    by_actor.actor_user_id = 3;
    const auto of_actor = store_->access().audit_log(by_actor).value();
    ASSERT_EQ(of_actor.size(), 2u);
    EXPECT_EQ(of_actor[1].object_id, "8");
    AuditLogFilter newest;
    newest.limit = 1;
    const auto last = store_->access().audit_log(newest).value();
    ASSERT_EQ(last.size(), 1u);
    EXPECT_EQ(last[0].actor, "system");
}

TEST_F(AuditLogTableTest, RefusesToChangeOrDeleteAnEntry) {
    ASSERT_OK(append(entry("case.assign", "7", 3)));
    const auto update = connection_->execute("UPDATE audit_log SET actor = 'mallory'");
    ASSERT_FALSE(update.has_value());
    EXPECT_NE(update.error().message().find("append-only"), std::string::npos) << update.error().message();
    const auto remove = connection_->execute("DELETE FROM audit_log");
    ASSERT_FALSE(remove.has_value());
    EXPECT_NE(remove.error().message().find("append-only"), std::string::npos) << remove.error().message();
    const auto entries = store_->access().audit_log({}).value();
    ASSERT_EQ(entries.size(), 1u);
    EXPECT_EQ(entries[0].actor, "alice");
}

TEST_F(AuditLogTableTest, AnEntryOfARolledBackTransactionIsNotKept) {
    {
        auto transaction = SqliteTransaction::begin_immediate(*connection_);
        ASSERT_TRUE(transaction.has_value());
        ASSERT_OK(append_audit_log(*connection_, entry("case.assign", "7", 3)));
    }  // rolled back
    EXPECT_TRUE(store_->access().audit_log({}).value().empty());
}

TEST_F(AuditLogTableTest, StateThatIsNotAJsonObjectIsAnInternalError) {
    auto bad = entry("case.assign", "7", 3);
    bad.after_json = "[1, 2]";
    const auto appended = append(bad);
    ASSERT_FALSE(appended.has_value());
    EXPECT_EQ(appended.error().kind(), ErrorClass::internal);
}

}  // namespace
}  // namespace gridaudit
