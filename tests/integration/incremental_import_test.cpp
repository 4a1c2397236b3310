// Incremental imports through the real importer and store: a later export with new days appends;
// overlapping days that agree change nothing; a changed value is recorded as a correction.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "generator/synthetic_utility.hpp"
#include "ingest/import_folder.hpp"
#include "support/result_assertions.hpp"

namespace gridaudit {
namespace {

namespace fs = std::filesystem;

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream content;
    content << in.rdbuf();
    return content.str();
}

// Copies the master-data files of `from` into `to`, and the ami_daily rows whose day satisfies `keep`.
template <class Keep>
void make_export(const fs::path& from, const fs::path& to, Keep keep) {
    fs::create_directories(to);
    for (const char* file : {"org_units.csv", "network.csv", "staff.csv", "customers.csv", "meters.csv"})
        fs::copy_file(from / file, to / file, fs::copy_options::overwrite_existing);
    std::istringstream daily(read_file(from / "ami_daily.csv"));
    std::ofstream out(to / "ami_daily.csv", std::ios::binary);
    std::string line;
    std::getline(daily, line);
    out << line << '\n';
    while (std::getline(daily, line)) {
        const auto first_comma = line.find(',');
        if (keep(line.substr(first_comma + 1, 10))) out << line << '\n';
    }
}

class IncrementalImportTest : public ::testing::Test {
protected:
    void SetUp() override {
        root_ = fs::temp_directory_path() / ("gridaudit-incremental-" + std::to_string(::getpid()));
        fs::remove_all(root_);
        GeneratorOptions options;
        options.out = root_ / "full-source";
        options.customers = 400;
        options.days = 60;
        options.seed = 5;
        ASSERT_TRUE(generate_utility(options));
        make_export(root_ / "full-source", root_ / "full", [](const std::string&) { return true; });
        make_export(root_ / "full-source", root_ / "early", [](const std::string& day) { return day < "2026-10-15"; });
        make_export(root_ / "full-source", root_ / "late", [](const std::string& day) { return day >= "2026-10-10"; });
    }
    void TearDown() override { fs::remove_all(root_); }

    std::unique_ptr<Store> open(const std::string& name) {
        return testing::value_of(Store::open((root_ / name).string()));
    }

    fs::path root_;
};

TEST_F(IncrementalImportTest, LaterDaysAppendAndOverlapChangesNothing) {
    auto whole = open("whole.db");
    ASSERT_TRUE(import_folder(*whole, root_ / "full", ImportFolderOptions{}));
    auto pieces = open("pieces.db");
    ASSERT_TRUE(import_folder(*pieces, root_ / "early", ImportFolderOptions{}));
    const auto late = import_folder(*pieces, root_ / "late", ImportFolderOptions{});
    ASSERT_TRUE(late) << late.error().message();
    ASSERT_TRUE(late->outcome);
    for (const auto& change : late->outcome->changes) {
        EXPECT_EQ(change.corrected, 0u) << change.table;
        if (change.table == "customers" || change.table == "meters") {
            EXPECT_EQ(change.inserted, 0u) << change.table;
        }
    }

    const auto range = whole->daily_range();
    ASSERT_TRUE(range && *range);
    const auto expected = whole->load_daily({}, (*range)->first, (*range)->second);
    const auto actual = pieces->load_daily({}, (*range)->first, (*range)->second);
    ASSERT_TRUE(expected && actual);
    ASSERT_EQ(actual->meter_ids, expected->meter_ids);
    ASSERT_EQ(actual->import_register.size(), expected->import_register.size());
    std::size_t differing = 0;
    for (std::size_t i = 0; i < expected->import_register.size(); ++i) {
        const double a = actual->import_register[i], e = expected->import_register[i];
        if (!(a == e || (std::isnan(a) && std::isnan(e)))) ++differing;
    }
    EXPECT_EQ(differing, 0u);
}

TEST_F(IncrementalImportTest, AChangedValueIsACorrectionNotASilentOverwrite) {
    auto store = open("corrected.db");
    ASSERT_TRUE(import_folder(*store, root_ / "early", ImportFolderOptions{}));
    // The utility re-exports a customer with a corrected capacity.
    std::string customers = read_file(root_ / "early" / "customers.csv");
    const auto second_line = customers.find('\n') + 1;
    const auto line_end = customers.find('\n', second_line);
    std::string line = customers.substr(second_line, line_end - second_line);
    const std::string customer_id = line.substr(0, line.find(','));
    make_export(root_ / "full-source", root_ / "corrected", [](const std::string& day) { return day < "2026-10-15"; });
    // contracted_kva is the 8th column in the generator's header order; find it by name.
    std::istringstream header_stream(customers.substr(0, second_line - 1));
    std::string column;
    int index = 0, capacity_index = -1;
    while (std::getline(header_stream, column, ',')) {
        if (column == "contracted_kva") capacity_index = index;
        ++index;
    }
    ASSERT_GE(capacity_index, 0);
    std::vector<std::string> fields(1);
    for (const char c : line) {
        if (c == ',') fields.emplace_back();
        else fields.back() += c;
    }
    const std::string old_capacity = fields[static_cast<std::size_t>(capacity_index)];
    fields[static_cast<std::size_t>(capacity_index)] = "999";
    std::string changed;
    for (std::size_t i = 0; i < fields.size(); ++i) changed += (i ? "," : "") + fields[i];
    customers.replace(second_line, line_end - second_line, changed);
    std::ofstream(root_ / "corrected" / "customers.csv", std::ios::binary) << customers;

    const auto report = import_folder(*store, root_ / "corrected", ImportFolderOptions{});
    ASSERT_TRUE(report && report->outcome) << (report ? "" : report.error().message());
    EXPECT_EQ(report->problem_count, 0u) << (report->messages.empty() ? "" : report->messages.front());
    const auto corrections = store->corrections("customers");
    ASSERT_TRUE(corrections);
    for (const auto& change : report->outcome->changes)
        if (change.table == "customers") {
            EXPECT_EQ(change.corrected, 1u) << "inserted " << change.inserted << " unchanged " << change.unchanged;
        }
    ASSERT_EQ(corrections->size(), 1u);
    EXPECT_EQ(corrections->front().column, "contracted_kva");
    EXPECT_EQ(corrections->front().row_key, customer_id);
    EXPECT_EQ(std::stod(corrections->front().old_value), std::stod(old_capacity));
    EXPECT_EQ(std::stod(corrections->front().new_value), 999.0);
    EXPECT_EQ(corrections->front().batch_id, report->outcome->batch_id);
}

}  // namespace
}  // namespace gridaudit
