// tariffs/*.json: each file must be well-formed JSON holding an object with a non-empty string
// member `id`; an id given by two files is an error (the second file, in name order, is
// rejected). Accepted files are kept verbatim as TariffDocument; their full format is the tariff
// engine's concern. Thread safety: reentrant.
#pragma once

#include <string>
#include <vector>

#include "ingest/file_content.hpp"
#include "ingest/import_problem.hpp"
#include "model/rows.hpp"

namespace gridaudit {

struct CheckedTariff {
    TariffDocument document;  // id is empty when the file gave none
    std::string rejection;    // why the file is rejected; empty when accepted
    [[nodiscard]] bool rejected() const { return !rejection.empty(); }
};

// REQUIRES: `files` are the tariff files (names "tariffs/<name>.json"), sorted by name.
[[nodiscard]] std::vector<CheckedTariff> check_tariff_documents(const std::vector<const InputFile*>& files,
                                                                ProblemLog& problems);

}  // namespace gridaudit
