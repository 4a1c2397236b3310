// libpq wrappers: connection setup, parameterised queries, COPY FROM STDIN, transactions, and
// the mapping of SQLSTATE classes to error classes.
#include "store/postgres_connection.hpp"

#include <fmt/format.h>
#include <libpq-fe.h>

#include <charconv>
#include <cmath>
#include <cstdlib>

namespace gridaudit {
namespace {

// SQLSTATE classes: 22 data exception and 23 integrity violation are bad data (the user's), 42
// (syntax, undefined object) and 0A (not supported) are the store's bugs, the rest external.
ErrorClass error_class_of(std::string_view sqlstate) {
    const auto category = sqlstate.substr(0, 2);
    if (category == "22" || category == "23") return ErrorClass::user;
    if (category == "42" || category == "0A") return ErrorClass::internal;
    return ErrorClass::external;
}

std::string trimmed(const char* text) {
    std::string value = text != nullptr ? text : "";
    while (!value.empty() && (value.back() == '\n' || value.back() == ' ')) value.pop_back();
    return value;
}

Error result_error(pg_conn* connection, pg_result* result, std::string_view doing) {
    const char* state = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    std::string message = trimmed(result != nullptr ? PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) : nullptr);
    if (message.empty()) message = trimmed(PQerrorMessage(connection));
    const std::string detail =
        trimmed(result != nullptr ? PQresultErrorField(result, PG_DIAG_MESSAGE_DETAIL) : nullptr);
    if (!detail.empty()) message += fmt::format(" ({})", detail);
    const ErrorClass kind = state != nullptr ? error_class_of(state) : ErrorClass::external;
    return Error(kind, fmt::format("{}: {}", doing, message));
}

std::string short_sql(std::string_view sql) {
    constexpr std::size_t shown = 80;
    std::string text(sql.substr(0, shown));
    for (char& c : text)
        if (c == '\n') c = ' ';
    return sql.size() > shown ? text + "..." : text;
}

}  // namespace

PostgresResult::PostgresResult(PostgresResult&& other) noexcept : result_(other.result_) {
    other.result_ = nullptr;
}

PostgresResult& PostgresResult::operator=(PostgresResult&& other) noexcept {
    if (this != &other) {
        PQclear(result_);
        result_ = other.result_;
        other.result_ = nullptr;
    }
    return *this;
}

PostgresResult::~PostgresResult() {
    PQclear(result_);
}

int PostgresResult::rows() const {
    return result_ != nullptr ? PQntuples(result_) : 0;
}

int PostgresResult::columns() const {
    return result_ != nullptr ? PQnfields(result_) : 0;
}

bool PostgresResult::is_null(int row, int column) const {
    return PQgetisnull(result_, row, column) != 0;
}

std::string_view PostgresResult::text(int row, int column) const {
    return {PQgetvalue(result_, row, column), static_cast<std::size_t>(PQgetlength(result_, row, column))};
}

std::int64_t PostgresResult::int64(int row, int column) const {
    const auto value = text(row, column);
    std::int64_t number = 0;
    std::from_chars(value.data(), value.data() + value.size(), number);
    return number;
}

double PostgresResult::float64(int row, int column) const {
    const auto value = text(row, column);
    if (value == "NaN") return std::nan("");
    if (value == "Infinity") return HUGE_VAL;
    if (value == "-Infinity") return -HUGE_VAL;
    double number = 0;
    std::from_chars(value.data(), value.data() + value.size(), number);
    return number;
}

std::optional<std::vector<std::uint8_t>> PostgresResult::bytes(int row, int column) const {
    const auto value = text(row, column);
    if (value.size() < 2 || value[0] != '\\' || value[1] != 'x' || value.size() % 2 != 0) return std::nullopt;
    std::vector<std::uint8_t> out;
    out.reserve((value.size() - 2) / 2);
    for (std::size_t i = 2; i < value.size(); i += 2) {
        std::uint8_t byte = 0;
        const auto [end, error] = std::from_chars(value.data() + i, value.data() + i + 2, byte, 16);
        if (error != std::errc() || end != value.data() + i + 2) return std::nullopt;
        out.push_back(byte);
    }
    return out;
}

std::int64_t PostgresResult::affected() const {
    const char* tuples = result_ != nullptr ? PQcmdTuples(result_) : nullptr;
    return tuples != nullptr && *tuples != '\0' ? std::strtoll(tuples, nullptr, 10) : 0;
}

void CopyRows::separate() {
    if (row_started_) data_ += '\t';
    row_started_ = true;
}

void CopyRows::add_null() {
    separate();
    data_ += "\\N";
}

void CopyRows::add_text(std::string_view text) {
    separate();
    for (const char c : text) {
        switch (c) {
            case '\\':
                data_ += "\\\\";
                break;
            case '\t':
                data_ += "\\t";
                break;
            case '\n':
                data_ += "\\n";
                break;
            case '\r':
                data_ += "\\r";
                break;
            default:
                data_ += c;
        }
    }
}

void CopyRows::add_int64(std::int64_t value) {
    separate();
    fmt::format_to(std::back_inserter(data_), "{}", value);
}

void CopyRows::add_double(double value) {
    separate();
    if (std::isnan(value))
        data_ += "NaN";
    else if (std::isinf(value))
        data_ += value > 0 ? "Infinity" : "-Infinity";
    else
        fmt::format_to(std::back_inserter(data_), "{}", value);
}

