// The store's contract, run against every backend (SQLite and PostgreSQL, store_backends.hpp):
// importing master data and documents, round trip of every column type, corrections on changed
// re-import, idempotent re-import, foreign keys, tariffs.
#include <gtest/gtest.h>

#include <latch>
#include <map>
#include <optional>
#include <thread>

#include "batch_builder.hpp"
#include "store/migrations.hpp"
#include "store/store.hpp"
#include "store_backends.hpp"
#include "support/result_assertions.hpp"

namespace gridaudit {
namespace {

using namespace gridaudit::testing;

// Every rows-kind table of the contract with values of every column type, keys in key order.
BatchBuilder full_batch(std::string hash) {
    BatchBuilder builder(std::move(hash));
    builder.row("org_units", {text("U01"), missing(), text("Anji Power Supply Company"), text("company")})
        .row("org_units", {text("U0101"), text("U01"), text("Xiaofeng Station"), text("station")})
        // The substation's gateway meter M9 is declared after it: a circular reference.
        .row("network", {text("N1"), missing(), text("substation"), text("Xiaofeng 110kV"), text("U0101"),
                         decimal(40000.5), text("M9")})
        .row("network", {text("N2"), text("N1"), text("bus"), text("Bus I"), missing(), missing(), missing()})
        .row("staff", {text("S1"), text("Wang Fang"), text("U0101"), text("reader")})
        .row("customers", {text("C1"), text("Li Ming, \"Teahouse\""), text("U0101"), text("N2"), text("commercial"),
                           text("H62"), decimal(0.4), decimal(50), text("COM-TOU"), decimal(0.9), text("active"),
                           date("2019-04-01"), date("2030-12-31"), text("Anji, Dipu Road 12")})
        .row("customers",
             {text("C2"), text("李明"), missing(), text("N2"), text("residential"), missing(), decimal(0.22),
              decimal(8), text("RES-TIER"), missing(), text("active"), date("2021-01-15"), missing(), missing()})
        .row("meters", {text("M1"), text("C1"), missing(), text("DTZY1296"), text("0.5S"), integer(3), decimal(1.5),
                        text("200/5"), text("10000/100"), text("0.5S"), text("0.2"), decimal(4000), date("2018-06-15"),
                        date("2025-03-02"), missing()})
        .row("meters",
             {text("M9"), missing(), text("N1"), text("DTSD341"), text("0.2S"), integer(3), decimal(1.5), text("600/5"),
              text("110000/100"), text("0.2S"), text("0.2"), decimal(132000), date("2015-01-01"), missing(), missing()})
        .row("register_reads",
             {text("M1"), date("2026-10-31"), text("total"), decimal(12345.67), text("ami"), text("S1")})
        .row("register_reads",
             {text("M1"), date("2026-10-31"), text("valley"), decimal(4000.01), text("manual"), missing()})
        .row("meter_events",
             {text("M1"), instant("2026-10-03T02:11:09+08:00"), text("cover_open"), text("A"), integer(3600)})
        .row("meter_events", {text("M1"), instant("2026-10-04T00:00:00Z"), text("power_off"), missing(), missing()})
        .row("bills", {text("B1"),  text("C1"),    period("2026-10"), decimal(231),      decimal(80),
                       decimal(90), decimal(61),   decimal(120.5),    missing(),         money("130.5834"),
                       money("0"),  money("-2.5"), money("10.0001"),  money("138.0835"), date("2026-11-03"),
                       missing(),   money("0"),    missing(),         missing(),         text("paid")})
        .row("payments", {text("P1"), text("B1"), text("C1"), date("2026-11-12"), money("138.08"), text("online"),
                          money("0"), missing(), missing()})
        .row("collections", {date("2026-11-12"), text("online"), integer(1), money("138.08")})
        .row("work_orders", {text("W1"), text("C1"), text("capacity_increase"), text("lv_nonresidential"),
                             instant("2026-10-08T09:30:00+08:00"), missing(), missing(), missing(),
                             instant("2026-10-10T15:00:00+08:00"), missing(), text("S1"), text("30"), text("50")});
    return builder;
}

const TableChange* change_of(const ImportOutcome& outcome, std::string_view table) {
    for (const auto& change : outcome.changes)
        if (change.table == table) return &change;
    return nullptr;
}

std::string text_of(const FieldValue& value) {
    if (const auto* text = std::get_if<std::string>(&value)) return *text;
    return "<not text>";
}

template <class Backend>
using StoreContractTest = StoreBackendTest<Backend>;
TYPED_TEST_SUITE(StoreContractTest, StoreBackends, BackendName);

TYPED_TEST(StoreContractTest, EveryColumnTypeReadsBackExactlyAsImported) {
    auto store = this->open_store();
    ASSERT_NE(store, nullptr);
    const auto builder = full_batch("hash-1");
    auto outcome = store->apply_batch(builder.batch(), {});
    ASSERT_TRUE(outcome.has_value()) << outcome.error().message();
    EXPECT_FALSE(outcome->already_imported);
    for (const auto& table : builder.batch().tables) {
        auto rows = store->read_rows(*table.spec);
        ASSERT_TRUE(rows.has_value()) << rows.error().message();
        ASSERT_EQ(rows->size(), table.rows.size()) << table.spec->table;
        for (std::size_t r = 0; r < rows->size(); ++r)
            EXPECT_TRUE((*rows)[r].values == table.rows[r].values) << table.spec->table << " row " << r;
        const auto* change = change_of(*outcome, table.spec->table);
        ASSERT_NE(change, nullptr);
        EXPECT_EQ(change->inserted, table.rows.size());
    }
}

TYPED_TEST(StoreContractTest, TableCountsCountEveryContractTable) {
    auto store = this->open_store();
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->apply_batch(full_batch("hash-1").batch(), {}).has_value());
    const auto counts = store->table_counts().value();
    ASSERT_EQ(counts.size(), import_contract().size());
    std::map<std::string, std::int64_t> by_table(counts.begin(), counts.end());
    EXPECT_EQ(by_table["customers"], 2);
    EXPECT_EQ(by_table["meter_events"], 2);
    EXPECT_EQ(by_table["ami_daily"], 0);
    EXPECT_EQ(by_table["tariffs"], 0);
}

TYPED_TEST(StoreContractTest, KeysListTheStoredKeysInOrder) {
    auto store = this->open_store();
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->apply_batch(full_batch("hash-1").batch(), {}).has_value());
    EXPECT_EQ(store->keys(*find_table("meters")).value(), (std::vector<std::string>{"M1", "M9"}));
    EXPECT_EQ(store->keys(*find_table("org_units")).value(), (std::vector<std::string>{"U01", "U0101"}));
    EXPECT_FALSE(store->keys(*find_table("register_reads")).has_value());  // three-column key
}

