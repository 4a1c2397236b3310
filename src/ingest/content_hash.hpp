// The content hash of an export: the same files with the same bytes give the same hash, so the
// store recognises a folder imported before and changes nothing.
//
// BLAKE2b-256 (libsodium crypto_generichash) over, for each file in name order: its name, a
// zero byte, its size as 8 little-endian bytes, and the BLAKE2b-256 digests of its 64 MiB
// blocks in order. Hashing the blocks separately lets large files be hashed on several
// threads; the result does not depend on the thread count. Printed as 64 hex digits.
// Thread safety: reentrant.
#pragma once

#include <string>
#include <vector>

#include "core/result.hpp"
#include "text/file_content.hpp"

namespace gridaudit {

[[nodiscard]] Result<std::string> content_hash(const std::vector<InputFile>& files, unsigned threads = 2);

}  // namespace gridaudit
