// RAII wrappers over the SQLite3 C API and the mapping of SQLite result codes to error classes.
// A statement is kept after use (reset, its bindings cleared) for the next prepare of the same SQL
// on its connection, so that what runs often (a server's queries of every request) is parsed once
// per connection; a connection finalizes what it kept when it closes.
#include "store/sqlite_connection.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

#include <filesystem>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>

namespace gridaudit {
namespace {

struct SqlHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view sql) const { return std::hash<std::string_view>{}(sql); }
};

// The statements kept for each open connection, idle (reset), by their SQL.
class KeptStatements {
public:
    static constexpr std::size_t max_per_connection = 64;

    void open(sqlite3* db) {
        std::lock_guard lock(mutex_);
        by_connection_.try_emplace(db);
    }
    // Finalizes what `db` kept; later statements of it are finalized when done.
    void close(sqlite3* db) {
        Statements kept;
        {
            std::lock_guard lock(mutex_);
            const auto found = by_connection_.find(db);
            if (found == by_connection_.end()) return;
            kept = std::move(found->second);
            by_connection_.erase(found);
        }
        for (auto& [sql, statement] : kept) sqlite3_finalize(statement);
    }
    // A kept statement of `sql` on `db`, or null.
    sqlite3_stmt* take(sqlite3* db, std::string_view sql) {
        std::lock_guard lock(mutex_);
        const auto connection = by_connection_.find(db);
        if (connection == by_connection_.end()) return nullptr;
        const auto found = connection->second.find(sql);
        if (found == connection->second.end()) return nullptr;
        sqlite3_stmt* statement = found->second;
        connection->second.erase(found);
        return statement;
    }
    // Keeps a statement done with, or finalizes it (its connection closed, or enough kept).
    void give_back(sqlite3_stmt* statement) {
        if (statement == nullptr) return;
        sqlite3_reset(statement);
        sqlite3_clear_bindings(statement);
        sqlite3* db = sqlite3_db_handle(statement);
        const char* sql = sqlite3_sql(statement);
        {
            std::lock_guard lock(mutex_);
            const auto connection = by_connection_.find(db);
            if (sql != nullptr && connection != by_connection_.end() &&
                connection->second.size() < max_per_connection) {
                connection->second.emplace(std::string(sql), statement);
                return;
            }
        }
        sqlite3_finalize(statement);
    }

private:
    using Statements = std::unordered_multimap<std::string, sqlite3_stmt*, SqlHash, std::equal_to<>>;
    std::mutex mutex_;
    std::unordered_map<sqlite3*, Statements> by_connection_;
};

KeptStatements& kept_statements() {
    static auto* kept = new KeptStatements();  // never destroyed: connections may close at exit
    return *kept;
}

void close_connection(sqlite3* db) {
    if (db == nullptr) return;
    kept_statements().close(db);
    sqlite3_close_v2(db);
}

}  // namespace

Error sqlite_error(sqlite3* db, int code, std::string_view doing) {
    const char* message = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(code);
    std::string text = fmt::format("{}: {}", doing, message);
    switch (code & 0xff) {
        case SQLITE_CONSTRAINT:  // the data broke a key, NOT NULL or foreign key rule
        case SQLITE_NOTADB:      // the path is not a SQLite database
            return Error(ErrorClass::user, std::move(text));
        // A store that cannot be opened for writing or written (permissions, a read-only file
        // system) is a failing system, exit code 2 (docs/cli.md); a missing folder is refused as the
        // user's before SQLite is asked (SqliteConnection::open).
        case SQLITE_MISUSE:
        case SQLITE_RANGE:
        case SQLITE_MISMATCH:
            return Error(ErrorClass::internal, std::move(text));
        default:
            return Error(ErrorClass::external, std::move(text));
    }
}

// --- SqliteStatement -------------------------------------------------------------------------

