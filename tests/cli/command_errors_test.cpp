// The commands against bad input and misuse (issue 12): exit codes by the table in docs/cli.md,
// messages that say what is wrong, nothing created or computed silently. Each test is named after
// the defect it guards.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "store/batch_builder.hpp"
#include "store/store.hpp"

namespace gridaudit {
namespace {

namespace fs = std::filesystem;
using namespace gridaudit::testing;

struct Output {
    int exit_code = -1;
    std::string out;  // stdout
    std::string err;  // stderr
};

void write_file(const fs::path& path, const std::string& content) {
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << content;
}

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream content;
    content << in.rdbuf();
    return content.str();
}

class CommandErrorsTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / fmt::format("gridaudit-errors-{}-{}", ::getpid(),
                                                       ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
        fs::permissions(dir_, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                  fs::perms::others_read | fs::perms::others_exec);
    }
    void TearDown() override { fs::remove_all(dir_); }

    // Runs `gridaudit arguments` (through the shell, as written) with `prefix` before the binary
    // (e.g. a command that drops privileges); stdout and stderr apart.
    Output run(const std::string& arguments, const std::string& prefix = "") const {
        const fs::path err = dir_ / "stderr.txt";
        const std::string command = fmt::format("{} '{}' {} 2>'{}'", prefix, GRIDAUDIT_BINARY, arguments, err.string());
        Output output;
        std::FILE* pipe = popen(command.c_str(), "r");
        if (!pipe) return output;
        std::array<char, 4096> buffer{};
        while (std::fgets(buffer.data(), buffer.size(), pipe)) output.out += buffer.data();
        const int status = pclose(pipe);
        output.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        output.err = read_file(err);
        return output;
    }

    // A tiny valid export: one area, two customers, one meter with two days of reads.
    fs::path small_export() const {
        const fs::path folder = dir_ / "export";
        write_file(folder / "network.csv",
                   "node_id,parent_id,kind,name\nS1,,substation,Sub\nB1,S1,bus,Bus\nF1,B1,feeder,Feeder\nA1,F1,area,Area\n");
        write_file(folder / "customers.csv",
                   "customer_id,name,node_id,category,voltage_kv,contracted_kva,tariff_id,status,supply_start\n"
                   "C1,Li,A1,residential,0.22,8,RES,active,2020-01-01\n"
                   "C2,Wang,A1,industrial,10,400,IND,active,2020-01-01\n");
        write_file(folder / "meters.csv",
                   "meter_id,customer_id,model,accuracy_class,phases,rated_current,ct_ratio,pt_ratio,multiplier,"
                   "installed_on,ct_class\n"
                   "M1,C1,DDZY71,2.0,1,5,1,1,1,2024-01-01,\n"
                   "M2,C2,DTSD341,0.5S,3,1.5,800/5,1,160,2024-01-01,1.0\n");
        write_file(folder / "ami_daily.csv",
                   "meter_id,day,import_register,export_register\nM1,2026-10-30,100.5,0\nM1,2026-10-31,103.25,0\n");
        return folder;
    }

    std::string db() const { return (dir_ / "g.db").string(); }

    fs::path dir_;
};

// --- item 5 -------------------------------------------------------------------------------------

// Two first imports into a new store at once: one failed with "running 'PRAGMA journal_mode =
// WAL': database is locked" (exit 2). Both must succeed, one importing, the other finding the
// batch already imported.
TEST_F(CommandErrorsTest, TwoFirstImportsIntoANewStoreAtOnceWaitForTheLock) {
    const fs::path folder = small_export();
    for (int attempt = 0; attempt < 5; ++attempt) {
        const std::string store = (dir_ / fmt::format("new-{}.db", attempt)).string();
        Output first, second;
        std::thread a([&] { first = run(fmt::format("import --db {} {}", store, folder.string())); });
        std::thread b([&] { second = run(fmt::format("import --db {} {}", store, folder.string())); });
        a.join();
        b.join();
        EXPECT_EQ(first.exit_code, 0) << first.out << first.err;
        EXPECT_EQ(second.exit_code, 0) << second.out << second.err;
        EXPECT_EQ(first.err.find("locked"), std::string::npos) << first.err;
        EXPECT_EQ(second.err.find("locked"), std::string::npos) << second.err;
    }
}

