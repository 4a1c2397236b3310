// The overview's routes (docs/api.md): the utility's supply, sales, line-loss rate and average
// selling price month by month, with this month against the month before and the same month a
// year before (GET /api/loss/trend: the dashboard's overview tiles and their sparklines). From the
// snapshot's substation analyses through report/utility_months, the figures of the monthly
// report's chart; like GET /api/loss, not scope-filtered (the network's loss is the utility's).
#include <fmt/format.h>

#include "analysis/loss_table.hpp"
#include "report/utility_months.hpp"
#include "rules/loss/loss_evidence.hpp"
#include "server/api_handlers.hpp"

namespace gridaudit {
namespace {

// The months of the trend by default: this month and the twelve before it (a year's sparkline
// that ends on the month compared with a year before).
constexpr std::int64_t default_months = 13;
constexpr std::int64_t max_months = 37;

Result<ApiResponse> get_loss_trend(const ApiRequest&, const QueryParameters& query, ApiContext& context) {
    GA_TRY(context.require(Permission::read_findings));
    GA_ASSIGN_OR_RETURN(const auto period, query.period("period"));
    GA_ASSIGN_OR_RETURN(const auto months_asked, query.integer("months", 2, max_months));
    const std::int64_t months = months_asked.value_or(default_months);
    GA_ASSIGN_OR_RETURN(const auto snapshot, context.snapshot());
    const std::string key = fmt::format("loss trend {} {}", period ? period->to_string() : "last", months);
    GA_ASSIGN_OR_RETURN(const auto document, snapshot->document(key, [&]() -> Result<std::string> {
        const std::span<const RegionFrame> frames = snapshot->frames();
        const auto analyses = snapshot->loss_analyses(BalanceLevel::substation);
        // The last month: the one asked for, else the last of the loss table (the data's last month).
        const std::vector<LossTableRow> last_rows =
            loss_table(frames, *analyses, BalanceLevel::substation, period, 0);
        if (last_rows.empty())
            return refusal_error(Refusal::not_found, period ? fmt::format("no daily data for {}", period->to_string())
                                                            : std::string("the store holds no daily data"));
        const Period last = *Period::parse(last_rows.front().month);
        // A year before the last month at least, for its comparison, whatever the trend's length.
        const std::int32_t back = static_cast<std::int32_t>(std::max<std::int64_t>(months - 1, 12));
        const std::vector<MonthlyLoss> all = utility_months(frames, *analyses, last - back, last);
        nlohmann::json trend = nlohmann::json::array();
        for (const MonthlyLoss& month : all)
            if (last - month.month < months) trend.push_back(monthly_loss_json(month));
        return nlohmann::json{{"month", last.to_string()},
                              {"months", std::move(trend)},
                              {"comparison", month_comparison_json(all, last)}}
            .dump();
    }));
    ApiResponse response;
    response.body = *document;
    return response;
}

}  // namespace

std::vector<RouteHandler> overview_handlers() {
    using enum HttpMethod;
    return {
        {get, "/api/loss/trend", get_loss_trend},
    };
}

}  // namespace gridaudit
