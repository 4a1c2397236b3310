// Tests of the store's users, sessions and login attempts on both backends (SQLite, PostgreSQL):
// records read back, each write comes with its audit log entry (without password or token hashes),
// and the schema's rules hold.
#include "store/access_store.hpp"

#include <gtest/gtest.h>

#include "batch_builder.hpp"
#include "store_backends.hpp"
#include "store/store.hpp"
#include "support/result_assertions.hpp"

namespace gridaudit {
namespace {

using testing::BatchBuilder;
using testing::missing;
using testing::BackendName;
using testing::StoreBackends;
using testing::StoreBackendTest;
using testing::text;

Instant at(std::string_view text) {
    return *Instant::parse(text);
}

UserRecord user(std::string name, std::string role, std::string unit) {
    UserRecord u;
    u.username = std::move(name);
    u.role = std::move(role);
    u.unit_id = std::move(unit);
    u.password_hash = "$argon2id$v=19$m=8,t=1,p=1$c2FsdA$aGFzaA";
    u.created_at = at("2026-12-01T08:00:00Z");
    u.password_changed_at = u.created_at;
    return u;
}

template <class Backend>
class AccessStoreTest : public StoreBackendTest<Backend> {
protected:
    void SetUp() override {
        StoreBackendTest<Backend>::SetUp();
        if (this->HasFatalFailure()) return;
        store_ = this->open_store();
        ASSERT_NE(store_, nullptr);
        BatchBuilder builder("org");
        builder.row("org_units", {text("CO"), missing(), text("County company"), text("county")});
        builder.row("org_units", {text("ST1"), text("CO"), text("Station 1"), text("station")});
        auto applied = store_->apply_batch(builder.batch(), {});
        ASSERT_TRUE(applied.has_value()) << applied.error().message();
    }
    AccessStore& access() { return store_->access(); }

    AuditStamp stamp_ = {at("2026-12-07T20:00:00Z"), 0, "system"};
    std::unique_ptr<Store> store_;
};
TYPED_TEST_SUITE(AccessStoreTest, StoreBackends, BackendName);

TYPED_TEST(AccessStoreTest, OrgUnitsReadWithTheirParents) {
    ASSERT_OK_AND_ASSIGN(const auto units, this->access().org_units());
    ASSERT_EQ(units.size(), 2u);
    EXPECT_EQ(units[0].unit_id, "CO");
    EXPECT_EQ(units[0].parent_id, "");
    EXPECT_EQ(units[1].parent_id, "CO");
}

TYPED_TEST(AccessStoreTest, UsersReadBackAndTheirAdditionIsLoggedWithoutTheHash) {
    ASSERT_OK_AND_ASSIGN(const auto id, this->access().add_user(user("li.na", "inspector", "ST1"), this->stamp_));
    ASSERT_OK(this->access().add_user(user("wang", "administrator", ""), this->stamp_));
    ASSERT_OK_AND_ASSIGN(const auto found, this->access().user_by_name("li.na"));
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->user_id, id);
    EXPECT_EQ(found->role, "inspector");
    EXPECT_EQ(found->unit_id, "ST1");
    EXPECT_EQ(found->password_hash, user("", "", "").password_hash);
    EXPECT_FALSE(found->disabled);
    EXPECT_EQ(found->created_at, at("2026-12-01T08:00:00Z"));
    ASSERT_OK_AND_ASSIGN(const auto all, this->access().users());
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all[1].username, "wang");
    EXPECT_EQ(all[1].unit_id, "");
    EXPECT_FALSE(this->access().user_by_name("nobody").value().has_value());

    ASSERT_OK_AND_ASSIGN(const auto log, this->access().audit_log({}));
    ASSERT_EQ(log.size(), 2u);
    EXPECT_EQ(log[0].action, "user.add");
    EXPECT_EQ(log[0].object_kind, "user");
    EXPECT_EQ(log[0].object_id, std::to_string(id));
    EXPECT_EQ(log[0].actor, "system");
    EXPECT_EQ(log[0].before_json, "");
    EXPECT_NE(log[0].after_json.find("\"role\":\"inspector\""), std::string::npos) << log[0].after_json;
    EXPECT_EQ(log[0].after_json.find("argon2"), std::string::npos) << log[0].after_json;
}

TYPED_TEST(AccessStoreTest, ATakenUsernameIsAConflictAndUnknownRoleOrUnitIsRefused) {
    ASSERT_OK(this->access().add_user(user("li.na", "inspector", "ST1"), this->stamp_));
    const auto again = this->access().add_user(user("li.na", "analyst", ""), this->stamp_);
    ASSERT_FALSE(again.has_value());
    EXPECT_EQ(again.error().refusal(), Refusal::conflict);
    EXPECT_FALSE(this->access().add_user(user("zhao", "janitor", ""), this->stamp_).has_value());
    const auto unit = this->access().add_user(user("zhao", "analyst", "ST9"), this->stamp_);
    ASSERT_FALSE(unit.has_value());
    EXPECT_NE(unit.error().message().find("ST9"), std::string::npos) << unit.error().message();
    EXPECT_EQ(this->access().users().value().size(), 1u);
    EXPECT_EQ(this->access().audit_log({}).value().size(), 1u);  // refused writes log nothing
}