// --- item 8 -------------------------------------------------------------------------------------

// `audit` on a missing store created an empty file; every command that reads a store refuses.
TEST_F(CommandErrorsTest, AuditOnMissingStoreCreatesNoFile) {
    const fs::path missing = dir_ / "missing.db";
    for (const std::string& command : std::vector<std::string>{"audit --db {}", "loss --db {}", "vee --db {}",
                                                                "report --db {} --out " + (dir_ / "r.html").string()}) {
        const Output output = run(fmt::format(fmt::runtime(command), missing.string()));
        EXPECT_EQ(output.exit_code, 1) << command << ": " << output.err;
        EXPECT_NE(output.err.find("missing.db"), std::string::npos) << output.err;
        EXPECT_FALSE(fs::exists(missing)) << command;
        EXPECT_FALSE(fs::exists(missing.string() + "-wal")) << command;
    }
}

TEST_F(CommandErrorsTest, CapacityOf1e308SaysOutOfRangeNotDecimals) {
    const Output output = run("recover theft --capacity-kw 1e308 --price 0.5");
    EXPECT_EQ(output.exit_code, 1);
    EXPECT_NE(output.err.find("capacity_kw is out of range (1e308)"), std::string::npos) << output.err;
    EXPECT_EQ(output.err.find("decimals"), std::string::npos) << output.err;
    const Output decimals = run("recover theft --capacity-kw 1.23456 --price 0.5");
    EXPECT_EQ(decimals.exit_code, 1);
    EXPECT_NE(decimals.err.find("at most 4 decimals (1.23456)"), std::string::npos) << decimals.err;
}

TEST_F(CommandErrorsTest, LossNegativePurchasePriceIsAnError) {
    ASSERT_EQ(run(fmt::format("import --db {} {}", db(), small_export().string())).exit_code, 0);
    const Output output = run(fmt::format("loss --db {} --purchase-price -1", db()));
    EXPECT_EQ(output.exit_code, 1) << output.out;
    EXPECT_NE(output.err.find("--purchase-price"), std::string::npos) << output.err;
}

TEST_F(CommandErrorsTest, SuspectsAndEvalRefuseTheSameMalformedDayWindows) {
    // Both read their days through day_window_options: one set of messages, exit 1, before any store.
    for (const char* command : {"suspects --db none.db", "eval --db none.db --truth none.csv"}) {
        const Output both = run(fmt::format("{} --period 2026-10 --from 2026-10-01", command));
        EXPECT_EQ(both.exit_code, 1) << command;
        EXPECT_NE(both.err.find("give --period or --from/--to, not both"), std::string::npos) << both.err;
        const Output reversed = run(fmt::format("{} --from 2026-10-05 --to 2026-10-01", command));
        EXPECT_EQ(reversed.exit_code, 1) << command;
        EXPECT_NE(reversed.err.find("--to is before --from (2026-10-01 < 2026-10-05)"), std::string::npos)
            << reversed.err;
        const Output month = run(fmt::format("{} --period 2026-13", command));
        EXPECT_EQ(month.exit_code, 1) << command;
        EXPECT_NE(month.err.find("--period must be YYYY-MM (2026-13)"), std::string::npos) << month.err;
    }
}

