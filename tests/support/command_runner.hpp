// Runs the `gridaudit` binary as a user would, for the tests that drive the command line.
#pragma once

#include <string>

namespace gridaudit {

struct CommandOutput {
    int exit_code = -1;
    std::string out;  // stdout and stderr together
};

// Runs `binary arguments` through the shell (arguments are passed as written) and waits for it.
[[nodiscard]] CommandOutput run_command(const std::string& binary, const std::string& arguments);

}  // namespace gridaudit
