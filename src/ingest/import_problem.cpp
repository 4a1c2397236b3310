// Formatting of import problems.
#include "ingest/import_problem.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "ingest/utf8_text.hpp"

namespace gridaudit {
namespace {

// `text` with control characters and bytes that are not UTF-8 escaped, cut after
// `max_characters` characters (with "..." appended).
std::string escape(std::string_view text, std::size_t max_characters) {
    std::string out;
    std::size_t characters = 0;
    for (std::size_t at = 0; at < text.size();) {
        if (characters == max_characters) {
            out += "...";
            break;
        }
        const auto c = static_cast<unsigned char>(text[at]);
        const std::size_t length = utf8_sequence_length(text, at);
        if (length == 0) {
            out += fmt::format("\\x{:02X}", c);
            at += 1;
        } else if (c == '\n') {
            out += "\\n", at += 1;
        } else if (c == '\r') {
            out += "\\r", at += 1;
        } else if (c == '\t') {
            out += "\\t", at += 1;
        } else if (c < 0x20 || c == 0x7F) {
            out += fmt::format("\\x{:02X}", c);
            at += 1;
        } else if (c == 0xC2 && static_cast<unsigned char>(text[at + 1]) <= 0x9F) {  // C1: U+0080..U+009F
            out += fmt::format("\\u{:04X}", static_cast<unsigned char>(text[at + 1]));
            at += 2;
        } else {
            out.append(text.substr(at, length));
            at += length;
        }
        ++characters;
    }
    return out;
}

// Whether `text` needs no escaping (the common case, checked without allocating).
bool plain(std::string_view text) {
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x20 || c >= 0x7F) return false;
    }
    return true;
}

}  // namespace

std::string printable_value(std::string_view text) {
    constexpr std::size_t max_characters = 80;
    if (text.size() <= max_characters && plain(text)) return std::string(text);
    return escape(text, max_characters);
}

std::string printable_text(std::string_view text, std::size_t max_characters) {
    if (text.size() <= max_characters && plain(text)) return std::string(text);
    return escape(text, max_characters);
}

std::string ImportProblem::reason() const {
    std::string out;
    if (!column_name.empty()) out += printable_value(column_name) + ": ";
    out += printable_text(what);
    if (has_value) out += fmt::format(" ({})", value);
    return out;
}

std::string ImportProblem::to_string() const {
    if (line == 0) return fmt::format("{}: {}", printable_value(file), reason());
    return fmt::format("{}:{}:{}: {}", printable_value(file), line, column, reason());
}

ImportProblem& ProblemLog::add_field(std::string_view file, std::uint32_t line, std::uint32_t column,
                                     std::string_view column_name, std::string_view what, std::string_view raw_value) {
    ImportProblem problem;
    problem.file = file;
    problem.line = line;
    problem.column = column;
    problem.column_name = column_name;
    problem.what = what;
    problem.value = printable_value(raw_value);
    problem.has_value = !raw_value.empty();
    problems_.push_back(std::move(problem));
    return problems_.back();
}

void ProblemLog::add_file(std::string_view file, std::string_view what) {
    ImportProblem problem;
    problem.file = file;
    problem.what = what;
    problem.whole_file = true;
    problems_.push_back(std::move(problem));
}

bool ProblemLog::has_whole_file_problem() const {
    return std::any_of(problems_.begin(), problems_.end(), [](const ImportProblem& p) { return p.whole_file; });
}

void ProblemLog::append(ProblemLog&& other) {
    if (problems_.empty()) {
        problems_ = std::move(other.problems_);
    } else {
        problems_.insert(problems_.end(), std::make_move_iterator(other.problems_.begin()),
                         std::make_move_iterator(other.problems_.end()));
    }
    other.problems_.clear();
}

}  // namespace gridaudit
