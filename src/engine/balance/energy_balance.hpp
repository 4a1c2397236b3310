// Energy balance (供售电量平衡) and line loss of every network node, per day and per month.
//
// Pure kernel over plain arrays: it knows nothing of frames, stores or rules. A node's supply is
// what its gateway meter measured flowing in (import - export, x multiplier) plus the energy its
// own customers fed in (PV export); its sales are its customers' net usage plus their fed-in
// energy plus, for feeders, buses and substations, the supply of its child nodes (so the loss of
// a feeder is the line part only, the transformer-area part stays with the areas). Loss = supply -
// sales; loss rate = loss / supply (REFERENCE.md section 9).
//
// A node-day is computable only when its gateway value exists, no customer value is a hole and
// the share of customers with measured (not estimated) data reaches `min_coverage`; otherwise its
// sales, loss and rate are NaN and its class is `not_computable` — never a number built from holes.
// A month is computable when at least `min_month_days_share` of its days in the data are; its
// quantities then add up the computable days only (supply and sales over the same days).
//
// Thread safety: stateless functions; compute_balance may use several threads internally.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace gridaudit {

enum class BalanceLevel : std::uint8_t { substation, bus, feeder, area };
enum class LossClass : std::uint8_t { qualified, high, very_high, negative, not_computable };

[[nodiscard]] std::string_view balance_level_name(BalanceLevel level);
[[nodiscard]] std::string_view loss_class_name(LossClass loss_class);

struct LossThresholds {
    double high_rate = 0.07;        // above: high loss (qualified 0 .. 7 %)
    double very_high_rate = 0.30;   // above: very high loss
    double negative_rate = -0.01;   // below: negative loss
    double min_coverage = 0.8;      // share of customers with measured data for a computable day
    double min_month_days_share = 0.75;
};

[[nodiscard]] LossClass classify_loss_rate(double rate, const LossThresholds& thresholds);

// A dense rows x days matrix, row-major, of kWh after the multiplier; NaN marks a hole.
struct UsageMatrix {
    const float* values = nullptr;
    std::size_t rows = 0;
    std::int32_t days = 0;
    [[nodiscard]] const float* row(std::size_t r) const { return values + r * static_cast<std::size_t>(days); }
};

// The network as the kernel needs it. Nodes are numbered 0..n-1.
// REQUIRES: customer_offset.size() == n + 1 and is non-decreasing: the customers of node i are
// rows [customer_offset[i], customer_offset[i+1]) of the customer usage matrix (adjacent).
// REQUIRES: parent[i] is -1 or another node; the graph is a forest.
struct BalanceGraph {
    std::vector<std::int32_t> parent;
    std::vector<BalanceLevel> level;
    std::vector<std::int32_t> gateway_row;  // row in the gateway usage matrix, -1 when the node has none
    std::vector<std::uint32_t> customer_offset;
    [[nodiscard]] std::size_t size() const { return parent.size(); }
};

struct BalanceInput {
    const BalanceGraph* graph = nullptr;
    UsageMatrix customers;  // net usage (import - export) per customer and day
    UsageMatrix gateways;   // net flow through each gateway meter per day
    // Optional, nodes x days: energy the node's own customers fed in (PV export), added to supply
    // and sales alike; empty when none.
    std::span<const double> fed_in;
    // Optional, nodes x days: how many of the node's customer values that day are estimates
    // (filled between two actual reads); they count against coverage. Empty when none.
    std::span<const std::uint32_t> estimated_count;
    std::int32_t first_day = 0;  // days since 1970-01-01 of column 0, for the months
    int threads = 2;
};

// Per node and day (node-major, nodes x days), or per node and month (nodes x months).
struct BalanceTable {
    std::size_t nodes = 0;
    std::int32_t columns = 0;               // days, or months
    std::vector<double> supply, sales;      // NaN when not computable (supply NaN without gateway data)
    std::vector<float> coverage;            // share of customers with measured data, 0..1
    std::vector<LossClass> loss_class;
    [[nodiscard]] std::size_t at(std::size_t node, std::int32_t column) const {
        return node * static_cast<std::size_t>(columns) + static_cast<std::size_t>(column);
    }
    [[nodiscard]] double loss(std::size_t node, std::int32_t column) const {
        return supply[at(node, column)] - sales[at(node, column)];
    }
    [[nodiscard]] double loss_rate(std::size_t node, std::int32_t column) const {
        const double s = supply[at(node, column)];
        return (s - sales[at(node, column)]) / s;
    }
};

struct BalanceResult {
    BalanceTable daily;
    BalanceTable monthly;
    std::vector<std::int32_t> month_index;      // months since 1970-01 of each monthly column
    std::vector<std::int32_t> month_first_column;  // first daily column of each month
    std::vector<std::int32_t> month_day_count;     // days of the month inside the data
};

// Daily and monthly balance of every node, one pass over the customer matrix.
[[nodiscard]] BalanceResult compute_balance(const BalanceInput& input, const LossThresholds& thresholds);

// The same into `result`, reusing its buffers (no allocation when the shape is unchanged).
void compute_balance(const BalanceInput& input, const LossThresholds& thresholds, BalanceResult& result);

}  // namespace gridaudit
