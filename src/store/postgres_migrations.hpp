// Versioned schema migrations of the PostgreSQL store, numbered as SQLite's (store/migrations.hpp):
// a PostgreSQL store at version N has the tables and columns of a SQLite store at version N.
//
// The version lives in the one-row table `gridaudit_store` (with the application id) in the
// schema the connection works in (libpq's search_path, default `public`). Every pending migration
// runs in one transaction under an advisory lock, so concurrent openers migrate once.
// Thread safety: the list is immutable; migrate_postgres() needs the connection exclusively.
#pragma once

#include <span>

#include "core/result.hpp"
#include "store/migrations.hpp"
#include "store/postgres_connection.hpp"

namespace gridaudit {

// The advisory lock key migrations take ("GRDA" as a number).
inline constexpr std::int64_t postgres_migration_lock = 0x47524441;

[[nodiscard]] std::span<const Migration> postgres_schema_migrations();
[[nodiscard]] int latest_postgres_schema_version();

// Applies the pending migrations and returns the schema version. User error when the schema holds
// tables of something else, or a store newer than this GridAudit.
[[nodiscard]] Result<int> migrate_postgres(PostgresConnection& connection);

}  // namespace gridaudit
