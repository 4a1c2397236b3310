// Reading tariff, calendar and load files through the text layer's FileContent: the bytes as they
// are, and the same refusals and messages as an import's files.
#include "tariff/tariff_file.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace gridaudit {
namespace {

std::filesystem::path scratch_folder() {
    const auto folder =
        std::filesystem::temp_directory_path() /
        ("gridaudit_tariff_file_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(folder);
    std::filesystem::create_directories(folder);
    return folder;
}

TEST(TariffFileTest, ReadsTheBytesOfAFileAsTheyAre) {
    const auto folder = scratch_folder();
    const std::string bytes("kw\r\n1.5\r\n\xEF\xBB\xBF\0x", 14);
    std::ofstream(folder / "load.csv", std::ios::binary) << bytes;
    const auto content = read_text_file(folder / "load.csv");
    ASSERT_TRUE(content) << content.error().message();
    EXPECT_EQ(*content, bytes);
    std::ofstream(folder / "empty.csv", std::ios::binary).flush();
    EXPECT_EQ(read_text_file(folder / "empty.csv").value_or("not empty"), "");
    std::filesystem::remove_all(folder);
}

TEST(TariffFileTest, AMissingFileIsExternalAndAFolderIsAUserError) {
    const auto folder = scratch_folder();
    const auto missing = read_text_file(folder / "none.json");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().kind(), ErrorClass::external);
    EXPECT_EQ(missing.error().message(), (folder / "none.json").string() + ": cannot open: No such file or directory");
    const auto a_folder = read_text_file(folder);
    ASSERT_FALSE(a_folder);
    EXPECT_EQ(a_folder.error().kind(), ErrorClass::user);
    EXPECT_EQ(a_folder.error().message(), folder.string() + ": a folder, not a regular file");
    std::filesystem::remove_all(folder);
}

}  // namespace
}  // namespace gridaudit
