// Importing a utility's export folder: the ingest layer's entry points (see docs/import.md).
//
// validate_folder reads every contract file of the folder, checks everything (types, codes,
// ranges, cross-column rules, duplicates, references into the batch and the store, cycles,
// tariffs) before anything is written, and builds the ValidatedBatch of the accepted rows.
// import_folder then writes the report folder and hands the batch to Store::apply_batch, which
// writes it in one transaction. It writes nothing to the store when a whole file is unusable
// (a required file missing on a first import, an unreadable file, a bad header), nor, with
// `strict`, when there is any problem at all; both are user errors.
// Thread safety: one call at a time per Store (as the Store requires).
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "core/progress.hpp"
#include "core/result.hpp"
#include "ingest/import_problem.hpp"
#include "ingest/import_report.hpp"
#include "ingest/import_report_writer.hpp"
#include "model/rows.hpp"
#include "store/store.hpp"
#include "text/file_content.hpp"

namespace gridaudit {

struct ImportFolderOptions {
    bool strict = false;               // any problem: write nothing to the store (a user error)
    std::filesystem::path report_dir;  // empty: default_report_dir(folder)
    bool write_report = true;          // import_folder writes errors.txt and rejected/ when there are problems
    std::size_t max_messages = 1000;   // problems kept in ImportReport::messages
    unsigned threads = 2;              // threads for ami_daily.csv and the content hash
    // false leaves ValidatedBatch::content_hash empty (to time parsing and validation alone);
    // import_folder always hashes.
    bool hash_content = true;
    // Hears the stages: "validating <file>" for each file (the bytes of a table, the rows of
    // ami_daily.csv), "checking references", "hashing the files", "writing the import report",
    // "writing <n> rows to the store". Never null.
    ProgressObserver* progress = &null_progress();
};

// Everything validate_folder found. Views in `rejected` point into `files`.
struct ValidatedFolder {
    ValidatedBatch batch;                 // the accepted rows
    ImportReport report;                  // counts and the first messages (no outcome yet)
    std::vector<ImportProblem> problems;  // every problem, by file (contract order), line, column
    std::vector<RejectedFile> rejected;   // rejected rows of each CSV file, for rejected/<file>
    bool stopped = false;                 // a whole-file problem: the batch must not be written
    std::vector<InputFile> files;         // the bytes everything above was read from
};

// `<parent>/<folder name>.import-report`: next to the export folder, never inside it.
[[nodiscard]] std::filesystem::path default_report_dir(const std::filesystem::path& folder);

// Maps the contract files of `folder` (its *.csv of the contract, tariffs/*.json), sorted by
// name; names of other files go to `ignored` (printable). A contract-named path that cannot be
// read (a dangling or looping symbolic link, a folder, a FIFO, no permission; a `tariffs` that is
// not a folder) comes back with InputFile::unreadable set: validation makes it a problem of the
// whole file. User error when `folder` is not a folder or cannot be listed.
[[nodiscard]] Result<std::vector<InputFile>> read_export_folder(const std::filesystem::path& folder,
                                                                std::vector<std::string>& ignored);

// Validates files already in memory (names as in the folder: "customers.csv", "tariffs/x.json").
[[nodiscard]] Result<ValidatedFolder> validate_files(Store& store, std::string source, std::vector<InputFile> files,
                                                     const ImportFolderOptions& options);

// Reads and validates a folder; writes nothing anywhere.
[[nodiscard]] Result<ValidatedFolder> validate_folder(Store& store, const std::filesystem::path& folder,
                                                      const ImportFolderOptions& options);

// Validates, writes the report folder (when there are problems; a stale report is cleared
// otherwise) and applies the batch to the store.
[[nodiscard]] Result<ImportReport> import_folder(Store& store, const std::filesystem::path& folder,
                                                 const ImportFolderOptions& options);

}  // namespace gridaudit
