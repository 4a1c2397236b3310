// Well-formedness and id checks of tariff documents (nlohmann::json).
#include "ingest/tariff_documents.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "core/time.hpp"

namespace gridaudit {
namespace {

struct TextPosition {
    std::uint32_t line = 1;
    std::uint32_t column = 1;
};

// Line and character column of byte `offset` of `text`.
TextPosition position_of(std::string_view text, std::size_t offset) {
    TextPosition position;
    offset = std::min(offset, text.size());
    for (std::size_t i = 0; i < offset; ++i) {
        if (text[i] == '\n') {
            ++position.line;
            position.column = 1;
        } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
            ++position.column;
        }
    }
    return position;
}

// nlohmann's message without its "[json.exception...] parse error at line L, column C: " prefix.
std::string parse_error_text(const nlohmann::json::parse_error& error) {
    std::string_view text = error.what();
    if (const auto colon = text.find(": "); text.starts_with("[json.exception") && colon != std::string_view::npos)
        text.remove_prefix(colon + 2);
    return fmt::format("not well-formed JSON: {}", text);
}

}  // namespace

std::vector<CheckedTariff> check_tariff_documents(const std::vector<const InputFile*>& files, ProblemLog& problems) {
    std::vector<CheckedTariff> tariffs;
    std::map<std::string, std::string, std::less<>> first_file_of_id;
    for (const InputFile* file : files) {
        CheckedTariff& tariff = tariffs.emplace_back();
        const std::string_view bytes = file->content.bytes();
        tariff.document.file = file->name.substr(file->name.find('/') + 1);
        const auto reject = [&](TextPosition at, std::string_view column, std::string_view what,
                                std::string_view value) {
            const auto& problem = problems.add_field(file->name, at.line, at.column, column, what, value);
            tariff.rejection = problem.reason();
        };
        nlohmann::json document;
        try {
            document = nlohmann::json::parse(bytes.begin(), bytes.end());
        } catch (const nlohmann::json::parse_error& error) {
            reject(position_of(bytes, error.byte > 0 ? error.byte - 1 : 0), "", parse_error_text(error), "");
            continue;
        }
        if (!document.is_object()) {
            reject({}, "", "a tariff file must hold one JSON object", "");
            continue;
        }
        const auto id = document.find("id");
        if (id == document.end() || !id->is_string() || id->get_ref<const std::string&>().empty()) {
            reject({}, "id", "the object needs a non-empty string member \"id\"", "");
            continue;
        }
        tariff.document.id = id->get<std::string>();
        if (const auto from = document.find("effective_from"); from != document.end()) {
            const bool is_date = from->is_string() && CivilDate::parse(from->get_ref<const std::string&>()).has_value();
            if (!is_date) {
                reject({}, "effective_from", "not a date (YYYY-MM-DD)", from->is_string() ? from->get<std::string>()
                                                                                          : from->dump());
                continue;
            }
            tariff.document.effective_from = from->get<std::string>();
        }
        const std::string version_key = tariff.document.effective_from.empty()
                                            ? tariff.document.id
                                            : tariff.document.id + " from " + tariff.document.effective_from;
        if (const auto first = first_file_of_id.find(version_key); first != first_file_of_id.end()) {
            reject({}, "id",
                   tariff.document.effective_from.empty()
                       ? fmt::format("tariff id already given by {}", first->second)
                       : fmt::format("tariff id and effective_from already given by {}", first->second),
                   version_key);
            continue;
        }
        first_file_of_id.emplace(version_key, file->name);
        tariff.document.json = std::string(bytes);
    }
    return tariffs;
}

}  // namespace gridaudit
