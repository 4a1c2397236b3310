// A fresh SQLite store with a small org tree (CO; ST1 below it with team T11; ST2) for the access
// tests, and settings with the test-only minimum Argon2id cost so that hashing takes microseconds.
#pragma once

#include <gtest/gtest.h>

#include <memory>

#include "access/authentication.hpp"
#include "store/batch_builder.hpp"
#include "store/sqlite_store.hpp"

namespace gridaudit::testing {

inline Instant at(std::string_view text) {
    return *Instant::parse(text);
}

class AccessFixture : public ::testing::Test {
protected:
    void SetUp() override {
        auto opened = SqliteStore::open(directory_.file("store.db"));
        ASSERT_TRUE(opened.has_value()) << opened.error().message();
        store_ = std::move(*opened);
        BatchBuilder builder("org");
        builder.row("org_units", {text("CO"), missing(), text("County company"), text("county")});
        builder.row("org_units", {text("ST1"), text("CO"), text("Station 1"), text("station")});
        builder.row("org_units", {text("ST2"), text("CO"), text("Station 2"), text("station")});
        builder.row("org_units", {text("T11"), text("ST1"), text("Team 11"), text("team")});
        auto applied = store_->apply_batch(builder.batch(), {});
        ASSERT_TRUE(applied.has_value()) << applied.error().message();
        settings_.password_cost = PasswordCost::test_minimum();
    }
    AccessStore& access() { return store_->access(); }

    TemporaryDirectory directory_;
    std::unique_ptr<SqliteStore> store_;
    AccessSettings settings_;
};

}  // namespace gridaudit::testing
