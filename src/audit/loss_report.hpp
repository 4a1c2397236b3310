// The monthly line-loss table as `gridaudit loss` prints it (analysis/loss_table.hpp), loaded
// from a store with only what it needs (issue 17): the daily registers of the months it reads,
// the meters, customers and network, and the bills of those months; no register reads, payments,
// tariffs, work orders, meter events or cases. The JSON equals, byte for byte, the table computed
// over frames loaded whole (loss_report_json over AuditSession::load's frames), which the tests
// check.
// Thread safety: stateless functions; one call per Store at a time.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "analysis/loss_table.hpp"
#include "core/result.hpp"
#include "frame/frame_loader.hpp"
#include "rules/policy.hpp"
#include "store/store.hpp"

namespace gridaudit {

struct LossReportRequest {
    BalanceLevel level = BalanceLevel::area;
    bool by_unit = false;               // summed by org unit instead of one row per node
    std::optional<Period> period;       // default: the last month with daily data
    double purchase_price_per_kwh = 0;  // 0: no cost of the loss
};

struct LossReport {
    std::vector<LossTableRow> rows;  // empty when the month has no daily data
    std::vector<CategoryPriceRow> prices;
};

// The table over frames already loaded (every region's balance under the policy's thresholds).
[[nodiscard]] LossReport loss_report(std::span<const RegionFrame> frames, const Policy& policy,
                                     const LossReportRequest& request);

// What load_loss_report reads of a store for the table of `month`: the daily window from a month
// before the month before (anchored to equal the whole window's usage,
// FrameOptions::daily_needed_from), the bills of the month, the month before and a year earlier.
// The same month a year earlier, when the look-back window holds it, is read in a window of its own.
[[nodiscard]] FrameOptions loss_frame_options(Period month);

// Loads what the table needs from `store` and computes it.
[[nodiscard]] Result<LossReport> load_loss_report(Store& store, const Policy& policy, const LossReportRequest& request);

// {"level", "by", "rows", "selling_price_by_category"}: what `gridaudit loss --json` prints.
[[nodiscard]] nlohmann::json loss_report_json(const LossReport& report, const LossReportRequest& request);

}  // namespace gridaudit
