// Tests of password hashing, the password policy and session tokens.
#include "access/secrets.hpp"

#include <gtest/gtest.h>

#include <set>

namespace gridaudit {
namespace {

TEST(SecretsTest, AHashVerifiesItsPasswordAndNoOther) {
    const auto hash = hash_password("correct horse battery", PasswordCost::test_minimum());
    ASSERT_TRUE(hash.has_value()) << hash.error().message();
    EXPECT_TRUE(hash->starts_with("$argon2id$")) << *hash;
    EXPECT_EQ(hash->find("correct horse"), std::string::npos);
    EXPECT_TRUE(verify_password(*hash, "correct horse battery"));
    EXPECT_FALSE(verify_password(*hash, "correct horse batterY"));
    EXPECT_FALSE(verify_password(*hash, ""));
    EXPECT_FALSE(verify_password("not a hash", "correct horse battery"));
}

TEST(SecretsTest, TheSamePasswordHashesDifferentlyEachTime) {
    const auto first = hash_password("correct horse battery", PasswordCost::test_minimum()).value();
    const auto second = hash_password("correct horse battery", PasswordCost::test_minimum()).value();
    EXPECT_NE(first, second);  // a fresh salt each time
}

TEST(SecretsTest, TheInteractiveCostIsLibsodiumsInteractiveLimits) {
    EXPECT_EQ(PasswordCost::interactive().opslimit, 2u);
    EXPECT_EQ(PasswordCost::interactive().memlimit, 64u << 20);
    EXPECT_LT(PasswordCost::test_minimum().memlimit, PasswordCost::interactive().memlimit);
}

TEST(SecretsTest, ThePolicyRefusesShortOrControlCharacterPasswords) {
    EXPECT_TRUE(check_password_policy("ten chars!").has_value());
    EXPECT_TRUE(check_password_policy("密码密码密码密码密码").has_value());  // ten characters, thirty bytes
    const auto short_one = check_password_policy("nine char");
    ASSERT_FALSE(short_one.has_value());
    EXPECT_EQ(short_one.error().message(), "the password is shorter than 10 characters");
    EXPECT_FALSE(check_password_policy("line one\nline two").has_value());
    EXPECT_FALSE(check_password_policy(std::string(1025, 'a')).has_value());
}

TEST(SecretsTest, TokensAreDistinctBase64UrlAndStoredAsAnotherString) {
    std::set<std::string> tokens;
    for (int i = 0; i < 100; ++i) {
        const auto token = new_session_token().value();
        EXPECT_TRUE(is_session_token(token)) << token;
        tokens.insert(token);
    }
    EXPECT_EQ(tokens.size(), 100u);
    const std::string token = *tokens.begin();
    const std::string hash = session_token_hash(token);
    EXPECT_EQ(hash.size(), 64u);
    EXPECT_EQ(hash.find(token), std::string::npos);
    EXPECT_EQ(session_token_hash(token), hash);
    EXPECT_FALSE(is_session_token(token.substr(1)));
    EXPECT_FALSE(is_session_token(std::string(43, '+')));
}

TEST(SecretsTest, GeneratedPasswordsPassThePolicy) {
    const auto password = generate_password().value();
    EXPECT_EQ(password.size(), 16u);
    EXPECT_TRUE(check_password_policy(password).has_value());
    EXPECT_NE(generate_password().value(), password);
}

}  // namespace
}  // namespace gridaudit