SqliteStatement::SqliteStatement(SqliteStatement&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)),
      statement_(std::exchange(other.statement_, nullptr)),
      last_code_(other.last_code_) {}

SqliteStatement& SqliteStatement::operator=(SqliteStatement&& other) noexcept {
    if (this != &other) {
        kept_statements().give_back(statement_);
        db_ = std::exchange(other.db_, nullptr);
        statement_ = std::exchange(other.statement_, nullptr);
        last_code_ = other.last_code_;
    }
    return *this;
}

SqliteStatement::~SqliteStatement() {
    kept_statements().give_back(statement_);
}

void SqliteStatement::bind_null(int index) {
    sqlite3_bind_null(statement_, index);
}
void SqliteStatement::bind_int64(int index, std::int64_t value) {
    sqlite3_bind_int64(statement_, index, value);
}
void SqliteStatement::bind_double(int index, double value) {
    sqlite3_bind_double(statement_, index, value);
}

void SqliteStatement::bind_text(int index, std::string_view text) {
    sqlite3_bind_text64(statement_, index, text.data(), text.size(), SQLITE_STATIC, SQLITE_UTF8);
}

void SqliteStatement::bind_text_copy(int index, std::string_view text) {
    sqlite3_bind_text64(statement_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
}

void SqliteStatement::bind_blob(int index, std::span<const std::uint8_t> bytes) {
    // A zero-length blob is still a blob, not NULL: give SQLite a non-null pointer.
    static constexpr std::uint8_t empty = 0;
    sqlite3_bind_blob64(statement_, index, bytes.empty() ? &empty : bytes.data(), bytes.size(), SQLITE_STATIC);
}

Result<bool> SqliteStatement::step() {
    const int code = sqlite3_step(statement_);
    last_code_ = code == SQLITE_ROW || code == SQLITE_DONE ? code : sqlite3_extended_errcode(db_);
    if (code == SQLITE_ROW) return true;
    if (code == SQLITE_DONE) return false;
    Error error = sqlite_error(db_, code, fmt::format("running `{}`", sql()));
    sqlite3_reset(statement_);
    return std::unexpected(std::move(error));
}

Status SqliteStatement::run() {
    auto stepped = step();
    sqlite3_reset(statement_);
    if (!stepped) return std::unexpected(std::move(stepped).error());
    return {};
}

void SqliteStatement::reset() {
    sqlite3_reset(statement_);
}

bool SqliteStatement::failed_on_duplicate_key() const {
    return last_code_ == SQLITE_CONSTRAINT_PRIMARYKEY || last_code_ == SQLITE_CONSTRAINT_UNIQUE;
}

bool SqliteStatement::failed_busy() const {
    return (last_code_ & 0xff) == SQLITE_BUSY;
}

bool SqliteStatement::column_is_null(int column) const {
    return sqlite3_column_type(statement_, column) == SQLITE_NULL;
}
std::int64_t SqliteStatement::column_int64(int column) const {
    return sqlite3_column_int64(statement_, column);
}
double SqliteStatement::column_double(int column) const {
    return sqlite3_column_double(statement_, column);
}

std::string_view SqliteStatement::column_text(int column) const {
    const auto* text = sqlite3_column_text(statement_, column);
    const int size = sqlite3_column_bytes(statement_, column);
    if (text == nullptr) return {};
    return {reinterpret_cast<const char*>(text), static_cast<std::size_t>(size)};
}

std::span<const std::uint8_t> SqliteStatement::column_blob(int column) const {
    const auto* bytes = static_cast<const std::uint8_t*>(sqlite3_column_blob(statement_, column));
    const int size = sqlite3_column_bytes(statement_, column);
    if (bytes == nullptr) return {};
    return {bytes, static_cast<std::size_t>(size)};
}

std::string_view SqliteStatement::sql() const {
    const char* text = statement_ != nullptr ? sqlite3_sql(statement_) : nullptr;
    return text != nullptr ? std::string_view(text) : std::string_view();
}

// --- SqliteConnection ------------------------------------------------------------------------

Result<SqliteConnection> SqliteConnection::open(const std::string& path, SqliteOpening opening) {
    std::error_code ignored;
    if (opening == SqliteOpening::existing_only && !std::filesystem::exists(path, ignored))
        return user_error(fmt::format("{} does not exist (create a store with `gridaudit import --db {} FOLDER`)",
                                      path, path));
    const std::filesystem::path folder = std::filesystem::path(path).parent_path();
    if (!folder.empty() && !std::filesystem::is_directory(folder, ignored))
        return user_error(fmt::format("{}: there is no folder {}", path, folder.string()));
    sqlite3* db = nullptr;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
    if (opening == SqliteOpening::create_if_missing) flags |= SQLITE_OPEN_CREATE;
    const int code = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
    if (code != SQLITE_OK) {
        Error error = sqlite_error(db, code, fmt::format("opening {}", path));
        sqlite3_close(db);
        return std::unexpected(std::move(error));
    }
    // Before anything else: even the first statement may meet another connection's lock.
    sqlite3_busy_timeout(db, sqlite_busy_timeout_ms);
    sqlite3_extended_result_codes(db, 1);
    kept_statements().open(db);
    return SqliteConnection(db);
}

SqliteConnection::SqliteConnection(SqliteConnection&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}

SqliteConnection& SqliteConnection::operator=(SqliteConnection&& other) noexcept {
    if (this != &other) {
        close_connection(db_);
        db_ = std::exchange(other.db_, nullptr);
    }
    return *this;
}

SqliteConnection::~SqliteConnection() {
    close_connection(db_);
}

Status SqliteConnection::execute(std::string_view sql) {
    const std::string text(sql);
    const int code = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, nullptr);
    if (code != SQLITE_OK) return std::unexpected(sqlite_error(db_, code, fmt::format("running `{}`", sql)));
    return {};
}

