// File reading and format dispatch for tariffs.
#include "tariff/tariff_file.hpp"

#include <fmt/format.h>

#include "tariff/tariff_json.hpp"
#include "tariff/urdb_import.hpp"
#include "text/file_content.hpp"

namespace gridaudit {

std::optional<TariffFormat> parse_tariff_format(std::string_view text) {
    if (text == "gridaudit") return TariffFormat::gridaudit;
    if (text == "urdb") return TariffFormat::urdb;
    return std::nullopt;
}

Result<Tariff> parse_tariff(std::string_view content, std::string_view source_name, TariffFormat format) {
    return format == TariffFormat::urdb ? parse_urdb_rate(content, source_name)
                                        : parse_tariff_json(content, source_name);
}

Result<std::string> read_text_file(const std::filesystem::path& path) {
    // The text layer's file reading, so a tariff, calendar or load file is refused as an import's
    // files are: a folder, FIFO or device is a user error, a file that cannot be opened an external one.
    GA_ASSIGN_OR_RETURN(const FileContent content, FileContent::map(path));
    return std::string(content.bytes());
}

Result<Tariff> load_tariff_file(const std::filesystem::path& path, TariffFormat format) {
    GA_ASSIGN_OR_RETURN(const std::string content, read_text_file(path));
    return parse_tariff(content, path.string(), format);
}

}  // namespace gridaudit
