// Small RAII wrappers over libpq: a connection to a PostgreSQL server, a query result, a
// transaction, and COPY FROM STDIN of text-format rows built in a CopyRows buffer.
//
// Every failure becomes an Error carrying the server's message (and its DETAIL when there is
// one): integrity violations (SQLSTATE class 23) and invalid text (22) are the user's (bad data),
// a connection or authentication that fails and anything the server cannot do (53, 57, 58, 08,
// 40) is external, SQL the store got wrong (42) is internal.
// Thread safety: a PostgresConnection and its results are used by one thread at a time.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

struct pg_conn;
struct pg_result;

namespace gridaudit {

// The rows of a query, in text format. Column values are valid while the result lives.
class PostgresResult {
public:
    PostgresResult() = default;
    explicit PostgresResult(pg_result* result) : result_(result) {}
    PostgresResult(PostgresResult&& other) noexcept;
    PostgresResult& operator=(PostgresResult&& other) noexcept;
    PostgresResult(const PostgresResult&) = delete;
    PostgresResult& operator=(const PostgresResult&) = delete;
    ~PostgresResult();

    [[nodiscard]] int rows() const;
    [[nodiscard]] int columns() const;
    [[nodiscard]] bool is_null(int row, int column) const;
    [[nodiscard]] std::string_view text(int row, int column) const;
    // REQUIRES: the value is an integer's text.
    [[nodiscard]] std::int64_t int64(int row, int column) const;
    // REQUIRES: the value is a float8's text (NaN, Infinity and -Infinity included).
    [[nodiscard]] double float64(int row, int column) const;
    // A bytea value in the server's hex output ("\x0a1b..."); nullopt when it is not one.
    [[nodiscard]] std::optional<std::vector<std::uint8_t>> bytes(int row, int column) const;
    // Rows changed by an INSERT, UPDATE, DELETE or COPY.
    [[nodiscard]] std::int64_t affected() const;

private:
    pg_result* result_ = nullptr;
};

// Rows for COPY ... FROM STDIN in text format: fields separated by tabs, rows by newlines, NULL as
// \N, backslashes, tabs and line breaks escaped.
class CopyRows {
public:
    void add_null();
    void add_text(std::string_view text);
    void add_int64(std::int64_t value);
    // Shortest round-trip decimal text; NaN and infinities in PostgreSQL's spelling.
    void add_double(double value);
    // A bytea in hex form.
    void add_bytes(std::span<const std::uint8_t> bytes);
    void end_row();

    [[nodiscard]] std::string_view data() const { return data_; }
    [[nodiscard]] std::size_t row_count() const { return rows_; }
    [[nodiscard]] bool empty() const { return rows_ == 0; }
    void clear();

private:
    void separate();
    std::string data_;
    std::size_t rows_ = 0;
    bool row_started_ = false;
};

class PostgresConnection {
public:
    // Connects to a postgresql:// URI (libpq's connection URI, with its query parameters). The
    // session is set to UTC, ISO dates and shortest round-trip float output.
    [[nodiscard]] static Result<PostgresConnection> open(const std::string& uri);

    PostgresConnection(PostgresConnection&& other) noexcept;
    PostgresConnection& operator=(PostgresConnection&& other) noexcept;
    PostgresConnection(const PostgresConnection&) = delete;
    PostgresConnection& operator=(const PostgresConnection&) = delete;
    ~PostgresConnection();

    // Runs one or more SQL statements without parameters.
    [[nodiscard]] Status execute(std::string_view sql);
    // Runs one statement with text parameters ($1, $2, ...; nullopt is NULL).
    [[nodiscard]] Result<PostgresResult> query(std::string_view sql,
                                               std::span<const std::optional<std::string>> parameters = {});
    // The single integer of a one-row, one-column query.
    [[nodiscard]] Result<std::int64_t> query_int64(std::string_view sql,
                                                   std::span<const std::optional<std::string>> parameters = {});
    // COPY `table_and_columns` FROM STDIN with `rows`; returns the rows copied.
    [[nodiscard]] Result<std::int64_t> copy_in(std::string_view table_and_columns, const CopyRows& rows);

    // The server's process id for this connection (for tests that end it).
    [[nodiscard]] int backend_pid() const;

private:
    explicit PostgresConnection(pg_conn* connection) : connection_(connection) {}
    [[nodiscard]] Result<PostgresResult> checked(pg_result* result, std::string_view doing);
    pg_conn* connection_ = nullptr;
};

// A transaction: BEGIN on creation (with the given isolation, e.g. "READ COMMITTED"), ROLLBACK on
// destruction unless committed.
class PostgresTransaction {
public:
    [[nodiscard]] static Result<PostgresTransaction> begin(PostgresConnection& connection,
                                                           std::string_view isolation = "READ COMMITTED");

    PostgresTransaction(PostgresTransaction&& other) noexcept;
    PostgresTransaction& operator=(PostgresTransaction&&) = delete;
    PostgresTransaction(const PostgresTransaction&) = delete;
    PostgresTransaction& operator=(const PostgresTransaction&) = delete;
    ~PostgresTransaction();

    // Commits. A deferred constraint that fails makes the COMMIT fail and the transaction is gone.
    [[nodiscard]] Status commit();

private:
    explicit PostgresTransaction(PostgresConnection* connection) : connection_(connection) {}
    PostgresConnection* connection_ = nullptr;  // null once committed or moved from
};

// `name` as a double-quoted SQL identifier.
[[nodiscard]] std::string postgres_identifier(std::string_view name);

}  // namespace gridaudit
