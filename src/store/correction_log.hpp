// Appends rows to the `corrections` table: one per value a later batch changed.
//
// Thread safety: used by one thread, inside the batch's transaction.
#pragma once

#include <optional>
#include <string_view>

#include "core/result.hpp"
#include "store/sqlite_connection.hpp"

namespace gridaudit {

class CorrectionLog {
public:
    [[nodiscard]] static Result<CorrectionLog> prepare(SqliteConnection& connection, std::int64_t batch_id);

    // A missing value is nullopt (NULL in the table).
    [[nodiscard]] Status record(std::string_view table, std::string_view row_key, std::string_view column,
                                const std::optional<std::string>& old_value,
                                const std::optional<std::string>& new_value);

private:
    CorrectionLog(SqliteStatement insert, std::int64_t batch_id) : insert_(std::move(insert)), batch_id_(batch_id) {}
    SqliteStatement insert_;
    std::int64_t batch_id_ = 0;
};

}  // namespace gridaudit
