// The route table of the HTTP API (see api_routes.hpp) and the matching of a path to a route.
#include "server/api_routes.hpp"

namespace gridaudit {

std::string_view http_method_name(HttpMethod method) {
    return method == HttpMethod::get ? "GET" : "POST";
}

std::optional<HttpMethod> parse_http_method(std::string_view name) {
    if (name == "GET") return HttpMethod::get;
    if (name == "POST") return HttpMethod::post;
    return std::nullopt;
}

std::span<const ApiRoute> api_routes() {
    using enum HttpMethod;
    constexpr RouteAccess signed_in = RouteAccess::signed_in;
    static const std::vector<ApiRoute> routes{
        {post,
         "/api/login",
         RouteAccess::anyone,
         RouteBody::json,
         {},
         "Open a session: username and password -> a bearer token"},
        {post, "/api/logout", signed_in, RouteBody::none, {}, "End the session of the request's token"},
        {get, "/api/me", signed_in, RouteBody::none, {}, "The signed-in user: id, username, role, unit"},
        {get, "/api/rules", signed_in, RouteBody::none, {}, "The inspection catalogue: every rule with its parameters"},
        {get,
         "/api/findings",
         signed_in,
         RouteBody::none,
         {"area", "rule", "unit", "severity", "period", "active", "subject_kind", "subject_id", "page", "page_size",
          "sort"},
         "Findings of the stored audits in the user's scope, filtered, sorted and paged"},
        {get, "/api/findings/{id}", signed_in, RouteBody::none, {}, "One finding with its evidence"},
        {get,
         "/api/cases",
         signed_in,
         RouteBody::none,
         {"state", "subject_kind", "subject_id", "cause", "assignee", "open", "page", "page_size", "sort"},
         "Cases in the user's scope, filtered, sorted and paged"},
        {post,
         "/api/cases",
         signed_in,
         RouteBody::json,
         {},
         "Open (or join) cases for chosen findings, or by the policy"},
        {get, "/api/cases/{id}", signed_in, RouteBody::none, {}, "A case with its events, evidence and next states"},
        {post,
         "/api/cases/{id}/transitions",
         signed_in,
         RouteBody::json,
         {},
         "Move a case to another state (expected version; 409 when illegal or stale)"},
        {post,
         "/api/cases/{id}/assign",
         signed_in,
         RouteBody::json,
         {},
         "Assign or reassign a case (expected version)"},
        {post, "/api/cases/{id}/evidence", signed_in, RouteBody::json, {}, "Attach findings to a case as evidence"},
        {post, "/api/cases/{id}/comments", signed_in, RouteBody::json, {}, "Comment on a case"},
        {post, "/api/findings/{id}/dismissal", signed_in, RouteBody::json, {}, "Dismiss a finding with a reason"},
        {post,
         "/api/cases/import",
         signed_in,
         RouteBody::csv,
         {},
         "Open (or join) cases for the fee center's anomaly CSV, in one transaction"},
        {post,
         "/api/cases/{id}/back-billing",
         signed_in,
         RouteBody::json,
         {},
         "Compute a concluded case's back-billing from its evidence and the facts found on site (expected version)"},
        {get, "/api/cases/{id}/back-billing", signed_in, RouteBody::none, {}, "A case's back-billing with its payments"},
        {post,
         "/api/cases/{id}/back-billing/approve",
         signed_in,
         RouteBody::json,
         {},
         "Approve a case's back-billing: the notice number, and the case to recovery (expected version)"},
        {post,
         "/api/cases/{id}/payments",
         signed_in,
         RouteBody::json,
         {},
         "Record a payment against a case's back-billing notice"},
        {get, "/api/cases/{id}/payments", signed_in, RouteBody::none, {}, "The payments against a case's notice"},
        {get,
         "/api/cases/{id}/documents/{kind}",
         signed_in,
         RouteBody::none,
         {},
         "A case's printable document as HTML: notice, onsite, back-billing or feedback"},
        {get,
         "/api/feedback",
         signed_in,
         RouteBody::none,
         {"period"},
         "The month's feedback to the fee center as CSV (cases concluded in it)"},
        {get,
         "/api/kpis",
         signed_in,
         RouteBody::none,
         {"period", "unit"},
         "The closed loop's KPIs and assessment scores of a month (the JSON of `gridaudit kpis --json`)"},
        {get,
         "/api/loss",
         signed_in,
         RouteBody::none,
         {"level", "by", "period", "purchase_price"},
         "The monthly line-loss table of one level, by node or by org unit (the figures of `gridaudit loss`)"},
        {get,
         "/api/network",
         signed_in,
         RouteBody::none,
         {"period"},
         "The network as a tree: every node with its parent and its month's supply, sales, loss rate and class"},
        {get,
         "/api/loss/daily",
         signed_in,
         RouteBody::none,
         {"level", "from", "to", "encoding"},
         "The daily loss rate of every node of a level (areas x days: the dashboard's heat map)"},
        {get,
         "/api/loss/trend",
         signed_in,
         RouteBody::none,
         {"period", "months"},
         "The utility's supply, sales, loss rate and average price by month, and this month against the month "
         "before and a year before (the overview)"},
        {get,
         "/api/nodes/{id}/series",
         signed_in,
         RouteBody::none,
         {"from", "to"},
         "A network node's daily supply, sales, loss, loss rate and loss class"},
        {get,
         "/api/nodes/{id}/intervals",
         signed_in,
         RouteBody::none,
         {"date"},
         "A transformer area's 15-minute supply, sales and loss within one day, where its meters record intervals"},
        {get,
         "/api/nodes/{id}/suspects",
         signed_in,
         RouteBody::none,
         {"from", "to", "top"},
         "An area's customers ranked as theft suspects with their reasons (as gridaudit suspects), in the user's scope"},
        {get, "/api/customers/{id}", signed_in, RouteBody::none, {}, "A customer: master data, meters, findings"},
        {get,
         "/api/customers/{id}/series",
         signed_in,
         RouteBody::none,
         {"from", "to"},
         "A customer's daily usage with its transformer area's supply, sales and loss beside it, and its meters' "
         "events"},
        {get, "/api/meters/{id}", signed_in, RouteBody::none, {}, "A meter: master data, customer, node, findings"},
        {get,
         "/api/meters/{id}/series",
         signed_in,
         RouteBody::none,
         {"from", "to"},
         "A meter's daily registers and usage, and its events"},
    };
    return routes;
}

std::vector<std::string_view> path_segments(std::string_view path) {
    std::vector<std::string_view> segments;
    std::size_t start = 0;
    while (start <= path.size()) {
        std::size_t end = path.find('/', start);
        if (end == std::string_view::npos) end = path.size();
        if (end > start) segments.push_back(path.substr(start, end - start));
        start = end + 1;
    }
    return segments;
}

bool route_matches(const ApiRoute& route, std::string_view path,
                   std::vector<std::pair<std::string, std::string>>& parameters) {
    const std::vector<std::string_view> want = path_segments(route.path);
    const std::vector<std::string_view> got = path_segments(path);
    if (want.size() != got.size()) return false;
    std::vector<std::pair<std::string, std::string>> found;
    for (std::size_t i = 0; i < want.size(); ++i) {
        if (want[i].size() > 2 && want[i].front() == '{' && want[i].back() == '}') {
            found.emplace_back(std::string(want[i].substr(1, want[i].size() - 2)), std::string(got[i]));
        } else if (want[i] != got[i]) {
            return false;
        }
    }
    parameters.insert(parameters.end(), found.begin(), found.end());
    return true;
}

}  // namespace gridaudit
