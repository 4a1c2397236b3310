// The long commands run as the tests and CI run them, with stderr not a terminal: no progress line
// (no carriage return anywhere), and the same stdout and stderr with --quiet as without.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace gridaudit {
namespace {

namespace fs = std::filesystem;

struct SeparateOutput {
    int exit_code = -1;
    std::string out, err;
};

// Runs the binary with stdout and stderr each to its own file.
SeparateOutput run_apart(const fs::path& dir, const std::string& arguments) {
    const fs::path out = dir / "stdout.txt", err = dir / "stderr.txt";
    const std::string command =
        fmt::format("'{}' {} >'{}' 2>'{}'", GRIDAUDIT_BINARY, arguments, out.string(), err.string());
    const int status = std::system(command.c_str());
    SeparateOutput output;
    output.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    const auto read = [](const fs::path& path) {
        std::ifstream in(path, std::ios::binary);
        std::ostringstream text;
        text << in.rdbuf();
        return text.str();
    };
    output.out = read(out);
    output.err = read(err);
    return output;
}

class ProgressOutputTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / fmt::format("gridaudit-progress-{}", ::getpid());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }

    // Runs `arguments` with and without --quiet: same exit code and stdout, no progress in either.
    SeparateOutput run_both(const std::string& arguments, const std::string& quiet_arguments) {
        const SeparateOutput plain = run_apart(dir_, arguments);
        const SeparateOutput quiet = run_apart(dir_, quiet_arguments);
        EXPECT_EQ(plain.exit_code, quiet.exit_code) << arguments;
        EXPECT_EQ(plain.out, quiet.out) << arguments;
        EXPECT_EQ(plain.err, quiet.err) << arguments;
        for (const SeparateOutput* output : {&plain, &quiet}) {
            EXPECT_EQ(output->out.find('\r'), std::string::npos) << arguments;
            EXPECT_EQ(output->err.find('\r'), std::string::npos) << arguments;
        }
        return plain;
    }

    fs::path dir_;
};

TEST_F(ProgressOutputTest, LongCommandsPrintNoProgressWhenStderrIsNotATerminal) {
    const std::string out = (dir_ / "export").string();
    const auto generated = run_both(fmt::format("generate --out {} --customers 200 --days 40 --seed 5", out),
                                    fmt::format("generate --quiet --out {} --customers 200 --days 40 --seed 5", out));
    ASSERT_EQ(generated.exit_code, 0) << generated.out;
    EXPECT_NE(generated.out.find("Generated a county utility"), std::string::npos);

    // Two stores of the same name in two folders: the same import prints the same lines.
    fs::create_directories(dir_ / "a");
    fs::create_directories(dir_ / "b");
    const auto imported = run_both(fmt::format("import --db {} {}", (dir_ / "a" / "g.db").string(), out),
                                   fmt::format("import --quiet --db {} {}", (dir_ / "b" / "g.db").string(), out));
    ASSERT_EQ(imported.exit_code, 0) << imported.out;

    const auto audited = run_both(fmt::format("audit --db {}", (dir_ / "a" / "g.db").string()),
                                  fmt::format("audit --quiet --db {}", (dir_ / "b" / "g.db").string()));
    ASSERT_EQ(audited.exit_code, 0) << audited.out;
    EXPECT_NE(audited.out.find("Findings by rule"), std::string::npos) << audited.out;

    // The report prints its own duration, so only: no progress, nothing on stderr.
    const auto report = run_apart(dir_, fmt::format("report --db {} --out {} --now 2026-11-01T00:00:00Z",
                                                    (dir_ / "a" / "g.db").string(), (dir_ / "r.html").string()));
    ASSERT_EQ(report.exit_code, 0) << report.out << report.err;
    EXPECT_EQ(report.out.find('\r'), std::string::npos);
    EXPECT_EQ(report.err, "");
}

}  // namespace
}  // namespace gridaudit
