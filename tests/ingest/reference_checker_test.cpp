// Tests of the rules between rows: references into the batch and the store, rejection of rows
// that reference rejected rows (along the whole chain), duplicate keys, parent cycles, network
// parent kinds, gateway meters and tariff ids. Each case edits the sample export and lists every
// message the import must give.
#include "ingest/reference_checker.hpp"

#include <gtest/gtest.h>

#include "fake_store.hpp"
#include "ingest/import_folder.hpp"
#include "sample_export.hpp"
#include "support/result_assertions.hpp"

namespace gridaudit {
namespace {

using Messages = std::vector<std::string>;

struct Edit {
    std::string file;
    std::string text;
    enum { append, replace, remove } how = append;
};

ExportFiles edited(ExportFiles files, const std::vector<Edit>& edits) {
    for (const auto& edit : edits) {
        if (edit.how == Edit::remove)
            files.erase(edit.file);
        else if (edit.how == Edit::replace)
            files[edit.file] = edit.text;
        else
            files[edit.file] += edit.text;
    }
    return files;
}

Messages messages_of(const ValidatedFolder& validated) {
    Messages messages;
    for (const auto& problem : validated.problems) messages.push_back(problem.to_string());
    return messages;
}

ValidatedFolder validate(FakeStore& store, const ExportFiles& files) {
    return testing::value_of(validate_files(store, "sample", as_input_files(files), ImportFolderOptions{}));
}

struct ReferenceCase {
    const char* name;
    std::vector<Edit> edits;
    Messages expected;
};

const std::string customers_header =
    "customer_id,name,unit_id,node_id,category,voltage_kv,contracted_kva,tariff_id,status,supply_start,supply_end\n";

TEST(ReferenceCheckerTest, TheSampleExportHasNoProblems) {
    FakeStore store;
    const auto validated = validate(store, sample_export());
    EXPECT_EQ(messages_of(validated), Messages{});
    EXPECT_FALSE(validated.stopped);
    EXPECT_EQ(validated.batch.daily.size(), 3u);
    EXPECT_EQ(validated.batch.interval.size(), 2u);
    EXPECT_EQ(validated.batch.tariffs.size(), 2u);
    std::size_t rows = 0;
    for (const auto& table : validated.batch.tables) rows += table.rows.size();
    EXPECT_EQ(rows, 2u + 4 + 1 + 2 + 3 + 1 + 1 + 1 + 1 + 1 + 1);
}

TEST(ReferenceCheckerTest, ChecksEveryRuleBetweenRows) {
    const std::vector<ReferenceCase> cases = {
        {"unknown reference",
         {{"meters.csv", "M3,C9,,DDZY71,2.0,1,5,1,1,1,2019-04-01\n"}},
         {"meters.csv:5:4: customer_id: not found in customers.csv or in the store (C9)"}},
        {"a row referencing a rejected row is rejected, along the whole chain",
         {{"customers.csv",
           customers_header + "C1,Li Ming,U2,A1,household,0.22,8,RES,active,2019-04-01,\n"
                              "C2,Shop,U2,A1,commercial,0.4,30,COM,active,2020-05-01,\n",
           Edit::replace}},
         {"customers.csv:2:18: category: unknown code, allowed: residential, commercial, industrial, "
          "large_industrial, agricultural, temporary (household)",
          "meters.csv:2:4: customer_id: references customers.csv line 2, which was rejected (C1)",
          "register_reads.csv:2:1: meter_id: references meters.csv line 2, which was rejected (M1)",
          "ami_daily.csv:2:1: meter_id: references meters.csv line 2, which was rejected (M1)",
          "ami_daily.csv:3:1: meter_id: references meters.csv line 2, which was rejected (M1)",
          "meter_events.csv:2:1: meter_id: references meters.csv line 2, which was rejected (M1)",
          "bills.csv:2:4: customer_id: references customers.csv line 2, which was rejected (C1)",
          "payments.csv:2:4: bill_id: references bills.csv line 2, which was rejected (B1)",
          "work_orders.csv:2:4: customer_id: references customers.csv line 2, which was rejected (C1)"}},
        {"a rejected gateway meter rejects its node, and so the node's customers and their meters",
         {{"meters.csv", "G2,,A2,DTZY,0.5S,3,1.5,200/5,1,40,2018-02-30\nM3,C3,,DDZY71,2.0,1,5,1,1,1,2019-04-01\n"},
          {"network.csv", "A2,F1,area,Area 2,U2,400,G2\n"},
          {"customers.csv", "C3,Wu,U2,A2,residential,0.22,8,RES,active,2019-04-01,\n"}},
         {"network.csv:6:26: gateway_meter_id: references meters.csv line 5, which was rejected (G2)",
          "customers.csv:4:10: node_id: references network.csv line 6, which was rejected (A2)",
          "meters.csv:5:35: installed_on: not a date (YYYY-MM-DD) (2018-02-30)",
          "meters.csv:6:4: customer_id: references customers.csv line 4, which was rejected (C3)"}},
        {"duplicate keys: the second occurrence, naming the first",
         {{"customers.csv", "C1,Li Ming,U2,A1,residential,0.22,8,RES,active,2019-04-01,\n"},
          {"register_reads.csv", "M1,2026-10-31,total,1234.6,manual,R1\n"}},
         {"customers.csv:4:1: customer_id: duplicate key, first on line 2 (C1)",
          "register_reads.csv:3:1: meter_id: duplicate key, first on line 2 (M1, 2026-10-31, total)"}},
        {"parents forming a cycle",
         {{"org_units.csv", "U3,U4,Team A,team\nU4,U3,Team B,team\nU5,U5,Team C,team\n"}},
         {"org_units.csv:4:4: parent_id: parents form a cycle: U3 -> U4 -> U3 (U4)",
          "org_units.csv:5:4: parent_id: parents form a cycle: U3 -> U4 -> U3 (U3)",
          "org_units.csv:6:4: parent_id: parents form a cycle: U5 -> U5 (U5)"}},
        {"network parent of the wrong kind",
         {{"network.csv", "A2,B1,area,Area 2,U2,400,\n"}},
         {"network.csv:6:4: parent_id: the parent of an area must be a feeder, not a bus (B1)"}},
        {"gateway meter installed on another node",
         {{"network.csv", "A2,F1,area,Area 2,U2,400,G1\n"}},
         {"network.csv:6:26: gateway_meter_id: the gateway meter is installed on node A1, not on this node (G1)"}},
        {"gateway meter that is a customer meter",
         {{"network.csv", "A2,F1,area,Area 2,U2,400,M1\n"}},
         {"network.csv:6:26: gateway_meter_id: the gateway meter is a customer meter, not a meter of this node "
          "(M1)"}},
        {"unknown tariff",
         {{"customers.csv", "C3,Wu,U2,A1,residential,0.22,8,XYZ,active,2019-04-01,\n"}},
         {"customers.csv:4:32: tariff_id: not found in tariffs/*.json or in the store (XYZ)"}},
        {"no tariffs anywhere: tariff ids are not checked",
         {{"tariffs/com.json", "", Edit::remove},
          {"tariffs/res.json", "", Edit::remove},
          {"customers.csv", "C3,Wu,U2,A1,residential,0.22,8,XYZ,active,2019-04-01,\n"}},
         {}},
        {"tariff files: malformed, not an object, without id, duplicate id",
         {{"tariffs/a_bad.json", "{\"id\": \"X\",\n  }\n"},
          {"tariffs/b_array.json", "[1, 2]"},
          {"tariffs/c_no_id.json",
           R"({"format": "gridaudit-tariff/1", "name": "x", "currency": "CNY", "energy": {"price": 1}})"},
          {"tariffs/res2.json", tariff_json("RES")}},
         {"tariffs/a_bad.json:2:3: not valid JSON: syntax error while parsing object key - unexpected '}'; "
          "expected string literal",
          "tariffs/b_array.json:1:1: must be an object ([...])", "tariffs/c_no_id.json:1:1: id: missing member",
          "tariffs/res2.json:1:1: id: tariff id already given by tariffs/res.json (RES)"}},
        {"tariff versions: two effective dates of one id are fine; the same date twice and a bad date are not",
         {{"tariffs/ver_2026.json",
           tariff_json("VER", R"("effective_from": "2026-01-01", "effective_to": "2026-12-31")")},
          {"tariffs/ver_2027.json", tariff_json("VER", R"("effective_from": "2027-01-01")")},
          {"tariffs/ver_2027b.json", tariff_json("VER", R"("effective_from": "2027-01-01")")},
          {"tariffs/ver_bad.json", tariff_json("VER", R"("effective_from": "2027-13-01")")}},
         {"tariffs/ver_2027b.json:1:1: id: tariff id and effective_from already given by tariffs/ver_2027.json "
          "(VER from 2027-01-01)",
          "tariffs/ver_bad.json:2:49: effective_from: must be a date YYYY-MM-DD (\"2027-13-01\")"}},
        {"series rows of unknown meters, duplicate series rows",
         {{"ami_daily.csv", "M9,2026-10-31,1,0\nM1,2026-10-30,1230.1,0\n"},
          {"ami_interval.csv", "G1,2026-10-30T16:00:00Z,15,1.5,\nX1,2026-10-31T00:00:00+08:00,15,1,\n"}},
         {"ami_daily.csv:5:1: meter_id: not found in meters.csv or in the store (M9)",
          "ami_daily.csv:6:1: meter_id: duplicate key, first on line 2 (M1, 2026-10-30)",
          "ami_interval.csv:4:1: meter_id: duplicate key, first on line 2 (G1, 2026-10-30T16:00:00Z)",
          "ami_interval.csv:5:1: meter_id: not found in meters.csv or in the store (X1)"}},
    };
    for (const auto& c : cases) {
        FakeStore store;
        const auto validated = validate(store, edited(sample_export(), c.edits));
        EXPECT_EQ(messages_of(validated), c.expected) << c.name;
        EXPECT_FALSE(validated.stopped) << c.name;
    }
}

TEST(ReferenceCheckerTest, RejectedRowsAreLeftOutOfTheBatch) {
    FakeStore store;
    const auto validated =
        validate(store, edited(sample_export(), {{"ami_daily.csv", "M9,2026-10-31,1,0\n"},
                                                 {"meters.csv", "M3,C9,,DDZY71,2.0,1,5,1,1,1,2019-04-01\n"}}));
    EXPECT_EQ(validated.batch.daily.size(), 3u);
    EXPECT_EQ(validated.batch.daily.meter_ids, (std::vector<std::string>{"M1", "G1"}));
    for (const auto& table : validated.batch.tables) {
        if (table.spec->table == "meters") {
            EXPECT_EQ(table.rows.size(), 3u);
        }
    }
    EXPECT_EQ(validated.batch.rows_rejected, 2u);
}

// The store already holds the sample; a later, partial export refers to what is stored.
class StoredReferenceTest : public ::testing::Test {
protected:
    void SetUp() override {
        auto first = validate(store_, sample_export());
        ASSERT_TRUE(store_.apply_batch(first.batch, {}).has_value());
    }
    FakeStore store_;
};

TEST_F(StoredReferenceTest, ChecksReferencesAgainstTheStore) {
    const std::vector<ReferenceCase> cases = {
        {"a partial export may refer to stored rows", {}, {}},
        {"unknown references are still unknown",
         {{"meters.csv", "M4,C9,,DDZY71,2.0,1,5,1,1,1,2019-04-01\n"}},
         {"meters.csv:3:4: customer_id: not found in customers.csv or in the store (C9)"}},
        {"a cycle through stored parents",
         {{"org_units.csv", "unit_id,parent_id,name,kind\nU1,U2,Company,company\n", Edit::replace}},
         {"org_units.csv:2:4: parent_id: parents form a cycle: U1 -> U2 -> U1 (U2)"}},
        {"the kind of a stored parent",
         {{"network.csv", "node_id,parent_id,kind,name\nA2,B1,area,Area 2\n", Edit::replace}},
         {"network.csv:2:4: parent_id: the parent of an area must be a feeder, not a bus (B1)"}},
        {"the node of a stored gateway meter",
         {{"network.csv", "node_id,parent_id,kind,name,gateway_meter_id\nA2,F1,area,Area 2,G1\n", Edit::replace}},
         {"network.csv:2:19: gateway_meter_id: the gateway meter is installed on node A1, not on this node (G1)"}},
        {"stored tariffs are checked even without tariff files",
         {{"customers.csv",
           customers_header + "C3,Wu,U2,A1,residential,0.22,8,ZZZ,active,2019-04-01,\n"
                              "C4,Xu,U2,A1,residential,0.22,8,RES,active,2019-04-01,\n",
           Edit::replace}},
         {"customers.csv:2:32: tariff_id: not found in tariffs/*.json or in the store (ZZZ)"}},
        {"series rows of stored meters",
         {{"ami_daily.csv", "meter_id,day,import_register\nM2,2026-11-01,5\nM7,2026-11-01,5\n", Edit::replace}},
         {"ami_daily.csv:3:1: meter_id: not found in meters.csv or in the store (M7)"}},
    };
    for (const auto& c : cases) {
        ExportFiles files = {{"meters.csv",
                              "meter_id,customer_id,node_id,model,accuracy_class,phases,rated_current,ct_ratio,"
                              "pt_ratio,multiplier,installed_on\nM3,C1,,DDZY71,2.0,1,5,1,1,1,2021-01-01\n"}};
        files = edited(files, c.edits);
        const auto validated = validate(store_, files);
        EXPECT_EQ(messages_of(validated), c.expected) << c.name;
        EXPECT_FALSE(validated.stopped) << c.name;
    }
}

TEST(RequiredFilesTest, TheFirstImportNeedsCustomersMetersAndNetwork) {
    FakeStore store;
    auto files = sample_export();
    files.erase("meters.csv");
    files.erase("network.csv");
    const auto validated = validate(store, files);
    EXPECT_TRUE(validated.stopped);
    EXPECT_EQ(messages_of(validated),
              (Messages{"network.csv: required file is missing (the store has no network yet, so the first import "
                        "must include it)",
                        "meters.csv: required file is missing (the store has no meters yet, so the first import must "
                        "include it)"}));
}

}  // namespace
}  // namespace gridaudit
