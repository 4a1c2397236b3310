// Formatting of import problems.
#include "ingest/import_problem.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "ingest/utf8_text.hpp"

namespace gridaudit {
std::string printable_value(std::string_view text) {
    constexpr std::size_t max_characters = 80;
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
        } else {
            out.append(text.substr(at, length));
            at += length;
        }
        ++characters;
    }
    return out;
}

std::string ImportProblem::reason() const {
    std::string out;
    if (!column_name.empty()) out += column_name + ": ";
    out += what;
    if (has_value) out += fmt::format(" ({})", value);
    return out;
}

std::string ImportProblem::to_string() const {
    if (line == 0) return fmt::format("{}: {}", file, reason());
    return fmt::format("{}:{}:{}: {}", file, line, column, reason());
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
