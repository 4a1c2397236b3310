// The read routes: the rule catalogue, findings, the loss table, customers and meters with their
// series (see api_handlers.hpp; the documents are described in docs/api.md).
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

#include "analysis/loss_table.hpp"
#include "analysis/meter_usage.hpp"
#include "rules/catalogue.hpp"
#include "rules/loss/loss_evidence.hpp"
#include "server/api_errors.hpp"
#include "server/api_handlers.hpp"
#include "server/network_json.hpp"
#include "text/printable_text.hpp"

namespace gridaudit {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

nlohmann::json optional_date_json(const std::optional<CivilDate>& date) {
    return date ? nlohmann::json(date->to_string()) : nlohmann::json(nullptr);
}

nlohmann::json node_json(const RegionFrame& frame, NodeIndex node) {
    if (!node.valid()) return nullptr;
    const std::size_t i = node.value();
    return {{"id", frame.network.id[i]},
            {"name", frame.network.name[i]},
            {"kind", node_kind_name(frame.network.kind[i])},
            {"unit_id", frame.network.unit_id[i]}};
}

// The findings (brief) whose subject is one of `subjects` (kind, id), that the caller may see.
nlohmann::json subject_findings(const FindingSet& set, const std::vector<std::pair<std::string, std::string>>& subjects,
                                const ApiContext& context) {
    nlohmann::json list = nlohmann::json::array();
    for (const ListedFinding& listed : set.findings()) {
        const Finding& f = listed.stored.finding;
        const bool ours = std::any_of(subjects.begin(), subjects.end(), [&](const auto& subject) {
            return subject.first == f.subject_kind && subject.second == f.subject_id;
        });
        if (!ours || !context.in_scope(listed.unit_id)) continue;
        list.push_back({{"id", listed.stored.finding_id},
                        {"rule_id", f.rule_id},
                        {"subject_kind", f.subject_kind},
                        {"subject_id", f.subject_id},
                        {"period", f.period},
                        {"severity", severity_name(f.severity)},
                        {"summary", f.summary},
                        {"active", listed.stored.active}});
    }
    return list;
}

Status require_scope(const ApiContext& context, const std::string& unit_id, std::string_view what) {
    if (context.in_scope(unit_id)) return {};
    return refusal_error(Refusal::forbidden, fmt::format("{} belongs to org unit {}, outside your scope", what,
                                                         unit_id.empty() ? "(the whole utility)" : unit_id));
}

// Days [begin, end) of a window starting on `first` of `days` days for the query's from/to
// (inclusive dates; the whole window when absent).
struct DayRange {
    std::int32_t begin = 0, end = 0;
};
Result<DayRange> day_range(const QueryParameters& query, CivilDate first, std::int32_t days) {
    GA_ASSIGN_OR_RETURN(const auto from, query.date("from"));
    GA_ASSIGN_OR_RETURN(const auto to, query.date("to"));
    if (from && to && *from > *to)
        return field_error("from", fmt::format("is after to ({} > {})", from->to_string(), to->to_string()));
    DayRange range{0, days};
    if (from) range.begin = std::clamp(*from - first, 0, days);
    if (to) range.end = std::clamp(*to - first + 1, 0, days);
    if (range.end < range.begin) range.end = range.begin;
    return range;
}

nlohmann::json dates_json(CivilDate first, DayRange range) {
    nlohmann::json dates = nlohmann::json::array();
    for (std::int32_t d = range.begin; d < range.end; ++d) dates.push_back((first + d).to_string());
    return dates;
}

// The events of `meters` of the frame on days [from, to].
nlohmann::json events_json(const RegionFrame& frame, const std::vector<std::size_t>& meters, CivilDate from,
                           CivilDate to) {
    nlohmann::json list = nlohmann::json::array();
    const MeterEventColumns& events = frame.meter_events;
    for (std::size_t e = 0; e < events.size(); ++e) {
        const std::size_t meter = events.meter[e].value();
        if (std::find(meters.begin(), meters.end(), meter) == meters.end()) continue;
        if (events.day[e] < from || events.day[e] > to) continue;
        list.push_back({{"meter_id", frame.meters.id[meter]},
                        {"at", events.at[e].to_string()},
                        {"day", events.day[e].to_string()},
                        {"code", events.code[e]},
                        {"phase", events.phase[e]},
                        {"duration_s", number_json(events.duration_s[e])}});
    }
    return list;
}

// --- routes -------------------------------------------------------------------------------------

Result<ApiResponse> findings_page(const QueryParameters& query, ApiContext& context);

// A policy value as the catalogue's JSON writes a default: a number, a flag, a text or a list.
nlohmann::json policy_value_json(const PolicyValue& value) {
    return std::visit([](const auto& v) { return nlohmann::json(v); }, value);
}

// The catalogue (`gridaudit rules --json`) with the policy in force: each rule's `enabled` and each
// parameter's `value` as the server's policy (--policy) sets them, and `from_policy` when it does.
Result<ApiResponse> get_rules(const ApiRequest&, const QueryParameters&, ApiContext& context) {
    static const nlohmann::json catalogue = nlohmann::json::parse(standard_catalogue().to_json());
    const Policy defaults;
    const Policy& policy = context.policy ? *context.policy : defaults;
    nlohmann::json rules = catalogue;
    for (auto& rule : rules.at("rules")) {
        const std::string section = "rules." + rule.at("id").get<std::string>();
        rule["enabled"] = policy.flag(section, "enabled", true);
        for (auto& parameter : rule.at("parameters")) {
            const PolicyValue* set = policy.find(section, parameter.at("name").get<std::string>());
            parameter["value"] = set ? policy_value_json(*set) : parameter.at("default");
            parameter["from_policy"] = set != nullptr;
        }
    }
    ApiResponse response;
    response.body = rules.dump();
    return response;
}

Result<ApiResponse> get_findings(const ApiRequest& request, const QueryParameters& query, ApiContext& context) {
    return remembered_read(request, context, ReadBasis::findings,
                           [&]() -> Result<ApiResponse> { return findings_page(query, context); });
}

Result<ApiResponse> findings_page(const QueryParameters& query, ApiContext& context) {
    GA_ASSIGN_OR_RETURN(const FindingFilter filter, finding_filter(query));
    GA_ASSIGN_OR_RETURN(const PageRequest page, page_request(query));
    GA_ASSIGN_OR_RETURN(const std::vector<SortKey> sort,
                        sort_request(query, finding_sort_fields(), default_finding_sort));
    GA_TRY(context.require(Permission::read_findings));
    const OrgScope& scope = *context.scope;
    if (filter.unit_id && !filter.unit_id->empty() && !scope.contains(*filter.unit_id))
        return field_error("unit", fmt::format("no such org unit ({})", printable_value(*filter.unit_id)));
    GA_ASSIGN_OR_RETURN(const auto set, context.findings());
    const auto selected = select_findings(
        *set, filter, [&](const std::string& unit) { return context.in_scope(unit); },
        [&](std::string_view unit, std::string_view ancestor) { return scope.is_within(unit, ancestor); }, sort);
    // The page assembled from the findings' serialized documents (as page_document would make it).
    ApiResponse response;
    response.body = "{\"items\":[";
    const std::size_t end = std::min(selected.size(), page.offset() + static_cast<std::size_t>(page.page_size));
    for (std::size_t i = page.offset(); i < end; ++i) {
        if (i > page.offset()) response.body += ',';
        response.body += selected[i]->text;
    }
    response.body +=
        fmt::format("],\"page\":{},\"page_size\":{},\"total\":{}}}", page.page, page.page_size, selected.size());
    return response;
}

Result<ApiResponse> get_finding(const ApiRequest& request, const QueryParameters&, ApiContext& context) {
    GA_TRY(context.require(Permission::read_findings));
    GA_ASSIGN_OR_RETURN(const std::int64_t id, id_parameter(request));
    GA_ASSIGN_OR_RETURN(const auto set, context.findings());
    const ListedFinding* listed = set->find(id);
    if (!listed) return refusal_error(Refusal::not_found, fmt::format("no finding {}", id));
    GA_TRY(require_scope(context, listed->unit_id, fmt::format("finding {}", id)));
    ApiResponse response;
    response.body = listed->text;
    return response;
}

Result<ApiResponse> get_loss(const ApiRequest&, const QueryParameters& query, ApiContext& context) {
    GA_TRY(context.require(Permission::read_findings));
    constexpr std::string_view bys[] = {"node", "unit"};
    GA_ASSIGN_OR_RETURN(const auto level_name, query.choice("level", balance_level_names));
    GA_ASSIGN_OR_RETURN(const auto by_name, query.choice("by", bys));
    GA_ASSIGN_OR_RETURN(const auto period, query.period("period"));
    GA_ASSIGN_OR_RETURN(const auto price, query.number("purchase_price", 0));
    const std::string level_text = level_name.value_or("area");
    const std::string by = by_name.value_or("node");
    const double purchase_price = price.value_or(0);
    const BalanceLevel level = balance_level_named(level_text);
    GA_ASSIGN_OR_RETURN(const auto snapshot, context.snapshot());
    const std::string key =
        fmt::format("loss {} {} {} {}", level_text, by, period ? period->to_string() : "last", purchase_price);
    GA_ASSIGN_OR_RETURN(const auto document, snapshot->document(key, [&]() -> Result<std::string> {
        // As `gridaudit loss --json` computes and prints it (src/cli/loss_command.cpp).
        const std::span<const RegionFrame> frames = snapshot->frames();
        const auto analyses = snapshot->loss_analyses(level);
        std::vector<LossTableRow> rows = loss_table(frames, *analyses, level, period, purchase_price);
        if (rows.empty() && period)
            return refusal_error(Refusal::not_found, fmt::format("no daily data for {}", period->to_string()));
        const bool by_unit = by == "unit";
        if (by_unit && !rows.empty())
            rows = loss_unit_table(frames, *analyses, level, *Period::parse(rows.front().month),
                                   loss_table_thresholds(snapshot->policy(), level), purchase_price);
        const std::vector<CategoryPriceRow> prices =
            rows.empty() ? std::vector<CategoryPriceRow>{}
                         : selling_price_by_category(frames, *Period::parse(rows.front().month));
        return nlohmann::json{{"level", level_text},
                              {"by", by},
                              {"rows", loss_table_json(rows, by_unit)},
                              {"selling_price_by_category", category_price_json(prices)}}
            .dump();
    }));
    ApiResponse response;
    response.body = *document;
    return response;
}

Result<ApiResponse> get_customer(const ApiRequest& request, const QueryParameters&, ApiContext& context) {
    GA_TRY(context.require(Permission::read_findings));
    const std::string id(request.path_parameter("id"));
    GA_ASSIGN_OR_RETURN(const auto snapshot, context.snapshot());
    const auto row = snapshot->customer(id);
    if (!row) return refusal_error(Refusal::not_found, fmt::format("no customer {}", printable_value(id)));
    const RegionFrame& frame = snapshot->frames()[row->frame];
    const CustomerColumns& c = frame.customers;
    const std::size_t i = row->row;
    GA_TRY(require_scope(context, c.unit_id[i], fmt::format("customer {}", printable_value(id))));
    nlohmann::json meters = nlohmann::json::array();
    std::vector<std::pair<std::string, std::string>> subjects{{"customer", id}};
    for (std::size_t m = 0; m < frame.meters.size(); ++m) {
        if (!frame.meters.customer[m].valid() || frame.meters.customer[m].value() != i) continue;
        meters.push_back({{"id", frame.meters.id[m]},
                          {"model", frame.meters.model[m]},
                          {"multiplier", frame.meters.multiplier[m]},
                          {"installed_on", frame.meters.installed_on[m].to_string()},
                          {"removed_on", optional_date_json(frame.meters.removed_on[m])}});
        subjects.emplace_back("meter", frame.meters.id[m]);
    }
    GA_ASSIGN_OR_RETURN(const auto set, context.findings());
    return ApiResponse::json({{"id", c.id[i]},
                              {"name", c.name[i]},
                              {"address", c.address[i]},
                              {"unit_id", c.unit_id[i]},
                              {"node", node_json(frame, c.node[i])},
                              {"category", c.category[i]},
                              {"industry", c.industry[i]},
                              {"voltage_kv", c.voltage_kv[i]},
                              {"contracted_kva", c.contracted_kva[i]},
                              {"tariff_id", c.tariff_id[i]},
                              {"pf_standard", number_json(c.pf_standard[i])},
                              {"status", c.status[i]},
                              {"supply_start", c.supply_start[i].to_string()},
                              {"supply_end", optional_date_json(c.supply_end[i])},
                              {"meters", std::move(meters)},
                              {"findings", subject_findings(*set, subjects, context)}});
}

Result<ApiResponse> get_customer_series(const ApiRequest& request, const QueryParameters& query, ApiContext& context) {
    GA_TRY(context.require(Permission::read_findings));
    const std::string id(request.path_parameter("id"));
    GA_ASSIGN_OR_RETURN(const auto snapshot, context.snapshot());
    const auto row = snapshot->customer(id);
    if (!row) return refusal_error(Refusal::not_found, fmt::format("no customer {}", printable_value(id)));
    const RegionFrame& frame = snapshot->frames()[row->frame];
    const std::size_t customer = row->row;
    GA_TRY(require_scope(context, frame.customers.unit_id[customer], fmt::format("customer {}", printable_value(id))));
    const NodeIndex node = frame.customers.node[customer];

    const auto analyses = snapshot->loss_analyses(BalanceLevel::area);
    const std::optional<LossAnalysis>& analysis = (*analyses)[row->frame];
    const CivilDate first = analysis ? analysis->first_day : CivilDate::from_days(0);
    const std::int32_t days = analysis ? analysis->days : 0;
    GA_ASSIGN_OR_RETURN(const DayRange range, day_range(query, first, days));
    nlohmann::json usage = nlohmann::json::array(), supply = nlohmann::json::array(), sales = nlohmann::json::array(),
                   loss = nlohmann::json::array(), rate = nlohmann::json::array();
    if (analysis) {
        const auto& rows = analysis->customer_of_row();
        const auto found = std::find(rows.begin(), rows.end(), static_cast<std::uint32_t>(customer));
        const float* values =
            found == rows.end() ? nullptr : analysis->customers().row(static_cast<std::size_t>(found - rows.begin()));
        for (std::int32_t d = range.begin; d < range.end; ++d)
            usage.push_back(values ? number_json(values[d]) : nlohmann::json(nullptr));
        if (node.valid()) {
            const auto node_supply = analysis->daily_supply(node.value());
            const auto node_sales = analysis->daily_sales(node.value());
            for (std::int32_t d = range.begin; d < range.end; ++d) {
                const double in = node_supply[static_cast<std::size_t>(d)];
                const double out = node_sales[static_cast<std::size_t>(d)];
                supply.push_back(number_json(in));
                sales.push_back(number_json(out));
                loss.push_back(number_json(in - out));
                rate.push_back(number_json(in > 0 ? (in - out) / in : nan));
            }
        }
    }
    std::vector<std::size_t> meters;
    for (std::size_t m = 0; m < frame.meters.size(); ++m)
        if (frame.meters.customer[m].valid() && frame.meters.customer[m].value() == customer) meters.push_back(m);
    nlohmann::json events = range.end > range.begin
                                ? events_json(frame, meters, first + range.begin, first + (range.end - 1))
                                : nlohmann::json::array();
    return ApiResponse::json({{"customer_id", id},
                              {"dates", dates_json(first, range)},
                              {"usage_kwh", std::move(usage)},
                              {"area",
                               {{"node", node_json(frame, node)},
                                {"supply_kwh", std::move(supply)},
                                {"sales_kwh", std::move(sales)},
                                {"loss_kwh", std::move(loss)},
                                {"loss_rate", std::move(rate)}}},
                              {"events", std::move(events)}});
}

Result<ApiResponse> get_meter(const ApiRequest& request, const QueryParameters&, ApiContext& context) {
    GA_TRY(context.require(Permission::read_findings));
    const std::string id(request.path_parameter("id"));
    GA_ASSIGN_OR_RETURN(const auto snapshot, context.snapshot());
    const auto row = snapshot->meter(id);
    if (!row) return refusal_error(Refusal::not_found, fmt::format("no meter {}", printable_value(id)));
    const RegionFrame& frame = snapshot->frames()[row->frame];
    const MeterColumns& m = frame.meters;
    const std::size_t i = row->row;
    GA_TRY(require_scope(context, snapshot->unit_of("meter", id), fmt::format("meter {}", printable_value(id))));
    GA_ASSIGN_OR_RETURN(const auto set, context.findings());
    const CustomerIndex owner = m.customer[i];
    return ApiResponse::json(
        {{"id", m.id[i]},
         {"customer_id", owner.valid() ? nlohmann::json(frame.customers.id[owner.value()]) : nlohmann::json(nullptr)},
         {"node", node_json(frame, m.node[i])},
         {"is_gateway", static_cast<bool>(m.is_gateway[i])},
         {"model", m.model[i]},
         {"accuracy_class", m.accuracy_class[i]},
         {"phases", m.phases[i]},
         {"rated_current", number_json(m.rated_current[i])},
         {"ct_ratio", m.ct_ratio_text[i]},
         {"pt_ratio", m.pt_ratio_text[i]},
         {"multiplier", number_json(m.multiplier[i])},
         {"installed_on", m.installed_on[i].to_string()},
         {"last_tested_on", optional_date_json(m.last_tested_on[i])},
         {"removed_on", optional_date_json(m.removed_on[i])},
         {"findings", subject_findings(*set, {{"meter", id}}, context)}});
}

Result<ApiResponse> get_meter_series(const ApiRequest& request, const QueryParameters& query, ApiContext& context) {
    GA_TRY(context.require(Permission::read_findings));
    const std::string id(request.path_parameter("id"));
    GA_ASSIGN_OR_RETURN(const auto snapshot, context.snapshot());
    const auto row = snapshot->meter(id);
    if (!row) return refusal_error(Refusal::not_found, fmt::format("no meter {}", printable_value(id)));
    const RegionFrame& frame = snapshot->frames()[row->frame];
    const std::size_t meter = row->row;
    GA_TRY(require_scope(context, snapshot->unit_of("meter", id), fmt::format("meter {}", printable_value(id))));
    const bool has_daily = frame.has_daily();
    const CivilDate first = has_daily ? frame.daily.first_day : CivilDate::from_days(0);
    const std::int32_t days = has_daily ? frame.daily.day_count : 0;
    GA_ASSIGN_OR_RETURN(const DayRange range, day_range(query, first, days));
    nlohmann::json registers = nlohmann::json::array(), usage = nlohmann::json::array(),
                   quality = nlohmann::json::array();
    if (has_daily && range.end > range.begin) {
        // Usage by the analyses' one derivation, over the days the meter is installed on.
        const InstalledDays installed = installed_days(frame, meter, range.begin, range.end);
        std::vector<VeeException> exceptions;
        DailyUsage derived;
        if (!installed.empty())
            derived = meter_daily_usage(frame, meter, frame.daily.import_register, installed,
                                        UsageStart::zero_at_installation, VeeSettings{}, exceptions);
        for (std::int32_t d = range.begin; d < range.end; ++d) {
            registers.push_back(number_json(frame.daily.import_at(meter, d)));
            const bool inside = !installed.empty() && d >= installed.begin && d < installed.end;
            const std::size_t k = static_cast<std::size_t>(d - installed.begin);
            usage.push_back(inside ? number_json(derived.kwh[k]) : nlohmann::json(nullptr));
            quality.push_back(inside ? nlohmann::json(value_quality_name(derived.quality[k]))
                                     : nlohmann::json(nullptr));
        }
    }
    nlohmann::json events = range.end > range.begin
                                ? events_json(frame, {meter}, first + range.begin, first + (range.end - 1))
                                : nlohmann::json::array();
    return ApiResponse::json({{"meter_id", id},
                              {"dates", dates_json(first, range)},
                              {"register", std::move(registers)},
                              {"usage_kwh", std::move(usage)},
                              {"usage_quality", std::move(quality)},
                              {"events", std::move(events)}});
}

}  // namespace

