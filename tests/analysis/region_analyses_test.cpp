// RegionAnalyses: one value per (type, key), computed once by the first caller, also from many
// threads at once; a computation may ask the same holder for another analysis.
#include "analysis/region_analyses.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace gridaudit {
namespace {

struct Count {
    int value = 0;
};
struct Label {
    std::string text;
};

TEST(RegionAnalysesTest, OneValuePerTypeAndKeyComputedOnce) {
    const RegionFrame frame;
    RegionAnalyses analyses(frame);
    EXPECT_EQ(&analyses.frame(), &frame);
    int computed = 0;
    const auto make = [&](int value) {
        return [&computed, value] {
            ++computed;
            return std::make_shared<const Count>(Count{value});
        };
    };
    const auto one = analyses.get<Count>(1, make(10));
    const auto again = analyses.get<Count>(1, make(99));
    const auto two = analyses.get<Count>(2, make(20));
    EXPECT_EQ(one.get(), again.get());
    EXPECT_EQ(one->value, 10);
    EXPECT_EQ(two->value, 20);
    EXPECT_EQ(computed, 2);
    // Another type under an equal key, and a key of another type, are other analyses.
    const auto label = analyses.get<Label>(1, [] { return std::make_shared<const Label>(Label{"one"}); });
    EXPECT_EQ(label->text, "one");
    const auto whole = analyses.get<Count>(WholeRegion{}, make(30));
    EXPECT_EQ(whole->value, 30);
    EXPECT_EQ(computed, 3);
    // No value is a value too: nullptr is kept, not recomputed.
    EXPECT_EQ(analyses.get<Label>(2, [] { return std::shared_ptr<const Label>(); }), nullptr);
    EXPECT_EQ(analyses.get<Label>(2, [] { return std::make_shared<const Label>(Label{"late"}); }), nullptr);
}

TEST(RegionAnalysesTest, AComputationMayAskForAnotherAnalysis) {
    const RegionFrame frame;
    RegionAnalyses analyses(frame);
    const auto derived = analyses.get<Count>(7, [&] {
        const auto base = analyses.get<Count>(WholeRegion{}, [] { return std::make_shared<const Count>(Count{5}); });
        return std::make_shared<const Count>(Count{base->value * 7});
    });
    EXPECT_EQ(derived->value, 35);
    EXPECT_EQ(analyses.get<Count>(WholeRegion{}, [] { return std::make_shared<const Count>(Count{0}); })->value, 5);
}

TEST(RegionAnalysesTest, ThreadsAskingAtOnceShareOneComputation) {
    const RegionFrame frame;
    RegionAnalyses analyses(frame);
    std::atomic<int> computed = 0;
    std::vector<std::shared_ptr<const Count>> got(8);
    {
        std::vector<std::thread> threads;
        for (std::size_t t = 0; t < got.size(); ++t)
            threads.emplace_back([&, t] {
                got[t] = analyses.get<Count>(static_cast<int>(t % 2), [&] {
                    ++computed;
                    return std::make_shared<const Count>(Count{static_cast<int>(t % 2)});
                });
            });
        for (auto& thread : threads) thread.join();
    }
    EXPECT_EQ(computed.load(), 2);
    for (std::size_t t = 0; t < got.size(); ++t) {
        ASSERT_TRUE(got[t]);
        EXPECT_EQ(got[t].get(), got[t % 2].get()) << t;
        EXPECT_EQ(got[t]->value, static_cast<int>(t % 2)) << t;
    }
}

}  // namespace
}  // namespace gridaudit
