// The one reader of data-driven case files (tests/cases/<area>/*.test), like DuckDB's sqllogictest
// runner: every kind of case (rule, tariff, recovery, VEE) is written in this format and read here;
// each kind's runner only says what its directives mean.
//
//   # a comment (a line whose first non-blank character is '#'); blank lines are skipped
//   case <name>                 the header: a case runs from its header to the next one
//   <directive> word ...        input (a row, a tariff, a policy line) or an expectation (`expect ...`)
//   <directive> ...             a directive that its kind declares a block directive takes the lines
//   ...                         below it verbatim (JSON, TOML), up to a line `end`
//   end
//
// A line outside any case, a block without `end` and an unreadable file are problems of the folder.
// Thread safety: plain values and free functions.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <ostream>
#include <string>
#include <vector>

namespace gridaudit::testing {

// One directive of a case.
struct CaseLine {
    int line = 0;                    // 1-based, in the case's file
    std::string text;                // as written
    std::vector<std::string> words;  // split at blanks; words[0] is the directive
    std::string block;               // a block directive's lines up to `end`, each ending in '\n'

    // The text after the first `count` words ("a name" is rest(1) of "case a name").
    [[nodiscard]] std::string rest(std::size_t count) const;
    // `key=value` words from words[from] on (a word without '=' is none).
    [[nodiscard]] std::map<std::string, std::string> attributes(std::size_t from) const;
};

// One case: its header and directives.
struct TextCase {
    std::filesystem::path file;
    std::string name;
    int line = 0;  // of the header
    std::vector<CaseLine> lines;

    [[nodiscard]] std::string location() const;  // "theft.test:12"
};

// A gtest parameter prints as its location and name.
void PrintTo(const TextCase& text_case, std::ostream* out);

// A failed expectation or a malformed directive of a case, at its line.
struct CaseFailure {
    int line = 0;
    std::string message;
};

// Every case of a folder's *.test files (sorted by file name), with what could not be read.
struct CaseFolder {
    std::vector<TextCase> cases;
    std::vector<std::string> problems;  // "file:line: what is wrong"
    std::size_t files = 0;
    std::size_t headers = 0;  // `case` lines counted in the files' text, apart from the parse
};

// Whether a directive line takes the block below it (each kind decides for its directives).
using BlockDirective = std::function<bool(const CaseLine&)>;

// Reads every *.test file directly in `folder`.
[[nodiscard]] CaseFolder read_case_folder(const std::filesystem::path& folder, const BlockDirective& takes_block);

// The cases of a folder as the values of a parameterised test, one reported test per case.
[[nodiscard]] std::vector<TextCase> cases_in(const std::filesystem::path& folder, const BlockDirective& takes_block);

// A case's test name: file stem and header line ("theft_L12").
[[nodiscard]] std::string case_test_name(const TextCase& text_case);

// No directive opens a block (rule and VEE cases).
[[nodiscard]] bool no_block(const CaseLine& line);

}  // namespace gridaudit::testing
