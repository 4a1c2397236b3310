// Audits of some regions (`gridaudit audit --regions`, `--shard i/n`) on a generated utility: the
// shards split the substations, each region's findings equal a whole run's, a scoped run leaves the
// other regions' findings as they were, and bad ids or shards are refused. Also the typed reads of
// the network, customers and meters the frames are built from, against the generic rows.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <string>
#include <tuple>
#include <variant>
#include <vector>

#include "audit/audit_run.hpp"
#include "generator/synthetic_utility.hpp"
#include "ingest/import_folder.hpp"
#include "store/master_columns.hpp"

namespace gridaudit {
namespace {

namespace fs = std::filesystem;

using Key = std::tuple<std::string, std::string, std::string, std::string, std::string>;

Key key_of(const Finding& f) {
    return {f.rule_id, f.subject_kind, f.subject_id, f.period, f.summary};
}

std::set<Key> keys_of(const std::vector<Finding>& findings) {
    std::set<Key> keys;
    for (const Finding& f : findings) keys.insert(key_of(f));
    return keys;
}

class AuditScopeTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        root_ = fs::temp_directory_path() / ("gridaudit-audit-scope-" + std::to_string(::getpid()));
        fs::remove_all(root_);
        GeneratorOptions options;
        options.out = root_ / "export";
        options.customers = 600;
        options.days = 120;
        options.seed = 23;
        if (auto generated = generate_utility(options); !generated) {
            setup_error_ = generated.error().message();
            return;
        }
        // The generator plans a substation per 20,000 customers: give its second bus one of its own,
        // so that the utility has two regions.
        if (auto split = split_substation(options.out / "network.csv"); !split) {
            setup_error_ = split.error().message();
            return;
        }
        auto store = Store::open((root_ / "store.db").string());
        if (!store) {
            setup_error_ = store.error().message();
            return;
        }
        store_ = std::move(*store);
        if (auto imported = import_folder(*store_, root_ / "export", ImportFolderOptions{}); !imported)
            setup_error_ = imported.error().message();
    }
    static void TearDownTestSuite() {
        store_.reset();
        fs::remove_all(root_);
    }
    void SetUp() override { ASSERT_EQ(setup_error_, "") << "the suite's setup failed"; }

    static Status split_substation(const fs::path& network) {
        std::ifstream in(network);
        std::string header, line, rest;
        std::getline(in, header);
        bool moved = false;
        while (std::getline(in, line)) {
            if (line.starts_with("B0002,S001,")) {
                line = "B0002,S002," + line.substr(std::string("B0002,S001,").size());
                moved = true;
            }
            rest += line + "\n";
        }
        if (!moved) return internal_error("the generated network has no bus B0002 under S001");
        std::ofstream out(network, std::ios::trunc);
        out << header << "\nS002,,substation,Test 35kV Substation,U0101,6300,\n" << rest;
        return out ? Status{} : internal_error("cannot rewrite " + network.string());
    }

    static AuditSummary audit(const std::vector<std::string>& regions, std::optional<AuditShard> shard) {
        AuditOptions options;
        options.regions = regions;
        options.shard = shard;
        auto summary = run_audit(*store_, standard_catalogue(), Policy(), options);
        EXPECT_TRUE(summary.has_value()) << summary.error().message();
        return summary.value_or(AuditSummary{});
    }

    static inline fs::path root_;
    static inline std::unique_ptr<Store> store_;
    static inline std::string setup_error_;
};

