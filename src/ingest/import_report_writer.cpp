// errors.txt and rejected/<file> of an import's report folder.
#include "ingest/import_report_writer.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <system_error>

#include "model/import_contract.hpp"
#include "text/csv_reader.hpp"

namespace gridaudit {
namespace {

// A file written through a buffer; reports the first failure.
class OutputFile {
public:
    static Result<OutputFile> create(const std::filesystem::path& path) {
        std::FILE* file = std::fopen(path.c_str(), "wb");
        if (file == nullptr)
            return external_error(fmt::format("cannot write {}: {}", path.string(), std::strerror(errno)));
        return OutputFile(path, file);
    }

    void write(std::string_view text) {
        if (!text.empty() && std::fwrite(text.data(), 1, text.size(), file_.get()) != text.size()) failed_ = true;
    }

    Status close() {
        const bool closed = std::fclose(file_.release()) == 0;
        if (failed_ || !closed) return external_error(fmt::format("cannot write {}", path_.string()));
        return {};
    }

private:
    struct Closer {
        void operator()(std::FILE* file) const {
            if (file != nullptr) std::fclose(file);
        }
    };
    OutputFile(std::filesystem::path path, std::FILE* file) : path_(std::move(path)), file_(file) {}

    std::filesystem::path path_;
    std::unique_ptr<std::FILE, Closer> file_;
    bool failed_ = false;
};

}  // namespace

Status clear_import_report(const std::filesystem::path& dir) {
    std::error_code error;
    std::filesystem::remove(dir / "errors.txt", error);
    if (error)
        return external_error(fmt::format("cannot remove {}: {}", (dir / "errors.txt").string(), error.message()));
    const auto rejected = dir / "rejected";
    for (const auto& table : import_contract()) {
        if (!table.file.ends_with(".csv")) continue;
        std::filesystem::remove(rejected / std::string(table.file), error);
        if (error) return external_error(fmt::format("cannot remove a stale report file in {}", rejected.string()));
    }
    std::filesystem::remove(rejected, error);  // only when empty; an error just means it is not
    return {};
}

Status write_import_report(const std::filesystem::path& dir, const std::vector<ImportProblem>& problems,
                           const std::vector<RejectedFile>& rejected) {
    std::error_code error;
    std::filesystem::create_directories(dir, error);
    if (error)
        return external_error(fmt::format("cannot create the report folder {}: {}", dir.string(), error.message()));
    GA_TRY(clear_import_report(dir));

    GA_ASSIGN_OR_RETURN(auto errors, OutputFile::create(dir / "errors.txt"));
    std::string line;
    for (const auto& problem : problems) {
        line = problem.to_string();
        line += '\n';
        errors.write(line);
    }
    GA_TRY(errors.close());

    for (const auto& file : rejected) {
        if (file.rows.empty()) continue;
        std::filesystem::create_directories(dir / "rejected", error);
        if (error)
            return external_error(fmt::format("cannot create {}: {}", (dir / "rejected").string(), error.message()));
        GA_ASSIGN_OR_RETURN(auto out, OutputFile::create(dir / "rejected" / file.file));
        line.assign(file.header_raw);
        line += ",x_error\n";
        out.write(line);
        for (const auto& row : file.rows) {
            line.assign(row.raw);
            line += ',';
            append_csv_field(line, row.reason, true);
            line += '\n';
            out.write(line);
        }
        GA_TRY(out.close());
    }
    return {};
}

}  // namespace gridaudit
