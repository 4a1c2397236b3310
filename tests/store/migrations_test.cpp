// Tests of the schema migrations: fresh files, reopening, refusal of newer and foreign files,
// and that the migrated schema covers every table and column of the import contract.
#include "store/migrations.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <fstream>
#include <latch>
#include <set>
#include <thread>

#include "batch_builder.hpp"
#include "store/postgres_migrations.hpp"
#include "store/sql_field.hpp"
#include "store/sqlite_store.hpp"
#include "support/result_assertions.hpp"

namespace gridaudit {
namespace {

using testing::TemporaryDirectory;

struct ColumnInfo {
    std::string type;
    bool not_null = false;
    int primary_key_position = 0;  // 1-based position in the primary key, 0 when not in it
};

struct ForeignKeyInfo {
    std::string parent_table;
    std::string parent_column;
    bool deferred = false;
};

// PRAGMA table_info of a table: column name -> info.
std::map<std::string, ColumnInfo> table_columns(SqliteConnection& connection, std::string_view table) {
    auto select = testing::value_of(connection.prepare(fmt::format("PRAGMA table_info({})", quoted_identifier(table))));
    std::map<std::string, ColumnInfo> columns;
    while (select.step().value_or(false))
        columns[std::string(select.column_text(1))] = ColumnInfo{
            std::string(select.column_text(2)), select.column_int64(3) != 0, static_cast<int>(select.column_int64(5))};
    return columns;
}

// Foreign keys of a table: child column -> parent, with whether it is DEFERRABLE INITIALLY DEFERRED
// (read from the table's SQL, which PRAGMA foreign_key_list does not report).
std::map<std::string, ForeignKeyInfo> table_foreign_keys(SqliteConnection& connection, std::string_view table) {
    auto sql_query =
        testing::value_of(connection.prepare("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?1"));
    sql_query.bind_text(1, table);
    EXPECT_TRUE(sql_query.step().value_or(false));
    const std::string sql(sql_query.column_text(0));

    auto select =
        testing::value_of(connection.prepare(fmt::format("PRAGMA foreign_key_list({})", quoted_identifier(table))));
    std::map<std::string, ForeignKeyInfo> keys;
    while (select.step().value_or(false)) {
        const std::string child(select.column_text(3));
        const std::string parent(select.column_text(2));
        const std::string parent_column(select.column_text(4));
        const std::string declaration = fmt::format("\n    {} ", child);
        const auto at = sql.find(declaration);
        const auto line_end = sql.find('\n', at + 1);
        const bool deferred = at != std::string::npos &&
                              sql.substr(at, line_end - at).find("DEFERRABLE INITIALLY DEFERRED") != std::string::npos;
        keys[child] = ForeignKeyInfo{parent, parent_column, deferred};
    }
    return keys;
}

SqliteConnection migrated_connection(const TemporaryDirectory& directory) {
    const auto path = directory.file("store.db");
    EXPECT_TRUE(SqliteStore::open(path).has_value());
    return testing::value_of(SqliteConnection::open(path));
}

TEST(MigrationsTest, AFreshFileIsMigratedToTheLatestVersion) {
    TemporaryDirectory directory;
    auto store = SqliteStore::open(directory.file("store.db"));
    ASSERT_TRUE(store.has_value()) << store.error().message();
    EXPECT_EQ((*store)->schema_version().value(), latest_schema_version());
    EXPECT_GE(latest_schema_version(), 1);
}

// Issue 12 item 5: two first imports into a new store at once failed with "running 'PRAGMA
// journal_mode = WAL': database is locked". Every opener waits for the lock instead.
TEST(MigrationsTest, FirstOpensOfANewStoreAtOnceWaitForTheLock) {
    TemporaryDirectory directory;
    constexpr int stores = 25;
    constexpr int openers = 4;
    for (int s = 0; s < stores; ++s) {
        const auto path = directory.file(fmt::format("store-{}.db", s));
        std::latch start(openers);
        std::vector<std::string> failures(openers);
        std::vector<std::thread> threads;
        for (int t = 0; t < openers; ++t)
            threads.emplace_back([&, t] {
                start.arrive_and_wait();
                auto store = SqliteStore::open(path);
                if (!store) failures[t] = store.error().message();
            });
        for (auto& thread : threads) thread.join();
        for (int t = 0; t < openers; ++t) EXPECT_EQ(failures[t], "") << "store " << s << ", opener " << t;
        auto store = SqliteStore::open(path);
        ASSERT_TRUE(store.has_value()) << store.error().message();
        EXPECT_EQ((*store)->schema_version().value(), latest_schema_version());
    }
}

// Issue 12 item 8: `audit` on a missing store created an empty file. Commands that read open
// existing_only: a missing file is a user error and nothing is created.
TEST(MigrationsTest, AMissingStoreOpenedExistingOnlyIsAUserErrorAndCreatesNoFile) {
    TemporaryDirectory directory;
    const auto path = directory.file("missing.db");
    auto store = Store::open(path, StoreOpening::existing_only);
    ASSERT_FALSE(store.has_value());
    EXPECT_EQ(store.error().kind(), ErrorClass::user);
    EXPECT_NE(store.error().message().find("does not exist"), std::string::npos) << store.error().message();
    EXPECT_FALSE(std::filesystem::exists(path));
    EXPECT_FALSE(std::filesystem::exists(path + "-wal"));
    ASSERT_TRUE(Store::open(path).has_value());  // the default creates it
    EXPECT_TRUE(Store::open(path, StoreOpening::existing_only).has_value());
}

TEST(MigrationsTest, ReopeningAMigratedStoreChangesNothing) {
    TemporaryDirectory directory;
    const auto path = directory.file("store.db");
    ASSERT_TRUE(SqliteStore::open(path).has_value());
    auto connection = SqliteConnection::open(path);
    ASSERT_TRUE(connection.has_value());
    const auto schema_before = connection->query_int64("PRAGMA schema_version").value();
    for (int reopen = 0; reopen < 3; ++reopen) {
        auto store = SqliteStore::open(path);
        ASSERT_TRUE(store.has_value()) << store.error().message();
        EXPECT_EQ((*store)->schema_version().value(), latest_schema_version());
    }
    EXPECT_EQ(connection->query_int64("PRAGMA schema_version").value(), schema_before);
}

TEST(MigrationsTest, MigrationsAreNumberedOneByOne) {
    int expected = 1;
    for (const auto& migration : schema_migrations()) {
        EXPECT_EQ(migration.version, expected++);
        EXPECT_FALSE(migration.sql.empty());
        EXPECT_FALSE(migration.description.empty());
    }
}

TEST(MigrationsTest, ASchemaNewerThanTheBinaryIsAUserError) {
    TemporaryDirectory directory;
    const auto path = directory.file("store.db");
    ASSERT_TRUE(SqliteStore::open(path).has_value());
    {
        auto connection = SqliteConnection::open(path);
        ASSERT_TRUE(connection->execute(fmt::format("PRAGMA user_version = {}", latest_schema_version() + 1)));
    }
    auto store = SqliteStore::open(path);
    ASSERT_FALSE(store.has_value());
    EXPECT_EQ(store.error().kind(), ErrorClass::user);
    EXPECT_NE(store.error().message().find("newer"), std::string::npos) << store.error().message();
}

TEST(MigrationsTest, ADatabaseOfAnotherApplicationIsRefusedAndLeftAlone) {
    TemporaryDirectory directory;
    const auto path = directory.file("other.db");
    {
        auto connection = SqliteConnection::open(path);
        ASSERT_TRUE(connection->execute("CREATE TABLE notes (text TEXT)"));
    }
    auto store = SqliteStore::open(path);
    ASSERT_FALSE(store.has_value());
    EXPECT_EQ(store.error().kind(), ErrorClass::user);
    auto connection = SqliteConnection::open(path);
    EXPECT_EQ(connection->query_int64("SELECT count(*) FROM sqlite_schema").value(), 1);
}

TEST(MigrationsTest, AFileThatIsNotADatabaseIsAUserError) {
    TemporaryDirectory directory;
    const auto path = directory.file("notes.txt");
    std::ofstream(path) << "customer_id,name\nC1,Li Ming\n" << std::string(4096, 'x');
    auto store = SqliteStore::open(path);
    ASSERT_FALSE(store.has_value());
    EXPECT_EQ(store.error().kind(), ErrorClass::user) << store.error().message();
}

// A SQLite migration landed without its PostgreSQL equivalent (store/postgres_migrations.cpp) fails
// here: both backends must reach the same schema version with the same steps.
TEST(MigrationsTest, EverySqliteMigrationHasItsPostgresqlEquivalent) {
    const auto sqlite = schema_migrations();
    const auto postgres = postgres_schema_migrations();
    ASSERT_EQ(postgres.size(), sqlite.size());
    for (std::size_t i = 0; i < sqlite.size(); ++i) {
        EXPECT_EQ(postgres[i].version, sqlite[i].version);
        EXPECT_EQ(postgres[i].description, sqlite[i].description) << "migration " << sqlite[i].version;
    }
    EXPECT_EQ(latest_postgres_schema_version(), latest_schema_version());
}

TEST(MigrationsTest, APostgresqlLocationWithoutAServerIsAnExternalErrorNamingIt) {
    // Port 1 on the loopback: nothing listens there, so the connection is refused at once.
    auto store = Store::open("postgresql://audit:secret@127.0.0.1:1/gridaudit?connect_timeout=2");
    ASSERT_FALSE(store.has_value());
    EXPECT_EQ(store.error().kind(), ErrorClass::external);
    EXPECT_NE(store.error().message().find("PostgreSQL"), std::string::npos) << store.error().message();
    EXPECT_NE(store.error().message().find("audit:***@127.0.0.1:1"), std::string::npos) << store.error().message();
    EXPECT_EQ(store.error().message().find("secret"), std::string::npos) << "the password is not shown";
}

TEST(MigrationsTest, OpenSetsTheDocumentedPragmas) {
    TemporaryDirectory directory;
    const auto path = directory.file("store.db");
    ASSERT_TRUE(Store::open(path).has_value());
    auto connection = SqliteConnection::open(path);
    auto mode = connection->prepare("PRAGMA journal_mode");
    ASSERT_TRUE(mode->step().value());
    EXPECT_EQ(mode->column_text(0), "wal");  // persistent in the file
    EXPECT_EQ(connection->query_int64("PRAGMA application_id").value(), gridaudit_application_id);
}

TEST(MigrationsTest, EveryRowsTableAndColumnOfTheContractIsInTheSchema) {
    TemporaryDirectory directory;
    auto connection = migrated_connection(directory);
    for (const auto& table : import_contract()) {
        if (table.storage != StorageKind::rows) continue;
        const auto columns = table_columns(connection, table.table);
        ASSERT_FALSE(columns.empty()) << "no table " << table.table << ": the contract changed without a migration";
        EXPECT_EQ(columns.size(), table.columns.size()) << table.table;
        for (const auto& column : table.columns) {
            const auto found = columns.find(std::string(column.name));
            ASSERT_NE(found, columns.end()) << table.table << "." << column.name << " has no column in the schema";
            EXPECT_EQ(found->second.type, sql_column_type(column.type)) << table.table << "." << column.name;
            const bool in_key = std::find(table.key.begin(), table.key.end(), column.name) != table.key.end();
            EXPECT_EQ(found->second.not_null, column.required || in_key) << table.table << "." << column.name;
        }
        for (std::size_t k = 0; k < table.key.size(); ++k)
            EXPECT_EQ(columns.at(std::string(table.key[k])).primary_key_position, static_cast<int>(k + 1))
                << table.table << " key column " << table.key[k];
    }
}

TEST(MigrationsTest, EveryContractReferenceIsADeferredForeignKey) {
    TemporaryDirectory directory;
    auto connection = migrated_connection(directory);
    for (const auto& table : import_contract()) {
        if (table.storage == StorageKind::json_documents) continue;
        const auto keys = table_foreign_keys(connection, table.table);
        for (const auto& column : table.columns) {
            if (column.references.empty()) continue;
            const auto dot = column.references.find('.');
            const auto found = keys.find(std::string(column.name));
            ASSERT_NE(found, keys.end()) << table.table << "." << column.name << " has no foreign key";
            EXPECT_EQ(found->second.parent_table, column.references.substr(0, dot));
            EXPECT_EQ(found->second.parent_column, column.references.substr(dot + 1));
            EXPECT_TRUE(found->second.deferred) << table.table << "." << column.name;
        }
    }
}

TEST(MigrationsTest, TheSeriesTablesAreKeyedByMeterAndBucket) {
    TemporaryDirectory directory;
    auto connection = migrated_connection(directory);
    const auto daily = table_columns(connection, "ami_daily");
    EXPECT_EQ(daily.at("meter_id").primary_key_position, 1);
    EXPECT_EQ(daily.at("month").primary_key_position, 2);
    for (const auto* column : {"day_mask", "day_count", "import_register", "export_register"})
        EXPECT_TRUE(daily.contains(column)) << column;
    const auto interval = table_columns(connection, "ami_interval");
    EXPECT_EQ(interval.at("meter_id").primary_key_position, 1);
    EXPECT_EQ(interval.at("day").primary_key_position, 2);
    for (const auto* column : {"interval_count", "start_gaps", "minutes", "kwh", "flags"})
        EXPECT_TRUE(interval.contains(column)) << column;
    for (const auto* table : {"import_batches", "corrections", "tariffs", "audit_runs", "findings", "daily_estimates", "interval_estimates"})
        EXPECT_FALSE(table_columns(connection, table).empty()) << table;
}


TEST(MigrationsTest, AVersionOneStoreKeepsItsPaymentsAndTariffsThroughMigrationTwo) {
    TemporaryDirectory directory;
    const auto path = directory.file("store.db");
    {
        auto connection = SqliteConnection::open(path);
        ASSERT_TRUE(connection.has_value());
        ASSERT_TRUE(connection->execute(schema_migrations()[0].sql).has_value());
        ASSERT_TRUE(connection->execute(fmt::format("PRAGMA application_id = {}; PRAGMA user_version = 1",
                                                    gridaudit_application_id))
                        .has_value());
        ASSERT_TRUE(connection
                        ->execute("INSERT INTO import_batches (batch_id, source, content_hash, imported_at, strict_mode, "
                                  "rows_accepted, rows_rejected) VALUES (1, 'x', 'h', '2026-01-01T00:00:00Z', 0, 0, 0);"
                                  "INSERT INTO network (node_id, kind, name) VALUES ('S1', 'substation', 'S');"
                                  "INSERT INTO customers (customer_id, name, node_id, category, voltage_kv, "
                                  "contracted_kva, tariff_id, status, supply_start) VALUES ('C1', 'n', 'S1', "
                                  "'residential', 0.22, 8, 'T', 'active', '2020-01-01');"
                                  "INSERT INTO bills (bill_id, customer_id, period, kwh_total, energy_charge, total, "
                                  "issued_on) VALUES ('B1', 'C1', '2026-10', 1, 10000, 10000, '2026-11-02');"
                                  "INSERT INTO payments VALUES ('P1', 'B1', '2026-11-05', 10000, 'online');"
                                  "INSERT INTO tariffs VALUES ('T', 't.json', "
                                  "'{\"id\":\"T\",\"effective_from\":\"2026-01-01\"}', 1);")
                        .has_value());
    }
    auto store = SqliteStore::open(path);
    ASSERT_TRUE(store.has_value()) << store.error().message();
    EXPECT_EQ((*store)->schema_version().value(), latest_schema_version());
    const auto tariffs = (*store)->tariffs();
    ASSERT_TRUE(tariffs.has_value());
    ASSERT_EQ(tariffs->size(), 1u);
    EXPECT_EQ((*tariffs)[0].effective_from, "2026-01-01");
    auto connection = SqliteConnection::open(path);
    ASSERT_TRUE(connection.has_value());
    auto payment = connection->prepare("SELECT bill_id, customer_id, amount, late_fee IS NULL FROM payments");
    ASSERT_TRUE(payment.has_value());
    ASSERT_TRUE(payment->step().value());
    EXPECT_EQ(payment->column_text(0), "B1");
    EXPECT_EQ(payment->column_text(1), "C1");  // filled in from the bill
    EXPECT_EQ(payment->column_int64(2), 10000);
    EXPECT_EQ(payment->column_int64(3), 1);
}

}  // namespace
}  // namespace gridaudit
