// The monthly line-loss table loaded with only what it needs (see loss_report.hpp).
#include "audit/loss_report.hpp"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "audit/audit_session.hpp"
#include "frame/daily_window.hpp"
#include "rules/loss/loss_evidence.hpp"

namespace gridaudit {

LossReport loss_report(std::span<const RegionFrame> frames, const Policy& policy, const LossReportRequest& request) {
    const LossThresholds thresholds = loss_table_thresholds(policy, request.level);
    std::vector<std::optional<LossAnalysis>> analyses;
    analyses.reserve(frames.size());
    for (const auto& frame : frames) analyses.push_back(analyse_loss(frame, thresholds));
    LossReport report;
    report.rows = loss_table(frames, analyses, request.level, request.period, request.purchase_price_per_kwh);
    if (report.rows.empty()) return report;
    const Period month = *Period::parse(report.rows.front().month);
    if (request.by_unit)
        report.rows =
            loss_unit_table(frames, analyses, request.level, month, thresholds, request.purchase_price_per_kwh);
    report.prices = selling_price_by_category(frames, month);
    return report;
}

FrameOptions loss_frame_options(Period month) {
    FrameOptions options;
    options.load_daily = false;  // read by load_loss_report, around the months it needs
    options.load_billing_reads = false;
    options.load_work_orders = false;
    options.load_meter_events = false;
    options.master_details = false;
    options.bill_periods = {month - 12, month - 1, month};
    return options;
}

namespace {

// Every frame's balance from a daily window around the days from `needed_from` to `needed_to`
// (within [whole_first, last], anchored at both ends as daily_window.hpp says, the whole window
// where it cannot be): those days' figures as the whole window gives them. Reads each region's
// registers in turn (one store), then balances the regions in parallel; replaces each frame's
// daily matrix.
Result<std::vector<std::optional<LossAnalysis>>> window_analyses(Store& store, std::vector<RegionFrame>& frames,
                                                                 CivilDate needed_from, CivilDate needed_to,
                                                                 CivilDate whole_first, CivilDate last, int anchor_days,
                                                                 const LossThresholds& thresholds) {
    const CivilDate first = std::clamp(needed_from - anchor_days, whole_first, last);
    const CivilDate end = std::clamp(needed_to + anchor_days, first, last);
    for (RegionFrame& frame : frames) {
        if (frame.meters.size() == 0) continue;  // as load_region_frames: no daily matrix, no balance
        GA_ASSIGN_OR_RETURN(frame.daily, store.load_daily(frame.meters.id, first, end));
        if ((first > whole_first && !usage_anchored_at_start(frame.meters, frame.daily, needed_from)) ||
            (end < last && !usage_anchored_at_end(frame.meters, frame.daily, needed_to))) {
            GA_ASSIGN_OR_RETURN(frame.daily, store.load_daily(frame.meters.id, whole_first, last));
        }
    }
    std::vector<std::optional<LossAnalysis>> analyses(frames.size());
    tbb::parallel_for(std::size_t{0}, frames.size(),
                      [&](std::size_t r) { analyses[r] = analyse_loss(frames[r], thresholds); });
    return analyses;
}

}  // namespace

Result<LossReport> load_loss_report(Store& store, const Policy& policy, const LossReportRequest& request) {
    GA_TRY(select_enabled_rules(standard_catalogue(), policy, {}));  // the policy checked as `audit` checks it
    const LossThresholds thresholds = loss_table_thresholds(policy, request.level);
    GA_ASSIGN_OR_RETURN(const auto stored_days, store.daily_range());
    if (!stored_days) {
        GA_ASSIGN_OR_RETURN(const auto frames, load_region_frames(store, FrameOptions{}));
        return loss_report(frames, policy, request);
    }
    const Period month = request.period ? *request.period : Period::of(stored_days->second);
    const FrameOptions options = loss_frame_options(month);
    GA_ASSIGN_OR_RETURN(std::vector<RegionFrame> frames, load_region_frames(store, options));
    const CivilDate last = stored_days->second;
    const CivilDate whole_first = std::max(stored_days->first, last - (options.daily_lookback_days - 1));
    // The month and the month before (the month-on-month change), to the last stored day.
    GA_ASSIGN_OR_RETURN(const auto analyses, window_analyses(store, frames, (month - 1).first_day(), last, whole_first,
                                                             last, options.daily_anchor_days, thresholds));

    LossReport report;
    report.rows = loss_table(frames, analyses, request.level, request.period, request.purchase_price_per_kwh);
    if (report.rows.empty()) return report;
    // The same month a year earlier, when the look-back window holds it: its rates from a window of
    // its own (the table's window starts a month before the month before).
    const Period year_earlier = month - 12;
    std::vector<LossTableRow> year_rows;
    if (year_earlier.last_day() >= whole_first) {
        GA_ASSIGN_OR_RETURN(const auto year_analyses,
                            window_analyses(store, frames, year_earlier.first_day(), year_earlier.last_day(),
                                            whole_first, last, options.daily_anchor_days, thresholds));
        year_rows = loss_table(frames, year_analyses, request.level, year_earlier, request.purchase_price_per_kwh);
        std::unordered_map<std::string, double> year_rate;
        for (const LossTableRow& row : year_rows) year_rate.emplace(row.node_id, row.loss_rate);
        for (LossTableRow& row : report.rows) {
            const auto found = year_rate.find(row.node_id);
            row.rate_change_year = row.loss_rate - (found == year_rate.end() ? std::nan("") : found->second);
        }
    } else {
        year_rows = loss_table(frames, analyses, request.level, year_earlier, request.purchase_price_per_kwh);
    }
    if (request.by_unit)
        report.rows = loss_unit_table(
            report.rows, loss_table(frames, analyses, request.level, month - 1, request.purchase_price_per_kwh),
            year_rows, thresholds, request.purchase_price_per_kwh);
    report.prices = selling_price_by_category(frames, month);
    return report;
}

nlohmann::json loss_report_json(const LossReport& report, const LossReportRequest& request) {
    const std::string by = request.by_unit ? "unit" : "node";
    return nlohmann::json{{"level", std::string(balance_level_name(request.level))},
                          {"by", by},
                          {"rows", loss_table_json(report.rows, request.by_unit)},
                          {"selling_price_by_category", category_price_json(report.prices)}};
}

}  // namespace gridaudit
