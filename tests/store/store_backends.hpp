// Test support: the store backends the contract tests run against, each a fresh, empty store per
// test. SQLite: a file in a temporary directory. PostgreSQL: a schema of its own (dropped after the
// test) on the test server `make test` starts (scripts/pg-test-server.sh, CTest fixture
// pg_test_server), whose URI is $GRIDAUDIT_TEST_PG or the file uri in $GRIDAUDIT_TEST_PG_STATE.
// Without a server the PostgreSQL tests fail; they are never skipped.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <optional>
#include <string>

#include "batch_builder.hpp"
#include "store/postgres_connection.hpp"
#include "store/sqlite_connection.hpp"
#include "store/store.hpp"

namespace gridaudit::testing {

// The test server's URI, or an error saying how to get one.
inline Result<std::string> postgres_test_server_uri() {
    if (const char* uri = std::getenv("GRIDAUDIT_TEST_PG"); uri != nullptr && *uri != '\0') return std::string(uri);
    if (const char* state = std::getenv("GRIDAUDIT_TEST_PG_STATE"); state != nullptr && *state != '\0') {
        std::ifstream file(std::string(state) + "/uri");
        std::string uri;
        if (std::getline(file, uri) && !uri.empty()) return uri;
        return external_error(std::string("no PostgreSQL test server: ") + state +
                              "/uri is missing (did the pg_test_server_start test fail?)");
    }
    return external_error(
        "no PostgreSQL test server: run the tests through ctest (which starts one), or run "
        "scripts/pg-test-server.sh start DIR and set GRIDAUDIT_TEST_PG_STATE=DIR");
}

// `uri` with a libpq option appended (its query string started or continued).
inline std::string uri_with_option(const std::string& uri, std::string_view option) {
    return uri + (uri.find('?') == std::string::npos ? "?" : "&") + std::string(option);
}

struct SqliteBackend {
    static constexpr const char* name = "Sqlite";
    Status set_up() { return {}; }
    [[nodiscard]] std::string location() const { return directory.file("store.db"); }
    // Runs SQL on the store through a connection of its own (for tests of the schema's own rules).
    Status execute(const std::string& sql) const {
        GA_ASSIGN_OR_RETURN(auto connection, SqliteConnection::open(location()));
        return connection.execute(sql);
    }
    TemporaryDirectory directory;
};

struct PostgresBackend {
    static constexpr const char* name = "Postgres";

    Status set_up() {
        GA_ASSIGN_OR_RETURN(const std::string server, postgres_test_server_uri());
        GA_ASSIGN_OR_RETURN(auto connection, PostgresConnection::open(server));
        static std::atomic<int> counter{0};
        schema = "test_" + std::to_string(getpid()) + "_" + std::to_string(counter++);
        GA_TRY(connection.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE; CREATE SCHEMA " + schema));
        admin = std::move(connection);
        uri = uri_with_option(server, "options=-csearch_path%3D" + schema);
        return {};
    }
    [[nodiscard]] std::string location() const { return uri; }
    // Runs SQL on the store through a connection of its own (for tests of the schema's own rules).
    Status execute(const std::string& sql) const {
        GA_ASSIGN_OR_RETURN(auto connection, PostgresConnection::open(uri));
        return connection.execute(sql);
    }

    PostgresBackend() = default;
    PostgresBackend(const PostgresBackend&) = delete;
    PostgresBackend& operator=(const PostgresBackend&) = delete;
    ~PostgresBackend() {
        if (admin) (void)admin->execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }

    std::string schema;
    std::string uri;
    std::optional<PostgresConnection> admin;
};

// A typed test fixture over the backends: `this->open_store()` opens (creating) the test's store.
template <class Backend>
class StoreBackendTest : public ::testing::Test {
protected:
    void SetUp() override {
        const auto ready = backend_.set_up();
        ASSERT_TRUE(ready.has_value()) << ready.error().message();
    }
    std::unique_ptr<Store> open_store(StoreOpening opening = StoreOpening::create_if_missing) {
        auto store = Store::open(backend_.location(), opening);
        EXPECT_TRUE(store.has_value()) << store.error().message();
        return store ? std::move(*store) : nullptr;
    }
    [[nodiscard]] std::string location() const { return backend_.location(); }
    Backend backend_;
};

struct BackendName {
    template <class Backend>
    static std::string GetName(int) {
        return Backend::name;
    }
};

using StoreBackends = ::testing::Types<SqliteBackend, PostgresBackend>;

}  // namespace gridaudit::testing
