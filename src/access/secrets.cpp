// Password hashing, tokens and their hashes over libsodium.
#include "access/secrets.hpp"

#include <fmt/format.h>
#include <sodium.h>

#include <array>

namespace gridaudit {
namespace {

// sodium_init once per process; C++ initialises a function-local static exactly once even when
// many threads call at the same time.
Status initialise_sodium() {
    static const int initialised = sodium_init();
    if (initialised < 0) return internal_error("libsodium failed to initialise");
    return {};
}

std::size_t utf8_code_points(std::string_view text) {
    std::size_t count = 0;
    for (const char c : text)
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
    return count;
}

}  // namespace

PasswordCost PasswordCost::interactive() {
    return {crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE, crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE};
}

PasswordCost PasswordCost::test_minimum() {
    return {crypto_pwhash_argon2id_OPSLIMIT_MIN, crypto_pwhash_argon2id_MEMLIMIT_MIN};
}

Status check_password_policy(std::string_view password) {
    if (password.size() > maximum_password_bytes)
        return user_error(fmt::format("the password is longer than {} bytes", maximum_password_bytes));
    for (const char c : password)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F)
            return user_error("the password contains a control character (a tab, newline or other)");
    if (utf8_code_points(password) < minimum_password_characters)
        return user_error(fmt::format("the password is shorter than {} characters", minimum_password_characters));
    return {};
}

Result<std::string> hash_password(std::string_view password, PasswordCost cost) {
    GA_TRY(initialise_sodium());
    std::array<char, crypto_pwhash_STRBYTES> encoded{};
    if (crypto_pwhash_str_alg(encoded.data(), password.data(), password.size(), cost.opslimit, cost.memlimit,
                              crypto_pwhash_ALG_ARGON2ID13) != 0)
        return external_error(
            fmt::format("hashing a password needs {} MiB of memory that could not be had", cost.memlimit >> 20));
    return std::string(encoded.data());
}

bool verify_password(std::string_view encoded_hash, std::string_view password) {
    if (!initialise_sodium()) return false;
    if (encoded_hash.size() >= crypto_pwhash_STRBYTES) return false;
    std::array<char, crypto_pwhash_STRBYTES> encoded{};  // NUL-terminated, as libsodium reads it
    encoded_hash.copy(encoded.data(), encoded_hash.size());
    return crypto_pwhash_str_verify(encoded.data(), password.data(), password.size()) == 0;
}

bool password_hash_needs_rehash(std::string_view encoded_hash, PasswordCost cost) {
    if (!initialise_sodium()) return false;
    if (encoded_hash.size() >= crypto_pwhash_STRBYTES || !encoded_hash.starts_with("$argon2id$")) return true;
    std::array<char, crypto_pwhash_STRBYTES> encoded{};
    encoded_hash.copy(encoded.data(), encoded_hash.size());
    return crypto_pwhash_str_needs_rehash(encoded.data(), cost.opslimit, cost.memlimit) != 0;
}

Result<std::string> new_session_token() {
    GA_TRY(initialise_sodium());
    std::array<unsigned char, session_token_bytes> bytes{};
    randombytes_buf(bytes.data(), bytes.size());
    constexpr int variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
    std::string token(sodium_base64_ENCODED_LEN(session_token_bytes, variant), '\0');
    sodium_bin2base64(token.data(), token.size(), bytes.data(), bytes.size(), variant);
    token.resize(token.size() - 1);  // the terminating NUL
    sodium_memzero(bytes.data(), bytes.size());
    return token;
}

bool is_session_token(std::string_view token) {
    if (token.size() != 43) return false;
    for (const char c : token) {
        const bool base64url =
            (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
        if (!base64url) return false;
    }
    return true;
}

std::string session_token_hash(std::string_view token) {
    (void)initialise_sodium();  // crypto_generichash needs no initialisation to be correct
    std::array<unsigned char, crypto_generichash_BYTES> digest{};
    crypto_generichash(digest.data(), digest.size(), reinterpret_cast<const unsigned char*>(token.data()), token.size(),
                       nullptr, 0);
    std::string hex(digest.size() * 2 + 1, '\0');
    sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
    hex.pop_back();
    return hex;
}

Result<std::string> generate_password(std::size_t characters) {
    GA_TRY(initialise_sodium());
    // Letters and digits without 0/O, 1/l/I: 57 symbols, 5.8 bits each.
    constexpr std::string_view alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    std::string password;
    for (std::size_t i = 0; i < characters; ++i)
        password += alphabet[randombytes_uniform(static_cast<std::uint32_t>(alphabet.size()))];
    return password;
}

}  // namespace gridaudit
