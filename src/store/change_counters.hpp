// Counters that move with every change of a store, read together in one cheap query, for a reader
// that keeps what it read until the store changes (the server's caches): the import batches, the
// audit runs and the audit log's newest entry, which every write a person or command makes
// appends to (cases, dismissals, back-billings, payments, users, sessions). A backend offers them
// by also deriving from ChangeCounting (the SQLite store does); a reader finds it with a cast and
// reads Store::batches(), audit_runs() and the audit log otherwise.
// Thread safety: as the store that implements it (one thread at a time).
#pragma once

#include <cstdint>

#include "core/result.hpp"

namespace gridaudit {

struct ChangeCounters {
    std::int64_t batches = 0;
    std::int64_t last_batch_id = 0;  // 0 when there is none
    std::int64_t audit_runs = 0;
    std::int64_t last_run_id = 0;     // 0 when there is none
    std::int64_t audit_log_head = 0;  // the newest entry's id, 0 when the log is empty
};

class ChangeCounting {
public:
    virtual ~ChangeCounting() = default;
    // One snapshot of the counters (read in one statement).
    [[nodiscard]] virtual Result<ChangeCounters> change_counters() = 0;
};

}  // namespace gridaudit
