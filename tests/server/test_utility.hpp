// What the server tests share: a generated utility of two stations (6,000 customers x 70 days, seed 3),
// imported and audited once into a store that every test process reuses (made under a file lock
// the first time), with one user per role (test_users(); passwords hashed at Argon2id's test
// minimum cost); a private copy of it for tests that write; a server started in-process on port 0
// with HTTP clients signed in as those users.
// Thread safety: call from the test's main thread.
#pragma once

#include <httplib.h>
#include <sys/types.h>

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "server/api_server.hpp"

namespace gridaudit::testing {

struct TestUser {
    std::string username;
    std::string role;
    std::string unit_id;  // "" = the whole utility
};
// admin (administrator, whole utility), supervisor, analyst and clerk of the county U0101,
// inspector of the station U0101001, outsider (analyst) of the station U0101002.
[[nodiscard]] const std::vector<TestUser>& test_users();
inline constexpr const char* test_password = "test-password-1";

// The shared store, never written: servers (which write sessions) run on private_store_copy().
[[nodiscard]] const std::filesystem::path& test_utility_store();
// A copy of the shared store in a fresh temporary folder, removed at process exit.
[[nodiscard]] std::filesystem::path private_store_copy(const std::string& name);

class TestServer {
public:
    // Starts the API on 127.0.0.1 port 0 over `db` with `now` as the clock (and `policy` as --policy).
    explicit TestServer(const std::filesystem::path& db, Instant now = Instant::from_unix_seconds(1'793'491'200),
                        Policy policy = Policy());
    ~TestServer();

    [[nodiscard]] int port() const { return server_->port(); }
    [[nodiscard]] httplib::Client client() const;
    // A client signed in as `username` (POST /api/login with test_password).
    [[nodiscard]] httplib::Client client_as(const std::string& username) const;
    // The token of a new session of `username`.
    [[nodiscard]] std::string token_of(const std::string& username) const;
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