TEST_F(AuditScopeTest, TheTypedReadsEqualTheGenericRows) {
    const auto master = read_master_columns(*store_, true);
    ASSERT_TRUE(master.has_value()) << master.error().message();
    const auto text = [](const Row& row, const TableSpec& spec, std::string_view column) {
        const auto* value = std::get_if<std::string>(&row.values[static_cast<std::size_t>(spec.column_index(column))]);
        return value ? *value : std::string();
    };
    const auto date = [](const Row& row, const TableSpec& spec, std::string_view column) {
        const auto* value = std::get_if<CivilDate>(&row.values[static_cast<std::size_t>(spec.column_index(column))]);
        return value ? std::optional<CivilDate>(*value) : std::nullopt;
    };
    const TableSpec& customers = *find_table("customers");
    const auto customer_rows = store_->read_rows(customers).value();
    ASSERT_EQ(master->customers.size(), customer_rows.size());
    std::size_t with_address = 0, ended = 0;
    for (std::size_t c = 0; c < customer_rows.size(); ++c) {
        EXPECT_EQ(master->customers.customer_id[c], text(customer_rows[c], customers, "customer_id"));
        EXPECT_EQ(master->customers.node_id[c], text(customer_rows[c], customers, "node_id"));
        EXPECT_EQ(master->customers.category[c], text(customer_rows[c], customers, "category"));
        EXPECT_EQ(master->customers.address[c], text(customer_rows[c], customers, "address"));
        EXPECT_EQ(master->customers.status[c], text(customer_rows[c], customers, "status"));
        EXPECT_EQ(master->customers.supply_start[c], date(customer_rows[c], customers, "supply_start"));
        EXPECT_EQ(master->customers.supply_end[c], date(customer_rows[c], customers, "supply_end"));
        with_address += !master->customers.address[c].empty();
        ended += master->customers.supply_end[c].has_value();
    }
    EXPECT_GT(with_address, 0u);
    const TableSpec& meters = *find_table("meters");
    const auto meter_rows = store_->read_rows(meters).value();
    ASSERT_EQ(master->meters.size(), meter_rows.size());
    std::size_t gateways = 0;
    for (std::size_t m = 0; m < meter_rows.size(); ++m) {
        EXPECT_EQ(master->meters.meter_id[m], text(meter_rows[m], meters, "meter_id"));
        EXPECT_EQ(master->meters.customer_id[m], text(meter_rows[m], meters, "customer_id"));
        EXPECT_EQ(master->meters.ct_ratio[m], text(meter_rows[m], meters, "ct_ratio"));
        EXPECT_EQ(master->meters.installed_on[m], date(meter_rows[m], meters, "installed_on"));
        EXPECT_EQ(master->meters.removed_on[m], date(meter_rows[m], meters, "removed_on"));
        gateways += master->meters.customer_id[m].empty();
    }
    EXPECT_GT(gateways, 0u);
    const auto network_rows = store_->read_rows(*find_table("network")).value();
    EXPECT_EQ(master->network.size(), network_rows.size());

    // Without details: the same ids and the balance's columns, no detail columns.
    const auto basic = read_master_columns(*store_, false).value();
    EXPECT_EQ(basic.customers.customer_id, master->customers.customer_id);
    EXPECT_EQ(basic.customers.category, master->customers.category);
    EXPECT_TRUE(basic.customers.name.empty());
    EXPECT_EQ(basic.meters.meter_id, master->meters.meter_id);
    EXPECT_EQ(basic.meters.removed_on, master->meters.removed_on);
    EXPECT_TRUE(basic.meters.model.empty());
}

TEST_F(AuditScopeTest, ShardsSplitTheSubstationsAndFindWhatAWholeRunFindsInThem) {
    const AuditSummary whole = audit({}, std::nullopt);
    EXPECT_FALSE(whole.scope.has_value());
    const std::vector<std::string> substations = region_ids(*store_).value();
    ASSERT_GE(substations.size(), 2u);
    EXPECT_EQ(whole.regions, substations.size());

    std::set<std::string> covered;
    std::vector<Finding> sharded;
    for (int i = 1; i <= 3; ++i) {
        const AuditSummary shard = audit({}, AuditShard{i, 3});
        ASSERT_TRUE(shard.scope.has_value());
        EXPECT_EQ(shard.regions, shard.scope->size());
        for (const std::string& id : *shard.scope) {
            EXPECT_EQ(shard_of(id, 3), i);
            EXPECT_TRUE(covered.insert(id).second) << id << " in two shards";
        }
        sharded.insert(sharded.end(), shard.findings.begin(), shard.findings.end());
    }
    EXPECT_EQ(covered, std::set<std::string>(substations.begin(), substations.end()));
    EXPECT_GT(whole.findings.size(), 20u);
    EXPECT_GT(sharded.size(), 20u);
    // Every region's finding is the whole run's; what the shards lack are the whole utility's checks.
    const std::set<Key> whole_keys = keys_of(whole.findings), shard_keys = keys_of(sharded);
    EXPECT_EQ(shard_keys.size(), sharded.size());
    std::size_t utility_wide = 0;
    for (const Key& key : shard_keys)
        EXPECT_TRUE(whole_keys.contains(key)) << std::get<0>(key) << " " << std::get<2>(key);
    for (const Key& key : whole_keys) {
        if (shard_keys.contains(key)) continue;
        ++utility_wide;
        EXPECT_TRUE(std::get<1>(key) == "collection" || std::get<1>(key) == "policy" ||
                    std::get<0>(key).starts_with("SHARE-") || std::get<0>(key) == "MASTER-DUPLICATE-CUSTOMER")
            << std::get<0>(key) << " " << std::get<1>(key) << " " << std::get<2>(key);
    }
    EXPECT_EQ(whole_keys.size(), shard_keys.size() + utility_wide);
    // The shards saw what the whole run saw: every finding still active.
    EXPECT_EQ(store_->findings(true).value().size(), whole.findings.size());
}

