// The route table of the HTTP API: every path and method the server answers, whether it needs a
// signed-in user and a JSON body, and the query parameters it accepts. The router registers its
// handlers from this table and refuses to start when a route has none; tests/server checks that
// docs/openapi.json describes exactly these paths, methods and query parameters.
// Thread safety: the table is immutable (built once, on first use, thread-safely).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace gridaudit {

enum class HttpMethod { get, post };

[[nodiscard]] std::string_view http_method_name(HttpMethod method);  // "GET", "POST"
[[nodiscard]] std::optional<HttpMethod> parse_http_method(std::string_view name);

enum class RouteAccess {
    anyone,     // no session needed (login)
    signed_in,  // `Authorization: Bearer <token>` of a live session, else 401
};

enum class RouteBody {
    none,  // a body, if sent, is ignored
    json,  // `Content-Type: application/json` (else 415), one JSON object (else 400)
    csv,   // `Content-Type: text/csv` (else 415), read by the route's handler
};

struct ApiRoute {
    HttpMethod method;
    std::string path;  // OpenAPI template: "/api/customers/{id}/series"
    RouteAccess access;
    RouteBody body;
    std::vector<std::string> query;  // accepted query parameters; any other is a 400 naming it
    std::string summary;             // one line, as in docs/api.md and the OpenAPI file
};

// Every route, in the order of docs/api.md.
[[nodiscard]] std::span<const ApiRoute> api_routes();

// Segments of a path ("/api/cases/12" -> "api", "cases", "12"); empty segments dropped.
[[nodiscard]] std::vector<std::string_view> path_segments(std::string_view path);

// Whether `path` matches the route's template; the `{name}` segments' values are appended to
// `parameters` as (name, value) pairs when it does.
[[nodiscard]] bool route_matches(const ApiRoute& route, std::string_view path,
                                 std::vector<std::pair<std::string, std::string>>& parameters);

}  // namespace gridaudit
