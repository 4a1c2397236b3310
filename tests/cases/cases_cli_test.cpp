// `gridaudit cases` driven through the binary: open by policy, list, show, assign, transition
// with a stale version and an illegal target, dismiss, and the fee-center import with its errors.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <tuple>

#include "case_test_store.hpp"
#include "support/command_runner.hpp"

namespace gridaudit {
namespace {

using testing::CaseTestStore;
using testing::test_finding;

class CasesCliTest : public ::testing::Test {
protected:
    CommandOutput cases(const std::string& arguments) {
        return run_command(GRIDAUDIT_BINARY,
                           fmt::format("cases --db {} --now 2026-09-28T01:00:00Z {} 2>&1", fixture_.path(), arguments));
    }
    std::string write(std::string_view name, std::string_view text) {
        const std::string path = fixture_.path() + "." + std::string(name);
        std::ofstream(path, std::ios::binary) << text;
        return path;
    }

    CaseTestStore fixture_;
};

TEST_F(CasesCliTest, OpenListShowAssignTransitionAsTheOperator) {
    const auto ids = fixture_.record({test_finding("METER-REVERSED", "meter", "M1", Severity::high),
                                      test_finding("METER-TEST-OVERDUE", "meter", "M2", Severity::medium)},
                                     "2026-09-28T00:00:00Z");
    const auto opened = cases("open");
    ASSERT_EQ(opened.exit_code, 0) << opened.out;
    EXPECT_NE(opened.out.find("By policy: 1 case(s) opened"), std::string::npos) << opened.out;

    const auto listed = cases("list --json");
    ASSERT_EQ(listed.exit_code, 0) << listed.out;
    const auto json = nlohmann::json::parse(listed.out);
    ASSERT_EQ(json["cases"].size(), 1u);
    EXPECT_EQ(json["cases"][0]["state"], "new");
    EXPECT_EQ(json["cases"][0]["due_on"], "2026-09-30");
    const std::int64_t id = json["cases"][0]["case_id"];

    const auto assigned = cases(fmt::format("assign {} --to li --version 1", id));
    ASSERT_EQ(assigned.exit_code, 0) << assigned.out;
    EXPECT_NE(assigned.out.find("assigned"), std::string::npos);

    const auto stale = cases(fmt::format("transition {} --to online_check --version 1", id));
    EXPECT_EQ(stale.exit_code, 1) << stale.out;
    EXPECT_NE(stale.out.find("is at version 2, not 1"), std::string::npos) << stale.out;

    const auto illegal = cases(fmt::format("transition {} --to recovery --version 2", id));
    EXPECT_EQ(illegal.exit_code, 1);
    EXPECT_NE(illegal.out.find("allowed next states: online_check"), std::string::npos) << illegal.out;

    const auto online = cases(fmt::format("transition {} --to online_check --version 2 --note 'bills checked'", id));
    ASSERT_EQ(online.exit_code, 0) << online.out;

    const auto shown = cases(fmt::format("show {}", id));
    ASSERT_EQ(shown.exit_code, 0) << shown.out;
    EXPECT_NE(shown.out.find("next states: onsite_check, concluded"), std::string::npos) << shown.out;
    EXPECT_NE(shown.out.find("METER-REVERSED"), std::string::npos) << shown.out;
    EXPECT_NE(shown.out.find("assigned -> online_check  bills checked"), std::string::npos) << shown.out;

    const auto dismissed = cases(fmt::format("dismiss {} --reason 'tested on 2026-09-01'", ids[1]));
    ASSERT_EQ(dismissed.exit_code, 0) << dismissed.out;
    const auto again = cases(fmt::format("dismiss {} --reason again", ids[1]));
    EXPECT_EQ(again.exit_code, 1);
    EXPECT_NE(again.out.find("already dismissed"), std::string::npos) << again.out;

    const auto missing = cases("show 999");
    EXPECT_EQ(missing.exit_code, 1);
    EXPECT_NE(missing.out.find("no case 999"), std::string::npos) << missing.out;
}

TEST_F(CasesCliTest, AsAUserTheirRoleAndUnitDecide) {
    fixture_.record({test_finding("METER-REVERSED", "meter", "M1", Severity::high)}, "2026-09-28T00:00:00Z");
    ASSERT_EQ(cases("open").exit_code, 0);
    const std::string password = write("password", "a long enough password\n");
    for (const auto& [name, role, unit] : {std::tuple{"li", "inspector", "U1"}, std::tuple{"zhao", "inspector", "U2"},
                                           std::tuple{"wang", "supervisor", "U0"}}) {
        const auto added =
            run_command(GRIDAUDIT_BINARY, fmt::format("user add --db {} --name {} --role {} --unit {} < {} "
                                                      "2>&1",
                                                      fixture_.path(), name, role, unit, password));
        ASSERT_EQ(added.exit_code, 0) << added.out;
    }
    const auto other_unit = cases("--as zhao show 1");
    EXPECT_EQ(other_unit.exit_code, 1);
    EXPECT_NE(other_unit.out.find("zhao"), std::string::npos) << other_unit.out;
    EXPECT_NE(cases("--as zhao list").out.find("0 case(s)"), std::string::npos);
    const auto not_a_supervisor = cases("--as li assign 1 --to li --version 1");
    EXPECT_EQ(not_a_supervisor.exit_code, 1);
    EXPECT_NE(not_a_supervisor.out.find("may not assign_case"), std::string::npos) << not_a_supervisor.out;
    ASSERT_EQ(cases("--as wang assign 1 --to li --version 1").exit_code, 0);
    const auto worked = cases("--as li transition 1 --to online_check --version 2 --json");
    ASSERT_EQ(worked.exit_code, 0) << worked.out;
    EXPECT_EQ(nlohmann::json::parse(worked.out)["state"], "online_check");
    const auto history = nlohmann::json::parse(cases("show 1 --json").out)["events"];
    EXPECT_EQ(history.back()["actor"], "li");
    const auto unknown = cases("--as nobody list");
    EXPECT_EQ(unknown.exit_code, 1);
    EXPECT_NE(unknown.out.find("no user nobody"), std::string::npos) << unknown.out;
}

TEST_F(CasesCliTest, ImportOpensCasesAndRecordsDuplicatesInOneGo) {
    const std::string good = write("good.csv",
                                   "subject_kind,subject_id,kind,description,amount,found_on\n"
                                   "customer,C1,theft,seal broken,1520.40,2026-09-20\n"
                                   "customer,C1,theft,seal broken (second report),0,2026-09-21\n"
                                   "node,N2,LOSS-AREA-HIGH,area loss 14 %,0,2026-09-21\n");
    const auto imported = cases("import " + good);
    ASSERT_EQ(imported.exit_code, 0) << imported.out;
    EXPECT_NE(imported.out.find("2 case(s) opened, 1 joined an open case as evidence (1 duplicate attempt(s)"),
              std::string::npos)
        << imported.out;
    const auto listed = nlohmann::json::parse(cases("list --json").out);
    ASSERT_EQ(listed["cases"].size(), 2u);
    EXPECT_EQ(listed["cases"][0]["source"], "fee_center");
    EXPECT_EQ(listed["cases"][0]["money_at_risk"], "1520.40");
    EXPECT_EQ(listed["cases"][1]["unit_id"], "U2");

    const std::string bad = write("bad.csv",
                                  "subject_kind,subject_id,kind,description,amount,found_on\n"
                                  "customer,C2,theft,ok,0,2026-09-20\n"
                                  "customer,C2,theft,ok,1.234,2026-09-20\n");
    const auto refused = cases("import " + bad);
    EXPECT_EQ(refused.exit_code, 1);
    EXPECT_NE(refused.out.find("cases.db.bad.csv:3:22: amount: must be an amount of at least 0 with at most 2 "
                               "decimals (1.234)"),
              std::string::npos)
        << refused.out;
    EXPECT_EQ(nlohmann::json::parse(cases("list --json").out)["cases"].size(), 2u);  // nothing of bad.csv

    const std::string unknown = write("unknown.csv",
                                      "subject_kind,subject_id,kind,description,amount,found_on\n"
                                      "customer,C2,theft,ok,0,2026-09-20\n"
                                      "customer,C404,theft,ok,0,2026-09-20\n");
    const auto not_found = cases("import " + unknown);
    EXPECT_EQ(not_found.exit_code, 1);
    EXPECT_NE(not_found.out.find("cases.db.unknown.csv:3: no customer C404 in the store"), std::string::npos)
        << not_found.out;
    EXPECT_EQ(nlohmann::json::parse(cases("list --json").out)["cases"].size(), 2u);  // the whole file or nothing
}

}  // namespace
}  // namespace gridaudit
