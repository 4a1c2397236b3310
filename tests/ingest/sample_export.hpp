// A small, valid export of a county utility (every contract file, two tariffs) for the import
// tests, as file name -> content; tests change a file or append rows to it. Also a temporary
// folder that removes itself.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "text/file_content.hpp"

namespace gridaudit {

using ExportFiles = std::map<std::string, std::string>;

ExportFiles sample_export();

// A valid GridAudit tariff document with this id (its energy at 0.5283 a kWh), with
// `extra_members` (`"effective_from": "2027-01-01"`, say) added to the object.
std::string tariff_json(std::string_view id, std::string_view extra_members = "");

std::vector<InputFile> as_input_files(const ExportFiles& files);

// A fresh folder under the system temp folder, removed with everything in it on destruction.
class TemporaryFolder {
public:
    TemporaryFolder();
    ~TemporaryFolder();
    TemporaryFolder(const TemporaryFolder&) = delete;
    TemporaryFolder& operator=(const TemporaryFolder&) = delete;

    [[nodiscard]] const std::filesystem::path& path() const { return path_; }
    // Writes the files (tariffs/ included) into `subfolder` and returns its path.
    std::filesystem::path write(const std::string& subfolder, const ExportFiles& files) const;

private:
    std::filesystem::path path_;
};

std::string read_text_file(const std::filesystem::path& path);

}  // namespace gridaudit
