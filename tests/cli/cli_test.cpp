// The `gridaudit` command as a user meets it: exit codes, messages, JSON, and kill -9 during an import.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "store/store.hpp"
#include "support/command_runner.hpp"
#include "support/result_assertions.hpp"

namespace gridaudit {
namespace {

namespace fs = std::filesystem;

CommandOutput run(const std::string& arguments) { return run_command(GRIDAUDIT_BINARY, arguments); }

void write_file(const fs::path& path, const std::string& content) {
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << content;
}

class CliTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / fmt::format("gridaudit-cli-{}-{}", ::getpid(),
                                                       ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }

    // A tiny valid export with one bad customer row (negative capacity) on line 3.
    fs::path small_export(bool with_bad_row) {
        const fs::path folder = dir_ / "export";
        write_file(folder / "network.csv",
                   "node_id,parent_id,kind,name\nS1,,substation,Sub\nB1,S1,bus,Bus\nF1,B1,feeder,Feeder\nA1,F1,area,Area\n");
        std::string customers =
            "customer_id,name,node_id,category,voltage_kv,contracted_kva,tariff_id,status,supply_start\n"
            "C1,Li,A1,residential,0.22,8,RES,active,2020-01-01\n";
        customers += with_bad_row ? "C2,Wang,A1,residential,0.22,-3,RES,active,2020-01-01\n"
                                  : "C2,Wang,A1,residential,0.22,3,RES,active,2020-01-01\n";
        write_file(folder / "customers.csv", customers);
        write_file(folder / "meters.csv",
                   "meter_id,customer_id,model,accuracy_class,phases,rated_current,ct_ratio,pt_ratio,multiplier,installed_on\n"
                   "M1,C1,DDZY71,2.0,1,5,1,1,1,2012-01-01\n");
        write_file(folder / "ami_daily.csv",
                   "meter_id,day,import_register,export_register\nM1,2026-10-30,100.5,0\nM1,2026-10-31,103.25,0\n");
        return folder;
    }

