// Reads case files into cases of directives (format: case_file.hpp).
#include "support/case_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace gridaudit::testing {
namespace {

std::vector<std::string> words_of(const std::string& text) {
    std::istringstream in(text);
    std::vector<std::string> words;
    for (std::string word; in >> word;) words.push_back(word);
    return words;
}

std::string trimmed_right(std::string text) {
    text.erase(text.find_last_not_of(" \t\r") + 1);
    return text;
}

void read_file(const std::filesystem::path& path, const BlockDirective& takes_block, CaseFolder& folder) {
    const std::string file = path.filename().string();
    std::ifstream in(path);
    if (!in) {
        folder.problems.push_back(file + ": cannot be read");
        return;
    }
    std::vector<std::string> lines;
    for (std::string text; std::getline(in, text);) lines.push_back(trimmed_right(std::move(text)));
    for (const auto& text : lines) folder.headers += text.starts_with("case ");
    bool in_case = false;  // the last of folder.cases is this file's current case
    for (std::size_t i = 0; i < lines.size(); ++i) {
        CaseLine line{static_cast<int>(i) + 1, lines[i], words_of(lines[i]), ""};
        if (line.words.empty() || line.words[0].starts_with("#")) continue;
        if (line.words[0] == "case") {
            folder.cases.push_back(TextCase{path, line.rest(1), line.line, {}});
            in_case = true;
            continue;
        }
        if (!in_case) {
            folder.problems.push_back(fmt::format("{}:{}: `{}` outside a case", file, line.line, line.words[0]));
            continue;
        }
        TextCase& current = folder.cases.back();
        if (takes_block(line)) {
            std::size_t end = i + 1;
            while (end < lines.size() && lines[end] != "end") line.block += lines[end++] + "\n";
            if (end == lines.size()) {
                folder.problems.push_back(
                    fmt::format("{}:{}: `{}` block without `end`", file, line.line, line.words[0]));
                current.lines.push_back(std::move(line));
                break;
            }
            i = end;
        }
        current.lines.push_back(std::move(line));
    }
}

}  // namespace

std::string CaseLine::rest(std::size_t count) const {
    std::size_t position = 0;
    for (std::size_t i = 0; i < count; ++i) {
        position = text.find_first_not_of(" \t", position);
        position = position == std::string::npos ? position : text.find_first_of(" \t", position);
        if (position == std::string::npos) return "";
    }
    position = text.find_first_not_of(" \t", position);
    return position == std::string::npos ? "" : text.substr(position);
}

std::map<std::string, std::string> CaseLine::attributes(std::size_t from) const {
    std::map<std::string, std::string> attributes;
    for (std::size_t i = from; i < words.size(); ++i) {
        const auto equals = words[i].find('=');
        if (equals != std::string::npos) attributes[words[i].substr(0, equals)] = words[i].substr(equals + 1);
    }
    return attributes;
}

std::string TextCase::location() const {
    return fmt::format("{}:{}", file.filename().string(), line);
}

void PrintTo(const TextCase& text_case, std::ostream* out) {
    *out << text_case.location() << ": " << text_case.name;
}

CaseFolder read_case_folder(const std::filesystem::path& folder, const BlockDirective& takes_block) {
    CaseFolder read;
    std::vector<std::filesystem::path> files;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(folder, error))
        if (entry.path().extension() == ".test") files.push_back(entry.path());
    if (error) read.problems.push_back(folder.string() + ": " + error.message());
    std::ranges::sort(files);
    read.files = files.size();
    for (const auto& file : files) read_file(file, takes_block, read);
    return read;
}

std::vector<TextCase> cases_in(const std::filesystem::path& folder, const BlockDirective& takes_block) {
    return read_case_folder(folder, takes_block).cases;
}

std::string case_test_name(const TextCase& text_case) {
    std::string name = text_case.file.stem().string();
    std::ranges::replace_if(
        name, [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); }, '_');
    return fmt::format("{}_L{}", name, text_case.line);
}

bool no_block(const CaseLine&) {
    return false;
}

}  // namespace gridaudit::testing
