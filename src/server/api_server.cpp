// The HTTP server of the API on cpp-httplib (see api_server.hpp).
#include "server/api_server.hpp"

#include <fmt/format.h>
#include <httplib.h>

#include <cctype>
#include <chrono>
#include <string_view>

#include "server/api_errors.hpp"

namespace gridaudit {
namespace {

ApiRequest api_request(const httplib::Request& request) {
    ApiRequest api;
    api.method = request.method;
    api.path = request.path;
    // The query of the request line only: httplib also puts a form body's fields in `params`.
    if (const std::size_t mark = request.target.find('?'); mark != std::string::npos) {
        httplib::Params query;
        httplib::detail::parse_query_text(request.target.substr(mark + 1), query);
        api.query.insert(query.begin(), query.end());
    }
    api.content_type = request.get_header_value("Content-Type");
    api.authorization = request.get_header_value("Authorization");
    api.body = request.body;
    return api;
}

// Whether an Accept-Encoding header accepts gzip: listed (or `*`) without q=0.
bool accepts_gzip(std::string_view accept_encoding) {
    std::size_t start = 0;
    while (start < accept_encoding.size()) {
        std::size_t end = accept_encoding.find(',', start);
        if (end == std::string_view::npos) end = accept_encoding.size();
        std::string item;
        for (const char c : accept_encoding.substr(start, end - start))
            if (c != ' ' && c != '\t') item += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        start = end + 1;
        const std::size_t semicolon = item.find(';');
        const std::string coding = item.substr(0, semicolon);
        if (coding != "gzip" && coding != "*") continue;
        const std::string parameters = semicolon == std::string::npos ? "" : item.substr(semicolon + 1);
        if (parameters.starts_with("q=0") && parameters.find_first_not_of("0.", 2) == std::string::npos) continue;
        return true;
    }
    return false;
}

// httplib compresses a text response with Brotli at quality 11 when the client accepts br: 3.0 to
// 3.9 s for the dashboard's 677 KB script on this machine, against 86 ms for gzip (which Chromium
// always accepts). The request's Accept-Encoding, which httplib reads again when it writes the
// response, is narrowed to gzip or removed. (httplib's Request is its own non-const object, handed
// to handlers as const.)
void offer_gzip_only(const httplib::Request& request) {
    auto& headers = const_cast<httplib::Request&>(request).headers;
    const auto found = headers.find("Accept-Encoding");
    if (found == headers.end()) return;
    const bool gzip = accepts_gzip(found->second);
    headers.erase("Accept-Encoding");
    if (gzip) headers.emplace("Accept-Encoding", "gzip");
}

void write_response(const ApiResponse& api, httplib::Response& response) {
    response.status = api.status;
    for (const auto& [name, value] : api.headers) response.set_header(name, value);
    response.set_content(api.body, api.content_type);
}

}  // namespace

Result<std::unique_ptr<ApiServer>> ApiServer::start(ApiServerOptions options) {
    std::unique_ptr<ApiServer> server(new ApiServer());
    GA_ASSIGN_OR_RETURN(server->router_, ApiRouter::make(options.router));
    if (!options.web_dir.empty()) {
        GA_ASSIGN_OR_RETURN(StaticFiles web, StaticFiles::open(options.web_dir));
        server->web_ = std::make_unique<const StaticFiles>(std::move(web));
    }
    {
        // The store must be there before the server answers anything.
        GA_ASSIGN_OR_RETURN(const StoreLease store, server->router_->stores().lease());
    }
    server->http_ = std::make_unique<httplib::Server>();
    httplib::Server& http = *server->http_;
    const std::size_t threads = std::max<std::size_t>(options.threads, 2);
    http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    // SO_REUSEADDR (a restart binds at once) but not httplib's SO_REUSEPORT, with which a second
    // server on the same port would start and share the connections instead of being refused.
    http.set_socket_options([](socket_t socket) {
        int yes = 1;
        setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    });
    http.set_tcp_nodelay(true);  // small responses go out at once (not after the 40 ms delayed ACK)
    http.set_payload_max_length(server->router_->max_body_bytes());
    http.set_keep_alive_max_count(1'000'000);
    http.set_keep_alive_timeout(5);
    http.set_read_timeout(10);
    http.set_write_timeout(10);
    ApiRouter* router = server->router_.get();
    const StaticFiles* web = server->web_.get();
    const auto handler = [router, web](const httplib::Request& request, httplib::Response& response) {
        offer_gzip_only(request);
        const bool api = request.path == "/api" || request.path.starts_with("/api/");
        if (web && !api && (request.method == "GET" || request.method == "HEAD")) {
            write_response(web->serve(request.path), response);
            return;
        }
        write_response(router->handle(api_request(request)), response);
    };
    for (const char* pattern : {".*"}) {
        http.Get(pattern, handler);
        http.Post(pattern, handler);
        http.Put(pattern, handler);
        http.Patch(pattern, handler);
        http.Delete(pattern, handler);
        http.Options(pattern, handler);
    }
    // What httplib refuses before a handler runs (a body over the limit: 413, a malformed request:
    // 400) gets the API's error document and headers too.
    http.set_error_handler([](const httplib::Request&, httplib::Response& response) {
        if (!response.body.empty()) return;
        ApiResponse api = response.status == 413
                              ? error_response(413, "the body is larger than the server accepts")
                              : error_response(response.status, fmt::format("HTTP {}", response.status));
        add_security_headers(api);
        write_response(api, response);
    });

    server->bind_ = options.bind;
    if (options.port == 0) {
        server->port_ = http.bind_to_any_port(options.bind);
        if (server->port_ < 0) return user_error(fmt::format("cannot bind {}: no free port", options.bind));
    } else {
        if (options.port < 1 || options.port > 65535)
            return user_error(fmt::format("--port must be from 0 to 65535 ({})", options.port));
        if (!http.bind_to_port(options.bind, options.port))
            return user_error(fmt::format("cannot bind {}:{} (in use, or not an address of this machine)", options.bind,
                                          options.port));
        server->port_ = options.port;
    }
    auto finished = server->finished_;
    server->listener_ = std::thread([&http, finished] {
        http.listen_after_bind();
        finished->store(true);
    });
    // stop() only stops a server that runs: return once it does (or failed at once).
    while (!http.is_running() && !finished->load()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    if (options.load_at_start) {
        server->loader_ = std::thread([router] {
            Result<StoreLease> store = router->stores().lease();
            if (!store) return;
            StoreVersions versions(**store);
            const auto snapshot = router->cache().snapshot(versions);
            if (!snapshot) return;
            // The loss analyses the first pages read (the overview's trend, the network tree, the
            // heat map), computed before they are asked for.
            for (const BalanceLevel level :
                 {BalanceLevel::area, BalanceLevel::feeder, BalanceLevel::bus, BalanceLevel::substation})
                (void)(*snapshot)->loss_analyses(level);
        });
    }
    return server;
}

ApiServer::~ApiServer() {
    stop();
    wait();
    if (loader_.joinable()) loader_.join();
}

bool ApiServer::running() const {
    return !finished_->load();
}

void ApiServer::stop() {
    if (http_) http_->stop();
}

void ApiServer::wait() {
    if (listener_.joinable()) listener_.join();
}

}  // namespace gridaudit
