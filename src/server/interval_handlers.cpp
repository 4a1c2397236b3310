// The within-day route of the line-loss page (docs/api.md): one transformer area's 15-minute
// supply, sales and loss on one day, where its meters record intervals (GET
// /api/nodes/{id}/intervals). Read from the store on demand (the snapshot holds daily series
// only): the intervals of the area's gateway meters and its customers' meters for the day, each
// times its multiplier (ami_interval.csv's kWh are before it). Sales sum the customers with
// intervals that day; the loss is given only when every customer and a gateway have them (a
// partial sum is not the area's sales). Not scope-filtered, like the other loss routes.
#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <set>

#include "frame/frame_loader.hpp"
#include "server/api_handlers.hpp"
#include "server/network_json.hpp"
#include "text/printable_text.hpp"

namespace gridaudit {
namespace {

constexpr double no_value = std::numeric_limits<double>::quiet_NaN();
constexpr std::size_t slots = IntervalMatrix::values_per_day;

nlohmann::json values_json(const std::vector<double>& values) {
    nlohmann::json out = nlohmann::json::array();
    for (const double v : values) out.push_back(number_json(v));
    return out;
}

Result<ApiResponse> get_node_intervals(const ApiRequest& request, const QueryParameters& query, ApiContext& context) {
    GA_TRY(context.require(Permission::read_findings));
    const std::string id(request.path_parameter("id"));
    GA_ASSIGN_OR_RETURN(const auto date_asked, query.date("date"));
    GA_ASSIGN_OR_RETURN(const auto snapshot, context.snapshot());
    const auto row = snapshot->node(id);
    if (!row) return refusal_error(Refusal::not_found, fmt::format("no network node {}", printable_value(id)));
    const RegionFrame& frame = snapshot->frames()[row->frame];
    const std::size_t node = row->row;
    if (frame.network.kind[node] != NodeKind::area)
        return refusal_error(Refusal::invalid_input,
                             fmt::format("id: intervals within the day are of transformer areas ({} is a {})",
                                         printable_value(id), node_kind_name(frame.network.kind[node])));
    // The day: the one asked for, else the last of the area's daily series.
    CivilDate date = CivilDate::from_days(0);
    if (date_asked) {
        date = *date_asked;
    } else {
        const auto analyses = snapshot->loss_analyses(BalanceLevel::area);
        const std::optional<LossAnalysis>& analysis = (*analyses)[row->frame];
        if (!analysis || analysis->days == 0)
            return refusal_error(Refusal::not_found, fmt::format("{} has no daily data", printable_value(id)));
        date = analysis->first_day + (analysis->days - 1);
    }

    std::vector<std::string> meter_ids;
    std::vector<std::size_t> meter_rows;
    for (std::size_t m = 0; m < frame.meters.size(); ++m)
        if (frame.meters.node[m].valid() && frame.meters.node[m].value() == node) {
            meter_ids.push_back(frame.meters.id[m]);
            meter_rows.push_back(m);
        }
    std::size_t customers = 0;
    for (std::size_t c = 0; c < frame.customers.size(); ++c)
        customers += frame.customers.node[c].valid() && frame.customers.node[c].value() == node;

    IntervalMatrix intervals;
    if (!meter_ids.empty()) {
        GA_ASSIGN_OR_RETURN(intervals,
                            context.store.load_intervals(meter_ids, date, date, FrameOptions{}.utc_offset_minutes));
    }
    std::vector<double> supply(slots, 0.0), sales(slots, 0.0);
    std::size_t gateways = 0;
    std::set<std::size_t> customers_with;  // frame customer rows with intervals that day
    for (std::size_t r = 0; r < intervals.meter_count() && r < meter_rows.size(); ++r) {
        if (intervals.day_count < 1 || intervals.stored[r * static_cast<std::size_t>(intervals.day_count)] == 0) continue;
        const std::size_t m = meter_rows[r];
        const bool gateway = frame.meters.is_gateway[m];
        if (gateway)
            ++gateways;
        else if (frame.meters.customer[m].valid())
            customers_with.insert(frame.meters.customer[m].value());
        std::vector<double>& sum = gateway ? supply : sales;
        const std::span<const double> kwh = intervals.meter_kwh(r);
        for (std::size_t s = 0; s < slots; ++s) sum[s] += kwh[s] * frame.meters.multiplier[m];
    }
    const bool has_supply = gateways > 0, has_sales = !customers_with.empty();
    const bool complete = has_supply && customers > 0 && customers_with.size() == customers;
    std::vector<double> loss(slots, no_value), rate(slots, no_value);
    for (std::size_t s = 0; s < slots; ++s) {
        if (!has_supply) supply[s] = no_value;
        if (!has_sales) sales[s] = no_value;
        if (!complete) continue;
        loss[s] = supply[s] - sales[s];
        rate[s] = supply[s] > 0 ? loss[s] / supply[s] : no_value;
    }
    nlohmann::json times = nlohmann::json::array();
    for (std::size_t s = 0; s < slots; ++s)
        times.push_back(fmt::format("{:02}:{:02}", s * IntervalMatrix::slot_minutes / 60,
                                    s * IntervalMatrix::slot_minutes % 60));
    return ApiResponse::json({{"node",
                               {{"id", frame.network.id[node]},
                                {"name", frame.network.name[node]},
                                {"kind", node_kind_name(frame.network.kind[node])},
                                {"unit_id", frame.network.unit_id[node]}}},
                              {"date", date.to_string()},
                              {"slot_minutes", IntervalMatrix::slot_minutes},
                              {"has_intervals", has_supply || has_sales},
                              {"gateway_meters_with_intervals", gateways},
                              {"customers", customers},
                              {"customers_with_intervals", customers_with.size()},
                              {"times", std::move(times)},
                              {"supply_kwh", values_json(supply)},
                              {"sales_kwh", values_json(sales)},
                              {"loss_kwh", values_json(loss)},
                              {"loss_rate", values_json(rate)}});
}

}  // namespace

std::vector<RouteHandler> interval_handlers() {
    using enum HttpMethod;
    return {
        {get, "/api/nodes/{id}/intervals", get_node_intervals},
    };
}

}  // namespace gridaudit
