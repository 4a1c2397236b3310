// The bytes of one input file, memory-mapped read-only (or owned, for in-memory inputs).
//
// Parsers keep std::string_view's into a FileContent, so it lives as long as anything that
// was parsed from it. Move-only. Thread safety: bytes() may be read from many threads at once.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace gridaudit {

class FileContent {
public:
    FileContent() = default;
    // Holds `bytes` in memory (tests, fuzzers, in-memory imports).
    static FileContent from_string(std::string bytes);
    // Maps the whole file read-only; an empty file gives empty bytes. Errors read
    // "<path>: <why>" ("cannot open: Permission denied", "a folder, not a regular file").
    [[nodiscard]] static Result<FileContent> map(const std::filesystem::path& path);

    FileContent(FileContent&& other) noexcept;
    FileContent& operator=(FileContent&& other) noexcept;
    FileContent(const FileContent&) = delete;
    FileContent& operator=(const FileContent&) = delete;
    ~FileContent();

    [[nodiscard]] std::string_view bytes() const { return view_; }

private:
    void release();

    std::string owned_;
    void* mapping_ = nullptr;
    std::size_t mapping_size_ = 0;
    std::string_view view_;
};

// One file of an export folder: its name relative to the folder ("customers.csv",
// "tariffs/res.json") and its bytes, or why a path of that name could not be read (a dangling
// or looping symbolic link, a folder, no permission...): a problem of the whole file.
struct InputFile {
    std::string name;
    FileContent content;
    std::string unreadable;  // empty when `content` holds the file's bytes
};

}  // namespace gridaudit
