// The layer order of src/README.md holds for every include in src/ and bench/, and the check
// finds an include against it (on a temporary tree).
#include "structure/layer_order.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>

#include "support/result_assertions.hpp"

namespace gridaudit::testing {
namespace {

namespace fs = std::filesystem;

const fs::path source_root = GRIDAUDIT_SOURCE_DIR;

TEST(LayerOrderTest, EveryIncludeInSrcAndBenchNamesItsLayerOrOneListedAbove) {
    ASSERT_OK_AND_ASSIGN(const auto layers, read_layer_list(source_root / "src" / "README.md"));
    for (const auto& violation : includes_against_the_order(source_root, layers)) ADD_FAILURE() << violation;
}

TEST(LayerOrderTest, TheListNamesEveryFolderOfSrcAndBench) {
    ASSERT_OK_AND_ASSIGN(const auto layers, read_layer_list(source_root / "src" / "README.md"));
    for (const auto& entry : fs::directory_iterator(source_root / "src")) {
        if (!entry.is_directory()) continue;
        const std::string name = entry.path().filename().string();
        EXPECT_NE(std::ranges::find(layers, name), layers.end())
            << "src/" << name << "/ is not in src/README.md's list";
    }
    EXPECT_NE(std::ranges::find(layers, "bench"), layers.end()) << "bench/ is linked into gridaudit: list it";
    EXPECT_EQ(layers.front(), "core");
    EXPECT_EQ(layers.back(), "cli");
}

class LayerOrderTreeTest : public ::testing::Test {
protected:
    void SetUp() override { fs::create_directories(root_); }
    void TearDown() override { fs::remove_all(root_); }
    void write(const fs::path& file, const std::string& text) {
        fs::create_directories((root_ / file).parent_path());
        std::ofstream(root_ / file) << text;
    }

    fs::path root_ = fs::temp_directory_path() / ("gridaudit-layer-order-" + std::to_string(::getpid()));
};

TEST_F(LayerOrderTreeTest, AnIncludeOfALayerListedBelowIsNamedWithItsFileAndLine) {
    write("src/README.md",
          "# Source layout\n\n- **core/** vocabulary\n- **engine/** kernels\n- **analysis/** not created yet\n"
          "- **bench/** at the root\n- **cli/** the command line\n");
    write("src/core/money.hpp", "#pragma once\n#include <string>\n#include \"core/time.hpp\"\n");
    write("src/core/time.hpp", "// time\n#include \"engine/balance.hpp\"\n");  // against the order
    write("src/engine/balance.hpp", "#include \"core/money.hpp\"\n#include \"sqlite3.h\"\n");
    write("src/engine/balance.cpp", "#include \"balance.hpp\"\n");
    write("bench/loss_benchmark.hpp", "#include \"engine/balance.hpp\"\n");
    write("src/cli/bench_command.cpp", "#include \"loss_benchmark.hpp\"\n#include \"analysis/table.hpp\"\n");
    write("src/engine/uses_bench.cpp", "\n\n  #  include \"loss_benchmark.hpp\"  // bench's, found by name\n");

    ASSERT_OK_AND_ASSIGN(const auto layers, read_layer_list(root_ / "src" / "README.md"));
    EXPECT_EQ(layers, (std::vector<std::string>{"core", "engine", "analysis", "bench", "cli"}));
    const auto violations = includes_against_the_order(root_, layers);
    ASSERT_EQ(violations.size(), 2u) << ::testing::PrintToString(violations);
    EXPECT_EQ(violations[0],
              "src/core/time.hpp:2: #include \"engine/balance.hpp\": core includes engine, listed below it in "
              "src/README.md");
    EXPECT_EQ(violations[1],
              "src/engine/uses_bench.cpp:3: #include \"loss_benchmark.hpp\": engine includes bench, listed below it "
              "in src/README.md");
}

TEST_F(LayerOrderTreeTest, AReadmeWithoutAListIsAnError) {
    write("src/README.md", "# Source layout\n\nNo list here.\n");
    const auto layers = read_layer_list(root_ / "src" / "README.md");
    ASSERT_FALSE(layers);
    EXPECT_NE(layers.error().message().find("lists no layer"), std::string::npos);
    EXPECT_FALSE(read_layer_list(root_ / "missing.md"));
}

}  // namespace
}  // namespace gridaudit::testing
