// Serving the built web dashboard's files (see static_files.hpp).
#include "server/static_files.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "server/api_errors.hpp"
#include "text/printable_text.hpp"

namespace gridaudit {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view immutable = "public, max-age=31536000, immutable";
constexpr std::string_view revalidate = "no-cache";
// The page loads its own scripts and styles only; ECharts sets inline styles and draws on canvas.
constexpr std::string_view page_policy =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'";

std::string_view content_type_of(const fs::path& file) {
    const std::string extension = file.extension().string();
    if (extension == ".html") return "text/html; charset=utf-8";
    if (extension == ".js" || extension == ".mjs") return "text/javascript; charset=utf-8";
    if (extension == ".css") return "text/css; charset=utf-8";
    if (extension == ".json" || extension == ".map") return "application/json";
    if (extension == ".svg") return "image/svg+xml";
    if (extension == ".png") return "image/png";
    if (extension == ".ico") return "image/x-icon";
    if (extension == ".woff2") return "font/woff2";
    if (extension == ".txt") return "text/plain; charset=utf-8";
    return "application/octet-stream";
}

bool read_whole(const fs::path& file, std::string& out) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return false;
    out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    return !in.bad();
}

// The path's segments when every one is a plain name (no "", ".", "..", backslash or NUL).
std::optional<std::vector<std::string_view>> safe_segments(std::string_view path) {
    if (path.empty() || path.front() != '/') return std::nullopt;
    std::vector<std::string_view> segments;
    std::size_t start = 1;
    while (start <= path.size()) {
        std::size_t end = path.find('/', start);
        if (end == std::string_view::npos) end = path.size();
        const std::string_view segment = path.substr(start, end - start);
        // A trailing slash ends the path; any other empty segment is refused.
        if (segment.empty() && end != path.size()) return std::nullopt;
        if (segment == "." || segment == ".." || segment.find('\\') != std::string_view::npos ||
            segment.find('\0') != std::string_view::npos)
            return std::nullopt;
        if (!segment.empty()) segments.push_back(segment);
        start = end + 1;
    }
    return segments;
}

bool is_within(const fs::path& file, const fs::path& dir) {
    std::error_code error;
    const fs::path real = fs::canonical(file, error);
    if (error) return false;
    const auto [dir_end, real_end] = std::mismatch(dir.begin(), dir.end(), real.begin(), real.end());
    return dir_end == dir.end();
}

ApiResponse not_found(std::string_view path) {
    return error_response(404, fmt::format("no such file ({})", printable_value(path)));
}

}  // namespace

Result<StaticFiles> StaticFiles::open(const fs::path& dir) {
    std::error_code error;
    const fs::path real = fs::canonical(dir, error);
    if (error || !fs::is_regular_file(real / "index.html", error))
        return user_error(fmt::format("{}: no index.html there (build the dashboard: make web)", dir.string()));
    return StaticFiles(real);
}

ApiResponse StaticFiles::serve(std::string_view path) const {
    const auto segments = safe_segments(path);
    if (!segments) return not_found(path);
    fs::path file = dir_;
    for (const std::string_view segment : *segments) file /= fs::path(std::string(segment));
    const bool is_asset = !segments->empty() && segments->front() == "assets";
    std::error_code error;
    if (segments->empty() || !fs::is_regular_file(file, error)) {
        // The application's own routes (/findings, /cases/12, ...) are index.html's.
        if (is_asset) return not_found(path);
        file = dir_ / "index.html";
    }
    if (!is_within(file, dir_)) return not_found(path);

    ApiResponse response;
    response.content_type = std::string(content_type_of(file));
    if (!read_whole(file, response.body)) return not_found(path);
    const bool hashed = is_asset && file.filename() != "index.html";
    response.headers.emplace_back("Cache-Control", std::string(hashed ? immutable : revalidate));
    response.headers.emplace_back("Vary", "Accept-Encoding");
    response.headers.emplace_back("X-Content-Type-Options", "nosniff");
    response.headers.emplace_back("X-Frame-Options", "DENY");
    response.headers.emplace_back("Referrer-Policy", "no-referrer");
    response.headers.emplace_back("Content-Security-Policy", std::string(page_policy));
    return response;
}

}  // namespace gridaudit
