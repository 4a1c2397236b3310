// Printing an HTML page to PDF with headless Chromium (see pdf_printing.hpp): the page is written
// to a private temporary folder with a fresh Chromium profile, Chromium is spawned without a shell
// (posix_spawn), its chatter goes to a log file shown only when it fails, and the PDF is moved into
// place only once it is whole.
#include "report/pdf_printing.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace gridaudit {
namespace {

// A private temporary folder removed with everything in it when the printing ends.
class TemporaryFolder {
public:
    static Result<TemporaryFolder> create() {
        std::string pattern = (std::filesystem::temp_directory_path() / "gridaudit-pdf-XXXXXX").string();
        if (::mkdtemp(pattern.data()) == nullptr)
            return external_error(fmt::format("cannot create a temporary folder for the PDF ({})", pattern));
        return TemporaryFolder(pattern);
    }
    TemporaryFolder(TemporaryFolder&& other) noexcept : path_(std::move(other.path_)) { other.path_.clear(); }
    TemporaryFolder(const TemporaryFolder&) = delete;
    TemporaryFolder& operator=(const TemporaryFolder&) = delete;
    TemporaryFolder& operator=(TemporaryFolder&&) = delete;
    ~TemporaryFolder() {
        std::error_code ignored;
        if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
    }
    [[nodiscard]] const std::filesystem::path& path() const { return path_; }

private:
    explicit TemporaryFolder(std::filesystem::path path) : path_(std::move(path)) {}
    std::filesystem::path path_;
};

std::string last_lines(const std::filesystem::path& log, std::size_t count) {
    std::ifstream in(log);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) lines.push_back(line);
    const std::size_t from = lines.size() > count ? lines.size() - count : 0;
    std::string text;
    for (std::size_t i = from; i < lines.size(); ++i) text += (text.empty() ? "" : " | ") + lines[i].substr(0, 200);
    return text.empty() ? "(it printed nothing)" : text;
}

bool starts_as_pdf(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    char head[5] = {};
    in.read(head, sizeof head);
    return in.gcount() == 5 && std::string_view(head, 5) == "%PDF-";
}

}  // namespace

std::optional<std::filesystem::path> find_chromium() {
    if (const char* chosen = std::getenv("GRIDAUDIT_CHROMIUM"); chosen != nullptr && *chosen != '\0')
        return std::filesystem::path(chosen);
    for (const char* candidate : {"/usr/bin/chromium", "/usr/bin/chromium-browser"})
        if (::access(candidate, X_OK) == 0) return std::filesystem::path(candidate);
    return std::nullopt;
}

bool is_pdf_path(const std::filesystem::path& path) {
    std::string extension = path.extension().string();
    std::transform(extension.begin(), extension.end(), extension.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return extension == ".pdf";
}

Status print_html_to_pdf(std::string_view html, const std::filesystem::path& pdf, const PdfPrinting& printing) {
    if (::access(printing.chromium.c_str(), X_OK) != 0)
        return external_error(
            fmt::format("cannot run Chromium at {} to print the PDF (install Debian's chromium, "
                        "set GRIDAUDIT_CHROMIUM, or write .html and print it from a browser)",
                        printing.chromium.string()));
    GA_ASSIGN_OR_RETURN(const TemporaryFolder folder, TemporaryFolder::create());
    const auto page = folder.path() / "page.html";
    const auto printed = folder.path() / "page.pdf";
    const auto log = folder.path() / "chromium.log";
    {
        std::ofstream out(page, std::ios::binary);
        out.write(html.data(), static_cast<std::streamsize>(html.size()));
        if (!out) return external_error(fmt::format("cannot write {} for the PDF", page.string()));
    }

    std::vector<std::string> arguments{printing.chromium.string(),
                                       "--headless",
                                       "--disable-gpu",
                                       "--no-first-run",
                                       "--no-pdf-header-footer",
                                       "--user-data-dir=" + (folder.path() / "profile").string(),
                                       "--print-to-pdf=" + printed.string()};
    if (::geteuid() == 0) arguments.emplace_back("--no-sandbox");  // Chromium refuses root otherwise
    arguments.push_back("file://" + page.string());
    std::vector<char*> argv;
    for (auto& argument : arguments) argv.push_back(argument.data());
    argv.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    pid_t child = 0;
    const int spawned = ::posix_spawn(&child, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (spawned != 0)
        return external_error(
            fmt::format("cannot start Chromium ({}): {}", printing.chromium.string(), std::strerror(spawned)));

    const auto deadline = std::chrono::steady_clock::now() + printing.timeout;
    int status = 0;
    for (;;) {
        const pid_t done = ::waitpid(child, &status, WNOHANG);
        if (done == child) break;
        if (done < 0 && errno != EINTR) return external_error("lost track of the Chromium printing the PDF");
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(child, SIGKILL);
            ::waitpid(child, &status, 0);
            return external_error(fmt::format("Chromium did not print the PDF within {} s; it said: {}",
                                              printing.timeout.count(), last_lines(log, 3)));
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !starts_as_pdf(printed))
        return external_error(fmt::format("Chromium failed to print the PDF (exit {}); it said: {}",
                                          WIFEXITED(status) ? WEXITSTATUS(status) : -1, last_lines(log, 3)));
    // Copied beside the destination, then renamed over it: a reader never sees half a PDF.
    std::filesystem::path partial = pdf;
    partial += ".partial";
    std::error_code error;
    std::filesystem::copy_file(printed, partial, std::filesystem::copy_options::overwrite_existing, error);
    if (!error) std::filesystem::rename(partial, pdf, error);
    if (error) {
        std::error_code ignored;
        std::filesystem::remove(partial, ignored);
        return external_error(fmt::format("cannot write {} ({})", pdf.string(), error.message()));
    }
    return {};
}

}  // namespace gridaudit
