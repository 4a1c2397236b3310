// What an import did: per file rows read, accepted and rejected; the problems (the first few
// in memory, all of them in the report folder's errors.txt); the store's outcome.
// Thread safety: plain data.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "store/store.hpp"

namespace gridaudit {

struct FileReport {
    std::string file;  // "customers.csv", "tariffs/res.json"
    std::size_t rows_read = 0;
    std::size_t rows_accepted = 0;
    std::size_t rows_rejected = 0;
};

struct ImportReport {
    std::string folder;
    std::string content_hash;
    std::filesystem::path report_dir;        // where errors.txt and rejected/ were written; empty if not
    std::vector<FileReport> files;           // in contract order
    std::vector<std::string> ignored_files;  // files of the folder that are not part of the contract
    std::vector<std::string> messages;       // the first ImportFolderOptions::max_messages problems
    std::size_t problem_count = 0;           // all problems (each is a line of errors.txt)
    std::optional<ImportOutcome> outcome;    // the store's answer, when the batch was written

    [[nodiscard]] std::size_t rows_read() const;
    [[nodiscard]] std::size_t rows_accepted() const;
    [[nodiscard]] std::size_t rows_rejected() const;
};

}  // namespace gridaudit
