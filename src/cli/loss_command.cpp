// `gridaudit loss --db DB [--level area|feeder|bus|substation] [--by node|unit] [--period YYYY-MM]
//  [--policy FILE] [--purchase-price CNY/kWh] [--json]`: the monthly line-loss analysis table of every
//  region, per node of the level or summed by org unit.
#include <fmt/core.h>

#include <cmath>

#include "audit/loss_report.hpp"
#include "cli/command.hpp"
#include "cli/date_options.hpp"
#include "cli/policy_option.hpp"

namespace gridaudit {

CommandRegistration register_loss_command(CLI::App& app) {
    struct Arguments {
        std::string db, level = "area", by = "node", period, policy;
        double purchase_price = 0;
        bool json = false;
    };
    auto args = std::make_shared<Arguments>();
    auto* command = app.add_subcommand("loss", "Monthly energy balance and line loss by network level (see docs/loss.md)");
    command->add_option("--db", args->db, "Store: a SQLite file path or a postgresql:// URI")->required();
    command->add_option("--level", args->level, "area, feeder, bus or substation")
        ->check(CLI::IsMember({"area", "feeder", "bus", "substation"}))
        ->capture_default_str();
    command->add_option("--by", args->by, "node: one row per node of the level; unit: summed by org unit")
        ->check(CLI::IsMember({"node", "unit"}))
        ->capture_default_str();
    command->add_option("--period", args->period, "Month (YYYY-MM); default: the last month with data");
    command->add_option("--policy", args->policy, "Policy file: loss thresholds of LOSS-AREA-HIGH / LOSS-FEEDER-HIGH");
    command->add_option("--purchase-price", args->purchase_price, "Purchase price per kWh for the cost of the loss");
    command->add_flag("--json", args->json, "One JSON document on stdout");
    return {command, [args]() -> Result<int> {
                if (!(args->purchase_price >= 0) || !std::isfinite(args->purchase_price))
                    return user_error(fmt::format("--purchase-price must be a price of 0 or more ({})",
                                                  args->purchase_price));
                GA_ASSIGN_OR_RETURN(const std::optional<Period> period, period_option("--period", args->period));
                const BalanceLevel level = args->level == "substation" ? BalanceLevel::substation
                                           : args->level == "bus"      ? BalanceLevel::bus
                                           : args->level == "feeder"   ? BalanceLevel::feeder
                                                                       : BalanceLevel::area;
                GA_ASSIGN_OR_RETURN(const Policy policy, load_policy_option(args->policy));
                GA_ASSIGN_OR_RETURN(auto store, Store::open(args->db, StoreOpening::existing_only));
                const LossReportRequest request{level, args->by == "unit", period, args->purchase_price};
                GA_ASSIGN_OR_RETURN(const LossReport report, load_loss_report(*store, policy, request));
                if (report.rows.empty() && period) return user_error(fmt::format("no daily data for {}", args->period));
                if (args->json) {
                    fmt::print("{}\n", loss_report_json(report, request).dump());
                } else {
                    fmt::print("{}", loss_table_text(report.rows, request.by_unit));
                    fmt::print("\n{}", category_price_text(report.prices));
                }
                return 0;
            }};
}

}  // namespace gridaudit