TEST_F(CommandErrorsTest, RecoverNegativeCapacityIsAnError) {
    for (const char* arguments : {"recover theft --capacity-kva -5 --price 0.5", "recover theft --capacity-kw -5 --price 0.5",
                                  "recover violation --type capacity --customer other --capacity-kw -5",
                                  "recover --capacity-kva -5"}) {
        const Output output = run(arguments);
        EXPECT_EQ(output.exit_code, 1) << arguments << ": " << output.out << output.err;
        EXPECT_EQ(output.out.find("total"), std::string::npos) << arguments << ": nothing computed";
        EXPECT_FALSE(output.err.empty()) << arguments;
    }
    const Output bill = run(fmt::format("tariff bill --tariff {} --load {} --capacity-kva -5",
                                        GRIDAUDIT_CASES_DIR "/billing/tariffs/residential_tiered.json",
                                        (dir_ / "load.csv").string()));
    EXPECT_EQ(bill.exit_code, 1);
    EXPECT_NE(bill.err.find("--capacity-kva must be more than 0 (-5)"), std::string::npos) << bill.err;
}

TEST_F(CommandErrorsTest, RecoverTheftOfABillionHoursIsRefusedUnlessAcceptedWithAWarning) {
    const Output refused = run("recover theft --capacity-kw 3 --hours 1e9 --price 0.5");
    EXPECT_EQ(refused.exit_code, 1);
    EXPECT_NE(refused.err.find("plausibility limit of 3660 days ([recovery] max_duration_days)"), std::string::npos)
        << refused.err;
    EXPECT_NE(refused.err.find("--max-duration-days 41666667"), std::string::npos) << refused.err;
    EXPECT_EQ(refused.out, "");

    const Output accepted = run("recover theft --capacity-kw 3 --hours 1e9 --price 0.5 --max-duration-days 41666667");
    EXPECT_EQ(accepted.exit_code, 0) << accepted.err;
    EXPECT_NE(accepted.out.find("3000000000 kWh"), std::string::npos) << accepted.out;
    EXPECT_NE(accepted.err.find("gridaudit recover: warning: hours 1000000000 is 41666666.6666 days"),
              std::string::npos)
        << accepted.err;

    const Output json = run("recover theft --capacity-kw 3 --hours 1e9 --price 0.5 --max-duration-days 5e7 --json");
    ASSERT_EQ(json.exit_code, 0) << json.err;
    EXPECT_EQ(nlohmann::json::parse(json.out)["warnings"].size(), 1u);
}

TEST_F(CommandErrorsTest, RecoverWindowFromYear1To9999IsRefused) {
    const Output theft = run("recover theft --capacity-kw 3 --start 0001-01-01 --end 9999-12-31 --price 0.5");
    EXPECT_EQ(theft.exit_code, 1) << theft.out;
    EXPECT_NE(theft.err.find("the window 0001-01-01 to 9999-12-31"), std::string::npos) << theft.err;
    const Output late = run("recover late-payment customer=other amount=1000 due=0001-01-01 paid=9999-12-31");
    EXPECT_EQ(late.exit_code, 1) << late.out;
    EXPECT_NE(late.err.find("plausibility limit"), std::string::npos) << late.err;
    // Within the limit nothing changes.
    EXPECT_EQ(run("recover theft --capacity-kw 3 --start 2026-01-01 --end 2026-03-01 --price 0.5").exit_code, 0);
}

// The limit is the policy's: a [recovery] max_duration_days in the policy file moves it.
TEST_F(CommandErrorsTest, RecoverPlausibilityLimitComesFromThePolicy) {
    write_file(dir_ / "policy.toml", "[recovery]\nmax_duration_days = 30\n");
    const std::string policy = (dir_ / "policy.toml").string();
    EXPECT_EQ(run(fmt::format("recover theft --capacity-kw 3 --days 31 --price 0.5 --policy {}", policy)).exit_code, 1);
    EXPECT_EQ(run(fmt::format("recover theft --capacity-kw 3 --days 30 --price 0.5 --policy {}", policy)).exit_code, 0);
}

