// Printing an HTML page to PDF with Debian's Chromium in headless mode (`chromium --headless
// --print-to-pdf`): the monthly report and the case documents (notices, on-site record) are
// written as self-contained HTML, and Chromium lays them out with the system's fonts
// (fonts-noto-cjk for the Chinese terms), which no PDF library in Debian does as well.
// Thread safety: stateless; concurrent calls must write different files.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string_view>

#include "core/result.hpp"

namespace gridaudit {

// The Chromium to run: $GRIDAUDIT_CHROMIUM when set, else the first of /usr/bin/chromium and
// /usr/bin/chromium-browser that exists; nullopt when none does.
[[nodiscard]] std::optional<std::filesystem::path> find_chromium();

struct PdfPrinting {
    std::filesystem::path chromium;     // REQUIRES: an executable Chromium
    std::chrono::seconds timeout{120};  // Chromium killed after this
};

// Writes `html` (a whole page) to `pdf` (replacing it) through `printing.chromium`. A missing
// Chromium, a Chromium that fails or times out, or an output that is not a PDF is an external
// error naming the cause and Chromium's last words; nothing is left at `pdf` then.
[[nodiscard]] Status print_html_to_pdf(std::string_view html, const std::filesystem::path& pdf,
                                       const PdfPrinting& printing);

// True when `path` names a PDF by its extension (case-insensitive ".pdf").
[[nodiscard]] bool is_pdf_path(const std::filesystem::path& path);

}  // namespace gridaudit