TYPED_TEST(StoreContractTest, TheSameBatchTwiceChangesNothing) {
    auto store = this->open_store();
    ASSERT_NE(store, nullptr);
    const auto first = store->apply_batch(full_batch("hash-1").batch(), {});
    ASSERT_TRUE(first.has_value());
    const auto counts = store->table_counts().value();
    auto again = store->apply_batch(full_batch("hash-1").batch(), {});
    ASSERT_TRUE(again.has_value()) << again.error().message();
    EXPECT_TRUE(again->already_imported);
    EXPECT_EQ(again->batch_id, first->batch_id);
    EXPECT_TRUE(again->changes.empty());
    EXPECT_EQ(store->batches().value().size(), 1u);
    EXPECT_EQ(store->table_counts().value(), counts);
}

TYPED_TEST(StoreContractTest, IdenticalRowsUnderANewHashAreUnchanged) {
    auto store = this->open_store();
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->apply_batch(full_batch("hash-1").batch(), {}).has_value());
    const auto builder = full_batch("hash-2");
    auto outcome = store->apply_batch(builder.batch(), {});
    ASSERT_TRUE(outcome.has_value()) << outcome.error().message();
    EXPECT_FALSE(outcome->already_imported);
    for (const auto& table : builder.batch().tables) {
        const auto* change = change_of(*outcome, table.spec->table);
        ASSERT_NE(change, nullptr);
        EXPECT_EQ(change->inserted, 0u) << change->table;
        EXPECT_EQ(change->corrected, 0u) << change->table;
        EXPECT_EQ(change->unchanged, table.rows.size()) << change->table;
    }
    EXPECT_TRUE(store->corrections("").value().empty());
    const auto batches = store->batches().value();
    ASSERT_EQ(batches.size(), 2u);
    EXPECT_EQ(batches[1].content_hash, "hash-2");
    EXPECT_EQ(batches[1].rows_accepted, 17u);
}