TEST_F(CommandErrorsTest, RecoverNonsenseSaysTheComputationIsUnknownAndListsTheValidOnes) {
    const Output output = run("recover nonsense");
    EXPECT_EQ(output.exit_code, 1);
    EXPECT_NE(output.err.find("unknown computation 'nonsense': give one of theft, violation, metering, "
                              "late-payment, policy"),
              std::string::npos)
        << output.err;
    const Output none = run("recover");
    EXPECT_EQ(none.exit_code, 1);
    EXPECT_NE(none.err.find("give a computation: theft"), std::string::npos) << none.err;
}

// --- item 7 -------------------------------------------------------------------------------------

TEST_F(CommandErrorsTest, AuditTextHeadersSitOverTheirValuesAndMoneyHasItsCurrency) {
    ASSERT_EQ(run(fmt::format("import --db {} {}", db(), small_export().string())).exit_code, 0);
    const Output audit = run(fmt::format("audit --db {}", db()));
    ASSERT_EQ(audit.exit_code, 0) << audit.err;
    std::istringstream lines(audit.out);
    std::string line, header, row;
    while (std::getline(lines, line)) {
        if (line.starts_with("Findings by rule:")) header = line;
        if (!header.empty() && line.starts_with("  METER-ROTATION-OVERDUE")) row = line;
    }
    ASSERT_FALSE(header.empty()) << audit.out;
    ASSERT_FALSE(row.empty()) << audit.out;
    // "count" ends where the count ends; "money at risk" where the amount ends; "kWh at risk" too.
    EXPECT_EQ(header.find("count") + 5, row.find_first_of(' ', row.find_first_of("0123456789")));
    EXPECT_EQ(header.find("money at risk") + 13, row.find(" CNY") + 4) << header << "\n" << row;
    EXPECT_EQ(header.size(), row.size()) << header << "\n" << row;
}

// The summary said "ct below requirement (meter 0.5S needs 2.0)" where the evidence says a CT of
// class 1.0 is installed and 0.5S required.
TEST_F(CommandErrorsTest, MeterAccuracyClassSummaryStatesWhatItsEvidenceSays) {
    ASSERT_EQ(run(fmt::format("import --db {} {}", db(), small_export().string())).exit_code, 0);
    const Output audit = run(fmt::format("audit --db {} --rule METER-ACCURACY-CLASS --json", db()));
    ASSERT_EQ(audit.exit_code, 0) << audit.err;
    const auto json = nlohmann::json::parse(audit.out);
    ASSERT_EQ(json["findings"].size(), 1u) << audit.out;
    const auto& finding = json["findings"][0];
    EXPECT_EQ(finding["subject_id"], "M2");
    EXPECT_EQ(finding["evidence"]["installed"]["ct"], "1.0");
    EXPECT_EQ(finding["evidence"]["required"]["ct"], "0.5S");
    EXPECT_EQ(finding["evidence"]["failing"], nlohmann::json::array({"ct"}));
    EXPECT_EQ(finding["summary"], "Meter M2 (class III point, 400 kVA): CT of class 1.0 installed, 0.5S required");
}

TEST_F(CommandErrorsTest, ImportThatChangesNothingPrintsNoEmptyBatchLine) {
    const fs::path folder = small_export();
    ASSERT_EQ(run(fmt::format("import --db {} {}", db(), folder.string())).exit_code, 0);
    // The same rows in other bytes (CRLF line ends): a new batch that changes nothing.
    std::string customers = read_file(folder / "customers.csv");
    std::string crlf;
    for (const char c : customers) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
    write_file(folder / "customers.csv", crlf);
    const Output again = run(fmt::format("import --db {} {}", db(), folder.string()));
    ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
    EXPECT_EQ(again.out.find("committed:\n"), std::string::npos) << again.out;
    EXPECT_NE(again.out.find("committed: nothing changed"), std::string::npos) << again.out;
}

// --- item 1 -------------------------------------------------------------------------------------

