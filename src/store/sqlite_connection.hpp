// Small RAII wrappers over the SQLite3 C API: a connection, a prepared statement, a transaction.
//
// Every SQLite failure becomes an Error: constraint violations are the user's (bad data), a file
// that is not a database is the user's, anything else (I/O, busy, corruption, a store that cannot
// be written) is external.
// Thread safety: a SqliteConnection and its statements are used by one thread at a time (the
// connection is opened in SQLite's multi-thread mode, without a per-connection mutex).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "core/result.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace gridaudit {

// The Error for SQLite result code `code` on `db` ("what we were doing: sqlite's message").
[[nodiscard]] Error sqlite_error(sqlite3* db, int code, std::string_view doing);

class SqliteStatement {
public:
    SqliteStatement() = default;
    SqliteStatement(sqlite3* db, sqlite3_stmt* statement) : db_(db), statement_(statement) {}
    SqliteStatement(SqliteStatement&& other) noexcept;
    SqliteStatement& operator=(SqliteStatement&& other) noexcept;
    SqliteStatement(const SqliteStatement&) = delete;
    SqliteStatement& operator=(const SqliteStatement&) = delete;
    ~SqliteStatement();

    // Parameters are 1-based, as in SQL (?1, ?2, ...).
    void bind_null(int index);
    void bind_int64(int index, std::int64_t value);
    void bind_double(int index, double value);
    // REQUIRES: `text` stays valid and unchanged until the statement is reset or rebound.
    void bind_text(int index, std::string_view text);
    // Binds a copy of `text` (for short-lived buffers).
    void bind_text_copy(int index, std::string_view text);
    // REQUIRES: `bytes` stays valid and unchanged until the statement is reset or rebound.
    void bind_blob(int index, std::span<const std::uint8_t> bytes);

    // Advances: true when a row is available, false when the statement is done.
    [[nodiscard]] Result<bool> step();
    // Steps a statement that returns no row, then resets it for the next use.
    [[nodiscard]] Status run();
    // Resets the statement to run again; bindings are kept until rebound.
    void reset();
    // Whether the last step failed because a primary key or unique value already exists.
    [[nodiscard]] bool failed_on_duplicate_key() const;
    // Whether the last step failed because another connection held a lock (SQLITE_BUSY).
    [[nodiscard]] bool failed_busy() const;

    // Columns are 0-based, as in sqlite3_column_*. Valid until the next step or reset.
    [[nodiscard]] bool column_is_null(int column) const;
    [[nodiscard]] std::int64_t column_int64(int column) const;
    [[nodiscard]] double column_double(int column) const;
    [[nodiscard]] std::string_view column_text(int column) const;
    [[nodiscard]] std::span<const std::uint8_t> column_blob(int column) const;

    [[nodiscard]] std::string_view sql() const;

private:
    sqlite3* db_ = nullptr;
    sqlite3_stmt* statement_ = nullptr;
    int last_code_ = 0;  // extended result code of the last step
};

// Whether open() may create the file.
enum class SqliteOpening { create_if_missing, existing_only };

// How long a connection waits for another's lock before failing with "database is locked".
inline constexpr int sqlite_busy_timeout_ms = 10000;

class SqliteConnection {
public:
    // Opens a database file in read-write mode, creating it if missing unless `opening` says
    // existing_only (then a missing file is a user error and nothing is created). The busy timeout
    // (sqlite_busy_timeout_ms) is set before any statement runs.
    [[nodiscard]] static Result<SqliteConnection> open(const std::string& path,
                                                       SqliteOpening opening = SqliteOpening::create_if_missing);

    SqliteConnection(SqliteConnection&& other) noexcept;
    SqliteConnection& operator=(SqliteConnection&& other) noexcept;
    SqliteConnection(const SqliteConnection&) = delete;
    SqliteConnection& operator=(const SqliteConnection&) = delete;
    ~SqliteConnection();

    // Runs one or more SQL statements that return no rows of interest.
    [[nodiscard]] Status execute(std::string_view sql);
    [[nodiscard]] Result<SqliteStatement> prepare(std::string_view sql);
    // The single integer of a one-row, one-column query (e.g. "PRAGMA user_version").
    [[nodiscard]] Result<std::int64_t> query_int64(std::string_view sql);

    [[nodiscard]] std::int64_t last_insert_rowid() const;
    // Rows changed by the last INSERT, UPDATE or DELETE.
    [[nodiscard]] std::int64_t changes() const;
    [[nodiscard]] sqlite3* handle() const { return db_; }

private:
    explicit SqliteConnection(sqlite3* db) : db_(db) {}
    sqlite3* db_ = nullptr;
};

// A write transaction: BEGIN IMMEDIATE on creation, ROLLBACK on destruction unless committed.
class SqliteTransaction {
public:
    [[nodiscard]] static Result<SqliteTransaction> begin_immediate(SqliteConnection& connection);

    SqliteTransaction(SqliteTransaction&& other) noexcept;
    SqliteTransaction& operator=(SqliteTransaction&&) = delete;
    SqliteTransaction(const SqliteTransaction&) = delete;
    SqliteTransaction& operator=(const SqliteTransaction&) = delete;
    ~SqliteTransaction();

    // Commits. On failure (e.g. a deferred foreign key is violated) the transaction stays open,
    // so the caller may inspect it; it is rolled back on destruction.
    [[nodiscard]] Status commit();

private:
    explicit SqliteTransaction(SqliteConnection* connection) : connection_(connection) {}
    SqliteConnection* connection_ = nullptr;  // null once committed or moved from
};

}  // namespace gridaudit
