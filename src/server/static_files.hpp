// The built web dashboard (web/dist, docs/dashboard.md) served by `gridaudit serve --web DIR`: a
// file of DIR for a GET or HEAD of its path; index.html for `/` and for any other path that is no
// file (the single-page application's own routes), except under /assets/, where a missing file is
// a 404. index.html and the other unhashed files are `Cache-Control: no-cache`; the hashed files of
// /assets/ `public, max-age=31536000, immutable`. (The HTTP server compresses text types with gzip
// when the request accepts it: api_server.cpp.) A path with a `..`, `.` or empty
// segment, a backslash or a NUL, or one that resolves (through a symbolic link) outside DIR is a
// 404: nothing outside DIR is ever read.
// Thread safety: immutable after open(); serve() may be called from any number of threads.
#pragma once

#include <filesystem>
#include <string_view>

#include "core/result.hpp"
#include "server/api_request.hpp"

namespace gridaudit {

class StaticFiles {
public:
    // REQUIRES: nothing. A folder without index.html is a user error naming it.
    [[nodiscard]] static Result<StaticFiles> open(const std::filesystem::path& dir);

    [[nodiscard]] const std::filesystem::path& dir() const { return dir_; }

    // The response to a GET of `path` (the URL's path, decoded, without the query).
    [[nodiscard]] ApiResponse serve(std::string_view path) const;

private:
    explicit StaticFiles(std::filesystem::path dir) : dir_(std::move(dir)) {}
    std::filesystem::path dir_;  // canonical
};

}  // namespace gridaudit