// A stored tariff the engine cannot use made BILL-RECOMPUTE-MISMATCH report every customer ("the
// stored tariffs cannot be used"), exit 0, nothing on stderr. Now only its own customers are left
// alone, the audit warns once on stderr and records the warning with the run.
TEST_F(CommandErrorsTest, OneUnusableTariffAffectsOnlyItsOwnCustomers) {
    BatchBuilder builder("one bad tariff");
    const auto none = [] { return missing(); };
    builder.row("network", {text("S1"), none(), text("substation"), text("S1"), none(), none(), none()})
        .row("network", {text("A1"), text("S1"), text("area"), text("A1"), none(), none(), none()});
    for (const char* id : {"C1", "C2", "C3"})
        builder.row("customers", {text(id), text(id), none(), text("A1"), text("residential"), none(), decimal(0.22),
                                  decimal(8), text(std::string(id) == "C1" ? "RES-TIER" : "BAD"), none(),
                                  text("active"), date("2020-01-01"), none(), none()});
    // C1's bill charges 999 for 100 kWh (a real mismatch); C2's and C3's are on the bad tariff.
    for (const auto& [bill, customer] : {std::pair{"B1", "C1"}, {"B2", "C2"}, {"B3", "C3"}})
        builder.row("bills", {text(bill), text(customer), period("2026-09"), decimal(100), none(), none(), none(),
                              none(), none(), money("999"), none(), none(), none(), money("999"), date("2026-10-03"),
                              date("2026-10-18"), none(), none(), none(), text("paid")});
    builder.tariff("RES-TIER", read_file(GRIDAUDIT_CASES_DIR "/billing/tariffs/residential_tiered.json"));
    builder.tariff("BAD", R"({"format": "gridaudit-tariff/1", "id": "BAD", "name": "Bad", "currency": "CNY",
                               "energy": {"price": -1}})");
    {
        auto store = Store::open(db());
        ASSERT_TRUE(store.has_value()) << store.error().message();
        const auto applied = (*store)->apply_batch(builder.batch(), {});
        ASSERT_TRUE(applied.has_value()) << applied.error().message();
    }
    const Output audit = run(fmt::format("audit --db {} --as-of 2026-10-31 --json", db()));
    ASSERT_EQ(audit.exit_code, 0) << audit.err;
    const auto json = nlohmann::json::parse(audit.out);
    std::vector<std::string> mismatched;
    for (const auto& finding : json["findings"])
        if (finding["rule_id"] == "BILL-RECOMPUTE-MISMATCH") mismatched.push_back(finding["subject_id"]);
    EXPECT_EQ(mismatched, std::vector<std::string>{"C1"}) << audit.out;
    // Said once, on stderr, naming the tariff and why.
    EXPECT_EQ(json["warnings"].size(), 1u);
    const std::string warning = "gridaudit audit: warning: tariff BAD cannot be used, so the bills of its 2 customer(s)";
    const auto at = audit.err.find(warning);
    EXPECT_NE(at, std::string::npos) << audit.err;
    EXPECT_EQ(audit.err.find(warning, at + 1), std::string::npos) << audit.err;
    EXPECT_NE(audit.err.find("tariffs/BAD.json:2:"), std::string::npos) << "where and why: " << audit.err;
    EXPECT_NE(audit.err.find("price"), std::string::npos) << "where and why: " << audit.err;
    // And in the run's record.
    auto store = Store::open(db(), StoreOpening::existing_only);
    ASSERT_TRUE(store.has_value());
    const auto runs = (*store)->audit_runs();
    ASSERT_TRUE(runs.has_value());
    ASSERT_EQ(runs->size(), 1u);
    ASSERT_EQ(runs->back().warnings.size(), 1u);
    EXPECT_NE(runs->back().warnings[0].find("tariff BAD cannot be used"), std::string::npos);
}

// --- item 6: the table of causes and exit codes in docs/cli.md, one test per row ---------------

// Runs as a user other than the file's owner: root reads and writes every file, so as root the
// command runs as nobody.
std::string as_another_user() {
    return ::geteuid() == 0 ? "setpriv --reuid=65534 --regid=65534 --clear-groups" : "";
}