Result<std::int64_t> id_parameter(const ApiRequest& request) {
    const std::string_view text = request.path_parameter("id");
    std::int64_t id = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (text.empty() || error != std::errc() || end != text.data() + text.size() || id < 1)
        return field_error("id", fmt::format("must be a positive integer ({})", printable_value(text)));
    return id;
}

Result<ApiResponse> remembered_read(const ApiRequest& request, ApiContext& context, ReadBasis basis,
                                    const std::function<Result<ApiResponse>()>& make) {
    GA_ASSIGN_OR_RETURN(const std::string version,
                        basis == ReadBasis::cases ? context.versions.cases() : context.versions.findings());
    // Each part with its length, so that no two requests share a key.
    std::string key = fmt::format("{}:{}", request.path.size(), request.path);
    for (const auto& [name, value] : request.query)
        key += fmt::format(" {}:{}={}:{}", name.size(), name, value.size(), value);
    if (context.actor)
        key += fmt::format(" by {} {} {}:{}", context.actor->user_id, role_name(context.actor->role),
                           context.actor->unit_id.size(), context.actor->unit_id);
    if (const auto kept = context.cache.response(basis, version, key)) {
        ApiResponse response;
        response.body = *kept;
        return response;
    }
    GA_ASSIGN_OR_RETURN(ApiResponse response, make());
    if (response.status == 200 && response.headers.empty() && response.content_type == "application/json")
        context.cache.keep_response(basis, version, key, response.body);
    return response;
}

std::vector<RouteHandler> read_handlers() {
    using enum HttpMethod;
    return {
        {get, "/api/rules", get_rules},
        {get, "/api/findings", get_findings},
        {get, "/api/findings/{id}", get_finding},
        {get, "/api/loss", get_loss},
        {get, "/api/customers/{id}", get_customer},
        {get, "/api/customers/{id}/series", get_customer_series},
        {get, "/api/meters/{id}", get_meter},
        {get, "/api/meters/{id}/series", get_meter_series},
    };
}

}  // namespace gridaudit
