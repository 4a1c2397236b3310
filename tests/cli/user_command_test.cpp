// `gridaudit user` driven through the binary as an operator would: the password on stdin (never an
// argument, never printed), exit codes by docs/cli.md, refusals that name what is wrong.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "store/batch_builder.hpp"
#include "store/store.hpp"
#include "support/command_runner.hpp"

namespace gridaudit {
namespace {

namespace fs = std::filesystem;
using namespace gridaudit::testing;

class UserCommandTest : public ::testing::Test {
protected:
    void SetUp() override {
        auto store = Store::open(db());
        ASSERT_TRUE(store.has_value()) << store.error().message();
        BatchBuilder builder("org");
        builder.row("org_units", {text("CO"), missing(), text("County company"), text("county")});
        builder.row("org_units", {text("ST1"), text("CO"), text("Station 1"), text("station")});
        ASSERT_TRUE((*store)->apply_batch(builder.batch(), {}).has_value());
        write("password.txt", "river stone 42\n");
        write("short.txt", "short\n");
    }
    void write(const std::string& name, const std::string& content) const {
        std::ofstream(directory_.file(name), std::ios::binary) << content;
    }
    std::string db() const { return directory_.file("store.db"); }
    CommandOutput user(const std::string& arguments, const std::string& stdin_file = "password.txt") const {
        return run_command(GRIDAUDIT_BINARY,
                           fmt::format("user {} --db '{}' < '{}'", arguments, db(),
                                       stdin_file == "/dev/null" ? stdin_file : directory_.file(stdin_file)));
    }

