// The rows every case write adds, shared by SqliteCaseStore and SqliteCaseworkStore: the audit-log
// entry and the case event, each inside the caller's transaction, and the reading of a statement's
// rows into records.
// Thread safety: as the connection passed in (one thread at a time).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "model/case_record.hpp"
#include "store/sqlite_connection.hpp"

namespace gridaudit {

// Appends the audit-log entry of `writer`'s write (store/audit_log_table.hpp). An internal error
// when writer.at is not an ISO instant.
[[nodiscard]] Status append_case_write_log(SqliteConnection& connection, const CaseWriter& writer,
                                           std::string_view action, std::string_view object_kind,
                                           std::string_view object_id, std::string_view before_json,
                                           std::string_view after_json);

// Inserts one row of case_events (a transition, an assignment, a comment, a back-billing step).
[[nodiscard]] Status insert_case_event(SqliteConnection& connection, std::int64_t case_id, const CaseWriter& writer,
                                       std::string_view kind, std::string_view from_state, std::string_view to_state,
                                       std::string_view note);

// Every remaining row of `select`, each made by `read(select)` (a Result<Row>).
template <typename Row, typename Read>
[[nodiscard]] Result<std::vector<Row>> read_all_rows(SqliteStatement& select, Read read) {
    std::vector<Row> rows;
    for (;;) {
        GA_ASSIGN_OR_RETURN(const bool has_row, select.step());
        if (!has_row) return rows;
        GA_ASSIGN_OR_RETURN(auto row, read(select));
        rows.push_back(std::move(row));
    }
}

}  // namespace gridaudit