TYPED_TEST(StoreContractTest, AChangedRowIsUpdatedAndEachChangedValueRecorded) {
    auto store = this->open_store();
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->apply_batch(full_batch("hash-1").batch(), {}).has_value());

    BatchBuilder later("hash-2");
    later
        .row("customers", {text("C1"), text("Li Ming Teahouse Ltd"), text("U0101"), text("N2"), text("commercial"),
                           text("H62"), decimal(0.4), decimal(80), text("COM-TOU"), decimal(0.9), text("active"),
                           date("2019-04-01"), missing(), text("Anji, Dipu Road 12")})
        .row("customers",
             {text("C3"), text("Zhao Lei"), missing(), text("N2"), text("residential"), missing(), decimal(0.22),
              decimal(8), text("RES-TIER"), missing(), text("active"), date("2026-01-01"), missing(), missing()});
    auto outcome = store->apply_batch(later.batch(), {});
    ASSERT_TRUE(outcome.has_value()) << outcome.error().message();
    const auto* change = change_of(*outcome, "customers");
    ASSERT_NE(change, nullptr);
    EXPECT_EQ(change->inserted, 1u);
    EXPECT_EQ(change->corrected, 1u);
    EXPECT_EQ(change->unchanged, 0u);

    const auto corrections = store->corrections("customers").value();
    ASSERT_EQ(corrections.size(), 3u);
    EXPECT_EQ(corrections[0].batch_id, outcome->batch_id);
    EXPECT_EQ(corrections[0].row_key, "C1");
    EXPECT_EQ(corrections[0].column, "name");
    EXPECT_EQ(corrections[0].old_value, "Li Ming, \"Teahouse\"");
    EXPECT_EQ(corrections[0].new_value, "Li Ming Teahouse Ltd");
    EXPECT_EQ(corrections[1].column, "contracted_kva");
    EXPECT_EQ(corrections[1].old_value, "50");
    EXPECT_EQ(corrections[1].new_value, "80");
    EXPECT_EQ(corrections[2].column, "supply_end");
    EXPECT_EQ(corrections[2].old_value, "2030-12-31");
    EXPECT_EQ(corrections[2].new_value, "");
    EXPECT_TRUE(store->corrections("meters").value().empty());

    const auto customers = store->read_rows(*find_table("customers")).value();
    ASSERT_EQ(customers.size(), 3u);
    EXPECT_EQ(text_of(customers[0].values[1]), "Li Ming Teahouse Ltd");
    EXPECT_TRUE(std::holds_alternative<std::monostate>(customers[0].values[12]));
    EXPECT_EQ(text_of(customers[0].values[13]), "Anji, Dipu Road 12") << "the address (migration 5) is kept";
}

TYPED_TEST(StoreContractTest, CorrectionsRenderMoneyDatesAndInstantsAsText) {
    auto store = this->open_store();
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->apply_batch(full_batch("hash-1").batch(), {}).has_value());
    BatchBuilder later("hash-2");
    later
        .row("bills", {text("B1"),  text("C1"),     period("2026-10"), decimal(231),      decimal(80),
                       decimal(90), decimal(61),    decimal(120.5),    missing(),         money("130.5834"),
                       money("0"),  money("-2.75"), money("10.0001"),  money("138.0835"), date("2026-11-04"),
                       missing(),   money("0"),     missing(),         missing(),         text("paid")})
        .row("work_orders", {text("W1"), text("C1"), text("capacity_increase"), text("lv_nonresidential"),
                             instant("2026-10-08T09:30:00+08:00"), missing(), missing(), missing(),
                             instant("2026-10-10T15:00:00+08:00"), instant("2026-10-11T10:00:00+08:00"), text("S1"),
                             text("30"), text("50")});
    ASSERT_TRUE(store->apply_batch(later.batch(), {}).has_value());
    const auto bills = store->corrections("bills").value();
    ASSERT_EQ(bills.size(), 2u);
    EXPECT_EQ(bills[0].column, "pf_adjustment");
    EXPECT_EQ(bills[0].old_value, "-2.5");
    EXPECT_EQ(bills[0].new_value, "-2.75");
    EXPECT_EQ(bills[1].column, "issued_on");
    EXPECT_EQ(bills[1].new_value, "2026-11-04");
    const auto orders = store->corrections("work_orders").value();
    ASSERT_EQ(orders.size(), 1u);
    EXPECT_EQ(orders[0].column, "closed_at");
    EXPECT_EQ(orders[0].old_value, "");
    EXPECT_EQ(orders[0].new_value, "2026-10-11T02:00:00Z");
}

