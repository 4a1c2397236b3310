// Running the binary through popen (see command_runner.hpp).
#include "support/command_runner.hpp"

#include <fmt/format.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>

namespace gridaudit {

CommandOutput run_command(const std::string& binary, const std::string& arguments) {
    const std::string command = fmt::format("'{}' {} 2>&1", binary, arguments);
    std::FILE* pipe = popen(command.c_str(), "r");
    CommandOutput output;
    if (!pipe) return output;
    std::array<char, 4096> buffer{};
    while (std::fgets(buffer.data(), buffer.size(), pipe)) output.out += buffer.data();
    const int status = pclose(pipe);
    output.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return output;
}

}  // namespace gridaudit
