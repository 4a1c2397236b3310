// Tests of the import contract's consistency and of its generated documentation.
#include "model/import_contract.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

namespace gridaudit {
namespace {

TEST(ImportContractTest, EveryFileOfTheDesignIsThereWithItsKeyColumns) {
    for (const char* file : {"org_units.csv", "network.csv", "customers.csv", "meters.csv", "register_reads.csv",
                             "ami_daily.csv", "ami_interval.csv", "meter_events.csv", "bills.csv", "payments.csv",
                             "work_orders.csv", "staff.csv", "tariffs/*.json"})
        EXPECT_NE(find_table_by_file(file), nullptr) << file;
    for (const char* required : {"customers.csv", "meters.csv", "network.csv"})
        EXPECT_TRUE(find_table_by_file(required)->required_file) << required;
    EXPECT_FALSE(find_table_by_file("bills.csv")->required_file);
}

TEST(ImportContractTest, KeysReferencesAndCodesAreWellFormed) {
    for (const auto& table : import_contract()) {
        std::set<std::string_view> names;
        for (const auto& column : table.columns) {
            EXPECT_TRUE(names.insert(column.name).second) << table.file << " repeats " << column.name;
            EXPECT_FALSE(column.description.empty()) << table.file << "." << column.name;
            if (column.type == ColumnType::code || column.type == ColumnType::flags) {
                EXPECT_FALSE(column.codes.empty()) << table.file << "." << column.name << " has no codes";
            }
            if (!column.references.empty()) {
                const auto dot = column.references.find('.');
                const TableSpec* target = find_table(column.references.substr(0, dot));
                ASSERT_NE(target, nullptr) << column.references;
                const auto target_column = column.references.substr(dot + 1);
                EXPECT_NE(target->column(target_column), nullptr) << column.references;
                ASSERT_EQ(target->key.size(), 1u) << column.references << " must name a single-column key";
                EXPECT_EQ(target->key[0], target_column) << column.references;
            }
        }
        ASSERT_FALSE(table.key.empty()) << table.file;
        for (const auto& key : table.key) {
            ASSERT_NE(table.column(key), nullptr) << table.file << " key " << key;
            // A JSON document's optional key member counts as empty when absent (tariff versions).
            if (table.storage == StorageKind::json_documents && key != table.key.front()) continue;
            EXPECT_TRUE(table.column(key)->required) << table.file << " key " << key << " must be required";
        }
    }
}

TEST(ImportContractTest, RatioValueReadsPrimaryOverSecondary) {
    EXPECT_DOUBLE_EQ(ratio_value("200/5"), 40);
    EXPECT_DOUBLE_EQ(ratio_value("10000/100"), 100);
    EXPECT_DOUBLE_EQ(ratio_value("1"), 1);
    EXPECT_DOUBLE_EQ(ratio_value("7.5/5"), 1.5);
}

TEST(ImportContractTest, DocsImportFormatIsTheGeneratedMarkdown) {
    std::ifstream in(GRIDAUDIT_DOCS_DIR "/import-format.md");
    std::stringstream content;
    content << in.rdbuf();
    // The contract first; the inputs outside an export folder follow (tests/cli/formats_command_test.cpp
    // compares the whole file with `gridaudit formats --markdown`).
    EXPECT_TRUE(content.str().starts_with(import_contract_markdown()))
        << "docs/import-format.md is stale: run `make docs` (gridaudit formats --markdown)";
}

}  // namespace
}  // namespace gridaudit