TYPED_TEST(StoreContractTest, AKeyRepeatedInOneBatchIsRecordedAsACorrection) {
    auto store = this->open_store();
    ASSERT_NE(store, nullptr);
    BatchBuilder builder("hash-1");
    builder.substation("N1").customer("C1", "N1").customer("C1", "N1");
    auto& rows = builder.batch().tables.back().rows;
    rows.back().values[1] = text("Second name");
    auto outcome = store->apply_batch(builder.batch(), {});
    ASSERT_TRUE(outcome.has_value()) << outcome.error().message();
    const auto* change = change_of(*outcome, "customers");
    EXPECT_EQ(change->inserted, 1u);
    EXPECT_EQ(change->corrected, 1u);
    EXPECT_EQ(store->corrections("customers").value().size(), 1u);
}

TYPED_TEST(StoreContractTest, AMissingReferenceFailsTheWholeBatchAndLeavesTheStoreUnchanged) {
    auto store = this->open_store();
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->apply_batch(full_batch("hash-1").batch(), {}).has_value());
    const auto counts = store->table_counts().value();

    BatchBuilder bad("hash-2");
    bad.customer("C7", "N2").meter("M7", "C7").meter("M8", "C404").daily("M7", "2026-10-01", 1.0, 0.0);
    auto outcome = store->apply_batch(bad.batch(), {});
    ASSERT_FALSE(outcome.has_value());
    EXPECT_EQ(outcome.error().kind(), ErrorClass::user);
    EXPECT_NE(outcome.error().message().find("meters"), std::string::npos) << outcome.error().message();
    EXPECT_NE(outcome.error().message().find("customers"), std::string::npos) << outcome.error().message();

    EXPECT_EQ(store->table_counts().value(), counts);
    EXPECT_EQ(store->batches().value().size(), 1u);
    EXPECT_EQ(store->keys(*find_table("customers")).value(), (std::vector<std::string>{"C1", "C2"}));
}

TYPED_TEST(StoreContractTest, ReferencesMayPointToRowsAlreadyInTheStore) {
    auto store = this->open_store();
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->apply_batch(full_batch("hash-1").batch(), {}).has_value());
    BatchBuilder later("hash-2");
    later.meter("M2", "C2");
    auto outcome = store->apply_batch(later.batch(), {});
    ASSERT_TRUE(outcome.has_value()) << outcome.error().message();
    EXPECT_EQ(store->keys(*find_table("meters")).value(), (std::vector<std::string>{"M1", "M2", "M9"}));
}

TYPED_TEST(StoreContractTest, AMissingRequiredValueFailsTheBatch) {
    auto store = this->open_store();
    ASSERT_NE(store, nullptr);
    BatchBuilder bad("hash-1");
    bad.substation("N1").row("customers", {text("C1"), missing(), missing(), text("N1"), text("residential"), missing(),
                                           decimal(0.22), decimal(8), text("RES-TIER"), missing(), text("active"),
                                           date("2019-04-01"), missing(), missing()});
    auto outcome = store->apply_batch(bad.batch(), {});
    ASSERT_FALSE(outcome.has_value());
    EXPECT_EQ(outcome.error().kind(), ErrorClass::user);
    EXPECT_TRUE(store->keys(*find_table("network")).value().empty());
}

TYPED_TEST(StoreContractTest, AValueOfTheWrongTypeIsAnInternalError) {
    auto store = this->open_store();
    ASSERT_NE(store, nullptr);
    BatchBuilder bad("hash-1");
    bad.row("network",
            {text("N1"), missing(), text("substation"), text("Station"), missing(), text("40000"), missing()});
    auto outcome = store->apply_batch(bad.batch(), {});
    ASSERT_FALSE(outcome.has_value());
    EXPECT_EQ(outcome.error().kind(), ErrorClass::internal);
}

