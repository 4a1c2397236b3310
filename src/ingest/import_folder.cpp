// Orchestration of an import: read, validate, report, apply.
#include "ingest/import_folder.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <system_error>
#include <tuple>

#include "core/money_text.hpp"
#include "ingest/content_hash.hpp"
#include "ingest/daily_series_parser.hpp"
#include "ingest/interval_series_parser.hpp"
#include "ingest/reference_checker.hpp"
#include "ingest/stored_data.hpp"
#include "ingest/table_validator.hpp"
#include "ingest/tariff_documents.hpp"

namespace gridaudit {
namespace {

constexpr std::string_view tariff_folder = "tariffs/";

// Position of a file in the contract, for ordering problems and reports.
std::size_t contract_rank(std::string_view file) {
    const auto& contract = import_contract();
    if (file.starts_with(tariff_folder)) file = "tariffs/*.json";
    for (std::size_t i = 0; i < contract.size(); ++i)
        if (contract[i].file == file) return i;
    return contract.size();
}

// Orders problems by file (contract order), line and column; problems at the same place keep
// the order they were found in.
void sort_problems(std::vector<ImportProblem>& problems) {
    struct Place {
        std::size_t rank;
        std::size_t index;
    };
    std::vector<Place> places;
    places.reserve(problems.size());
    for (std::size_t i = 0; i < problems.size(); ++i) places.push_back({contract_rank(problems[i].file), i});
    std::sort(places.begin(), places.end(), [&](const Place& a, const Place& b) {
        const ImportProblem& x = problems[a.index];
        const ImportProblem& y = problems[b.index];
        return std::tuple(a.rank, std::string_view(x.file), x.line, x.column, a.index) <
               std::tuple(b.rank, std::string_view(y.file), y.line, y.column, b.index);
    });
    std::vector<ImportProblem> sorted;
    sorted.reserve(problems.size());
    for (const Place& place : places) sorted.push_back(std::move(problems[place.index]));
    problems = std::move(sorted);
}

FileReport file_report(std::string file, std::size_t read, std::size_t rejected) {
    return FileReport{std::move(file), read, read - rejected, rejected};
}

// The message of an import that wrote nothing: the first problems and where the rest are.
std::string refusal(std::string_view why, const ImportReport& report) {
    std::string text = fmt::format("{}: {} problem{}; nothing was written to the store", why, report.problem_count,
                                   report.problem_count == 1 ? "" : "s");
    constexpr std::size_t shown = 10;
    for (std::size_t i = 0; i < std::min(shown, report.messages.size()); ++i) text += "\n  " + report.messages[i];
    if (report.problem_count > shown) text += fmt::format("\n  ... and {} more", report.problem_count - shown);
    if (!report.report_dir.empty())
        text +=
            fmt::format("\nEvery problem is listed in {}", printable_text((report.report_dir / "errors.txt").string()));
    return text;
}

}  // namespace

std::size_t ImportReport::rows_read() const {
    std::size_t total = 0;
    for (const auto& file : files) total += file.rows_read;
    return total;
}
std::size_t ImportReport::rows_accepted() const {
    std::size_t total = 0;
    for (const auto& file : files) total += file.rows_accepted;
    return total;
}
std::size_t ImportReport::rows_rejected() const {
    std::size_t total = 0;
    for (const auto& file : files) total += file.rows_rejected;
    return total;
}

std::filesystem::path default_report_dir(const std::filesystem::path& folder) {
    std::error_code error;
    std::filesystem::path absolute = std::filesystem::absolute(folder, error);
    if (error) absolute = folder;
    absolute = absolute.lexically_normal();
    if (!absolute.has_filename()) absolute = absolute.parent_path();
    std::string name = absolute.filename().string();
    if (name.empty() || name == "." || name == "..") name = "export";
    return absolute.parent_path() / (name + ".import-report");
}

Result<std::vector<InputFile>> read_export_folder(const std::filesystem::path& folder,
                                                  std::vector<std::string>& ignored) {
    std::error_code error;
    if (!std::filesystem::is_directory(folder, error))
        return user_error(fmt::format("{} is not a folder", printable_text(folder.string())));
    std::vector<std::pair<std::string, std::filesystem::path>> wanted;
    std::vector<InputFile> files;
    const auto unreadable = [&](std::string name, std::string why) {
        files.push_back(InputFile{std::move(name), FileContent(), std::move(why)});
    };
    bool tariff_folder_found = false;
    const auto list = [&](const std::filesystem::path& dir, std::string_view prefix) -> Status {
        std::filesystem::directory_iterator entries(dir, error);
        if (error) return user_error(fmt::format("cannot list {}: {}", printable_text(dir.string()), error.message()));
        for (; entries != std::filesystem::directory_iterator(); entries.increment(error)) {
            if (error)
                return user_error(fmt::format("cannot list {}: {}", printable_text(dir.string()), error.message()));
            const auto& entry = *entries;
            const std::string name = std::string(prefix) + entry.path().filename().string();
            if (prefix.empty() && name == "tariffs") {
                std::error_code status_error;
                const bool symlink = entry.is_symlink(status_error);
                if (std::filesystem::is_directory(entry.path(), status_error)) {
                    tariff_folder_found = true;
                } else if (status_error) {
                    unreadable(name, symlink && status_error == std::errc::no_such_file_or_directory
                                         ? "a symbolic link to nothing, not a folder of tariff documents"
                                         : fmt::format("cannot be read: {}", status_error.message()));
                } else {
                    unreadable(name, "not a folder: tariff documents go in tariffs/<name>.json");
                }
                continue;
            }
            const TableSpec* table = prefix.empty() ? find_table_by_file(name) : nullptr;
            const bool contract_csv = table != nullptr && table->storage != StorageKind::json_documents;
            const bool tariff = !prefix.empty() && name.ends_with(".json");
            if (contract_csv || tariff)
                wanted.emplace_back(name, entry.path());
            else
                ignored.push_back(printable_value(name));
        }
        return {};
    };
    GA_TRY(list(folder, ""));
    if (tariff_folder_found) GA_TRY(list(folder / "tariffs", tariff_folder));
    std::sort(wanted.begin(), wanted.end());
    std::sort(ignored.begin(), ignored.end());
    // A contract name that cannot be read is a problem of that file, never "not in the contract".
    for (auto& [name, path] : wanted) {
        auto content = FileContent::map(path);
        if (content) {
            files.push_back(InputFile{std::move(name), std::move(*content), {}});
            continue;
        }
        if (content.error().kind() == ErrorClass::internal) return std::unexpected(content.error());
        std::string_view why = content.error().message();
        if (const std::string prefix = path.string() + ": "; why.starts_with(prefix)) why.remove_prefix(prefix.size());
        std::error_code status_error;
        const bool dangling = std::filesystem::is_symlink(path, status_error) &&
                              !std::filesystem::exists(path, status_error) && !status_error;
        unreadable(std::move(name), dangling ? std::string("cannot be read: a symbolic link to nothing")
                                             : fmt::format("cannot be read: {}", why));
    }
    std::sort(files.begin(), files.end(), [](const InputFile& a, const InputFile& b) { return a.name < b.name; });
    return files;
}

Result<ValidatedFolder> validate_files(Store& store, std::string source, std::vector<InputFile> input_files,
                                       const ImportFolderOptions& options) {
    ValidatedFolder out;
    out.files = std::move(input_files);
    out.batch.source = source;
    out.report.folder = printable_text(source);
    ProblemLog problems;
    StoredData stored(store);
    ProgressObserver& progress = *options.progress;

    std::map<std::string_view, const InputFile*> by_name;
    std::vector<const InputFile*> tariff_files;
    for (const auto& file : out.files) {
        if (!file.unreadable.empty()) {
            problems.add_file(file.name, file.unreadable);
            by_name.emplace(file.name, &file);  // present, so not reported as missing
        } else if (file.name.starts_with(tariff_folder))
            tariff_files.push_back(&file);
        else
            by_name.emplace(file.name, &file);
    }
    for (const auto& table : import_contract()) {
        if (!table.required_file || by_name.contains(table.file)) continue;
        GA_ASSIGN_OR_RETURN(const StringSet* keys, stored.keys(table));
        if (keys->empty())
            problems.add_file(table.file, fmt::format("required file is missing (the store has no {} yet, so the "
                                                      "first import must include it)",
                                                      table.table));
    }
    // Row-level checks, file by file in contract order.
    SeriesParseOptions series_options;
    series_options.threads = options.threads;
    series_options.progress = &progress;
    std::vector<CheckedTable> tables;
    std::optional<DailySeriesParse> daily;
    std::optional<IntervalSeriesParse> interval;
    const InputFile* daily_file = nullptr;
    const InputFile* interval_file = nullptr;
    for (const auto& table : import_contract()) {
        const auto found = by_name.find(table.file);
        if (found == by_name.end() || !found->second->unreadable.empty()) continue;
        const std::string_view bytes = found->second->content.bytes();
        switch (table.storage) {
            case StorageKind::rows:
                progress.stage(fmt::format("validating {}", table.file), "bytes", bytes.size());
                tables.push_back(check_table(table, table.file, bytes, problems, default_max_rejected_rows, progress));
                break;
            case StorageKind::daily_series:
                daily = parse_daily_series(table.file, bytes, series_options, problems);
                daily_file = found->second;
                break;
            case StorageKind::interval_series:
                progress.stage(fmt::format("validating {}", table.file), "bytes", bytes.size());
                interval = parse_interval_series(table.file, bytes, series_options, problems);
                progress.advance(bytes.size());
                interval_file = found->second;
                break;
            case StorageKind::json_documents:
                break;
        }
    }
    std::vector<TariffDocument> stored_tariffs;
    if (!tariff_files.empty()) {
        progress.stage("validating tariffs/", "files", tariff_files.size());
        GA_ASSIGN_OR_RETURN(stored_tariffs, store.tariffs());
    }
    std::vector<CheckedTariff> tariffs = check_tariff_documents(tariff_files, stored_tariffs, problems);
    progress.advance(tariff_files.size());

    // Rules between rows, unless a whole file is unusable (its rows would make every reference fail).
    out.stopped = problems.has_whole_file_problem();
    if (!out.stopped) {
        progress.stage("checking references", "rows", 0);
        ReferenceChecker references(tables, tariffs, stored, problems);
        GA_TRY(references.run());
        const auto meter_problems =
            [&](const std::vector<std::string>& meter_ids) -> Result<std::vector<std::optional<std::string>>> {
            std::vector<std::optional<std::string>> found(meter_ids.size());
            for (std::size_t m = 0; m < meter_ids.size(); ++m) {
                GA_ASSIGN_OR_RETURN(found[m], references.meter_problem(meter_ids[m]));
            }
            return found;
        };
        if (daily && daily->usable) {
            GA_ASSIGN_OR_RETURN(const auto meters, meter_problems(daily->rows.meter_ids));
            reject_late_daily_rows(*daily, daily_file->content.bytes(), meters, problems);
        }
        if (interval && interval->usable) {
            GA_ASSIGN_OR_RETURN(const auto meters, meter_problems(interval->rows.meter_ids));
            reject_late_interval_rows(*interval, interval_file->content.bytes(), meters, problems);
        }
    }

    // The batch of accepted rows, the per-file counts and the rejected rows, in contract order.
    std::size_t rejected_total = 0;
    for (auto& table : tables) {
        const std::size_t rejected = table.rejected_count();
        rejected_total += rejected;
        out.report.files.push_back(file_report(table.file, table.rows.size(), rejected));
        RejectedFile rejected_rows{table.file, table.header_raw, {}};
        TableRows accepted{table.spec, {}};
        for (auto& row : table.rows) {
            if (row.rejected())
                rejected_rows.rows.push_back({row.row.line, row.raw, std::move(row.rejection)});
            else if (table.usable)
                accepted.rows.push_back(std::move(row.row));
        }
        if (!rejected_rows.rows.empty()) out.rejected.push_back(std::move(rejected_rows));
        if (table.usable) out.batch.tables.push_back(std::move(accepted));
    }
    const auto add_series = [&](auto& parse) {
        rejected_total += parse.rejected.size();
        out.report.files.push_back(file_report(parse.file, parse.rows_read, parse.rejected.size()));
        RejectedFile rejected_rows{parse.file, parse.layout.header_raw, {}};
        for (auto& row : parse.rejected) rejected_rows.rows.push_back({row.line, row.raw, std::move(row.reason)});
        if (!rejected_rows.rows.empty()) out.rejected.push_back(std::move(rejected_rows));
    };
    if (daily) {
        add_series(*daily);
        if (daily->usable) out.batch.daily = std::move(daily->rows);
    }
    if (interval) {
        add_series(*interval);
        if (interval->usable) out.batch.interval = std::move(interval->rows);
    }
    for (std::size_t t = 0; t < tariffs.size(); ++t) {
        auto& tariff = tariffs[t];
        out.report.files.push_back(file_report(printable_value(tariff_files[t]->name), 1, tariff.rejected() ? 1 : 0));
        if (tariff.rejected())
            ++rejected_total;
        else
            out.batch.tariffs.push_back(std::move(tariff.document));
    }
    // Keep the report's files in contract order (series files come after the tables above).
    std::sort(out.report.files.begin(), out.report.files.end(), [](const FileReport& a, const FileReport& b) {
        return std::tuple(contract_rank(a.file), std::string_view(a.file)) <
               std::tuple(contract_rank(b.file), std::string_view(b.file));
    });
    out.batch.rows_rejected = rejected_total;
    // Hashed last, and only a batch that may be written: a file that stops the import (a 2 GB file
    // without a line end, say) is refused without being read through.
    if (options.hash_content && !out.stopped) {
        std::uint64_t bytes = 0;
        for (const auto& file : out.files) bytes += file.content.bytes().size();
        progress.stage("hashing the files", "bytes", bytes);
        GA_ASSIGN_OR_RETURN(out.batch.content_hash, content_hash(out.files, options.threads));
        progress.advance(bytes);
        out.report.content_hash = out.batch.content_hash;
    }

    out.problems = std::move(problems.problems());
    sort_problems(out.problems);
    out.report.problem_count = out.problems.size();
    for (std::size_t i = 0; i < std::min(options.max_messages, out.problems.size()); ++i)
        out.report.messages.push_back(out.problems[i].to_string());
    return out;
}

Result<ValidatedFolder> validate_folder(Store& store, const std::filesystem::path& folder,
                                        const ImportFolderOptions& options) {
    std::vector<std::string> ignored;
    GA_ASSIGN_OR_RETURN(auto files, read_export_folder(folder, ignored));
    GA_ASSIGN_OR_RETURN(auto validated, validate_files(store, folder.string(), std::move(files), options));
    validated.report.ignored_files = std::move(ignored);
    return validated;
}

Result<ImportReport> import_folder(Store& store, const std::filesystem::path& folder,
                                   const ImportFolderOptions& requested) {
    ImportFolderOptions options = requested;
    options.hash_content = true;  // the store recognises a folder imported before by its hash
    GA_ASSIGN_OR_RETURN(auto validated, validate_folder(store, folder, options));
    ImportReport& report = validated.report;
    if (options.write_report) {
        const auto dir = options.report_dir.empty() ? default_report_dir(folder) : options.report_dir;
        if (!validated.problems.empty()) {
            options.progress->stage("writing the import report", "problems", 0);
            GA_TRY(write_import_report(dir, validated.problems, validated.rejected));
            report.report_dir = dir;
        } else {
            std::error_code error;
            if (std::filesystem::is_directory(dir, error)) GA_TRY(clear_import_report(dir));
        }
    }
    if (validated.stopped) return user_error(refusal(fmt::format("cannot import {}", report.folder), report));
    if (options.strict && report.problem_count > 0)
        return user_error(refusal(fmt::format("strict import of {} refused", report.folder), report));
    // The store writes in one transaction and tells nothing on the way: the stage shows how long.
    const std::string rows = group_thousands(std::to_string(report.rows_accepted()));
    options.progress->stage(fmt::format("writing {} rows to the store", rows), "rows", 0);
    GA_ASSIGN_OR_RETURN(report.outcome, store.apply_batch(validated.batch, ImportOptions{options.strict}));
    return std::move(report);
}

}  // namespace gridaudit
