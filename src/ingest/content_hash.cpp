// Block-parallel BLAKE2b content hash of an export folder.
#include "ingest/content_hash.hpp"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <thread>

namespace gridaudit {
namespace {

constexpr std::size_t block_bytes = std::size_t{64} << 20;
constexpr std::size_t digest_bytes = crypto_generichash_BYTES;  // 32
using Digest = std::array<unsigned char, digest_bytes>;

struct Block {
    const unsigned char* data;
    std::size_t size;
};

}  // namespace

Result<std::string> content_hash(const std::vector<InputFile>& files, unsigned threads) {
    static const int initialised = sodium_init();
    if (initialised < 0) return internal_error("libsodium failed to initialise");

    std::vector<const InputFile*> ordered;
    for (const auto& file : files) ordered.push_back(&file);
    std::sort(ordered.begin(), ordered.end(), [](const InputFile* a, const InputFile* b) { return a->name < b->name; });

    std::vector<Block> blocks;
    for (const InputFile* file : ordered) {
        const auto bytes = file->content.bytes();
        for (std::size_t at = 0; at < bytes.size(); at += block_bytes)
            blocks.push_back(
                {reinterpret_cast<const unsigned char*>(bytes.data()) + at, std::min(block_bytes, bytes.size() - at)});
    }
    std::vector<Digest> digests(blocks.size());
    std::atomic<std::size_t> next{0};
    const auto work = [&] {
        for (std::size_t b; (b = next.fetch_add(1)) < blocks.size();)
            crypto_generichash(digests[b].data(), digest_bytes, blocks[b].data, blocks[b].size, nullptr, 0);
    };
    {
        std::vector<std::jthread> workers;
        const std::size_t thread_count = std::min<std::size_t>(std::max(threads, 1u), blocks.size());
        for (std::size_t t = 1; t < thread_count; ++t) workers.emplace_back(work);
        work();
    }

    crypto_generichash_state state;
    crypto_generichash_init(&state, nullptr, 0, digest_bytes);
    std::size_t block = 0;
    for (const InputFile* file : ordered) {
        crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(file->name.data()), file->name.size());
        const unsigned char zero = 0;
        crypto_generichash_update(&state, &zero, 1);
        std::uint64_t size = file->content.bytes().size();
        unsigned char size_bytes[8];
        for (int i = 0; i < 8; ++i) size_bytes[i] = static_cast<unsigned char>(size >> (8 * i));
        crypto_generichash_update(&state, size_bytes, sizeof size_bytes);
        for (std::size_t at = 0; at < size; at += block_bytes, ++block)
            crypto_generichash_update(&state, digests[block].data(), digest_bytes);
    }
    Digest digest;
    crypto_generichash_final(&state, digest.data(), digest_bytes);
    std::string hex(digest_bytes * 2, '0');
    sodium_bin2hex(hex.data(), hex.size() + 1, digest.data(), digest_bytes);
    return hex;
}

}  // namespace gridaudit
