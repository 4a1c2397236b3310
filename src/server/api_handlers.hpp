// The handlers behind the routes of api_routes.hpp, as the router calls them: each reads its
// request (path parameters, checked query, body) and the context (the request's leased Store, the
// process cache, now, the signed-in caller's scope) and returns a response or an Error whose
// refusal decides the status. Grouped by file: read_handlers.cpp (rules, findings, loss,
// customers, meters), session_handlers.cpp (login, logout, me), case_handlers.cpp (cases,
// their transitions, assignment, evidence, comments; dismissals of findings), network_handlers.cpp
// (the network tree, the daily loss of a level, a node's series: the dashboard's line-loss page),
// casework_handlers.cpp (back-billing, approval, payments, documents, the fee center's feedback and
// anomaly CSV, KPIs), overview_handlers.cpp (the utility's monthly trend of the overview),
// interval_handlers.cpp (an area's 15-minute supply, sales and loss within a day).
// Thread safety: handlers are called from many threads at once, each with its own context.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "access/actor.hpp"
#include "access/authentication.hpp"
#include "access/org_scope.hpp"
#include "access/permission.hpp"
#include "cases/case_documents.hpp"
#include "cases/case_policy.hpp"
#include "cases/kpis.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "recovery/recovery_policy.hpp"
#include "rules/policy.hpp"
#include "server/api_request.hpp"
#include "server/request_parsing.hpp"
#include "server/utility_cache.hpp"
#include "store/store.hpp"

namespace gridaudit {

// The policy's sections the casework routes read, checked once when the router is made.
struct CaseworkSettings {
    RecoveryPolicy recovery;     // [recovery]: the back-billing calculator's rates
    KpiWeights kpi_weights;      // [kpis]: the assessment score's weights
    DocumentSettings documents;  // [documents]: the rectification deadline, the issuer

    [[nodiscard]] static Result<CaseworkSettings> from(const Policy& policy);
};

struct ApiContext {
    Store& store;
    UtilityCache& cache;
    Instant now;
    AccessSettings access_settings;
    const CasePolicy* case_policy = nullptr;     // the policy's [cases] section
    const CaseworkSettings* casework = nullptr;  // its [recovery], [kpis] and [documents] sections
    const Policy* policy = nullptr;              // the whole policy (--policy): the rules' parameters in force
    std::string bearer_token = {};               // the request's token (routes that need a session)
    std::optional<Actor> actor = {};             // the signed-in caller (routes that need a session)
    std::shared_ptr<const OrgScope> scope = {};  // the store's org units (routes that need a session)
    StoreVersions versions{store};               // what the store holds, read once per request

    [[nodiscard]] Result<std::shared_ptr<const UtilitySnapshot>> snapshot() { return cache.snapshot(versions); }
    [[nodiscard]] Result<std::shared_ptr<const FindingSet>> findings() { return cache.findings(versions); }

    // REQUIRES: a route that needs a session (the router set the actor).
    [[nodiscard]] const Actor& caller() const { return *actor; }
    // Whether the caller may see what belongs to org unit `unit_id` ("" = the utility as a whole).
    [[nodiscard]] bool in_scope(const std::string& unit_id) const {
        return !actor || (scope && scope->covers(*actor, unit_id));
    }
    // A forbidden refusal unless the caller's role may (access/permission.hpp).
    [[nodiscard]] Status require(Permission permission) const {
        if (!actor) return {};
        return require_permission(*actor, permission);
    }
};

using ApiHandler = std::function<Result<ApiResponse>(const ApiRequest&, const QueryParameters&, ApiContext&)>;

// A handler for the route of this method and path template.
struct RouteHandler {
    HttpMethod method;
    std::string path;
    ApiHandler handler;
};

[[nodiscard]] std::vector<RouteHandler> read_handlers();
[[nodiscard]] std::vector<RouteHandler> session_handlers();
[[nodiscard]] std::vector<RouteHandler> case_handlers();
[[nodiscard]] std::vector<RouteHandler> network_handlers();
[[nodiscard]] std::vector<RouteHandler> casework_handlers();
[[nodiscard]] std::vector<RouteHandler> overview_handlers();
[[nodiscard]] std::vector<RouteHandler> interval_handlers();

// The `{id}` path parameter as a positive integer id (else a 400 naming "id").
[[nodiscard]] Result<std::int64_t> id_parameter(const ApiRequest& request);

// The answer of a read route: the one kept in the process cache when the same caller (id, role,
// unit) made the same request (path and decoded query) against the same store state of `basis`,
// else the one `make` gives, kept when it is a 200.
[[nodiscard]] Result<ApiResponse> remembered_read(const ApiRequest& request, ApiContext& context, ReadBasis basis,
                                                  const std::function<Result<ApiResponse>()>& make);

}  // namespace gridaudit
