// `gridaudit serve --db DB [--port P] [--bind ADDR] [--threads N] [--policy FILE] [--web DIR | --no-web]`:
// the HTTP JSON API (docs/api.md) and the built web dashboard (docs/dashboard.md) until SIGINT or
// SIGTERM. Prints the address it listens on (with --port 0 the port chosen) on stdout, then the
// dashboard's folder, then serves; a signal stops it after the requests in progress.
#include <fmt/core.h>
#include <signal.h>

#include <cstdio>
#include <ctime>
#include <filesystem>

#include "access/access_policy.hpp"
#include "cli/command.hpp"
#include "cli/policy_option.hpp"
#include "server/api_server.hpp"

namespace gridaudit {
namespace {

// The built dashboard beside the binary: <dir of the binary>/web (an installed layout) or
// <dir of the binary>/../../web/dist (build/<preset>/gridaudit in the source tree); "" when neither.
std::string default_web_dir() {
    namespace fs = std::filesystem;
    std::error_code error;
    const fs::path binary = fs::read_symlink("/proc/self/exe", error);
    if (error) return {};
    for (const fs::path& candidate : {binary.parent_path() / "web", binary.parent_path() / ".." / ".." / "web" / "dist"})
        if (fs::is_regular_file(candidate / "index.html", error)) return fs::weakly_canonical(candidate, error).string();
    return {};
}

}  // namespace

CommandRegistration register_serve_command(CLI::App& app) {
    struct Arguments {
        std::string db, bind = "127.0.0.1", policy;
        int port = 8080;
        std::size_t threads = 16;
        std::string web;
        bool no_web = false;
    };
    auto args = std::make_shared<Arguments>();
    auto* command = app.add_subcommand("serve", "Serve the HTTP JSON API under /api/ (see docs/api.md)");
    command->add_option("--db", args->db, "Store: a SQLite file path")->required();
    command->add_option("--port", args->port, "TCP port; 0 picks a free one (printed)")->capture_default_str();
    command->add_option("--bind", args->bind, "Address to listen on")->capture_default_str();
    command->add_option("--threads", args->threads, "Worker threads (each serves one connection at a time)")
        ->capture_default_str();
    command->add_option("--policy", args->policy, "Policy file: the rules' parameters and loss thresholds");
    auto* web = command->add_option("--web", args->web,
                                    "The built dashboard to serve outside /api/ (default: web/dist beside the binary "
                                    "or in its source tree)");
    command->add_flag("--no-web", args->no_web, "Serve the API only")->excludes(web);
    return {command, [args]() -> Result<int> {
                GA_ASSIGN_OR_RETURN(Policy policy, load_policy_option(args->policy));
                GA_ASSIGN_OR_RETURN(const AccessSettings access, access_settings_from_policy(policy));
                // Every thread the server starts inherits this mask: the signals wait for sigtimedwait below.
                sigset_t signals;
                sigemptyset(&signals);
                sigaddset(&signals, SIGINT);
                sigaddset(&signals, SIGTERM);
                pthread_sigmask(SIG_BLOCK, &signals, nullptr);

                ApiServerOptions options;
                options.router.db = args->db;
                options.router.policy = std::move(policy);
                options.router.access = access;
                options.bind = args->bind;
                options.port = args->port;
                options.threads = args->threads;
                if (!args->no_web) options.web_dir = args->web.empty() ? default_web_dir() : args->web;
                GA_ASSIGN_OR_RETURN(auto server, ApiServer::start(std::move(options)));
                fmt::print("gridaudit serve: listening on http://{}:{} (store {})\n", server->bind(), server->port(),
                           args->db);
                if (server->web())
                    fmt::print("gridaudit serve: dashboard at http://{}:{}/ (files of {})\n", server->bind(),
                               server->port(), server->web()->dir().string());
                else
                    fmt::print("gridaudit serve: the API only ({})\n",
                               args->no_web ? "--no-web" : "no built dashboard found: make web");
                std::fflush(stdout);
                const timespec tick{1, 0};
                while (server->running()) {
                    const int signal = sigtimedwait(&signals, nullptr, &tick);
                    if (signal == SIGINT || signal == SIGTERM) {
                        fmt::print("gridaudit serve: stopping ({})\n", signal == SIGINT ? "SIGINT" : "SIGTERM");
                        std::fflush(stdout);
                        break;
                    }
                }
                server->stop();
                server->wait();
                return 0;
            }};
}

}  // namespace gridaudit
