// The closed loop as the SHARE rules see it: the open cases with their deadlines, how each active
// finding is handled (on a case, dismissed, or neither) and the duplicate attempts. Utility-wide,
// beside the daily collections, loaded once per audit by load_case_columns() (case_loader.hpp).
// Thread safety: plain data; read-only once loaded.
#pragma once

#include <vector>

#include "model/case_record.hpp"

namespace gridaudit {

struct CaseColumns {
    std::vector<Case> open_cases;                      // every state but closed, by case id
    std::vector<FindingHandling> findings;             // active findings, by finding id
    std::vector<DuplicateAttempt> duplicate_attempts;  // by attempt id
};

}  // namespace gridaudit
