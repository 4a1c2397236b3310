// Reads src/README.md's layer list and checks the includes of every layer folder against it.
#include "structure/layer_order.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <optional>
#include <regex>

namespace gridaudit::testing {
namespace {

namespace fs = std::filesystem;

bool is_source(const fs::path& path) {
    const auto extension = path.extension();
    return extension == ".cpp" || extension == ".hpp" || extension == ".h" || extension == ".cc";
}

// The layer an include names, or nullopt when it names none (a library header, a file of no layer).
std::optional<std::size_t> included_layer(const fs::path& root, const std::vector<std::string>& layers,
                                          const std::vector<fs::path>& folders, const fs::path& including,
                                          const std::string& include) {
    const auto slash = include.find('/');
    if (slash != std::string::npos && !include.starts_with(".")) {
        const auto found = std::ranges::find(layers, include.substr(0, slash));
        if (found != layers.end()) return static_cast<std::size_t>(found - layers.begin());
    }
    // Relative to the including file, then the one layer folder holding a file of that name.
    std::vector<fs::path> candidates;
    if (fs::exists(including.parent_path() / include)) {
        candidates.push_back(fs::weakly_canonical(including.parent_path() / include));
    } else {
        for (const auto& folder : folders)
            if (!folder.empty() && fs::exists(folder / include))
                candidates.push_back(fs::weakly_canonical(folder / include));
    }
    if (candidates.size() != 1) return std::nullopt;
    const std::string target = candidates.front().string();
    for (std::size_t l = 0; l < folders.size(); ++l) {
        if (folders[l].empty()) continue;
        const std::string folder = fs::weakly_canonical(folders[l]).string() + "/";
        if (target.starts_with(folder)) return l;
    }
    (void)root;
    return std::nullopt;
}

}  // namespace

Result<std::vector<std::string>> read_layer_list(const fs::path& readme) {
    std::ifstream in(readme);
    if (!in) return external_error(readme.string() + ": cannot be read");
    static const std::regex entry(R"(^- \*\*([a-z_]+)/\*\*)");
    std::vector<std::string> layers;
    std::smatch match;
    for (std::string line; std::getline(in, line);)
        if (std::regex_search(line, match, entry)) layers.push_back(match[1]);
    if (layers.empty()) return user_error(readme.string() + ": lists no layer (lines `- **name/** ...`)");
    return layers;
}

fs::path layer_folder(const fs::path& root, const std::string& layer) {
    if (fs::is_directory(root / "src" / layer)) return root / "src" / layer;
    if (fs::is_directory(root / layer)) return root / layer;
    return {};
}

std::vector<std::string> includes_against_the_order(const fs::path& root, const std::vector<std::string>& layers) {
    std::vector<fs::path> folders;
    for (const auto& layer : layers) folders.push_back(layer_folder(root, layer));
    static const std::regex include_line(R"re(^\s*#\s*include\s*"([^"]+)")re");
        std::vector<std::string>
            violations;
    for (std::size_t l = 0; l < layers.size(); ++l) {
        if (folders[l].empty()) continue;  // listed ahead of its folder
        std::vector<fs::path> files;
        for (const auto& entry : fs::recursive_directory_iterator(folders[l]))
            if (entry.is_regular_file() && is_source(entry.path())) files.push_back(entry.path());
        std::ranges::sort(files);
        for (const auto& file : files) {
            std::ifstream in(file);
            int number = 0;
            std::smatch match;
            for (std::string line; std::getline(in, line);) {
                ++number;
                if (!std::regex_search(line, match, include_line)) continue;
                const std::string include = match[1];
                const auto target = included_layer(root, layers, folders, file, include);
                if (!target || *target <= l) continue;
                violations.push_back(
                    fmt::format("{}:{}: #include \"{}\": {} includes {}, listed below it in src/README.md",
                                fs::relative(file, root).string(), number, include, layers[l], layers[*target]));
            }
        }
    }
    return violations;
}

}  // namespace gridaudit::testing
