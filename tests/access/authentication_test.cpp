// Tests of login, sessions and the rate limit with a controlled clock: tokens are stored only as
// hashes, sessions expire when idle and at their lifetime, are revoked by logout, disabling and a
// password change, and failed logins lock a username for the window, known or not; the session
// cache answers a known token from memory only while nothing was logged since, and never past the
// session's ends.
#include "access/authentication.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "access/user_accounts.hpp"
#include "access_fixture.hpp"
#include "store/sqlite_connection.hpp"
#include "support/result_assertions.hpp"

namespace gridaudit {
namespace {

using testing::at;

class AuthenticationTest : public testing::AccessFixture {
protected:
    void SetUp() override {
        AccessFixture::SetUp();
        ASSERT_OK(add_user(access(), Actor::system(), {"li.na", Role::inspector, "ST1"}, password_, t0_, settings_));
    }
    // Every session's stored token hash, read from the table itself.
    std::vector<std::string> stored_token_column() {
        auto connection = SqliteConnection::open(directory_.file("store.db"), SqliteOpening::existing_only).value();
        auto select = connection.prepare("SELECT token_hash FROM sessions").value();
        std::vector<std::string> values;
        while (select.step().value()) values.emplace_back(select.column_text(0));
        return values;
    }

    const std::string password_ = "river stone 42";
    const Instant t0_ = at("2026-12-07T08:00:00Z");
};

TEST_F(AuthenticationTest, ALoginGivesATokenThatAuthenticatesAsTheUser) {
    ASSERT_OK_AND_ASSIGN(const auto session, login(access(), "li.na", password_, t0_, settings_));
    EXPECT_TRUE(is_session_token(session.token));
    EXPECT_EQ(session.actor.username, "li.na");
    EXPECT_EQ(session.expires_at, t0_ + 8 * 3600);
    ASSERT_OK_AND_ASSIGN(const auto actor, authenticate(access(), session.token, t0_ + 60, settings_));
    EXPECT_EQ(actor.username, "li.na");
    EXPECT_EQ(actor.role, Role::inspector);
    EXPECT_EQ(actor.unit_id, "ST1");
    EXPECT_EQ(actor.user_id, session.actor.user_id);
}

TEST_F(AuthenticationTest, TheTokenIsNeverStoredOnlyItsHash) {
    ASSERT_OK_AND_ASSIGN(const auto session, login(access(), "li.na", password_, t0_, settings_));
    const auto column = stored_token_column();
    ASSERT_EQ(column.size(), 1u);
    EXPECT_NE(column[0], session.token);
    EXPECT_EQ(column[0], session_token_hash(session.token));
    ASSERT_OK_AND_ASSIGN(const auto entries, access().audit_log({}));
    ASSERT_FALSE(entries.empty());
    for (const auto& entry : entries) {
        EXPECT_EQ(entry.after_json.find(session.token), std::string::npos);
        EXPECT_EQ(entry.after_json.find(column[0]), std::string::npos);
    }
}

TEST_F(AuthenticationTest, AWrongPasswordOrUnknownUserGetTheSameRefusal) {
    const auto wrong = login(access(), "li.na", "river stone 43", t0_, settings_);
    const auto unknown = login(access(), "nobody", password_, t0_, settings_);
    ASSERT_FALSE(wrong.has_value());
    ASSERT_FALSE(unknown.has_value());
    EXPECT_EQ(wrong.error().refusal(), Refusal::unauthenticated);
    EXPECT_EQ(wrong.error().message(), unknown.error().message());
    EXPECT_EQ(wrong.error().message().find(password_), std::string::npos);
}

TEST_F(AuthenticationTest, ASessionEndsWhenIdleAndAtItsLifetime) {
    settings_.session_idle_seconds = 3600;
    settings_.session_lifetime_seconds = 3 * 3600;
    ASSERT_OK_AND_ASSIGN(const auto session, login(access(), "li.na", password_, t0_, settings_));
    // Used every 50 minutes, it lives until its lifetime ends.
    for (int minutes = 50; minutes < 180; minutes += 50)
        ASSERT_OK(authenticate(access(), session.token, t0_ + minutes * 60, settings_));
    const auto ended = authenticate(access(), session.token, t0_ + 3 * 3600, settings_);
    ASSERT_FALSE(ended.has_value());
    EXPECT_EQ(ended.error().refusal(), Refusal::unauthenticated);
    EXPECT_EQ(ended.error().message(), "the session expired at 2026-12-07T11:00:00Z; log in again");

    ASSERT_OK_AND_ASSIGN(const auto idle, login(access(), "li.na", password_, t0_, settings_));
    ASSERT_OK(authenticate(access(), idle.token, t0_ + 3599, settings_));
    const auto idled = authenticate(access(), idle.token, t0_ + 3599 + 3600, settings_);
    ASSERT_FALSE(idled.has_value());
    EXPECT_EQ(idled.error().message(), "the session expired after 60 minutes without use; log in again");
}

TEST_F(AuthenticationTest, LogoutRevokesTheSessionAndIsLogged) {
    ASSERT_OK_AND_ASSIGN(const auto session, login(access(), "li.na", password_, t0_, settings_));
    ASSERT_OK(logout(access(), session.token, t0_ + 10, settings_));
    const auto after = authenticate(access(), session.token, t0_ + 20, settings_);
    ASSERT_FALSE(after.has_value());
    EXPECT_EQ(after.error().refusal(), Refusal::unauthenticated);
    EXPECT_EQ(after.error().message(), "the session was ended at 2026-12-07T08:00:10Z (logout); log in again");
    EXPECT_FALSE(logout(access(), session.token, t0_ + 30, settings_).has_value());
    const auto log = access().audit_log({}).value();
    ASSERT_FALSE(log.empty());
    EXPECT_EQ(log.back().action, "session.revoke");
    EXPECT_EQ(log.back().actor, "li.na");
}

TEST_F(AuthenticationTest, DisablingAUserOrChangingTheirPasswordRevokesTheirSessions) {
    ASSERT_OK_AND_ASSIGN(const auto first, login(access(), "li.na", password_, t0_, settings_));
    ASSERT_OK(change_password(access(), Actor::system(), "li.na", "a new river 43", t0_ + 10, settings_));
    EXPECT_FALSE(authenticate(access(), first.token, t0_ + 20, settings_).has_value());
    EXPECT_FALSE(login(access(), "li.na", password_, t0_ + 30, settings_).has_value());
    ASSERT_OK_AND_ASSIGN(const auto second, login(access(), "li.na", "a new river 43", t0_ + 40, settings_));
    ASSERT_OK(set_user_disabled(access(), Actor::system(), "li.na", true, t0_ + 50));
    EXPECT_FALSE(authenticate(access(), second.token, t0_ + 60, settings_).has_value());
    const auto disabled = login(access(), "li.na", "a new river 43", t0_ + 70, settings_);
    ASSERT_FALSE(disabled.has_value());
    EXPECT_EQ(disabled.error().message(), "wrong username or password");
}

TEST_F(AuthenticationTest, FiveFailuresLockTheUsernameForTheWindowThenItUnlocks) {
    for (int i = 0; i < 5; ++i) EXPECT_FALSE(login(access(), "li.na", "wrong password", t0_ + i * 60, settings_));
    // Locked: even the right password is refused, with the time to try again.
    const auto locked = login(access(), "li.na", password_, t0_ + 300, settings_);
    ASSERT_FALSE(locked.has_value());
    EXPECT_EQ(locked.error().refusal(), Refusal::unauthenticated);
    EXPECT_EQ(locked.error().message(), "too many failed logins for this username; try again at 2026-12-07T08:15:00Z");
    EXPECT_FALSE(login(access(), "li.na", password_, t0_ + 899, settings_).has_value());
    // The first failure leaves the window at 08:15:00.
    ASSERT_OK(login(access(), "li.na", password_, t0_ + 900, settings_));
}

TEST_F(AuthenticationTest, AnUnknownUsernameIsLockedTheSameWay) {
    for (int i = 0; i < 5; ++i) EXPECT_FALSE(login(access(), "nobody", "wrong password", t0_ + i, settings_));
    const auto locked = login(access(), "nobody", "wrong password", t0_ + 10, settings_);
    ASSERT_FALSE(locked.has_value());
    EXPECT_NE(locked.error().message().find("try again at 2026-12-07T08:15:00Z"), std::string::npos);
    ASSERT_OK(login(access(), "li.na", password_, t0_ + 10, settings_));  // another username is not locked
}

TEST_F(AuthenticationTest, ASuccessfulLoginClearsEarlierFailures) {
    for (int i = 0; i < 4; ++i) EXPECT_FALSE(login(access(), "li.na", "wrong password", t0_ + i, settings_));
    ASSERT_OK(login(access(), "li.na", password_, t0_ + 10, settings_));
    for (int i = 0; i < 4; ++i) EXPECT_FALSE(login(access(), "li.na", "wrong password", t0_ + 20 + i, settings_));
    ASSERT_OK(login(access(), "li.na", password_, t0_ + 30, settings_));
}

TEST_F(AuthenticationTest, MalformedAndUnknownTokensAreUnauthenticated) {
    for (const auto* token : {"", "abc", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}) {
        const auto actor = authenticate(access(), token, t0_, settings_);
        ASSERT_FALSE(actor.has_value()) << token;
        EXPECT_EQ(actor.error().refusal(), Refusal::unauthenticated);
    }
}

TEST_F(AuthenticationTest, ThreadsWithTheirOwnStoresLogInAndAuthenticateAtOnce) {
    constexpr int threads = 4;
    constexpr int logins = 10;
    std::vector<std::string> failures(threads);
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t)
        workers.emplace_back([&, t] {
            auto store = SqliteStore::open(directory_.file("store.db"), SqliteOpening::existing_only);
            if (!store) {
                failures[t] = store.error().message();
                return;
            }
            for (int i = 0; i < logins && failures[t].empty(); ++i) {
                const Instant now = t0_ + i * 120;
                auto session = login((*store)->access(), "li.na", password_, now, settings_);
                if (!session) failures[t] = session.error().message();
                if (session && !authenticate((*store)->access(), session->token, now + 60, settings_))
                    failures[t] = "authenticate failed";
            }
        });
    for (auto& worker : workers) worker.join();
    for (int t = 0; t < threads; ++t) EXPECT_EQ(failures[t], "") << "thread " << t;
    EXPECT_EQ(stored_token_column().size(), static_cast<std::size_t>(threads * logins));
}

TEST_F(AuthenticationTest, ALoginRehashesAPasswordHashedAtAnotherCost) {
    const std::string before = access().user_by_name("li.na").value()->password_hash;
    EXPECT_TRUE(before.starts_with("$argon2id$v=19$m=8,t=1,p=1$")) << before;
    ASSERT_OK(login(access(), "li.na", password_, t0_, settings_));
    EXPECT_EQ(access().user_by_name("li.na").value()->password_hash, before);  // same cost: kept
    settings_.password_cost = PasswordCost{2, 16 * 1024};
    ASSERT_OK(login(access(), "li.na", password_, t0_ + 10, settings_));
    const std::string after = access().user_by_name("li.na").value()->password_hash;
    EXPECT_TRUE(after.starts_with("$argon2id$v=19$m=16,t=2,p=1$")) << after;
    EXPECT_TRUE(verify_password(after, password_));
    const auto log = access().audit_log({}).value();
    ASSERT_FALSE(log.empty());
    EXPECT_EQ(log[log.size() - 2].action, "user.rehash");
    EXPECT_EQ(log.back().action, "session.create");
}

// The access store with a count of the session lookups (what the session cache saves).
class CountingAccessStore final : public AccessStore {
public:
    explicit CountingAccessStore(AccessStore& store) : store_(store) {}
    int lookups = 0;