void CopyRows::add_bytes(std::span<const std::uint8_t> bytes) {
    separate();
    static constexpr char digits[] = "0123456789abcdef";
    data_ += "\\\\x";  // the COPY escape of the backslash of bytea's hex form
    for (const auto byte : bytes) {
        data_ += digits[byte >> 4];
        data_ += digits[byte & 15];
    }
}

void CopyRows::end_row() {
    data_ += '\n';
    row_started_ = false;
    ++rows_;
}

void CopyRows::clear() {
    data_.clear();
    rows_ = 0;
    row_started_ = false;
}

Result<PostgresConnection> PostgresConnection::open(const std::string& uri) {
    pg_conn* connection = PQconnectdb(uri.c_str());
    if (connection == nullptr) return external_error("cannot allocate a PostgreSQL connection");
    PostgresConnection opened(connection);
    if (PQstatus(connection) != CONNECTION_OK)
        return external_error(fmt::format("cannot connect to PostgreSQL: {}", trimmed(PQerrorMessage(connection))));
    GA_TRY(
        opened.execute("SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; SET extra_float_digits = 1; "
                       "SET client_min_messages = WARNING"));
    return opened;
}

PostgresConnection::PostgresConnection(PostgresConnection&& other) noexcept : connection_(other.connection_) {
    other.connection_ = nullptr;
}

PostgresConnection& PostgresConnection::operator=(PostgresConnection&& other) noexcept {
    if (this != &other) {
        PQfinish(connection_);
        connection_ = other.connection_;
        other.connection_ = nullptr;
    }
    return *this;
}

PostgresConnection::~PostgresConnection() {
    PQfinish(connection_);
}

Result<PostgresResult> PostgresConnection::checked(pg_result* result, std::string_view doing) {
    PostgresResult owned(result);
    const auto status = result != nullptr ? PQresultStatus(result) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return owned;
    return std::unexpected(result_error(connection_, result, doing));
}

Status PostgresConnection::execute(std::string_view sql) {
    const std::string statement(sql);
    GA_ASSIGN_OR_RETURN(auto result, checked(PQexec(connection_, statement.c_str()), short_sql(sql)));
    return {};
}

Result<PostgresResult> PostgresConnection::query(std::string_view sql,
                                                 std::span<const std::optional<std::string>> parameters) {
    const std::string statement(sql);
    std::vector<const char*> values;
    values.reserve(parameters.size());
    for (const auto& parameter : parameters) values.push_back(parameter ? parameter->c_str() : nullptr);
    return checked(PQexecParams(connection_, statement.c_str(), static_cast<int>(values.size()), nullptr, values.data(),
                                nullptr, nullptr, 0),
                   short_sql(sql));
}

Result<std::int64_t> PostgresConnection::query_int64(std::string_view sql,
                                                     std::span<const std::optional<std::string>> parameters) {
    GA_ASSIGN_OR_RETURN(auto result, query(sql, parameters));
    if (result.rows() != 1 || result.columns() != 1 || result.is_null(0, 0))
        return internal_error(fmt::format("{}: expected one integer", short_sql(sql)));
    return result.int64(0, 0);
}

Result<std::int64_t> PostgresConnection::copy_in(std::string_view table_and_columns, const CopyRows& rows) {
    const std::string doing = fmt::format("COPY {}", table_and_columns);
    const std::string statement = fmt::format("COPY {} FROM STDIN", table_and_columns);
    pg_result* started = PQexec(connection_, statement.c_str());
    if (started == nullptr || PQresultStatus(started) != PGRES_COPY_IN) {
        GA_TRY(checked(started, doing));
        return internal_error(fmt::format("{}: the server did not start the copy", doing));
    }
    PQclear(started);
    const auto data = rows.data();
    constexpr std::size_t chunk = 1 << 20;
    bool sent = true;
    for (std::size_t at = 0; at < data.size() && sent; at += chunk) {
        const auto part = data.substr(at, chunk);
        sent = PQputCopyData(connection_, part.data(), static_cast<int>(part.size())) == 1;
    }
    if (PQputCopyEnd(connection_, sent ? nullptr : "sending failed") != 1)
        return external_error(fmt::format("{}: {}", doing, trimmed(PQerrorMessage(connection_))));
    std::int64_t copied = 0;
    std::optional<Error> failure;
    while (pg_result* result = PQgetResult(connection_)) {
        auto checked_result = checked(result, doing);
        if (!checked_result && !failure) failure = checked_result.error();
        if (checked_result) copied += checked_result->affected();
    }
    if (failure) return std::unexpected(*failure);
    return copied;
}

int PostgresConnection::backend_pid() const {
    return PQbackendPID(connection_);
}

Result<PostgresTransaction> PostgresTransaction::begin(PostgresConnection& connection, std::string_view isolation) {
    GA_TRY(connection.execute(fmt::format("BEGIN ISOLATION LEVEL {}", isolation)));
    return PostgresTransaction(&connection);
}

PostgresTransaction::PostgresTransaction(PostgresTransaction&& other) noexcept : connection_(other.connection_) {
    other.connection_ = nullptr;
}

PostgresTransaction::~PostgresTransaction() {
    if (connection_ != nullptr) (void)connection_->execute("ROLLBACK");
}

Status PostgresTransaction::commit() {
    if (connection_ == nullptr) return internal_error("commit of a finished transaction");
    auto committed = connection_->execute("COMMIT");
    connection_ = nullptr;  // a failed COMMIT ends the transaction too
    return committed;
}

std::string postgres_identifier(std::string_view name) {
    std::string quoted = "\"";
    for (const char c : name) {
        if (c == '"') quoted += '"';
        quoted += c;
    }
    return quoted + '"';
}

}  // namespace gridaudit