TEST_F(CommandErrorsTest, ExitCodeTableOkIsZero) {
    ASSERT_EQ(run(fmt::format("import --db {} {}", db(), small_export().string())).exit_code, 0);
    EXPECT_EQ(run(fmt::format("audit --db {}", db())).exit_code, 0) << "findings are output, not errors";
}

TEST_F(CommandErrorsTest, ExitCodeTableUsageIsOne) {
    EXPECT_EQ(run("no-such-command").exit_code, 1);
    EXPECT_EQ(run("audit").exit_code, 1);  // --db is required
    EXPECT_EQ(run(fmt::format("audit --db {} --period 2026-13", db())).exit_code, 1);
    EXPECT_EQ(run("recover nonsense").exit_code, 1);
}

TEST_F(CommandErrorsTest, ExitCodeTableRejectedRowsAreOne) {
    const fs::path folder = small_export();
    write_file(folder / "customers.csv",
               "customer_id,name,node_id,category,voltage_kv,contracted_kva,tariff_id,status,supply_start\n"
               "C1,Li,A1,residential,0.22,-8,RES,active,2020-01-01\n");
    EXPECT_EQ(run(fmt::format("import --db {} {}", db(), folder.string())).exit_code, 1);
}

TEST_F(CommandErrorsTest, ExitCodeTableMissingInputIsOne) {
    EXPECT_EQ(run(fmt::format("import --db {} {}", db(), (dir_ / "nope").string())).exit_code, 1);
    EXPECT_EQ(run(fmt::format("audit --db {}", (dir_ / "nope.db").string())).exit_code, 1);
    EXPECT_EQ(run(fmt::format("rules --policy {}", (dir_ / "nope.toml").string())).exit_code, 1);
}

// An input file the user running the command may not read: 1, with the file named (docs/import.md).
TEST_F(CommandErrorsTest, ExitCodeTableUnreadableInputFileIsOne) {
    const fs::path folder = small_export();
    fs::permissions(dir_ / "export", fs::perms::all);
    fs::permissions(folder / "ami_daily.csv", fs::perms::none);
    const std::string store = (dir_ / "other-user.db").string();
    fs::permissions(dir_, fs::perms::all);  // the other user may create the store here
    const Output output = run(fmt::format("import --db {} {}", store, folder.string()), as_another_user());
    EXPECT_EQ(output.exit_code, 1) << output.out << output.err;
    EXPECT_NE((output.out + output.err).find("ami_daily.csv"), std::string::npos) << output.out << output.err;
}

TEST_F(CommandErrorsTest, ExitCodeTableNotAStoreIsOne) {
    write_file(dir_ / "notes.db", "these are notes, not a database\n");
    EXPECT_EQ(run(fmt::format("audit --db {}", (dir_ / "notes.db").string())).exit_code, 1);
}

// A store that cannot be written (here: owned by another user, read-only to this one): 2.
TEST_F(CommandErrorsTest, ExitCodeTableUnwritableStoreIsTwo) {
    ASSERT_EQ(run(fmt::format("import --db {} {}", db(), small_export().string())).exit_code, 0);
    fs::permissions(db(), fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
    for (const auto& extra : {db() + "-wal", db() + "-shm"}) fs::remove(extra);
    const std::string prefix = as_another_user();
    const Output audit = run(fmt::format("audit --db {}", db()), prefix);
    EXPECT_EQ(audit.exit_code, 2) << audit.out << audit.err;
    EXPECT_NE(audit.err.find("g.db"), std::string::npos) << audit.err;
}

// A full disk (a file size limit stands in for it): 2.
TEST_F(CommandErrorsTest, ExitCodeTableFullDiskIsTwo) {
    const fs::path folder = small_export();
    const Output output = run(fmt::format("import --db {} {}", db(), folder.string()), "trap '' XFSZ; ulimit -f 8;");
    EXPECT_EQ(output.exit_code, 2) << output.out << output.err;
}

}  // namespace
}  // namespace gridaudit
