// Tests of the learned suspect models' table (migration 10) on both backends: versions
// numbered in order, a model's bytes and JSON texts read back unchanged, the list without bytes,
// the newest by default, and a store without models answering with nothing.
#include "store/suspect_model_store.hpp"

#include <gtest/gtest.h>

#include "batch_builder.hpp"
#include "store_backends.hpp"
#include "support/result_assertions.hpp"

namespace gridaudit {
namespace {

using testing::BackendName;
using testing::StoreBackends;
using testing::StoreBackendTest;

StoredSuspectModel model_with(std::string summary, std::vector<std::uint8_t> bytes) {
    StoredSuspectModel model;
    model.created_at = "2026-12-08T05:00:00Z";
    model.source = "truth";
    model.features_json = R"(["loss_z","level_drop"])";
    model.parameters_json = R"({"max_depth":4})";
    model.summary_json = std::move(summary);
    model.model = std::move(bytes);
    return model;
}

template <class Backend>
using SuspectModelStoreTest = StoreBackendTest<Backend>;
TYPED_TEST_SUITE(SuspectModelStoreTest, StoreBackends, BackendName);

TYPED_TEST(SuspectModelStoreTest, VersionsRoundTripInOrder) {
    auto store = this->open_store();
    ASSERT_NE(store, nullptr);
    SuspectModelStore* models = suspect_model_store(*store);
    ASSERT_NE(models, nullptr);

    const auto none = models->suspect_model(std::nullopt);
    ASSERT_TRUE(none.has_value());
    EXPECT_FALSE(none->has_value());

    const std::vector<std::uint8_t> first_bytes{0, 1, 2, 255, 0, 7};
    const auto first = models->save_suspect_model(model_with(R"({"customers":10})", first_bytes));
    ASSERT_TRUE(first.has_value()) << first.error().message();
    const auto second = models->save_suspect_model(model_with(R"({"customers":20})", {42}));
    ASSERT_TRUE(second.has_value());
    EXPECT_EQ(*first, 1);
    EXPECT_EQ(*second, 2);

    const auto listed = models->suspect_models();
    ASSERT_TRUE(listed.has_value());
    ASSERT_EQ(listed->size(), 2u);
    EXPECT_EQ((*listed)[0].version, 1);
    EXPECT_EQ((*listed)[0].summary_json, R"({"customers":10})");
    EXPECT_TRUE((*listed)[0].model.empty());  // listed without the bytes

    const auto newest = models->suspect_model(std::nullopt);
    ASSERT_TRUE(newest.has_value() && newest->has_value());
    EXPECT_EQ((*newest)->version, 2);
    EXPECT_EQ((*newest)->model, std::vector<std::uint8_t>{42});

    const auto one = models->suspect_model(1);
    ASSERT_TRUE(one.has_value() && one->has_value());
    EXPECT_EQ((*one)->model, first_bytes);  // a zero byte inside survives
    EXPECT_EQ((*one)->source, "truth");
    EXPECT_EQ((*one)->features_json, R"(["loss_z","level_drop"])");
    EXPECT_EQ((*one)->parameters_json, R"({"max_depth":4})");
    EXPECT_EQ((*one)->created_at, "2026-12-08T05:00:00Z");

    const auto missing = models->suspect_model(3);
    ASSERT_TRUE(missing.has_value());
    EXPECT_FALSE(missing->has_value());
}

TYPED_TEST(SuspectModelStoreTest, AnUnknownSourceIsRefusedByTheSchema) {
    auto store = this->open_store();
    ASSERT_NE(store, nullptr);
    StoredSuspectModel model = model_with("{}", {1});
    model.source = "guess";
    EXPECT_FALSE(suspect_model_store(*store)->save_suspect_model(model).has_value());
}

}  // namespace
}  // namespace gridaudit
