// Secrets and their hashes: passwords hashed with Argon2id (libsodium crypto_pwhash_str), the
// password policy, session tokens (32 random bytes as base64url) and the hash a token is stored
// as (BLAKE2b-256, crypto_generichash), and generated demo passwords.
//
// A password or token is never stored, logged or put in an error message; only these hashes are.
// libsodium is initialised once, thread-safely, by the first call of any function here.
// Thread safety: every function may be called from many threads at once.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace gridaudit {

// Argon2id's cost: passes over memory and memory in bytes.
struct PasswordCost {
    unsigned long long opslimit = 0;
    std::size_t memlimit = 0;

    // libsodium's INTERACTIVE limits (2 passes, 64 MiB): what production uses.
    [[nodiscard]] static PasswordCost interactive();
    // TEST ONLY: Argon2id's minimum (1 pass, 8 KiB), so that tests hash in microseconds. Never
    // for a real store: it makes a stolen hash cheap to guess.
    [[nodiscard]] static PasswordCost test_minimum();
};

inline constexpr std::size_t minimum_password_characters = 10;
inline constexpr std::size_t maximum_password_bytes = 1024;

// Invalid input unless the password has at least minimum_password_characters characters (UTF-8
// code points), at most maximum_password_bytes bytes, and no control characters.
[[nodiscard]] Status check_password_policy(std::string_view password);

// libsodium's encoded Argon2id string ("$argon2id$v=19$m=65536,t=2,p=1$salt$hash"), with a fresh
// random salt. External error when the memory cannot be had.
[[nodiscard]] Result<std::string> hash_password(std::string_view password, PasswordCost cost);
// Whether `password` matches an encoded hash (whatever cost it was made with); false for a
// malformed hash.
[[nodiscard]] bool verify_password(std::string_view encoded_hash, std::string_view password);

// Whether an encoded hash was made with another cost or algorithm than `cost` and Argon2id (or is
// malformed): a login then stores a new hash of the password it just verified.
[[nodiscard]] bool password_hash_needs_rehash(std::string_view encoded_hash, PasswordCost cost);

inline constexpr std::size_t session_token_bytes = 32;

// A new session token: session_token_bytes random bytes as base64url without padding (43 characters).
[[nodiscard]] Result<std::string> new_session_token();
// Whether `token` has the form of new_session_token's (43 base64url characters).
[[nodiscard]] bool is_session_token(std::string_view token);
// What a token is stored as: the hex of its BLAKE2b-256 hash (64 characters).
[[nodiscard]] std::string session_token_hash(std::string_view token);

// A random password of `characters` letters and digits that the policy accepts (no look-alike
// characters), for demo users.
[[nodiscard]] Result<std::string> generate_password(std::size_t characters = 16);

}  // namespace gridaudit
