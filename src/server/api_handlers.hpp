// The handlers behind the routes of api_routes.hpp, as the router calls them: each reads its
// request (path parameters, checked query, body) and the context (the request's leased Store, the
// process cache, now, the signed-in caller's scope) and returns a response or an Error whose
// refusal decides the status. Grouped by file: read_handlers.cpp (rules, findings, loss,
// customers, meters).
// Thread safety: handlers are called from many threads at once, each with its own context.
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "server/api_request.hpp"
#include "server/request_parsing.hpp"
#include "server/utility_cache.hpp"
#include "store/store.hpp"

namespace gridaudit {

struct ApiContext {
    Store& store;
    UtilityCache& cache;
    Instant now;
    // Whether the caller may see what belongs to org unit `unit_id` ("" = the utility as a whole).
    std::function<bool(const std::string& unit_id)> in_scope = [](const std::string&) { return true; };
};

using ApiHandler = std::function<Result<ApiResponse>(const ApiRequest&, const QueryParameters&, ApiContext&)>;

// A handler for the route of this method and path template.
struct RouteHandler {
    HttpMethod method;
    std::string path;
    ApiHandler handler;
};

[[nodiscard]] std::vector<RouteHandler> read_handlers();

// The `{id}` path parameter as a positive integer id (else a 400 naming "id").
[[nodiscard]] Result<std::int64_t> id_parameter(const ApiRequest& request);

}  // namespace gridaudit
