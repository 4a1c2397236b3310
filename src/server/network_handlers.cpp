// The network routes the dashboard's line-loss page draws (docs/api.md): the network as a tree
// with each node's monthly loss and class, the daily loss rate of every node of a level (the heat
// map of areas x days), one node's daily supply, sales and loss, and an area's customers ranked as
// theft suspects. From the snapshot's loss analyses, as `gridaudit loss` and `gridaudit suspects`
// compute them; like GET /api/loss, the loss figures are not scope-filtered, the suspects (people's
// accounts) are: only the customers of the caller's units are listed.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

#include "analysis/suspect_day_shape.hpp"
#include "analysis/suspect_ranking.hpp"
#include "server/api_errors.hpp"
#include "server/api_handlers.hpp"
#include "server/network_json.hpp"
#include "text/printable_text.hpp"

namespace gridaudit {
namespace {

// A rate to four decimals (0.01 %): what a colour or a tooltip shows, a third of the bytes.
nlohmann::json rate_json(double value) {
    return std::isfinite(value) ? nlohmann::json(std::round(value * 1e4) / 1e4) : nlohmann::json(nullptr);
}

// The loss analysis of node `i` of frame `f`: its own level's thresholds (nullptr without series).
const LossAnalysis* node_analysis(const UtilitySnapshot& snapshot, std::size_t f, std::size_t i) {
    const auto analyses = snapshot.loss_analyses(balance_level(snapshot.frames()[f].network.kind[i]));
    const std::optional<LossAnalysis>& analysis = (*analyses)[f];
    // The vector lives as long as the snapshot keeps it (the snapshot's map holds it).
    return analysis ? &*analysis : nullptr;
}

// `bytes` as base64 (RFC 4648, padded): the compact encoding of the daily loss's rates.
std::string base64(std::string_view bytes) {
    static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        const auto b = [&](std::size_t k) { return static_cast<unsigned>(static_cast<unsigned char>(bytes[i + k])); };
        const unsigned v = (b(0) << 16) | (b(1) << 8) | b(2);
        for (const int shift : {18, 12, 6, 0}) out += alphabet[(v >> shift) & 63];
    }
    if (i < bytes.size()) {
        const unsigned first = static_cast<unsigned char>(bytes[i]);
        const unsigned second = i + 1 < bytes.size() ? static_cast<unsigned char>(bytes[i + 1]) : 0;
        const unsigned v = (first << 16) | (second << 8);
        out += alphabet[(v >> 18) & 63];
        out += alphabet[(v >> 12) & 63];
        out += i + 1 < bytes.size() ? alphabet[(v >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

// A float as its four little-endian bytes.
void append_float32(std::string& out, float value) {
    std::uint32_t bits = 0;
    std::memcpy(&bits, &value, sizeof bits);
    for (int k = 0; k < 4; ++k) out += static_cast<char>((bits >> (8 * k)) & 0xFF);
}

// The days of the snapshot's series: the first and one past the last of every frame's analysis.
struct Window {
    CivilDate first = CivilDate::from_days(0);
    std::int32_t days = 0;
};
Window series_window(const std::vector<std::optional<LossAnalysis>>& analyses) {
    std::optional<CivilDate> first, end;
    for (const auto& analysis : analyses) {
        if (!analysis || analysis->days == 0) continue;
        const CivilDate a_end = analysis->first_day + analysis->days;
        if (!first || analysis->first_day < *first) first = analysis->first_day;
        if (!end || a_end > *end) end = a_end;
    }
    if (!first) return {};
    return {*first, *end - *first};
}

// Days [begin, end) of the window for the query's from/to (inclusive; the whole window when absent).
Result<std::pair<std::int32_t, std::int32_t>> day_span(const QueryParameters& query, const Window& window) {
    GA_ASSIGN_OR_RETURN(const auto from, query.date("from"));
    GA_ASSIGN_OR_RETURN(const auto to, query.date("to"));
    if (from && to && *from > *to)
        return field_error("from", fmt::format("is after to ({} > {})", from->to_string(), to->to_string()));
    std::int32_t begin = 0, end = window.days;
    if (from) begin = std::clamp(*from - window.first, 0, window.days);
    if (to) end = std::clamp(*to - window.first + 1, 0, window.days);
    return std::pair{begin, std::max(begin, end)};
}

nlohmann::json dates_json(CivilDate first, std::int32_t begin, std::int32_t end) {
    nlohmann::json dates = nlohmann::json::array();
    for (std::int32_t d = begin; d < end; ++d) dates.push_back((first + d).to_string());
    return dates;
}

// --- routes -------------------------------------------------------------------------------------

Result<ApiResponse> get_network(const ApiRequest&, const QueryParameters& query, ApiContext& context) {
    GA_TRY(context.require(Permission::read_findings));
    GA_ASSIGN_OR_RETURN(const auto period, query.period("period"));
    GA_ASSIGN_OR_RETURN(const auto snapshot, context.snapshot());
    const std::string key = fmt::format("network {}", period ? period->to_string() : "last");
    GA_ASSIGN_OR_RETURN(const auto document, snapshot->document(key, [&]() -> Result<std::string> {
        const std::span<const RegionFrame> frames = snapshot->frames();
        // The month: the one asked for, else the last month of any frame's data.
        std::optional<Period> month = period;
        if (!month) {
            const auto analyses = snapshot->loss_analyses(BalanceLevel::area);
            for (const auto& analysis : *analyses) {
                if (!analysis || analysis->balance.month_index.empty()) continue;
                const Period last = Period::from_index(analysis->balance.month_index.back());
                if (!month || last.index() > month->index()) month = last;
            }
        }
        nlohmann::json nodes = nlohmann::json::array();
        bool month_in_data = false;
        for (std::size_t f = 0; f < frames.size(); ++f) {
            const NetworkColumns& network = frames[f].network;
            for (std::size_t i = 0; i < network.size(); ++i) {
                const LossAnalysis* analysis = node_analysis(*snapshot, f, i);
                const std::optional<std::int32_t> column =
                    analysis && month ? analysis->month_column(month) : std::nullopt;
                double supply = std::numeric_limits<double>::quiet_NaN(), sales = supply;
                std::string_view loss_class = "not_computable";
                if (column) {
                    month_in_data = true;
                    const BalanceTable& monthly = analysis->balance.monthly;
                    supply = monthly.supply[monthly.at(i, *column)];
                    sales = monthly.sales[monthly.at(i, *column)];
                    loss_class = loss_class_name(monthly.loss_class[monthly.at(i, *column)]);
                }
                const NodeIndex parent = network.parent[i];
                nodes.push_back(
                    {{"id", network.id[i]},
                     {"name", network.name[i]},
                     {"kind", node_kind_name(network.kind[i])},
                     {"parent", parent.valid() ? nlohmann::json(network.id[parent.value()]) : nlohmann::json(nullptr)},
                     {"unit_id", network.unit_id[i]},
                     {"supply_kwh", number_json(supply)},
                     {"sales_kwh", number_json(sales)},
                     {"loss_kwh", number_json(supply - sales)},
                     {"loss_rate",
                      rate_json(supply > 0 ? (supply - sales) / supply : std::numeric_limits<double>::quiet_NaN())},
                     {"loss_class", loss_class}});
            }
        }
        if (period && !month_in_data)
            return refusal_error(Refusal::not_found, fmt::format("no daily data for {}", period->to_string()));
        return nlohmann::json{{"period", month ? nlohmann::json(month->to_string()) : nlohmann::json(nullptr)},
                              {"nodes", std::move(nodes)}}
            .dump();
    }));
    ApiResponse response;
    response.body = *document;
    return response;
}

Result<ApiResponse> get_daily_loss(const ApiRequest&, const QueryParameters& query, ApiContext& context) {
    GA_TRY(context.require(Permission::read_findings));
    constexpr std::string_view encodings[] = {"json", "f32"};
    GA_ASSIGN_OR_RETURN(const auto level_name, query.choice("level", balance_level_names));
    GA_ASSIGN_OR_RETURN(const auto encoding_name, query.choice("encoding", encodings));
    const std::string level_text = level_name.value_or("area");
    const bool compact = encoding_name.value_or("json") == "f32";
    const BalanceLevel level = balance_level_named(level_text);
    GA_ASSIGN_OR_RETURN(const auto snapshot, context.snapshot());
    const auto analyses = snapshot->loss_analyses(level);
    const Window window = series_window(*analyses);
    GA_ASSIGN_OR_RETURN(const auto span, day_span(query, window));
    const auto [begin, end] = span;
    const std::string key = fmt::format("daily loss {} {} {} {}", level_text, begin, end, compact ? "f32" : "json");
    GA_ASSIGN_OR_RETURN(const auto document, snapshot->document(key, [&]() -> Result<std::string> {
        const std::span<const RegionFrame> frames = snapshot->frames();
        nlohmann::json nodes = nlohmann::json::array(), rates = nlohmann::json::array();
        std::string packed;  // f32: every rate, row-major, NaN where there is none
        for (std::size_t f = 0; f < frames.size(); ++f) {
            const NetworkColumns& network = frames[f].network;
            const std::optional<LossAnalysis>& analysis = (*analyses)[f];
            for (std::size_t i = 0; i < network.size(); ++i) {
                if (balance_level(network.kind[i]) != level) continue;
                nodes.push_back({{"id", network.id[i]}, {"name", network.name[i]}, {"unit_id", network.unit_id[i]}});
                nlohmann::json row = nlohmann::json::array();
                for (std::int32_t d = begin; d < end; ++d) {
                    const std::int32_t day = analysis ? (window.first + d) - analysis->first_day : -1;
                    double rate = std::numeric_limits<double>::quiet_NaN();
                    if (analysis && day >= 0 && day < analysis->days) {
                        const BalanceTable& daily = analysis->balance.daily;
                        if (daily.supply[daily.at(i, day)] > 0) rate = daily.loss_rate(i, day);
                    }
                    // Four decimals (0.01 %) in both encodings, as a colour or a tooltip shows it.
                    if (std::isfinite(rate)) rate = std::round(rate * 1e4) / 1e4;
                    if (compact)
                        append_float32(packed, static_cast<float>(rate));
                    else
                        row.push_back(rate_json(rate));
                }
                if (!compact) rates.push_back(std::move(row));
            }
        }
        nlohmann::json body{
            {"level", level_text}, {"dates", dates_json(window.first, begin, end)}, {"nodes", std::move(nodes)}};
        if (compact)
            body["loss_rate_f32"] = base64(packed);
        else
            body["loss_rate"] = std::move(rates);
        return body.dump();
    }));
    ApiResponse response;
    response.body = *document;
    return response;
}

Result<ApiResponse> get_node_series(const ApiRequest& request, const QueryParameters& query, ApiContext& context) {
    GA_TRY(context.require(Permission::read_findings));
    const std::string id(request.path_parameter("id"));
    GA_ASSIGN_OR_RETURN(const auto snapshot, context.snapshot());
    const auto row = snapshot->node(id);
    if (!row) return refusal_error(Refusal::not_found, fmt::format("no network node {}", printable_value(id)));
    const RegionFrame& frame = snapshot->frames()[row->frame];
    const std::size_t i = row->row;
    const auto analyses = snapshot->loss_analyses(balance_level(frame.network.kind[i]));
    const std::optional<LossAnalysis>& analysis = (*analyses)[row->frame];
    const Window window = analysis ? Window{analysis->first_day, analysis->days} : Window{};
    GA_ASSIGN_OR_RETURN(const auto span, day_span(query, window));
    const auto [begin, end] = span;
    nlohmann::json supply = nlohmann::json::array(), sales = nlohmann::json::array(), loss = nlohmann::json::array(),
                   rate = nlohmann::json::array(), classes = nlohmann::json::array();
    if (analysis) {
        const BalanceTable& daily = analysis->balance.daily;
        for (std::int32_t d = begin; d < end; ++d) {
            const double in = daily.supply[daily.at(i, d)];
            const double out = daily.sales[daily.at(i, d)];
            supply.push_back(number_json(in));
            sales.push_back(number_json(out));
            loss.push_back(number_json(in - out));
            rate.push_back(rate_json(in > 0 ? (in - out) / in : std::numeric_limits<double>::quiet_NaN()));
            classes.push_back(loss_class_name(daily.loss_class[daily.at(i, d)]));
        }
    }
    const NodeIndex parent = frame.network.parent[i];
    return ApiResponse::json(
        {{"node",
          {{"id", frame.network.id[i]},
           {"name", frame.network.name[i]},
           {"kind", node_kind_name(frame.network.kind[i])},
           {"parent", parent.valid() ? nlohmann::json(frame.network.id[parent.value()]) : nlohmann::json(nullptr)},
           {"unit_id", frame.network.unit_id[i]}}},
         {"dates", dates_json(window.first, begin, end)},
         {"supply_kwh", std::move(supply)},
         {"sales_kwh", std::move(sales)},
         {"loss_kwh", std::move(loss)},
         {"loss_rate", std::move(rate)},
         {"loss_class", std::move(classes)}});
}

Result<ApiResponse> get_node_suspects(const ApiRequest& request, const QueryParameters& query, ApiContext& context) {
    GA_TRY(context.require(Permission::read_findings));
    GA_ASSIGN_OR_RETURN(const auto top, query.integer("top", 0, 1000));
    const std::string id(request.path_parameter("id"));
    GA_ASSIGN_OR_RETURN(const auto snapshot, context.snapshot());
    const auto row = snapshot->node(id);
    if (!row) return refusal_error(Refusal::not_found, fmt::format("no network node {}", printable_value(id)));
    const RegionFrame& frame = snapshot->frames()[row->frame];
    const std::size_t node = row->row;
    // As `gridaudit suspects` ranks them: the area level's analysis, over the days asked for.
    const auto analyses = snapshot->loss_analyses(BalanceLevel::area);
    const std::optional<LossAnalysis>& analysis = (*analyses)[row->frame];
    const Window window = analysis ? Window{analysis->first_day, analysis->days} : Window{};
    GA_ASSIGN_OR_RETURN(const auto span, day_span(query, window));
    const auto [begin, end] = span;
    std::vector<SuspectScore> ranking;
    if (analysis) ranking = rank_node_suspects(*analysis, node, begin, end, &frame);
    // `top` customers of the area's ranking (default 10; 0: all), less those outside the scope.
    const std::size_t wanted = !top ? 10 : *top == 0 ? ranking.size() : static_cast<std::size_t>(*top);
    const std::size_t shown = std::min(ranking.size(), wanted);
    nlohmann::json suspects = nlohmann::json::array();
    const auto day_or_null = [&](std::int32_t offset) {
        return offset < 0 ? nlohmann::json(nullptr) : nlohmann::json((window.first + begin + offset).to_string());
    };
    for (std::size_t r = 0; r < shown; ++r) {
        const SuspectScore& s = ranking[r];
        const std::size_t c = s.customer;
        if (!context.in_scope(frame.customers.unit_id[c])) continue;
        suspects.push_back(
            {{"rank", r + 1},
             {"customer_id", frame.customers.id[c]},
             {"name", frame.customers.name[c]},
             {"unit_id", frame.customers.unit_id[c]},
             {"score", number_json(s.score)},
             {"daily_correlation", number_json(s.daily_correlation)},
             {"loss_share", number_json(s.loss_share)},
             {"unmetered_kwh", number_json(s.unmetered_kwh)},
             {"deficit_days", s.deficit_days},
             {"first_deficit_day", day_or_null(s.first_day)},
             {"anomalous_days", s.anomalous_days},
             {"first_anomalous_day", day_or_null(s.first_anomalous_day)},
             {"reason", s.score > 0 ? nlohmann::json(suspect_signal_name(s.reason)) : nlohmann::json(nullptr)}});
    }
    return ApiResponse::json(
        {{"node_id", frame.network.id[node]},
         {"from", end > begin ? nlohmann::json((window.first + begin).to_string()) : nlohmann::json(nullptr)},
         {"to", end > begin ? nlohmann::json((window.first + (end - 1)).to_string()) : nlohmann::json(nullptr)},
         {"customers", ranking.size()},
         {"suspects", std::move(suspects)}});
}

}  // namespace

std::vector<RouteHandler> network_handlers() {
    using enum HttpMethod;
    return {
        {get, "/api/network", get_network},
        {get, "/api/loss/daily", get_daily_loss},
        {get, "/api/nodes/{id}/series", get_node_series},
        {get, "/api/nodes/{id}/suspects", get_node_suspects},
    };
}

}  // namespace gridaudit
