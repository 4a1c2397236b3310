// The built dashboard served by `gridaudit serve --web DIR`: files with their types and caching
// headers, the single-page application's routes answered with index.html, nothing read outside
// DIR (`..`, encoded or not, and a symbolic link out of it), gzip over HTTP when the client accepts
// it and never Brotli, and /api/ still the API's.
#include "server/static_files.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "test_utility.hpp"

namespace gridaudit {
namespace {

namespace fs = std::filesystem;

std::string header(const ApiResponse& response, std::string_view name) {
    for (const auto& [key, value] : response.headers)
        if (key == name) return value;
    return {};
}

void write_file(const fs::path& path, const std::string& text) {
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
}

class StaticFilesTest : public ::testing::Test {
protected:
    void SetUp() override {
        root_ = fs::temp_directory_path() / ("gridaudit-static-files-" + std::to_string(::getpid()));
        fs::remove_all(root_);
        dist_ = root_ / "dist";
        write_file(dist_ / "index.html", "<!doctype html><title>GridAudit</title>");
        write_file(dist_ / "assets" / "index-3f2a9c1d.js", "console.log('dashboard');" + std::string(4000, ' '));
        write_file(dist_ / "assets" / "index-77aa0b12.css", "body{margin:0}");
        write_file(dist_ / "favicon.svg", "<svg/>");
        write_file(root_ / "secret.txt", "outside the folder");
        fs::create_directory_symlink(root_, dist_ / "escape");
    }
    void TearDown() override { fs::remove_all(root_); }

