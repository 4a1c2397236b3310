// Tariff documents read with the tariff engine's loaders, one by one and then as a book with the
// store's documents.
#include "ingest/tariff_documents.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <optional>
#include <set>

#include "tariff/calendar_json.hpp"
#include "tariff/json_tree.hpp"
#include "tariff/tariff_book.hpp"
#include "tariff/tariff_json.hpp"

namespace gridaudit {
namespace {

constexpr std::size_t max_message_characters = 240;

// A document as the engine reads it: a tariff or a shared calendar, keyed as the store keys it.
struct LoadedDocument {
    std::string key;  // id, or "id from effective_from"
    std::optional<Tariff> tariff;
    std::optional<SharedCalendar> calendar;
};

std::string version_key(std::string_view id, std::string_view effective_from) {
    return effective_from.empty() ? std::string(id) : fmt::format("{} from {}", id, effective_from);
}

// Reads one document as TariffBook::from_documents does; `source` names it in messages.
Result<LoadedDocument> load_document(std::string_view json, std::string_view source) {
    LoadedDocument loaded;
    if (is_calendar_document(json)) {
        GA_ASSIGN_OR_RETURN(SharedCalendar calendar, parse_calendar_json(json, source));
        loaded.key = calendar.id;
        loaded.calendar = std::move(calendar);
    } else {
        GA_ASSIGN_OR_RETURN(Tariff tariff, parse_tariff_json(json, source));
        loaded.key = version_key(tariff.id, tariff.effective_from ? tariff.effective_from->to_string() : "");
        loaded.tariff = std::move(tariff);
    }
    return loaded;
}

// The string member "id" of a document the engine refused, when it can be read at all (so the
// customers of a rejected tariff are told which file was rejected).
std::string document_id(std::string_view json, const std::string& name) {
    const JsonSource source(name, json);
    const auto root = parse_json_tree(source);
    if (!root || !root->is_object()) return "";
    for (const JsonMember& member : root->members)
        if (member.name == "id" && member.value.is_string()) return member.value.text;
    return "";
}

// A loader's message "tariffs/x.json:12:18: what" (or "tariffs/x.json: what") as a problem of `file`.
ImportProblem& add_loader_problem(ProblemLog& problems, const std::string& file, std::string_view message) {
    std::uint32_t line = 0, column = 0;
    std::string_view rest = message;
    if (const std::string prefix = file + ":"; rest.starts_with(prefix)) {
        rest.remove_prefix(prefix.size());
        const char* end = rest.data() + rest.size();
        std::uint32_t l = 0, c = 0;
        const auto [after_line, line_error] = std::from_chars(rest.data(), end, l);
        if (line_error == std::errc() && after_line < end && *after_line == ':') {
            const auto [after_column, column_error] = std::from_chars(after_line + 1, end, c);
            if (column_error == std::errc() && std::string_view(after_column, end).starts_with(": ")) {
                line = l;
                column = c;
                rest = std::string_view(after_column + 2, end);
            }
        }
        if (line == 0 && rest.starts_with(' ')) rest.remove_prefix(1);
    }
    return problems.add_field(file, line, column, "", printable_text(rest, max_message_characters), "");
}

// Builds the book of the stored documents that `batch` does not replace, and `batch`.
Status build_book(const std::vector<LoadedDocument>& stored, const std::vector<const LoadedDocument*>& batch) {
    std::set<std::string_view> replaced;
    for (const LoadedDocument* document : batch) replaced.insert(document->key);
    std::vector<Tariff> tariffs;
    std::vector<SharedCalendar> calendars;
    const auto add = [&](const LoadedDocument& document) {
        if (document.tariff) tariffs.push_back(*document.tariff);
        if (document.calendar) calendars.push_back(*document.calendar);
    };
    for (const LoadedDocument& document : stored)
        if (!replaced.contains(document.key)) add(document);
    for (const LoadedDocument* document : batch) add(*document);
    GA_TRY(TariffBook::build(std::move(tariffs), std::move(calendars)));
    return {};
}

}  // namespace

std::vector<CheckedTariff> check_tariff_documents(const std::vector<const InputFile*>& files,
                                                  std::span<const TariffDocument> stored, ProblemLog& problems) {
    std::vector<CheckedTariff> tariffs;
    std::vector<std::optional<LoadedDocument>> loaded(files.size());
    std::map<std::string, std::string, std::less<>> first_file_of_key;
    for (std::size_t f = 0; f < files.size(); ++f) {
        const InputFile* file = files[f];
        CheckedTariff& tariff = tariffs.emplace_back();
        const std::string_view bytes = file->content.bytes();
        tariff.document.file = file->name.substr(file->name.find('/') + 1);
        if (bytes.size() > max_tariff_file_bytes) {
            tariff.rejection =
                problems
                    .add_field(file->name, 0, 0, "",
                               fmt::format("larger than {} MiB: not a tariff document", max_tariff_file_bytes >> 20),
                               "")
                    .reason();
            continue;
        }
        auto document = load_document(bytes, file->name);
        if (!document) {
            tariff.document.id = document_id(bytes, file->name);
            tariff.rejection = add_loader_problem(problems, file->name, document.error().message()).reason();
            continue;
        }
        const std::string id = document->tariff ? document->tariff->id : document->calendar->id;
        const std::string effective_from = document->tariff && document->tariff->effective_from
                                               ? document->tariff->effective_from->to_string()
                                               : std::string();
        tariff.document.id = id;
        if (const auto first = first_file_of_key.find(document->key); first != first_file_of_key.end()) {
            tariff.rejection =
                problems
                    .add_field(file->name, 1, 1, "id",
                               effective_from.empty()
                                   ? fmt::format("tariff id already given by {}", first->second)
                                   : fmt::format("tariff id and effective_from already given by {}", first->second),
                               document->key)
                    .reason();
            continue;
        }
        first_file_of_key.emplace(document->key, file->name);
        tariff.document.effective_from = effective_from;
        tariff.document.json = std::string(bytes);
        loaded[f] = std::move(*document);
    }

    // The book: the store's documents that parse (the others are the audit's concern), with the
    // batch's. When the store's alone do not build, there is nothing to compare a file against.
    std::vector<LoadedDocument> stored_loaded;
    for (const TariffDocument& document : stored) {
        auto parsed = load_document(document.json, "tariffs/" + document.file);
        if (parsed) stored_loaded.push_back(std::move(*parsed));
    }
    std::vector<std::size_t> candidates;  // calendars first, then tariffs, each in name order
    for (const bool calendars : {true, false})
        for (std::size_t f = 0; f < files.size(); ++f)
            if (loaded[f] && loaded[f]->calendar.has_value() == calendars) candidates.push_back(f);
    std::vector<const LoadedDocument*> batch;
    for (const std::size_t f : candidates) batch.push_back(&*loaded[f]);
    if (candidates.empty() || build_book(stored_loaded, batch) || !build_book(stored_loaded, {})) return tariffs;
    batch.clear();
    for (const std::size_t f : candidates) {
        batch.push_back(&*loaded[f]);
        const Status built = build_book(stored_loaded, batch);
        if (built) continue;
        batch.pop_back();
        CheckedTariff& tariff = tariffs[f];
        tariff.rejection = add_loader_problem(problems, files[f]->name, built.error().message()).reason();
        tariff.document.json.clear();
    }
    return tariffs;
}

}  // namespace gridaudit
