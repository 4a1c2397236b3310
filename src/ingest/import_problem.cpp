// Formatting of import problems.
#include "ingest/import_problem.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "text/printable_text.hpp"

namespace gridaudit {

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
