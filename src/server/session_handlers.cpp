// The session routes: POST /api/login (username and password -> a bearer token) and
// POST /api/logout (the request's own session ends). See api_handlers.hpp.
#include <fmt/format.h>

#include "access/authentication.hpp"
#include "access/role.hpp"
#include "server/api_bodies.hpp"
#include "server/api_handlers.hpp"

namespace gridaudit {
namespace {

nlohmann::json actor_json(const Actor& actor) {
    return {{"id", actor.user_id},
            {"username", actor.username},
            {"role", role_name(actor.role)},
            {"unit_id", actor.unit_id}};
}

Result<ApiResponse> post_login(const ApiRequest& request, const QueryParameters&, ApiContext& context) {
    GA_ASSIGN_OR_RETURN(const LoginBody body, parse_login_body(request.body));
    GA_ASSIGN_OR_RETURN(const Session session, login(context.store.access(), body.username, body.password, context.now,
                                                     context.access_settings));
    return ApiResponse::json({{"token", session.token},
                              {"expires_at", session.expires_at.to_string()},
                              {"user", actor_json(session.actor)}});
}

Result<ApiResponse> post_logout(const ApiRequest&, const QueryParameters&, ApiContext& context) {
    GA_TRY(logout(context.store.access(), context.bearer_token, context.now, context.access_settings));
    return ApiResponse::json({{"logged_out", true}});
}

Result<ApiResponse> get_me(const ApiRequest&, const QueryParameters&, ApiContext& context) {
    return ApiResponse::json(actor_json(context.caller()));
}

}  // namespace

std::vector<RouteHandler> session_handlers() {
    using enum HttpMethod;
    return {
        {post, "/api/login", post_login},
        {post, "/api/logout", post_logout},
        {get, "/api/me", get_me},
    };
}

}  // namespace gridaudit
