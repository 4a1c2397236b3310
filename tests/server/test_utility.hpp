// What the server tests share: a small generated utility (300 customers x 90 days, seed 3),
// imported and audited once into a store that every test process reuses (made under a file lock
// the first time), a private copy of it for tests that write, and a server started in-process on
// port 0 with an HTTP client to it.
// Thread safety: call from the test's main thread.
#pragma once

#include <httplib.h>
#include <sys/types.h>

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "server/api_server.hpp"

namespace gridaudit::testing {

// The shared store (read only: tests that write use private_store_copy()).
[[nodiscard]] const std::filesystem::path& test_utility_store();
// A copy of the shared store in a fresh temporary folder, removed at process exit.
[[nodiscard]] std::filesystem::path private_store_copy(const std::string& name);

class TestServer {
public:
    // Starts the API on 127.0.0.1 port 0 over `db` with `now` as the clock.
    explicit TestServer(const std::filesystem::path& db, Instant now = Instant::from_unix_seconds(1'793'491'200));
    ~TestServer();

    [[nodiscard]] int port() const { return server_->port(); }
    [[nodiscard]] httplib::Client client() const;
    [[nodiscard]] ApiServer& server() { return *server_; }

private:
    std::unique_ptr<ApiServer> server_;
};

// `gridaudit serve --db DB --port 0` as a child process; the port read from its first line.
class ServeProcess {
public:
    explicit ServeProcess(const std::filesystem::path& db);
    ~ServeProcess();  // kills it (SIGKILL) if it still runs

    [[nodiscard]] int port() const { return port_; }
    [[nodiscard]] pid_t pid() const { return pid_; }
    [[nodiscard]] httplib::Client client() const;
    // Sends `signal` and waits: the exit status as waitpid gives it.
    int stop(int signal);
    // What the child printed on stdout (its first line, and the rest once stopped).
    [[nodiscard]] const std::string& output() const { return output_; }

private:
    pid_t pid_ = -1;
    int out_ = -1;
    int port_ = 0;
    std::string output_;
};

// The body of a response parsed as JSON (a discarded value when it is not JSON).
[[nodiscard]] nlohmann::json body_json(const httplib::Result& result);

}  // namespace gridaudit::testing