    Result<std::vector<OrgUnitLink>> org_units() override { return store_.org_units(); }
    Result<std::int64_t> add_user(const UserRecord& user, const AuditStamp& stamp) override {
        return store_.add_user(user, stamp);
    }
    Result<std::optional<UserRecord>> user_by_name(std::string_view username) override {
        return store_.user_by_name(username);
    }
    Result<std::vector<UserRecord>> users() override { return store_.users(); }
    Status update_user(const UserRecord& user, std::string_view action, bool revoke, const AuditStamp& stamp) override {
        return store_.update_user(user, action, revoke, stamp);
    }
    Result<std::int64_t> add_session(const SessionRecord& session, const AuditStamp& stamp) override {
        return store_.add_session(session, stamp);
    }
    Result<std::optional<SessionWithUser>> session_by_token_hash(std::string_view token_hash) override {
        ++lookups;
        return store_.session_by_token_hash(token_hash);
    }
    Status touch_session(std::int64_t session_id, Instant at) override { return store_.touch_session(session_id, at); }
    Status revoke_session(std::int64_t session_id, std::string_view why, const AuditStamp& stamp) override {
        return store_.revoke_session(session_id, why, stamp);
    }
    Status record_login_attempt(std::string_view username, Instant at, LoginOutcome outcome) override {
        return store_.record_login_attempt(username, at, outcome);
    }
    Result<std::vector<Instant>> failed_logins_since(std::string_view username, Instant since) override {
        return store_.failed_logins_since(username, since);
    }
    Result<std::vector<AuditLogEntry>> audit_log(const AuditLogFilter& filter) override {
        return store_.audit_log(filter);
    }

private:
    AccessStore& store_;
};

TEST_F(AuthenticationTest, TheSessionCacheAnswersAKnownTokenWithoutALookupWhileNothingWasLogged) {
    ASSERT_OK_AND_ASSIGN(const auto session, login(access(), "li.na", password_, t0_, settings_));
    CountingAccessStore counted(access());
    SessionCache cache;
    ASSERT_OK_AND_ASSIGN(const std::int64_t head, audit_log_head(access()));
    EXPECT_GT(head, 0);
    for (int second = 1; second <= 30; ++second) {
        ASSERT_OK_AND_ASSIGN(const Actor actor,
                             cache.authenticate(counted, session.token, t0_ + second, head, settings_));
        EXPECT_EQ(actor.username, "li.na");
        EXPECT_EQ(actor.unit_id, "ST1");
    }
    EXPECT_EQ(counted.lookups, 1);
    EXPECT_EQ(cache.size(), 1u);
    // Another session's login is a logged write: the next request looks the session up again.
    ASSERT_OK(login(access(), "li.na", password_, t0_ + 40, settings_));
    ASSERT_OK_AND_ASSIGN(const std::int64_t later, audit_log_head(access()));
    EXPECT_GT(later, head);
    ASSERT_OK(cache.authenticate(counted, session.token, t0_ + 41, later, settings_));
    EXPECT_EQ(counted.lookups, 2);
    // Refusals are not kept, and say what authenticate says.
    const auto malformed = cache.authenticate(counted, "abc", t0_ + 42, later, settings_);
    ASSERT_FALSE(malformed.has_value());
    EXPECT_EQ(malformed.error().refusal(), Refusal::unauthenticated);
    EXPECT_EQ(cache.size(), 1u);
}

TEST_F(AuthenticationTest, TheSessionCacheSeesALogoutADisabledUserAndAChangedPasswordAtOnce) {
    SessionCache cache;
    ASSERT_OK_AND_ASSIGN(const auto first, login(access(), "li.na", password_, t0_, settings_));
    ASSERT_OK(cache.authenticate(access(), first.token, t0_ + 1, audit_log_head(access()).value(), settings_));
    ASSERT_OK(logout(access(), first.token, t0_ + 2, settings_));
    const auto after_logout =
        cache.authenticate(access(), first.token, t0_ + 3, audit_log_head(access()).value(), settings_);
    ASSERT_FALSE(after_logout.has_value());
    EXPECT_EQ(after_logout.error().message(), "the session was ended at 2026-12-07T08:00:02Z (logout); log in again");

    ASSERT_OK_AND_ASSIGN(const auto second, login(access(), "li.na", password_, t0_ + 10, settings_));
    ASSERT_OK(cache.authenticate(access(), second.token, t0_ + 11, audit_log_head(access()).value(), settings_));
    ASSERT_OK(change_password(access(), Actor::system(), "li.na", "a new river 43", t0_ + 12, settings_));
    EXPECT_FALSE(cache.authenticate(access(), second.token, t0_ + 13, audit_log_head(access()).value(), settings_));

    ASSERT_OK_AND_ASSIGN(const auto third, login(access(), "li.na", "a new river 43", t0_ + 20, settings_));
    ASSERT_OK(cache.authenticate(access(), third.token, t0_ + 21, audit_log_head(access()).value(), settings_));
    ASSERT_OK(set_user_disabled(access(), Actor::system(), "li.na", true, t0_ + 22));
    EXPECT_FALSE(cache.authenticate(access(), third.token, t0_ + 23, audit_log_head(access()).value(), settings_));
}

TEST_F(AuthenticationTest, TheSessionCacheKeepsTheSessionsEndsAndWritesItsLastUse) {
    settings_.session_idle_seconds = 3600;
    settings_.session_lifetime_seconds = 3 * 3600;
    ASSERT_OK_AND_ASSIGN(const auto session, login(access(), "li.na", password_, t0_, settings_));
    const std::int64_t head = audit_log_head(access()).value();
    SessionCache cache;
    // Used every 50 minutes through the cache, its last use is written and it lives to its lifetime.
    for (int minutes = 50; minutes < 180; minutes += 50)
        ASSERT_OK(cache.authenticate(access(), session.token, t0_ + minutes * 60, head, settings_));
    ASSERT_OK(cache.authenticate(access(), session.token, t0_ + (3 * 3600 - 1), head, settings_));
    const auto ended = cache.authenticate(access(), session.token, t0_ + 3 * 3600, head, settings_);
    ASSERT_FALSE(ended.has_value());
    EXPECT_EQ(ended.error().message(), "the session expired at 2026-12-07T11:00:00Z; log in again");

    // The store agrees: the uses through the cache were written (the idle end moved).
    ASSERT_OK_AND_ASSIGN(const auto idle, login(access(), "li.na", password_, t0_, settings_));
    const std::int64_t idle_head = audit_log_head(access()).value();
    ASSERT_OK(cache.authenticate(access(), idle.token, t0_ + 3000, idle_head, settings_));
    ASSERT_OK(authenticate(access(), idle.token, t0_ + 3000 + 3599, settings_));
    const auto idled = cache.authenticate(access(), idle.token, t0_ + 3000 + 3599 + 3600, idle_head, settings_);
    ASSERT_FALSE(idled.has_value());
    EXPECT_EQ(idled.error().message(), "the session expired after 60 minutes without use; log in again");
}

}  // namespace
}  // namespace gridaudit