    fs::path dir_;
};

TEST_F(CliTest, UsageErrorsExitWithOne) {
    EXPECT_EQ(run("").exit_code, 1);
    EXPECT_EQ(run("audit").exit_code, 1);  // --db is required
    EXPECT_EQ(run("no-such-command").exit_code, 1);
    const auto period = run(fmt::format("audit --db {} --period 2026-13", (dir_ / "x.db").string()));
    EXPECT_EQ(period.exit_code, 1);
    EXPECT_NE(period.out.find("--period must be YYYY-MM (2026-13)"), std::string::npos) << period.out;
    EXPECT_EQ(run("--help").exit_code, 0);
}

TEST_F(CliTest, ImportReportsBadRowsCommitsTheRestAndExitsWithOne) {
    const fs::path folder = small_export(true);
    const std::string db = (dir_ / "g.db").string();
    const auto imported = run(fmt::format("import --db {} {}", db, folder.string()));
    EXPECT_EQ(imported.exit_code, 1) << imported.out;
    EXPECT_NE(imported.out.find("customers.csv:3:"), std::string::npos) << imported.out;
    EXPECT_NE(imported.out.find("contracted_kva"), std::string::npos) << imported.out;
    EXPECT_NE(imported.out.find("(-3)"), std::string::npos) << imported.out;
    EXPECT_TRUE(fs::exists(dir_ / "export.import-report" / "errors.txt"));

    auto store = Store::open(db);
    ASSERT_TRUE(store);
    const auto customers = (*store)->read_rows(*find_table("customers"));
    ASSERT_TRUE(customers);
    EXPECT_EQ(customers->size(), 1u) << "the valid customer is committed, the bad one rejected";
}

TEST_F(CliTest, StrictImportRefusesTheWholeBatch) {
    const fs::path folder = small_export(true);
    const std::string db = (dir_ / "g.db").string();
    const auto imported = run(fmt::format("import --strict --db {} {}", db, folder.string()));
    EXPECT_EQ(imported.exit_code, 1) << imported.out;
    auto store = Store::open(db);
    ASSERT_TRUE(store);
    const auto customers = (*store)->read_rows(*find_table("customers"));
    ASSERT_TRUE(customers);
    EXPECT_TRUE(customers->empty());
}

TEST_F(CliTest, CleanImportThenAuditAsJson) {
    const fs::path folder = small_export(false);
    const std::string db = (dir_ / "g.db").string();
    const auto imported = run(fmt::format("import --db {} {}", db, folder.string()));
    ASSERT_EQ(imported.exit_code, 0) << imported.out;
    const auto audited = run(fmt::format("audit --db {} --json", db));
    ASSERT_EQ(audited.exit_code, 0) << audited.out;
    const auto json = nlohmann::json::parse(audited.out);
    EXPECT_EQ(json["as_of"], "2026-10-31");
    EXPECT_EQ(json["customers"], 2);
    // C2 has no meter and the area names no gateway (master data); M1, single-phase, installed 2012,
    // is past its 10 years. Findings come sorted by rule, subject kind and subject.
    ASSERT_EQ(json["findings"].size(), 3u) << audited.out;
    EXPECT_EQ(json["findings"][0]["rule_id"], "MASTER-MISSING-LINK");
    EXPECT_EQ(json["findings"][0]["subject_id"], "C2");
    EXPECT_EQ(json["findings"][0]["evidence"]["problem"], "no_meter");
    EXPECT_EQ(json["findings"][1]["rule_id"], "MASTER-MISSING-LINK");
    EXPECT_EQ(json["findings"][1]["subject_id"], "A1");
    EXPECT_EQ(json["findings"][1]["evidence"]["problem"], "area_without_gateway");
    EXPECT_EQ(json["findings"][2]["rule_id"], "METER-ROTATION-OVERDUE");
    EXPECT_EQ(json["findings"][2]["subject_id"], "M1");
    EXPECT_EQ(json["findings"][2]["evidence"]["due_on"], "2022-01-01");
    EXPECT_EQ(json["findings_by_area"]["METER"], 1);
    EXPECT_EQ(json["findings_by_area"]["PROC"], 2);
}

TEST_F(CliTest, SuspectsRanksEveryCustomerOfEachArea) {
    const std::string out = (dir_ / "generated").string();
    const std::string db = (dir_ / "s.db").string();
    ASSERT_EQ(run(fmt::format("generate --out {} --customers 200 --days 40 --seed 3", out)).exit_code, 0);
    ASSERT_EQ(run(fmt::format("import --db {} {}", db, out)).exit_code, 0);
    const auto all = run(fmt::format("suspects --db {} --top 0 --json", db));
    ASSERT_EQ(all.exit_code, 0) << all.out;
    const auto json = nlohmann::json::parse(all.out);
    ASSERT_FALSE(json["areas"].empty());
    const auto& area = json["areas"][0];
    // Every customer of the area, ranked by a non-increasing score.
    ASSERT_EQ(area["suspects"].size(), area["customers"].get<std::size_t>());
    for (std::size_t r = 0; r < area["suspects"].size(); ++r) {
        EXPECT_EQ(area["suspects"][r]["rank"], r + 1);
        if (r > 0) {
            EXPECT_LE(area["suspects"][r]["score"].get<double>(), area["suspects"][r - 1]["score"].get<double>());
        }
    }
    const std::string node = area["node_id"];
    const auto one =
        run(fmt::format("suspects --db {} --node {} --top 3 --from 2026-10-10 --to 2026-10-31 --json", db, node));
    ASSERT_EQ(one.exit_code, 0) << one.out;
    const auto one_json = nlohmann::json::parse(one.out);
    ASSERT_EQ(one_json["areas"].size(), 1u);
    EXPECT_EQ(one_json["areas"][0]["node_id"], node);
    EXPECT_EQ(one_json["areas"][0]["from"], "2026-10-10");
    EXPECT_EQ(one_json["areas"][0]["to"], "2026-10-31");
    EXPECT_EQ(one_json["areas"][0]["suspects"].size(), 3u);
    // The generator writes the area gateways' 15-minute intervals for the window's last 31 days.
    EXPECT_EQ(one_json["areas"][0]["area_meter_intervals"], true);
    for (const auto& suspect : one_json["areas"][0]["suspects"]) {
        EXPECT_TRUE(suspect["reason"].is_string());
        EXPECT_TRUE(suspect["evidence"].is_object());
    }

    const auto unknown = run(fmt::format("suspects --db {} --node NOPE", db));
    EXPECT_EQ(unknown.exit_code, 1);
    EXPECT_NE(unknown.out.find("no such node (NOPE)"), std::string::npos) << unknown.out;
    const auto both = run(fmt::format("suspects --db {} --period 2026-10 --from 2026-10-01", db));
    EXPECT_EQ(both.exit_code, 1);
    EXPECT_NE(both.out.find("--period or --from/--to"), std::string::npos) << both.out;
}

TEST_F(CliTest, MissingFolderIsAUserError) {
    const auto imported = run(fmt::format("import --db {} {}", (dir_ / "g.db").string(), (dir_ / "nope").string()));
    EXPECT_EQ(imported.exit_code, 1) << imported.out;
    EXPECT_NE(imported.out.find("nope"), std::string::npos) << imported.out;
}

TEST_F(CliTest, RulesJsonIsOneDocument) {
    const auto rules = run("rules --json");
    ASSERT_EQ(rules.exit_code, 0);
    EXPECT_GE(nlohmann::json::parse(rules.out)["rules"].size(), 3u);
}

// kill -9 at many moments of an import: the store is always exactly before or after the batch.
TEST_F(CliTest, KilledImportLeavesTheStoreBeforeOrAfter) {
    const fs::path export_dir = dir_ / "county";
    ASSERT_EQ(run(fmt::format("generate --out {} --customers 800 --days 200 --seed 3", export_dir.string())).exit_code, 0);
    const std::string reference = (dir_ / "reference.db").string();
    ASSERT_EQ(run(fmt::format("import --db {} {}", reference, export_dir.string())).exit_code, 0);
    auto counts_of = [](const std::string& db) {
        auto store = testing::value_of(Store::open(db));
        return testing::value_of(store->table_counts());
    };
    const auto after = counts_of(reference);
    int saw_before = 0, saw_after = 0;
    for (int delay_ms = 0; delay_ms <= 600; delay_ms += 40) {
        const std::string db = (dir_ / fmt::format("killed-{}.db", delay_ms)).string();
        {
            auto created = Store::open(db);  // the store exists (migrated, empty) before the import starts
            ASSERT_TRUE(created);
        }
        const auto before = counts_of(db);
        const pid_t child = fork();
        if (child == 0) {
            const int devnull = open("/dev/null", O_WRONLY);
            dup2(devnull, 1);
            dup2(devnull, 2);
            execl(GRIDAUDIT_BINARY, GRIDAUDIT_BINARY, "import", "--db", db.c_str(), export_dir.c_str(),
                  static_cast<char*>(nullptr));
            _exit(127);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
        kill(child, SIGKILL);
        int status = 0;
        waitpid(child, &status, 0);
        const auto now = counts_of(db);
        if (now == before) {
            ++saw_before;
        } else {
            EXPECT_EQ(now, after) << "store between before and after when killed at " << delay_ms << " ms";
            ++saw_after;
        }
    }
    EXPECT_GT(saw_before, 0);
    RecordProperty("killed_before_commit", saw_before);
    RecordProperty("finished_before_kill", saw_after);
}

}  // namespace
}  // namespace gridaudit