TYPED_TEST(StoreContractTest, TariffsAreStoredVerbatimAndChangesRecorded) {
    auto store = this->open_store();
    ASSERT_NE(store, nullptr);
    BatchBuilder first("hash-1");
    first.tariff("RES-TIER", R"({"id": "RES-TIER", "tiers": [0.5283, 0.5783]})")
        .tariff("COM-TOU", R"({"id": "COM-TOU"})");
    ASSERT_TRUE(store->apply_batch(first.batch(), {}).has_value());
    BatchBuilder second("hash-2");
    second.tariff("RES-TIER", R"({"id": "RES-TIER", "tiers": [0.5283, 0.6283]})")
        .tariff("COM-TOU", R"({"id": "COM-TOU"})");
    auto outcome = store->apply_batch(second.batch(), {});
    ASSERT_TRUE(outcome.has_value()) << outcome.error().message();
    const auto* change = change_of(*outcome, "tariffs");
    ASSERT_NE(change, nullptr);
    EXPECT_EQ(change->corrected, 1u);
    EXPECT_EQ(change->unchanged, 1u);

    const auto tariffs = store->tariffs().value();
    ASSERT_EQ(tariffs.size(), 2u);
    EXPECT_EQ(tariffs[0].id, "COM-TOU");
    EXPECT_EQ(tariffs[1].json, R"({"id": "RES-TIER", "tiers": [0.5283, 0.6283]})");
    EXPECT_EQ(tariffs[1].file, "RES-TIER.json");
    const auto corrections = store->corrections("tariffs").value();
    ASSERT_EQ(corrections.size(), 1u);
    EXPECT_EQ(corrections[0].row_key, "RES-TIER");
    EXPECT_EQ(corrections[0].column, "json");
}

// Two processes (here threads, each with its own connection) import at once batches that change the
// same customer: both land, one after the other, and the second's correction starts from the
// first's value (no lost update), whatever order they take.
TYPED_TEST(StoreContractTest, TwoImportsAtOnceLandOneAfterTheOtherWithoutLosingAnUpdate) {
    {
        auto store = this->open_store();
        ASSERT_NE(store, nullptr);
        ASSERT_TRUE(store->apply_batch(full_batch("hash-1").batch(), {}).has_value());
    }
    const auto renamed = [](std::string hash, std::string name) {
        BatchBuilder builder(std::move(hash));
        builder.row("customers", {text("C2"), text(name), missing(), text("N2"), text("residential"), missing(),
                                  decimal(0.22), decimal(8), text("RES-TIER"), missing(), text("active"),
                                  date("2021-01-15"), missing(), missing()});
        return builder;
    };
    const auto first = renamed("hash-a", "Name A");
    const auto second = renamed("hash-b", "Name B");
    std::latch start(2);
    const auto import = [&](const BatchBuilder& builder, std::optional<Error>& failure) {
        auto store = Store::open(this->location());
        start.arrive_and_wait();
        if (!store) {
            failure = store.error();
            return;
        }
        auto outcome = (*store)->apply_batch(builder.batch(), {});
        if (!outcome) failure = outcome.error();
    };
    std::optional<Error> first_failure, second_failure;
    std::thread a([&] { import(first, first_failure); });
    std::thread b([&] { import(second, second_failure); });
    a.join();
    b.join();
    ASSERT_FALSE(first_failure.has_value()) << first_failure->message();
    ASSERT_FALSE(second_failure.has_value()) << second_failure->message();

    auto store = this->open_store();
    ASSERT_NE(store, nullptr);
    EXPECT_EQ(store->batches().value().size(), 3u);
    const auto corrections = store->corrections("customers").value();
    ASSERT_EQ(corrections.size(), 2u);
    EXPECT_EQ(corrections[0].old_value, "李明");
    EXPECT_EQ(corrections[1].old_value, corrections[0].new_value) << "the later import saw the earlier one's value";
    const auto customers = store->read_rows(*find_table("customers")).value();
    ASSERT_EQ(customers.size(), 2u);
    EXPECT_EQ(text_of(customers[1].values[1]), corrections[1].new_value);
}

TYPED_TEST(StoreContractTest, AStoreOpensAgainWithWhatWasWritten) {
    {
        auto store = this->open_store();
        ASSERT_NE(store, nullptr);
        ASSERT_TRUE(store->apply_batch(full_batch("hash-1").batch(), {}).has_value());
    }
    auto store = this->open_store(StoreOpening::existing_only);
    ASSERT_NE(store, nullptr);
    EXPECT_EQ(store->schema_version().value(), latest_schema_version());
    EXPECT_EQ(store->read_rows(*find_table("bills")).value().size(), 1u);
    EXPECT_EQ(store->batches().value().size(), 1u);
}

TYPED_TEST(StoreContractTest, OpeningAMissingStoreForReadingCreatesNothing) {
    auto missing_store = Store::open(this->location(), StoreOpening::existing_only);
    ASSERT_FALSE(missing_store.has_value());
    EXPECT_EQ(missing_store.error().kind(), ErrorClass::user);
    auto store = this->open_store();
    ASSERT_NE(store, nullptr);
    EXPECT_TRUE(store->batches().value().empty());
}

}  // namespace
}  // namespace gridaudit