    TemporaryDirectory directory_;
};

TEST_F(UserCommandTest, AddReadsThePasswordFromStdinAndStoresOnlyItsArgon2idHash) {
    const auto added = user("add --name li.na --role inspector --unit ST1");
    ASSERT_EQ(added.exit_code, 0) << added.out;
    EXPECT_EQ(added.out, "added user li.na (inspector, unit ST1)\n");
    const auto store = Store::open(db(), StoreOpening::existing_only).value();
    const auto stored = store->access().user_by_name("li.na").value().value();
    EXPECT_TRUE(stored.password_hash.starts_with("$argon2id$v=19$m=65536,t=2,p=1$")) << stored.password_hash;
    EXPECT_EQ(stored.password_hash.find("river"), std::string::npos);
    const auto log = store->access().audit_log({}).value();
    ASSERT_EQ(log.size(), 1u);
    EXPECT_EQ(log[0].actor, "system");
    EXPECT_EQ(log[0].action, "user.add");
}

TEST_F(UserCommandTest, ListShowsUsersWithoutSecretsAsTextAndJson) {
    ASSERT_EQ(user("add --name li.na --role inspector --unit ST1").exit_code, 0);
    ASSERT_EQ(user("add --name wang --role administrator").exit_code, 0);
    const auto text_list = user("list");
    ASSERT_EQ(text_list.exit_code, 0) << text_list.out;
    EXPECT_NE(text_list.out.find("wang"), std::string::npos);
    EXPECT_NE(text_list.out.find("(whole utility)"), std::string::npos);
    const auto json_list = user("list --json");
    ASSERT_EQ(json_list.exit_code, 0) << json_list.out;
    const auto json = nlohmann::json::parse(json_list.out);
    ASSERT_EQ(json["users"].size(), 2u);
    EXPECT_EQ(json["users"][0]["username"], "li.na");
    EXPECT_EQ(json["users"][0]["role"], "inspector");
    EXPECT_EQ(json["users"][0]["unit_id"], "ST1");
    EXPECT_EQ(json["users"][0]["disabled"], false);
    EXPECT_EQ(json_list.out.find("argon2"), std::string::npos);
    EXPECT_EQ(json_list.out.find("river"), std::string::npos);
}

TEST_F(UserCommandTest, DisableEnableAndPasswdChangeTheUser) {
    ASSERT_EQ(user("add --name li.na --role inspector --unit ST1").exit_code, 0);
    const auto disabled = user("disable --name li.na");
    ASSERT_EQ(disabled.exit_code, 0) << disabled.out;
    EXPECT_NE(user("list").out.find("disabled"), std::string::npos);
    ASSERT_EQ(user("enable --name li.na").exit_code, 0);
    write("new.txt", "lake stone 43\n");
    const auto changed = user("passwd --name li.na", "new.txt");
    ASSERT_EQ(changed.exit_code, 0) << changed.out;
    const auto store = Store::open(db(), StoreOpening::existing_only).value();
    const auto log = store->access().audit_log({}).value();
    ASSERT_EQ(log.size(), 4u);
    EXPECT_EQ(log[3].action, "user.passwd");
}

TEST_F(UserCommandTest, RefusalsExitWithOneAndSayWhatIsWrong) {
    const auto unit = user("add --name li.na --role inspector --unit ST9");
    EXPECT_EQ(unit.exit_code, 1);
    EXPECT_NE(unit.out.find("unit ST9 is not an org unit of the store"), std::string::npos) << unit.out;
    const auto role = user("add --name li.na --role janitor");
    EXPECT_EQ(role.exit_code, 1);
    EXPECT_NE(role.out.find("unknown role (janitor)"), std::string::npos) << role.out;
    const auto no_password = user("add --name li.na --role inspector", "/dev/null");
    EXPECT_EQ(no_password.exit_code, 1);
    EXPECT_NE(no_password.out.find("no password on stdin"), std::string::npos) << no_password.out;
    const auto weak = user("add --name li.na --role inspector", "short.txt");
    EXPECT_EQ(weak.exit_code, 1);
    EXPECT_NE(weak.out.find("shorter than 10 characters"), std::string::npos) << weak.out;
    EXPECT_EQ(weak.out.find("short\n"), std::string::npos);  // the password is not echoed
    ASSERT_EQ(user("add --name li.na --role inspector").exit_code, 0);
    const auto taken = user("add --name li.na --role analyst");
    EXPECT_EQ(taken.exit_code, 1);
    EXPECT_NE(taken.out.find("a user named li.na already exists"), std::string::npos) << taken.out;
    const auto nobody = user("disable --name nobody");
    EXPECT_EQ(nobody.exit_code, 1);
    EXPECT_NE(nobody.out.find("no user named nobody"), std::string::npos) << nobody.out;
}

TEST_F(UserCommandTest, LogShowsWhoChangedWhatFilteredByUserAndObject) {
    ASSERT_EQ(user("add --name li.na --role inspector --unit ST1").exit_code, 0);
    ASSERT_EQ(user("disable --name li.na").exit_code, 0);
    const auto text_log = user("log");
    ASSERT_EQ(text_log.exit_code, 0) << text_log.out;
    EXPECT_NE(text_log.out.find("user.disable"), std::string::npos) << text_log.out;
    const auto json_log = user("log --json --object user:1 --name system");
    ASSERT_EQ(json_log.exit_code, 0) << json_log.out;
    const auto json = nlohmann::json::parse(json_log.out);
    ASSERT_EQ(json["entries"].size(), 2u);
    EXPECT_EQ(json["entries"][0]["action"], "user.add");
    EXPECT_TRUE(json["entries"][0]["before"].is_null());
    EXPECT_EQ(json["entries"][1]["before"]["disabled"], false);
    EXPECT_EQ(json["entries"][1]["after"]["disabled"], true);
    EXPECT_EQ(json_log.out.find("argon2"), std::string::npos);
    const auto nobody = user("log --name nobody");
    EXPECT_EQ(nobody.exit_code, 1);
}

TEST_F(UserCommandTest, AMistypedStoreIsAnErrorAndCreatesNothing) {
    const std::string missing_db = directory_.file("mistyped.db");
    const auto listed = run_command(GRIDAUDIT_BINARY, fmt::format("user list --db '{}'", missing_db));
    EXPECT_EQ(listed.exit_code, 1) << listed.out;
    EXPECT_FALSE(fs::exists(missing_db));
}

}  // namespace
}  // namespace gridaudit