    fs::path root_, dist_;
};

TEST_F(StaticFilesTest, ServesFilesWithTheirTypesAndCachingHeaders) {
    const auto web = StaticFiles::open(dist_);
    ASSERT_TRUE(web) << web.error().message();
    const ApiResponse index = web->serve("/");
    EXPECT_EQ(index.status, 200);
    EXPECT_EQ(index.content_type, "text/html; charset=utf-8");
    EXPECT_EQ(index.body, "<!doctype html><title>GridAudit</title>");
    EXPECT_EQ(header(index, "Cache-Control"), "no-cache");
    EXPECT_NE(header(index, "Content-Security-Policy").find("frame-ancestors 'none'"), std::string::npos);

    const ApiResponse script = web->serve("/assets/index-3f2a9c1d.js");
    EXPECT_EQ(script.status, 200);
    EXPECT_EQ(script.content_type, "text/javascript; charset=utf-8");
    EXPECT_EQ(header(script, "Cache-Control"), "public, max-age=31536000, immutable");
    EXPECT_EQ(web->serve("/assets/index-77aa0b12.css").content_type, "text/css; charset=utf-8");

    const ApiResponse icon = web->serve("/favicon.svg");
    EXPECT_EQ(icon.content_type, "image/svg+xml");
    EXPECT_EQ(header(icon, "Cache-Control"), "no-cache");
}

TEST_F(StaticFilesTest, TheApplicationsRoutesAreIndexHtmlButAMissingAssetIsA404) {
    const auto web = StaticFiles::open(dist_);
    ASSERT_TRUE(web);
    for (const char* path : {"/findings", "/cases/12", "/line-loss/", "/findings.csv"}) {
        const ApiResponse page = web->serve(path);
        EXPECT_EQ(page.status, 200) << path;
        EXPECT_EQ(page.body, "<!doctype html><title>GridAudit</title>") << path;
        EXPECT_EQ(header(page, "Cache-Control"), "no-cache") << path;
    }
    EXPECT_EQ(web->serve("/assets/index-00000000.js").status, 404);
}

TEST_F(StaticFilesTest, NeverReadsOutsideTheFolder) {
    const auto web = StaticFiles::open(dist_);
    ASSERT_TRUE(web);
    for (const char* path : {"/../secret.txt", "/assets/../../secret.txt", "/./index.html", "//secret.txt",
                             "/..\\secret.txt", "/escape/secret.txt", "/escape/../secret.txt", "relative"}) {
        const ApiResponse response = web->serve(path);
        EXPECT_NE(response.body, "outside the folder") << path;
        EXPECT_EQ(response.status, 404) << path;
    }
}

TEST_F(StaticFilesTest, AFolderWithoutIndexHtmlIsRefused) {
    const auto missing = StaticFiles::open(root_ / "nonexistent");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().kind(), ErrorClass::user);
    EXPECT_NE(missing.error().message().find("no index.html"), std::string::npos) << missing.error().message();
    EXPECT_FALSE(StaticFiles::open(dist_ / "assets"));
}

TEST_F(StaticFilesTest, OverHttpTheDashboardIsGzippedAndApiPathsStayTheApis) {
    ApiServerOptions options;
    options.router.db = testing::private_store_copy("static-files").string();
    options.port = 0;
    options.threads = 2;
    options.load_at_start = false;
    options.web_dir = dist_.string();
    auto server = ApiServer::start(std::move(options));
    ASSERT_TRUE(server) << server.error().message();
    httplib::Client client("127.0.0.1", (*server)->port());
    client.set_decompress(false);

    const auto script = client.Get("/assets/index-3f2a9c1d.js", {{"Accept-Encoding", "gzip"}});
    ASSERT_TRUE(script);
    EXPECT_EQ(script->status, 200);
    EXPECT_EQ(script->get_header_value("Content-Encoding"), "gzip");
    ASSERT_GE(script->body.size(), 2u);
    EXPECT_EQ(static_cast<unsigned char>(script->body[0]), 0x1f);
    EXPECT_EQ(static_cast<unsigned char>(script->body[1]), 0x8b);
    EXPECT_LT(script->body.size(), 1000u);  // 4,000 spaces compress
    // Brotli is never used (httplib's quality 11 takes seconds for a bundle): gzip where accepted.
    const auto brotli_first = client.Get("/assets/index-3f2a9c1d.js", {{"Accept-Encoding", "br, gzip;q=0.5"}});
    ASSERT_TRUE(brotli_first);
    EXPECT_EQ(brotli_first->get_header_value("Content-Encoding"), "gzip");
    const auto brotli_only = client.Get("/assets/index-3f2a9c1d.js", {{"Accept-Encoding", "br"}});
    ASSERT_TRUE(brotli_only);
    EXPECT_EQ(brotli_only->get_header_value("Content-Encoding"), "");
    const auto refused = client.Get("/assets/index-3f2a9c1d.js", {{"Accept-Encoding", "gzip;q=0, br"}});
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->get_header_value("Content-Encoding"), "");
    const auto plain = client.Get("/assets/index-3f2a9c1d.js");
    ASSERT_TRUE(plain);
    EXPECT_EQ(plain->get_header_value("Content-Encoding"), "");
    EXPECT_EQ(plain->body.rfind("console.log('dashboard');", 0), 0u);

    // httplib decodes %2e%2e before the path reaches the files.
    const auto encoded = client.Get("/%2e%2e/secret.txt");
    ASSERT_TRUE(encoded);
    EXPECT_EQ(encoded->status, 404);
    EXPECT_EQ(encoded->body.find("outside the folder"), std::string::npos);

    const auto page = client.Get("/cases/3?state=new");
    ASSERT_TRUE(page);
    EXPECT_EQ(page->status, 200);
    EXPECT_EQ(page->get_header_value("Cache-Control"), "no-cache");

    const auto api = client.Get("/api/rules");
    ASSERT_TRUE(api);
    EXPECT_EQ(api->status, 401);
    const auto unknown_api = client.Get("/api/nothing-here");
    ASSERT_TRUE(unknown_api);
    EXPECT_EQ(unknown_api->status, 404);
    EXPECT_EQ(unknown_api->get_header_value("Content-Type"), "application/json");
}

}  // namespace
}  // namespace gridaudit
