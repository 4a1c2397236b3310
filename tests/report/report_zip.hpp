// Reading an xlsx workbook back for the report tests: the zip's members (stored or deflated,
// inflated with zlib) and the numbers in a sheet's cells.
// Thread safety: pure functions.
#pragma once

#include <zlib.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>

namespace gridaudit {

inline std::uint32_t little_endian(const std::string& b, std::size_t at, int bytes) {
    std::uint32_t v = 0;
    for (int i = bytes - 1; i >= 0; --i)
        v = (v << 8) | static_cast<unsigned char>(b.at(at + static_cast<std::size_t>(i)));
    return v;
}

// Every member of a zip file, name -> content (stored or deflated members).
inline std::map<std::string, std::string> read_zip(const std::filesystem::path& path) {
    std::stringstream bytes;
    bytes << std::ifstream(path, std::ios::binary).rdbuf();
    const std::string zip = bytes.str();
    std::map<std::string, std::string> members;
    const std::size_t end = zip.rfind(std::string("PK\x05\x06", 4));
    if (end == std::string::npos) return members;
    const std::size_t entries = little_endian(zip, end + 10, 2);
    std::size_t at = little_endian(zip, end + 16, 4);
    for (std::size_t e = 0; e < entries; ++e) {
        if (little_endian(zip, at, 4) != 0x02014b50) break;
        const std::uint32_t method = little_endian(zip, at + 10, 2), packed = little_endian(zip, at + 20, 4),
                            size = little_endian(zip, at + 24, 4);
        const std::size_t name_length = little_endian(zip, at + 28, 2), extra = little_endian(zip, at + 30, 2),
                          comment = little_endian(zip, at + 32, 2);
        const std::size_t local = little_endian(zip, at + 42, 4);
        const std::string name = zip.substr(at + 46, name_length);
        const std::size_t data = local + 30 + little_endian(zip, local + 26, 2) + little_endian(zip, local + 28, 2);
        std::string content(size, '\0');
        if (method == 0) {
            content = zip.substr(data, size);
        } else if (method == 8) {
            z_stream z{};
            inflateInit2(&z, -MAX_WBITS);
            z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(zip.data() + data));
            z.avail_in = packed;
            z.next_out = reinterpret_cast<Bytef*>(content.data());
            z.avail_out = size;
            const int status = inflate(&z, Z_FINISH);
            inflateEnd(&z);
            if (status != Z_STREAM_END) content = "<inflate failed>";
        }
        members[name] = content;
        at += 46 + name_length + extra + comment;
    }
    return members;
}

// The number in cell `ref` of a sheet's XML; NaN when the sheet has no such cell.
inline double cell_value(const std::string& sheet, const std::string& ref) {
    std::smatch match;
    if (!std::regex_search(sheet, match, std::regex("<c r=\"" + ref + "\"[^>]*><v>([^<]*)</v></c>")))
        return std::nan("");
    return std::strtod(match[1].str().c_str(), nullptr);
}

}  // namespace gridaudit
