// The layer list of src/README.md (its `- **name/**` lines, top to bottom) and the check that every
// include in a layer's folder names the same layer or one listed above it.
//
// A layer's folder is src/<name>/, or <root>/<name>/ when there is none under src/ (bench/); a
// listed layer whose folder does not exist yet is allowed. An include is read as
// `#include "layer/..."`; an include without a folder is the file beside the including one or else
// the one layer folder that holds a file of that name (bench's headers, which cli includes so).
// Thread safety: free functions over the file system; run one at a time per tree.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace gridaudit::testing {

// The layer names in the order of the list; an error when the file cannot be read or lists none.
[[nodiscard]] Result<std::vector<std::string>> read_layer_list(const std::filesystem::path& readme);

// The folder of a layer under `root` (src/<name> or <name>); empty when neither exists.
[[nodiscard]] std::filesystem::path layer_folder(const std::filesystem::path& root, const std::string& layer);

// Every include against the order, as `path:line: #include "...": <layer> includes <layer>, listed
// below it in src/README.md` (path relative to `root`), in file and line order.
[[nodiscard]] std::vector<std::string> includes_against_the_order(const std::filesystem::path& root,
                                                                  const std::vector<std::string>& layers);

}  // namespace gridaudit::testing
