// Loads the closed loop's cases from the store for the SHARE rules (frame/case_columns.hpp), as
// work orders and collections are loaded: rules read the columns, never the store.
// Thread safety: one call per Store.
#pragma once

#include "core/result.hpp"
#include "frame/case_columns.hpp"
#include "store/store.hpp"

namespace gridaudit {

[[nodiscard]] Result<CaseColumns> load_case_columns(Store& store);

}  // namespace gridaudit
