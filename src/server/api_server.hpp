// `gridaudit serve`'s HTTP server: cpp-httplib listening on an address and port (0: a free port,
// chosen at bind), a pool of worker threads, keep-alive connections, the body size limit (413
// before the body is read), each request handed to the ApiRouter; with a web folder, a GET outside
// /api/ is the built dashboard's (static_files.hpp).
// Thread safety: start() once; port() and stop() may be called from any thread; stop() makes
// wait() return after the requests in progress are answered.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <string>
#include <thread>

#include "core/result.hpp"
#include "server/api_router.hpp"
#include "server/static_files.hpp"

namespace httplib {
class Server;
}

namespace gridaudit {

struct ApiServerOptions {
    ApiRouterOptions router;
    std::string bind = "127.0.0.1";
    int port = 8080;            // 0: any free port
    std::size_t threads = 16;   // worker threads (each serves one connection at a time)
    bool load_at_start = true;  // load the utility snapshot and its loss analyses in the background at start
    std::string web_dir;        // the built dashboard (web/dist) served outside /api/; "" = the API only
};

class ApiServer {
public:
    // Binds the address and starts serving on a thread of its own; a port in use or an address
    // that cannot be bound is a user error. The store must exist.
    [[nodiscard]] static Result<std::unique_ptr<ApiServer>> start(ApiServerOptions options);
    ~ApiServer();
    ApiServer(const ApiServer&) = delete;
    ApiServer& operator=(const ApiServer&) = delete;

    [[nodiscard]] int port() const { return port_; }
    [[nodiscard]] const std::string& bind() const { return bind_; }
    [[nodiscard]] ApiRouter& router() { return *router_; }
    // The folder of the dashboard served, nullptr when only the API is.
    [[nodiscard]] const StaticFiles* web() const { return web_.get(); }
    // False once the server stopped listening.
    [[nodiscard]] bool running() const;
    void stop();
    // Blocks until the server stopped (after stop(), or a failure of the listening socket).
    void wait();

private:
    ApiServer() = default;

    std::unique_ptr<ApiRouter> router_;
    std::unique_ptr<const StaticFiles> web_;
    std::unique_ptr<httplib::Server> http_;
    std::shared_ptr<std::atomic<bool>> finished_ = std::make_shared<std::atomic<bool>>(false);
    std::thread listener_;
    std::thread loader_;
    std::string bind_;
    int port_ = 0;
};

}  // namespace gridaudit