Result<SqliteStatement> SqliteConnection::prepare(std::string_view sql) {
    if (sqlite3_stmt* kept = kept_statements().take(db_, sql)) return SqliteStatement(db_, kept);
    sqlite3_stmt* statement = nullptr;
    const int code = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                                        &statement, nullptr);
    if (code != SQLITE_OK) return std::unexpected(sqlite_error(db_, code, fmt::format("preparing `{}`", sql)));
    return SqliteStatement(db_, statement);
}

Result<std::int64_t> SqliteConnection::query_int64(std::string_view sql) {
    GA_ASSIGN_OR_RETURN(auto statement, prepare(sql));
    GA_ASSIGN_OR_RETURN(const bool has_row, statement.step());
    if (!has_row) return internal_error(fmt::format("`{}` returned no row", sql));
    return statement.column_int64(0);
}

std::int64_t SqliteConnection::last_insert_rowid() const {
    return sqlite3_last_insert_rowid(db_);
}
std::int64_t SqliteConnection::changes() const {
    return sqlite3_changes64(db_);
}

// --- SqliteTransaction -----------------------------------------------------------------------

Result<SqliteTransaction> SqliteTransaction::begin_immediate(SqliteConnection& connection) {
    GA_TRY(connection.execute("BEGIN IMMEDIATE"));
    return SqliteTransaction(&connection);
}

SqliteTransaction::SqliteTransaction(SqliteTransaction&& other) noexcept
    : connection_(std::exchange(other.connection_, nullptr)) {}

SqliteTransaction::~SqliteTransaction() {
    if (connection_ != nullptr && sqlite3_get_autocommit(connection_->handle()) == 0)
        sqlite3_exec(connection_->handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

Status SqliteTransaction::commit() {
    if (connection_ == nullptr) return internal_error("commit of a finished transaction");
    GA_TRY(connection_->execute("COMMIT"));
    connection_ = nullptr;
    return {};
}

}  // namespace gridaudit
