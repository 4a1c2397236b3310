// The HTTP statuses and error documents of the API (see api_errors.hpp).
#include "server/api_errors.hpp"

#include <fmt/format.h>

namespace gridaudit {
namespace {

constexpr std::string_view field_prefix = "field '";

}  // namespace

int http_status(const Error& error) {
    switch (error.kind()) {
        case ErrorClass::internal:
            return 500;
        case ErrorClass::external:
            return 503;
        case ErrorClass::user:
            break;
    }
    switch (error.refusal()) {
        case Refusal::unauthenticated:
            return 401;
        case Refusal::forbidden:
            return 403;
        case Refusal::not_found:
            return 404;
        case Refusal::conflict:
            return 409;
        case Refusal::none:
        case Refusal::invalid_input:
            return 400;
    }
    return 400;
}

std::string_view error_code_name(int status) {
    switch (status) {
        case 400:
            return "invalid_input";
        case 401:
            return "unauthenticated";
        case 403:
            return "forbidden";
        case 404:
            return "not_found";
        case 405:
            return "method_not_allowed";
        case 409:
            return "conflict";
        case 413:
            return "payload_too_large";
        case 415:
            return "unsupported_media_type";
        case 503:
            return "unavailable";
        default:
            return status >= 500 ? "internal" : "invalid_input";
    }
}

std::unexpected<Error> field_error(std::string_view field, std::string_view what) {
    return user_error(fmt::format("{}{}': {}", field_prefix, field, what));
}

std::string error_field(const Error& error) {
    const std::string& message = error.message();
    if (error.kind() != ErrorClass::user || !message.starts_with(field_prefix)) return {};
    const std::size_t end = message.find("': ", field_prefix.size());
    if (end == std::string::npos) return {};
    return message.substr(field_prefix.size(), end - field_prefix.size());
}

ApiResponse error_response(int status, std::string_view message, std::string_view field) {
    nlohmann::json error{{"status", status}, {"code", error_code_name(status)}, {"message", message}};
    if (!field.empty()) error["field"] = field;
    return ApiResponse::json(nlohmann::json{{"error", std::move(error)}}, status);
}

ApiResponse error_response(const Error& error) {
    const int status = http_status(error);
    // An internal failure's message is for the log, not for the client.
    if (status == 500) return error_response(status, "internal error (logged by the server)");
    return error_response(status, error.message(), error_field(error));
}

}  // namespace gridaudit
