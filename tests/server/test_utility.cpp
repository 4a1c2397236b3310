// The server tests' shared utility store and in-process server (see test_utility.hpp).
#include "test_utility.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <stdexcept>

#include "access/user_accounts.hpp"
#include "audit/audit_run.hpp"
#include "generator/synthetic_utility.hpp"
#include "ingest/import_folder.hpp"
#include "rules/catalogue.hpp"

namespace gridaudit::testing {
namespace {

namespace fs = std::filesystem;

// Named for what it holds: a change to make_store changes the name, so no stale store is reused.
constexpr const char* store_name = "utility-6000x70-users-v2.db";

Status make_store(const fs::path& dir) {
    const fs::path building = dir / "building";
    fs::remove_all(building);
    GeneratorOptions generator;
    generator.out = building / "export";
    generator.customers = 6000;  // two stations (one per 4,000 customers, rounded)
    generator.days = 70;
    generator.seed = 3;
    GA_TRY(generate_utility(generator));
    {
        GA_ASSIGN_OR_RETURN(auto store, Store::open((building / "utility.db").string()));
        GA_TRY(import_folder(*store, generator.out, ImportFolderOptions{}));
        GA_TRY(run_audit(*store, standard_catalogue(), Policy(), AuditOptions{}));
        AccessSettings settings;
        settings.password_cost = PasswordCost::test_minimum();
        for (const TestUser& user : test_users()) {
            GA_ASSIGN_OR_RETURN(const Role role, parse_role(user.role));
            GA_TRY(add_user(store->access(), Actor::system(), NewUser{user.username, role, user.unit_id}, test_password,
                            Instant::from_unix_seconds(1'790'000'000), settings));
        }
    }
    fs::rename(building / "utility.db", dir / store_name);
    fs::remove_all(building);
    return {};
}

}  // namespace

const std::vector<TestUser>& test_users() {
    static const std::vector<TestUser> users{
        {"admin", "administrator", ""}, {"supervisor", "supervisor", "U0101"},  {"analyst", "analyst", "U0101"},
        {"clerk", "clerk", "U0101"},    {"inspector", "inspector", "U0101001"}, {"outsider", "analyst", "U0101002"},
    };
    return users;
}

const fs::path& test_utility_store() {
    static const fs::path path = [] {
        const fs::path dir = GRIDAUDIT_SERVER_TEST_DIR;
        fs::create_directories(dir);
        const int lock = ::open((dir / "lock").c_str(), O_CREAT | O_RDWR, 0644);
        if (lock < 0 || ::flock(lock, LOCK_EX) != 0) throw std::runtime_error("cannot lock the test utility folder");
        if (!fs::exists(dir / store_name)) {
            if (auto made = make_store(dir); !made) {
                ::close(lock);
                throw std::runtime_error("making the test utility: " + made.error().message());
            }
        }
        ::close(lock);
        return dir / store_name;
    }();
    return path;
}

fs::path private_store_copy(const std::string& name) {
    static const fs::path root = [] {
        fs::path dir = fs::temp_directory_path() / fmt::format("gridaudit-server-test-{}", ::getpid());
        fs::create_directories(dir);
        std::atexit([] {
            std::error_code ignored;
            fs::remove_all(fs::temp_directory_path() / fmt::format("gridaudit-server-test-{}", ::getpid()), ignored);
        });
        return dir;
    }();
    const fs::path copy = root / (name + ".db");
    fs::copy_file(test_utility_store(), copy, fs::copy_options::overwrite_existing);
    return copy;
}

TestServer::TestServer(const fs::path& db, Instant now, Policy policy) {
    ApiServerOptions options;
    options.router.db = db.string();
    options.router.policy = std::move(policy);
    options.router.clock = [now] { return now; };
    // Logins keep the test users' cheap hashes (at the production cost each would take ~0.1 s).
    options.router.access.password_cost = PasswordCost::test_minimum();
    options.port = 0;
    options.threads = 8;
    options.load_at_start = false;
    auto started = ApiServer::start(std::move(options));
    if (!started) throw std::runtime_error("starting the server: " + started.error().message());
    server_ = std::move(*started);
}

TestServer::~TestServer() = default;

httplib::Client TestServer::client() const {
    httplib::Client client("127.0.0.1", server_->port());
    client.set_read_timeout(60);
    return client;
}

ServeProcess::ServeProcess(const fs::path& db) {
    int pipe_ends[2];
    if (::pipe(pipe_ends) != 0) throw std::runtime_error("pipe failed");
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
        ::dup2(pipe_ends[1], STDOUT_FILENO);
        ::close(pipe_ends[0]);
        ::close(pipe_ends[1]);
        const std::string path = db.string();
        ::execl(GRIDAUDIT_BINARY, GRIDAUDIT_BINARY, "serve", "--db", path.c_str(), "--port", "0", "--threads", "4",
                static_cast<char*>(nullptr));
        ::_exit(127);
    }
    ::close(pipe_ends[1]);
    out_ = pipe_ends[0];
    // "gridaudit serve: listening on http://127.0.0.1:PORT (store ...)\n"
    char c = 0;
    while (::read(out_, &c, 1) == 1 && c != '\n') output_ += c;
    const std::size_t colon = output_.rfind(':', output_.find(" (store"));
    if (colon == std::string::npos) throw std::runtime_error("gridaudit serve printed no address: " + output_);
    port_ = std::atoi(output_.c_str() + colon + 1);
    if (port_ <= 0) throw std::runtime_error("gridaudit serve printed no port: " + output_);
    output_ += '\n';
}

ServeProcess::~ServeProcess() {
    if (pid_ > 0) (void)stop(SIGKILL);
    if (out_ >= 0) ::close(out_);
}

httplib::Client ServeProcess::client() const {
    httplib::Client client("127.0.0.1", port_);
    client.set_read_timeout(60);
    return client;
}

int ServeProcess::stop(int signal) {
    if (pid_ <= 0) return -1;
    ::kill(pid_, signal);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    char buffer[4096];
    ssize_t n = 0;
    while ((n = ::read(out_, buffer, sizeof buffer)) > 0) output_.append(buffer, static_cast<std::size_t>(n));
    return status;
}

std::string TestServer::token_of(const std::string& username) const {
    auto client = this->client();
    const auto result = client.Post(
        "/api/login", nlohmann::json{{"username", username}, {"password", test_password}}.dump(), "application/json");
    if (!result || result->status != 200)
        throw std::runtime_error("login of " + username + " failed: " + (result ? result->body : "no response"));
    return nlohmann::json::parse(result->body).at("token").get<std::string>();
}

httplib::Client TestServer::client_as(const std::string& username) const {
    httplib::Client client = this->client();
    client.set_bearer_token_auth(token_of(username));
    return client;
}

nlohmann::json body_json(const httplib::Result& result) {
    if (!result) return nlohmann::json(nlohmann::json::value_t::discarded);
    return nlohmann::json::parse(result->body, nullptr, false);
}

}  // namespace gridaudit::testing
