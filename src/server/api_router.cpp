// The API's routing, checks and error mapping (see api_router.hpp).
#include "server/api_router.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <exception>

#include "server/api_errors.hpp"

namespace gridaudit {
namespace {

Instant system_now() {
    const auto seconds =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch());
    return Instant::from_unix_seconds(seconds.count());
}

std::string route_key(HttpMethod method, std::string_view path) {
    return fmt::format("{} {}", http_method_name(method), path);
}

// The token of `Authorization: Bearer <token>`, or an unauthenticated refusal.
Result<std::string> bearer_token(std::string_view authorization) {
    constexpr std::string_view scheme = "Bearer ";
    if (authorization.empty())
        return refusal_error(Refusal::unauthenticated,
                             "sign in first: POST /api/login, then send Authorization: Bearer <token>");
    if (authorization.size() <= scheme.size() ||
        !std::equal(scheme.begin(), scheme.end(), authorization.begin(), [](char a, char b) {
            return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
        }))
        return refusal_error(Refusal::unauthenticated, "the Authorization header must be Bearer <token>");
    return std::string(authorization.substr(scheme.size()));
}

}  // namespace

void add_security_headers(ApiResponse& response) {
    response.headers.emplace_back("X-Content-Type-Options", "nosniff");
    response.headers.emplace_back("X-Frame-Options", "DENY");
    response.headers.emplace_back("Cache-Control", "no-store");
    response.headers.emplace_back("Referrer-Policy", "no-referrer");
    // A handler may set a policy of its own (the case documents allow their inline style).
    const bool has_policy = std::any_of(response.headers.begin(), response.headers.end(),
                                        [](const auto& header) { return header.first == "Content-Security-Policy"; });
    if (!has_policy)
        response.headers.emplace_back("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
}

ApiRouter::ApiRouter(ApiRouterOptions options)
    : options_(std::move(options)), stores_(options_.db), cache_(options_.policy) {
    if (!options_.clock) options_.clock = system_now;
    if (!options_.log)
        options_.log = [](const std::string& line) { fmt::print(stderr, "gridaudit serve: {}\n", line); };
}

Result<std::unique_ptr<ApiRouter>> ApiRouter::make(ApiRouterOptions options) {
    GA_ASSIGN_OR_RETURN(CasePolicy case_policy, CasePolicy::from(options.policy));
    GA_ASSIGN_OR_RETURN(CaseworkSettings casework, CaseworkSettings::from(options.policy));
    std::unique_ptr<ApiRouter> router(new ApiRouter(std::move(options)));
    router->case_policy_ = std::move(case_policy);
    router->casework_ = std::move(casework);
    std::vector<RouteHandler> handlers = read_handlers();
    for (RouteHandler& handler : session_handlers()) handlers.push_back(std::move(handler));
    for (RouteHandler& handler : case_handlers()) handlers.push_back(std::move(handler));
    for (RouteHandler& handler : network_handlers()) handlers.push_back(std::move(handler));
    for (RouteHandler& handler : overview_handlers()) handlers.push_back(std::move(handler));
    for (RouteHandler& handler : interval_handlers()) handlers.push_back(std::move(handler));
    for (RouteHandler& handler : casework_handlers()) handlers.push_back(std::move(handler));
    for (const ApiRoute& route : api_routes()) {
        const auto found = std::find_if(handlers.begin(), handlers.end(), [&](const RouteHandler& h) {
            return h.method == route.method && h.path == route.path;
        });
        if (found == handlers.end())
            return internal_error(fmt::format("the route {} has no handler", route_key(route.method, route.path)));
        router->routes_.emplace_back(&route, std::move(found->handler));
        handlers.erase(found);
    }
    if (!handlers.empty())
        return internal_error(fmt::format("the handler of {} has no route in the route table",
                                          route_key(handlers.front().method, handlers.front().path)));
    return router;
}

ApiResponse ApiRouter::handle(const ApiRequest& request) {
    ApiResponse response;
    try {
        Result<ApiResponse> outcome = dispatch(request);
        if (outcome) {
            response = std::move(*outcome);
        } else {
            if (outcome.error().kind() != ErrorClass::user)
                options_.log(fmt::format("{} {}: {}", request.method, request.path, outcome.error().message()));
            response = error_response(outcome.error());
        }
    } catch (const std::exception& exception) {
        options_.log(fmt::format("{} {}: unexpected exception: {}", request.method, request.path, exception.what()));
        response = error_response(500, "internal error (logged by the server)");
    }
    if (response.status == 401) response.headers.emplace_back("WWW-Authenticate", "Bearer");
    add_security_headers(response);
    return response;
}

Result<ApiResponse> ApiRouter::dispatch(const ApiRequest& request) {
    const std::optional<HttpMethod> method = parse_http_method(request.method);
    std::vector<std::pair<std::string, std::string>> parameters;
    std::string allowed;
    for (auto& [route, handler] : routes_) {
        parameters.clear();
        if (!route_matches(*route, request.path, parameters)) continue;
        if (!method || route->method != *method) {
            allowed += allowed.empty() ? "" : ", ";
            allowed += http_method_name(route->method);
            continue;
        }
        GA_ASSIGN_OR_RETURN(const QueryParameters query, QueryParameters::of(request, *route));
        if (route->body != RouteBody::none) {
            if (request.body.size() > options_.max_body_bytes)
                return error_response(413, fmt::format("the body is larger than {} bytes", options_.max_body_bytes));
            if (route->body == RouteBody::json && !is_json_content_type(request.content_type))
                return error_response(415, "the body must be JSON: Content-Type: application/json");
            if (route->body == RouteBody::csv && !has_media_type(request.content_type, "text/csv"))
                return error_response(415, "the body must be CSV: Content-Type: text/csv");
        }
        Result<StoreLease> leased = stores_.lease();
        // The store was there when the server started: failing to open it now is the server's.
        if (!leased) return external_error(fmt::format("cannot open the store: {}", leased.error().message()));
        StoreLease store = std::move(*leased);
        ApiRequest routed = request;
        routed.path_parameters = std::move(parameters);
        ApiContext context{*store,       cache_,     options_.clock(), options_.access,
                           &case_policy_, &casework_, &options_.policy};
        if (route->access == RouteAccess::signed_in) {
            GA_ASSIGN_OR_RETURN(context.bearer_token, bearer_token(request.authorization));
            // The log's head first: the session cache trusts what it read after it.
            GA_ASSIGN_OR_RETURN(const std::int64_t audit_head, context.versions.audit_head());
            GA_ASSIGN_OR_RETURN(context.actor,
                                cache_.sessions().authenticate(store->access(), context.bearer_token, context.now,
                                                               audit_head, options_.access));
            GA_ASSIGN_OR_RETURN(context.scope, cache_.org_scope(context.versions));
        }
        return handler(routed, query, context);
    }
    if (!allowed.empty()) {
        ApiResponse response =
            error_response(405, fmt::format("{} is not allowed here (allowed: {})", request.method, allowed));
        response.headers.emplace_back("Allow", allowed);
        return response;
    }
    return error_response(404, "no such route; the API is described in docs/api.md");
}

}  // namespace gridaudit
