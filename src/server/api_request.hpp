// One HTTP exchange of the API as the router and its handlers see it, apart from cpp-httplib: the
// request's method, path, decoded query, the two headers the API reads, its body; the response's
// status, content type, body and extra headers. Thread safety: plain values.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "server/api_routes.hpp"

namespace gridaudit {

struct ApiRequest {
    std::string method;                             // as sent: "GET", "POST", ...
    std::string path;                               // without the query string
    std::multimap<std::string, std::string> query;  // names and values URL-decoded
    std::string content_type;                       // the Content-Type header, "" when absent
    std::string authorization;                      // the Authorization header, "" when absent
    std::string body;
    std::vector<std::pair<std::string, std::string>> path_parameters;  // filled by the router

    // The value of a `{name}` segment of the route ("" when the route has none).
    [[nodiscard]] std::string_view path_parameter(std::string_view name) const {
        for (const auto& [key, value] : path_parameters)
            if (key == name) return value;
        return {};
    }
};

struct ApiResponse {
    int status = 200;
    std::string content_type = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;

    [[nodiscard]] static ApiResponse json(const nlohmann::json& document, int status = 200) {
        ApiResponse response;
        response.status = status;
        response.body = document.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        return response;
    }
};

}  // namespace gridaudit
