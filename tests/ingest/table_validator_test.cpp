// Tests of row-level validation: header problems, every field problem of every row reported at
// its file:line:column, and each table's cross-column rules.
#include "ingest/table_validator.hpp"

#include <gtest/gtest.h>

namespace gridaudit {
namespace {

struct Checked {
    CheckedTable table;
    std::vector<std::string> messages;
};

Checked check(std::string_view table_name, const std::string& content) {
    static std::vector<std::string> keep_alive;  // rows keep views into their file's bytes
    keep_alive.push_back(content);
    ProblemLog problems;
    const TableSpec& spec = *find_table(table_name);
    Checked out{check_table(spec, spec.file, keep_alive.back(), problems), {}};
    for (const auto& problem : problems.problems()) out.messages.push_back(problem.to_string());
    return out;
}

using Messages = std::vector<std::string>;

const std::string customers_header =
    "customer_id,name,node_id,category,voltage_kv,contracted_kva,tariff_id,status,supply_start,supply_end\n";

struct HeaderCase {
    const char* name;
    const char* table;
    std::string content;
    Messages expected;
};

TEST(TableValidatorTest, HeaderProblemsMakeTheFileUnusable) {
    const std::vector<HeaderCase> cases = {
        {"empty file", "staff", "", {"staff.csv:1:1: the file is empty: a header line naming the columns is required"}},
        {"missing required column",
         "staff",
         "staff_id,name\nS1,Wang\n",
         {"staff.csv:1:1: role: required column missing from the header"}},
        {"unknown column",
         "staff",
         "staff_id,name,role,rank\n",
         {"staff.csv:1:20: rank: unknown column: staff.csv has no such column (name extra columns with an x_ "
          "prefix)"}},
        {"duplicate column",
         "staff",
         "staff_id,name,role,name\n",
         {"staff.csv:1:20: name: column named twice in the header (first at column 10)"}},
        {"empty column name", "staff", "staff_id,,name,role\n", {"staff.csv:1:10: empty column name in the header"}},
        {"malformed header",
         "staff",
         "staff_id,na\"me,role\n",
         {"staff.csv:1:12: header: quote inside an unquoted field"}},
    };
    for (const auto& c : cases) {
        const auto result = check(c.table, c.content);
        EXPECT_EQ(result.messages, c.expected) << c.name;
        EXPECT_FALSE(result.table.usable) << c.name;
    }
}

TEST(TableValidatorTest, ColumnOrderIsFreeAndXColumnsAreKeptAside) {
    const auto result = check("staff", "x_note,role,staff_id,name\nanything,reader,S1,Wang\n");
    EXPECT_TRUE(result.messages.empty()) << result.messages.front();
    ASSERT_EQ(result.table.rows.size(), 1u);
    const auto& values = result.table.rows[0].row.values;
    EXPECT_EQ(std::get<std::string>(values[0]), "S1");
    EXPECT_EQ(std::get<std::string>(values[1]), "Wang");
    EXPECT_TRUE(std::holds_alternative<std::monostate>(values[2]));  // unit_id absent
    EXPECT_EQ(std::get<std::string>(values[3]), "reader");
}

TEST(TableValidatorTest, ReportsEveryProblemOfEveryRowAtItsPosition) {
    const auto result = check("customers", customers_header +
                                               "C1,Li,A1,residential,0.22,8,RES,active,2019-04-01,\n"
                                               "C2,,A1,residental,0.22,-3,RES,active,2019-04-01,\n"
                                               "C3,Wu,A1,residential,abc,8,RES,active,2019-02-30,\n"
                                               "C4,Xu,A1,residential,0.22\n");
    EXPECT_EQ(result.messages,
              (Messages{
                  "customers.csv:3:4: name: required value is empty",
                  "customers.csv:3:8: category: unknown code, allowed: residential, commercial, industrial, "
                  "large_industrial, agricultural, temporary (residental)",
                  "customers.csv:3:24: contracted_kva: negative value not allowed (-3)",
                  "customers.csv:4:22: voltage_kv: not a decimal number (digits with '.' as decimal point) (abc)",
                  "customers.csv:4:39: supply_start: not a date (YYYY-MM-DD) (2019-02-30)",
                  "customers.csv:5:22: the record has 5 fields, the header has 10",
              }));
    ASSERT_EQ(result.table.rows.size(), 4u);
    EXPECT_FALSE(result.table.rows[0].rejected());
    EXPECT_EQ(
        result.table.rows[1].rejection,
        "name: required value is empty; category: unknown code, allowed: residential, commercial, industrial, "
        "large_industrial, agricultural, temporary (residental); contracted_kva: negative value not allowed (-3)");
    EXPECT_EQ(result.table.rows[3].raw, "C4,Xu,A1,residential,0.22");
    EXPECT_EQ(result.table.rejected_count(), 3u);
}

TEST(TableValidatorTest, ReportsMalformedRecordsAndKeepsReading) {
    const auto result = check("staff", "staff_id,name,role\nS1,\"Wang\"x,reader\nS2,Li,reader\n");
    EXPECT_EQ(result.messages, (Messages{"staff.csv:2:10: text after the closing quote of a field"}));
    EXPECT_TRUE(result.table.rows[0].rejected());
    EXPECT_FALSE(result.table.rows[1].rejected());
}

struct RuleCase {
    const char* name;
    const char* table;
    std::string content;
    Messages expected;
};

TEST(TableValidatorTest, AppliesEachTablesCrossColumnRules) {
    const std::string meters_header =
        "meter_id,customer_id,node_id,model,accuracy_class,phases,rated_current,ct_ratio,pt_ratio,multiplier,"
        "installed_on,last_tested_on,removed_on\n";
    const std::string orders_header = "order_id,type,segment,accepted_at,plan_at,connected_at,closed_at\n";
    const std::vector<RuleCase> cases = {
        {"supply_end before supply_start",
         "customers",
         customers_header + "C1,Li,A1,residential,0.22,8,RES,closed,2019-04-01,2019-03-31\n",
         {"customers.csv:2:51: supply_end: before supply_start 2019-04-01 (2019-03-31)"}},
        {"temporary customer without supply_end",
         "customers",
         customers_header + "C1,Li,A1,temporary,0.4,50,TMP,active,2026-01-01,\n",
         {"customers.csv:2:49: supply_end: a temporary customer needs a supply_end"}},
        {"temporary customer, no supply_end column",
         "customers",
         "customer_id,name,node_id,category,voltage_kv,contracted_kva,tariff_id,status,supply_start\n"
         "C1,Li,A1,temporary,0.4,50,TMP,active,2026-01-01\n",
         {"customers.csv:2:10: category: a temporary customer needs a supply_end (temporary)"}},
        {"temporary customer with supply_end is fine",
         "customers",
         customers_header + "C1,Li,A1,temporary,0.4,50,TMP,active,2026-01-01,2026-12-31\n",
         {}},
        {"meter with customer and node",
         "meters",
         meters_header + "M1,C1,A1,DDZY,2.0,1,5,1,1,1,2020-01-01,,\n",
         {"meters.csv:2:4: customer_id: both customer_id and node_id given: exactly one is allowed (C1)"}},
        {"meter with neither",
         "meters",
         meters_header + "M1,,,DDZY,2.0,1,5,1,1,1,2020-01-01,,\n",
         {"meters.csv:2:4: customer_id: neither customer_id nor node_id given: exactly one is required"}},
        {"meter dates before installed_on",
         "meters",
         meters_header + "M1,C1,,DDZY,2.0,1,5,1,1,1,2020-01-01,2019-12-31,2019-06-01\n",
         {"meters.csv:2:38: last_tested_on: before installed_on 2020-01-01 (2019-12-31)",
          "meters.csv:2:49: removed_on: before installed_on 2020-01-01 (2019-06-01)"}},
        {"substation with a parent",
         "network",
         "node_id,parent_id,kind,name\nS1,X,substation,Main\n",
         {"network.csv:2:4: parent_id: a substation has no parent (X)"}},
        {"feeder without a parent",
         "network",
         "node_id,parent_id,kind,name\nF1,,feeder,F\n",
         {"network.csv:2:4: parent_id: a feeder needs a parent (a bus)"}},
        {"work order step before acceptance",
         "work_orders",
         orders_header + "W1,new_connection,residential,2026-10-08T09:30:00+08:00,2026-10-08T01:00:00Z,"
                         "2026-10-08T09:29:59+08:00,2026-10-09T10:00:00+08:00\n",
         {"work_orders.csv:2:57: plan_at: before accepted_at 2026-10-08T09:30:00+08:00 (2026-10-08T01:00:00Z)",
          "work_orders.csv:2:78: connected_at: before accepted_at 2026-10-08T09:30:00+08:00 "
          "(2026-10-08T09:29:59+08:00)"}},
        {"interval off its grid",
         "ami_interval",
         "meter_id,start,minutes,kwh\nG1,2026-10-31T00:10:00+08:00,15,1.5\nG1,2026-10-31T00:10:00+08:00,5,1.5\n",
         {"ami_interval.csv:2:4: start: not on the 15-minute grid (intervals start at multiples of 15 minutes from "
          "midnight UTC) (2026-10-31T00:10:00+08:00)"}},
    };
    for (const auto& c : cases) EXPECT_EQ(check(c.table, c.content).messages, c.expected) << c.name;
}

TEST(TableValidatorTest, StopsReadingAfterTooManyRejectedRows) {
    ProblemLog problems;
    const TableSpec& spec = *find_table("staff");
    const std::string content = "staff_id,name,role\nS1,,reader\nS2,,reader\nS3,,reader\nS4,,reader\n";
    const auto table = check_table(spec, spec.file, content, problems, 2);
    EXPECT_FALSE(table.usable);
    ASSERT_FALSE(problems.empty());
    EXPECT_EQ(problems.problems().back().to_string(),
              "staff.csv: more than 2 rejected rows: the file was not read further");
    EXPECT_TRUE(problems.has_whole_file_problem());
}

}  // namespace
}  // namespace gridaudit
