// The API apart from the network: matches a request to its route (404 for an unknown path, 405
// with Allow for a known path and another method), checks the query (400), the body's size (413)
// and content type (415), leases the request's Store, authenticates the bearer token of a route
// that needs a session (401 with WWW-Authenticate), and calls the route's handler; an Error is
// turned into its status and error document (api_errors.hpp), an exception into a 500 that is
// logged. Every response carries the security headers (nosniff, no framing, no caching, a
// Content-Security-Policy that allows nothing, no referrer).
// Thread safety: handle() may be called from any number of threads at once.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "cases/case_policy.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "rules/policy.hpp"
#include "server/api_handlers.hpp"
#include "server/api_request.hpp"
#include "server/store_pool.hpp"
#include "server/utility_cache.hpp"

namespace gridaudit {

struct ApiRouterOptions {
    std::string db;                               // the store (must exist)
    Policy policy;                                // loss thresholds and the rules' parameters
    std::size_t max_body_bytes = 1 << 20;         // larger bodies: 413
    std::function<Instant()> clock;               // "now"; the system clock when empty
    std::function<void(const std::string&)> log;  // server-side messages (500s); stderr when empty
    AccessSettings access;                        // sessions and logins (the policy's [access] section)
};

class ApiRouter {
public:
    // Fails (internal error) when a route of api_routes() has no handler or a handler no route, and
    // (user error) when the policy's [cases], [recovery], [kpis] or [documents] section is invalid.
    [[nodiscard]] static Result<std::unique_ptr<ApiRouter>> make(ApiRouterOptions options);

    [[nodiscard]] ApiResponse handle(const ApiRequest& request);
    [[nodiscard]] std::size_t max_body_bytes() const { return options_.max_body_bytes; }
    [[nodiscard]] StorePool& stores() { return stores_; }
    [[nodiscard]] UtilityCache& cache() { return cache_; }

private:
    explicit ApiRouter(ApiRouterOptions options);
    [[nodiscard]] Result<ApiResponse> dispatch(const ApiRequest& request);

    ApiRouterOptions options_;
    StorePool stores_;
    UtilityCache cache_;
    CasePolicy case_policy_;
    CaseworkSettings casework_;
    std::vector<std::pair<const ApiRoute*, ApiHandler>> routes_;  // in api_routes() order
};

// Adds the security headers every response carries.
void add_security_headers(ApiResponse& response);

}  // namespace gridaudit
