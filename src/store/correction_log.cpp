// The prepared INSERT behind CorrectionLog.
#include "store/correction_log.hpp"

namespace gridaudit {

Result<CorrectionLog> CorrectionLog::prepare(SqliteConnection& connection, std::int64_t batch_id) {
    GA_ASSIGN_OR_RETURN(auto insert, connection.prepare("INSERT INTO corrections (batch_id, table_name, row_key, "
                                                        "column_name, old_value, new_value) VALUES (?1, ?2, ?3, ?4, "
                                                        "?5, ?6)"));
    return CorrectionLog(std::move(insert), batch_id);
}

Status CorrectionLog::record(std::string_view table, std::string_view row_key, std::string_view column,
                             const std::optional<std::string>& old_value, const std::optional<std::string>& new_value) {
    insert_.bind_int64(1, batch_id_);
    insert_.bind_text(2, table);
    insert_.bind_text(3, row_key);
    insert_.bind_text(4, column);
    if (old_value)
        insert_.bind_text(5, *old_value);
    else
        insert_.bind_null(5);
    if (new_value)
        insert_.bind_text(6, *new_value);
    else
        insert_.bind_null(6);
    return insert_.run();
}

}  // namespace gridaudit
