// Loading a tariff file in either supported format (GridAudit tariff JSON or a URDB rate).
// Thread safety: reads the file; otherwise pure.
#pragma once

#include <filesystem>
#include <optional>
#include <string_view>

#include "core/result.hpp"
#include "tariff/tariff.hpp"

namespace gridaudit {

enum class TariffFormat : std::uint8_t { gridaudit, urdb };

// "gridaudit" or "urdb".
[[nodiscard]] std::optional<TariffFormat> parse_tariff_format(std::string_view text);

// Parses a document of the given format; `source_name` names it in messages.
[[nodiscard]] Result<Tariff> parse_tariff(std::string_view content, std::string_view source_name, TariffFormat format);

// Reads (read_text_file) and parses a file.
[[nodiscard]] Result<Tariff> load_tariff_file(const std::filesystem::path& path, TariffFormat format);

// Reads a whole file with the text layer's FileContent: "<path>: cannot open: <why>" is an external
// error, "<path>: a folder, not a regular file" (or a device, FIFO or socket) a user error.
[[nodiscard]] Result<std::string> read_text_file(const std::filesystem::path& path);

}  // namespace gridaudit