SessionRecord session_of(std::int64_t user_id, std::string token_hash) {
    SessionRecord s;
    s.token_hash = std::move(token_hash);
    s.user_id = user_id;
    s.created_at = at("2026-12-07T20:00:00Z");
    s.last_used_at = s.created_at;
    s.idle_seconds = 3600;
    s.expires_at = at("2026-12-08T04:00:00Z");
    return s;
}

TYPED_TEST(AccessStoreTest, SessionsAreFoundByTokenHashWithTheirUserAndRevokedOnce) {
    ASSERT_OK_AND_ASSIGN(const auto id, this->access().add_user(user("li.na", "inspector", "ST1"), this->stamp_));
    ASSERT_OK_AND_ASSIGN(const auto session_id, this->access().add_session(session_of(id, "ab12"), this->stamp_));
    ASSERT_OK(this->access().touch_session(session_id, at("2026-12-07T20:30:00Z")));
    ASSERT_OK_AND_ASSIGN(const auto found, this->access().session_by_token_hash("ab12"));
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->session.session_id, session_id);
    EXPECT_EQ(found->session.last_used_at, at("2026-12-07T20:30:00Z"));
    EXPECT_EQ(found->session.idle_seconds, 3600);
    EXPECT_FALSE(found->session.revoked_at.has_value());
    EXPECT_EQ(found->user.username, "li.na");
    EXPECT_FALSE(this->access().session_by_token_hash("ab13").value().has_value());

    ASSERT_OK(this->access().revoke_session(session_id, "logout", this->stamp_));
    ASSERT_OK(this->access().revoke_session(session_id, "logout", this->stamp_));  // no second entry
    const auto revoked = this->access().session_by_token_hash("ab12").value();
    ASSERT_TRUE(revoked->session.revoked_at.has_value());
    EXPECT_EQ(revoked->session.revoked_why, "logout");
    const auto log = this->access().audit_log({}).value();
    ASSERT_EQ(log.size(), 3u);
    EXPECT_EQ(log[1].action, "session.create");
    EXPECT_EQ(log[2].action, "session.revoke");
    EXPECT_EQ(log[2].after_json.find("ab12"), std::string::npos);
}

TYPED_TEST(AccessStoreTest, UpdatingAUserLogsBeforeAndAfterAndMayRevokeItsSessions) {
    ASSERT_OK_AND_ASSIGN(const auto id, this->access().add_user(user("li.na", "inspector", "ST1"), this->stamp_));
    ASSERT_OK(this->access().add_session(session_of(id, "aa"), this->stamp_));
    ASSERT_OK(this->access().add_session(session_of(id, "bb"), this->stamp_));
    UserRecord changed = this->access().user_by_name("li.na").value().value();
    changed.disabled = true;
    ASSERT_OK(this->access().update_user(changed, "user.disable", true, this->stamp_));
    EXPECT_TRUE(this->access().user_by_name("li.na").value()->disabled);
    EXPECT_EQ(this->access().session_by_token_hash("aa").value()->session.revoked_why, "user.disable");
    EXPECT_TRUE(this->access().session_by_token_hash("bb").value()->session.revoked_at.has_value());
    const auto log = this->access().audit_log({}).value();
    ASSERT_EQ(log.size(), 4u);
    EXPECT_EQ(log[3].action, "user.disable");
    EXPECT_NE(log[3].before_json.find("\"disabled\":false"), std::string::npos) << log[3].before_json;
    EXPECT_NE(log[3].after_json.find("\"disabled\":true"), std::string::npos) << log[3].after_json;
    EXPECT_NE(log[3].after_json.find("\"sessions_revoked\":2"), std::string::npos) << log[3].after_json;

    changed.user_id = 99;
    const auto missing_user = this->access().update_user(changed, "user.disable", false, this->stamp_);
    ASSERT_FALSE(missing_user.has_value());
    EXPECT_EQ(missing_user.error().refusal(), Refusal::not_found);
}

TYPED_TEST(AccessStoreTest, FailedLoginsCountFromTheWindowAndTheLastSuccess) {
    ASSERT_OK(this->access().record_login_attempt("li.na", at("2026-12-07T20:00:00Z"), LoginOutcome::failed));
    ASSERT_OK(this->access().record_login_attempt("li.na", at("2026-12-07T20:01:00Z"), LoginOutcome::succeeded));
    ASSERT_OK(this->access().record_login_attempt("li.na", at("2026-12-07T20:02:00Z"), LoginOutcome::failed));
    ASSERT_OK(this->access().record_login_attempt("li.na", at("2026-12-07T20:03:00Z"), LoginOutcome::locked));
    ASSERT_OK(this->access().record_login_attempt("li.na", at("2026-12-07T20:04:00Z"), LoginOutcome::failed));
    ASSERT_OK(this->access().record_login_attempt("wang", at("2026-12-07T20:04:00Z"), LoginOutcome::failed));
    ASSERT_OK_AND_ASSIGN(const auto failures, this->access().failed_logins_since("li.na", at("2026-12-07T19:50:00Z")));
    ASSERT_EQ(failures.size(), 2u);
    EXPECT_EQ(failures[0], at("2026-12-07T20:02:00Z"));
    EXPECT_EQ(this->access().failed_logins_since("li.na", at("2026-12-07T20:03:00Z")).value().size(), 1u);
}

}  // namespace
}  // namespace gridaudit
