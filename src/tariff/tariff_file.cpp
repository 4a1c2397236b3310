// File reading and format dispatch for tariffs.
#include "tariff/tariff_file.hpp"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "tariff/tariff_json.hpp"
#include "tariff/urdb_import.hpp"

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
    std::ifstream in(path, std::ios::binary);
    if (!in) return external_error(fmt::format("{}: cannot open the file", path.string()));
    std::ostringstream content;
    content << in.rdbuf();
    if (in.bad()) return external_error(fmt::format("{}: cannot read the file", path.string()));
    return content.str();
}

Result<Tariff> load_tariff_file(const std::filesystem::path& path, TariffFormat format) {
    GA_ASSIGN_OR_RETURN(const std::string content, read_text_file(path));
    return parse_tariff(content, path.string(), format);
}

}  // namespace gridaudit
