// tariffs/*.json: each file is read with the tariff engine's own loader, the very one an audit
// uses on the stored documents (TariffBook::from_documents: a calendar document when it declares
// "kind": "calendar", a GridAudit tariff otherwise), so a document the engine refuses is refused
// at import (a negative price, a member given twice, nesting deeper than the loader allows...),
// with the loader's `tariffs/x.json:line:column: member.path: what is wrong (value)`. Then the
// documents are checked together with the store's: no id (and effective_from) in two files, every
// calendar reference resolved, no two versions of a tariff in force on one day; a file that breaks
// the book is rejected (calendars first, then tariffs, each in name order). Accepted files are
// kept verbatim as TariffDocument. A file is at most 16 MiB. Thread safety: reentrant.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "ingest/import_problem.hpp"
#include "model/rows.hpp"
#include "text/file_content.hpp"

namespace gridaudit {

inline constexpr std::size_t max_tariff_file_bytes = std::size_t{16} << 20;

struct CheckedTariff {
    TariffDocument document;  // id is empty when the file gave none that could be read
    std::string rejection;    // why the file is rejected; empty when accepted
    [[nodiscard]] bool rejected() const { return !rejection.empty(); }
};

// `stored` are the store's documents (a batch document with the same id and effective_from
// replaces one). REQUIRES: `files` are the tariff files (names "tariffs/<name>.json"), sorted by name.
[[nodiscard]] std::vector<CheckedTariff> check_tariff_documents(const std::vector<const InputFile*>& files,
                                                                std::span<const TariffDocument> stored,
                                                                ProblemLog& problems);

}  // namespace gridaudit
