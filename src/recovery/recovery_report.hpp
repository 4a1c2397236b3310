// Text and JSON renderings of a Recovery, for the inspector's notice and for other programs.
//
// JSON (docs/recovery.md): {"computation", "article", "title", "currency", "rounding": {"decimals",
// "mode"}, "inputs": {name: value}, "steps": [{"name", "formula", "value", "unit"}], "energy_kwh",
// "amounts": [{"name", "exact", "rounded"}], "total", "notes", "warnings"}. Numbers are decimal strings, exact.
// Thread safety: pure functions.
#pragma once

#include <string>

#include "recovery/recovery.hpp"

namespace gridaudit {

[[nodiscard]] std::string recovery_text(const Recovery& recovery);
[[nodiscard]] std::string recovery_json(const Recovery& recovery);

}  // namespace gridaudit
