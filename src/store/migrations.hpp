// Versioned schema migrations of the SQLite store.
//
// The schema is an ordered list of frozen SQL scripts; migration N brings a store from version
// N-1 to N. The version lives in `PRAGMA user_version` and the file is marked as a GridAudit
// store by `PRAGMA application_id`. A released script is never edited: a change of the import
// contract needs a new migration (tests/store/schema_test.cpp fails until there is one).
// Thread safety: the list is immutable; migrate() needs the connection exclusively.
#pragma once

#include <span>
#include <string_view>

#include "core/result.hpp"
#include "store/sqlite_connection.hpp"

namespace gridaudit {

struct Migration {
    int version = 0;
    std::string_view description;
    std::string_view sql;
};

// `PRAGMA application_id` of a GridAudit store ("GRDA").
inline constexpr int gridaudit_application_id = 0x47524441;

// Every migration, in version order (versions 1, 2, ...).
[[nodiscard]] std::span<const Migration> schema_migrations();
[[nodiscard]] int latest_schema_version();

// Applies the pending migrations, each in its own IMMEDIATE transaction, and returns the
// schema version. User error when the file is not a GridAudit store or was written by a newer
// GridAudit (its version is above latest_schema_version()).
[[nodiscard]] Result<int> migrate(SqliteConnection& connection);

}  // namespace gridaudit
