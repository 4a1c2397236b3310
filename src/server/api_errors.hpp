// How the API reports a refusal or a failure: the HTTP status of an Error (its Refusal for a user
// error: 400, 401, 403, 404, 409; 500 for an internal and 503 for an external failure), the JSON
// error document `{"error": {"status", "code", "message", "field"}}`, and the errors the request
// parsing makes, which name the field or parameter at fault.
// Thread safety: stateless functions.
#pragma once

#include <string>
#include <string_view>

#include "core/result.hpp"
#include "server/api_request.hpp"

namespace gridaudit {

[[nodiscard]] int http_status(const Error& error);

// "invalid_input", "unauthenticated", "forbidden", "not_found", "conflict", "internal", "unavailable",
// and for the statuses the router makes itself "payload_too_large", "unsupported_media_type",
// "method_not_allowed".
[[nodiscard]] std::string_view error_code_name(int status);

// A 400 naming the field (a body field such as "to" or "findings[2]", or a query parameter):
// its message is "field '<field>': <what>", and the error document carries "field".
[[nodiscard]] std::unexpected<Error> field_error(std::string_view field, std::string_view what);

// The field an error made by field_error names ("" for any other error).
[[nodiscard]] std::string error_field(const Error& error);

// The error document for `status` with `message` (and `field` when not empty).
[[nodiscard]] ApiResponse error_response(int status, std::string_view message, std::string_view field = {});
// The error document of an Error, at http_status(error).
[[nodiscard]] ApiResponse error_response(const Error& error);

}  // namespace gridaudit