TEST_F(AuditScopeTest, ARegionRunReplacesThatRegionsFindingsOnly) {
    const AuditSummary whole = audit({}, std::nullopt);
    const std::vector<std::string> substations = region_ids(*store_).value();
    ASSERT_GE(substations.size(), 2u);
    const std::string first = substations.front();
    // The first region with one rule only: that rule's findings elsewhere, and other rules' here, stay.
    AuditOptions options;
    options.regions = {first};
    options.only_rules = {"METER-ROTATION-OVERDUE"};
    const auto one = run_audit(*store_, standard_catalogue(), Policy(), options);
    ASSERT_TRUE(one.has_value()) << one.error().message();
    ASSERT_EQ(one->scope, std::vector<std::string>{first});
    EXPECT_EQ(one->regions, 1u);
    EXPECT_LT(one->customers, whole.customers);
    for (const Finding& f : one->findings) EXPECT_EQ(f.rule_id, "METER-ROTATION-OVERDUE");
    EXPECT_EQ(store_->findings(true).value().size(), whole.findings.size());
    // Both listed, in any order, is the same scope as the network's order.
    const AuditSummary two = audit({substations[1], substations[0]}, std::nullopt);
    EXPECT_EQ(two.scope, (std::vector<std::string>{substations[0], substations[1]}));
}

TEST_F(AuditScopeTest, AnUnknownRegionOrABadShardIsRefused) {
    AuditOptions options;
    options.regions = {"NO-SUCH-SUBSTATION"};
    const auto unknown = run_audit(*store_, standard_catalogue(), Policy(), options);
    ASSERT_FALSE(unknown.has_value());
    EXPECT_EQ(unknown.error().refusal(), Refusal::not_found);
    EXPECT_NE(unknown.error().message().find("NO-SUCH-SUBSTATION"), std::string::npos);
    for (const AuditShard shard : {AuditShard{0, 2}, AuditShard{3, 2}, AuditShard{1, 0}}) {
        const auto refused = audit_scope(*store_, {}, shard);
        ASSERT_FALSE(refused.has_value());
        EXPECT_EQ(refused.error().kind(), ErrorClass::user);
    }
}

TEST(AuditShardTest, TheSplitIsAFixedHashOfTheId) {
    // FNV-1a: the same shard on every machine and in every run (a changed hash would move regions).
    EXPECT_EQ(shard_of("", 7), static_cast<int>(14695981039346656037ull % 7) + 1);
    EXPECT_EQ(shard_of("SUB-01", 1), 1);
    int seen[4] = {0, 0, 0, 0};
    for (int s = 0; s < 400; ++s) {
        const int shard = shard_of("SUB-" + std::to_string(s), 4);
        ASSERT_GE(shard, 1);
        ASSERT_LE(shard, 4);
        ++seen[shard - 1];
    }
    for (const int count : seen) EXPECT_GT(count, 60);  // roughly even
}

}  // namespace
}  // namespace gridaudit
