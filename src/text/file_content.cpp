// Memory-mapping of input files (POSIX mmap), with an owned-string variant for in-memory input.
#include "text/file_content.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace gridaudit {

FileContent FileContent::from_string(std::string bytes) {
    FileContent content;
    content.owned_ = std::move(bytes);
    content.view_ = content.owned_;
    return content;
}

Result<FileContent> FileContent::map(const std::filesystem::path& path) {
    // O_NONBLOCK: a FIFO under a contract name must not make the import wait for a writer.
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) return external_error(fmt::format("{}: cannot open: {}", path.string(), std::strerror(errno)));
    struct stat info {};
    if (::fstat(fd, &info) != 0) {
        const int error = errno;
        ::close(fd);
        return external_error(fmt::format("{}: cannot stat: {}", path.string(), std::strerror(error)));
    }
    if (!S_ISREG(info.st_mode)) {
        ::close(fd);
        return user_error(fmt::format("{}: {}, not a regular file", path.string(),
                                      S_ISDIR(info.st_mode) ? "a folder" : "a device, FIFO or socket"));
    }
    FileContent content;
    const auto size = static_cast<std::size_t>(info.st_size);
    if (size > 0) {
        void* mapping = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (mapping == MAP_FAILED) {
            const int error = errno;
            ::close(fd);
            return external_error(fmt::format("{}: cannot map: {}", path.string(), std::strerror(error)));
        }
        ::madvise(mapping, size, MADV_SEQUENTIAL);
        content.mapping_ = mapping;
        content.mapping_size_ = size;
        content.view_ = std::string_view(static_cast<const char*>(mapping), size);
    }
    ::close(fd);
    return content;
}

FileContent::FileContent(FileContent&& other) noexcept {
    *this = std::move(other);
}

FileContent& FileContent::operator=(FileContent&& other) noexcept {
    if (this == &other) return *this;
    release();
    const bool owned = other.mapping_ == nullptr && !other.view_.empty();
    owned_ = std::move(other.owned_);
    mapping_ = std::exchange(other.mapping_, nullptr);
    mapping_size_ = std::exchange(other.mapping_size_, 0);
    view_ = owned ? std::string_view(owned_) : other.view_;
    other.view_ = {};
    return *this;
}

FileContent::~FileContent() {
    release();
}

void FileContent::release() {
    if (mapping_ != nullptr) ::munmap(mapping_, mapping_size_);
    mapping_ = nullptr;
    mapping_size_ = 0;
    owned_.clear();
    view_ = {};
}

}  // namespace gridaudit
