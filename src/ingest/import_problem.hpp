// One problem found in the input, and the log that collects them.
//
// A problem is printed as `file:line:column: column_name: what is wrong (value)`; the column
// name is left out for problems of a whole record, the value when there is none, and
// `file: what is wrong` is used for problems of a whole file (no line), e.g. a missing file.
// Thread safety: plain data; a ProblemLog is filled by one thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "text/printable_text.hpp"

namespace gridaudit {

struct ImportProblem {
    std::string file;          // "customers.csv", "tariffs/res.json"
    std::uint32_t line = 0;    // 1-based; 0 for a problem of the whole file
    std::uint32_t column = 0;  // 1-based character column
    std::string column_name;   // empty for a problem of a whole record or file; printed through printable_value
    std::string what;          // "negative value not allowed"; printed through printable_text
    std::string value;         // the offending value, already made printable (see printable_value)
    bool has_value = false;
    bool whole_file = false;  // the file cannot be used (missing, unreadable, bad header): the import stops

    // "column_name: what (value)": the problem without its position (the x_error of a rejected row),
    // every part printable (printable_value, printable_text).
    [[nodiscard]] std::string reason() const;
    // The full message: "file:line:column: column_name: what (value)".
    [[nodiscard]] std::string to_string() const;
};

// Problems in the order they were found. Whole-file problems make the import fail.
class ProblemLog {
public:
    void add(ImportProblem problem) { problems_.push_back(std::move(problem)); }
    // A problem of a field: file:line:column: column_name: what (value).
    ImportProblem& add_field(std::string_view file, std::uint32_t line, std::uint32_t column,
                             std::string_view column_name, std::string_view what, std::string_view raw_value);
    // A problem of a whole file: "file: what".
    void add_file(std::string_view file, std::string_view what);

    [[nodiscard]] const std::vector<ImportProblem>& problems() const { return problems_; }
    [[nodiscard]] std::vector<ImportProblem>& problems() { return problems_; }
    [[nodiscard]] std::size_t size() const { return problems_.size(); }
    [[nodiscard]] bool empty() const { return problems_.empty(); }
    // True when a problem that stops the import (ImportProblem::whole_file) was logged.
    [[nodiscard]] bool has_whole_file_problem() const;
    void append(ProblemLog&& other);

private:
    std::vector<ImportProblem> problems_;
};

}  // namespace gridaudit
