// `gridaudit vee --db DB [--period YYYY-MM] [--policy FILE] [--utc-offset MIN] [--dry-run] [--json]`:
// validation and estimation of the stored daily registers of every region, and of the 15-minute
// intervals of the meters that have them, with counts by check and by region (intervals apart).
// The daily estimates of the days validated replace the store's earlier estimates of those days
// (one transaction); interval estimates are counted, not stored. --dry-run leaves the store alone.
#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "analysis/region_vee.hpp"
#include "audit/audit_session.hpp"
#include "cli/command.hpp"
#include "cli/date_options.hpp"
#include "cli/policy_option.hpp"
#include "rules/reading/vee_policy.hpp"

namespace gridaudit {

namespace {

// The estimates VEE made in a region, as stored rows.
void collect_estimates(const RegionFrame& frame, const RegionVeeResult& result, std::vector<DailyEstimate>& out) {
    for (std::size_t block = 0; block < result.meter_order.size(); ++block) {
        const std::string& meter_id = frame.meters.id[result.meter_order[block].value()];
        for (std::int32_t d = 0; d < result.days; ++d) {
            const std::size_t at = block * static_cast<std::size_t>(result.days) + static_cast<std::size_t>(d);
            if (result.method[at] == EstimateMethod::none || std::isnan(result.estimate[at])) continue;
            out.push_back({meter_id, result.first_day + d, result.estimate[at],
                           std::string(estimate_method_name(result.method[at]))});
        }
    }
}

nlohmann::json check_counts(const VeeCounts& counts) {
    nlohmann::json checks = nlohmann::json::object();
    for (std::size_t i = 0; i < vee_check_count; ++i)
        checks[std::string(vee_check_name(static_cast<VeeCheck>(i)))] = counts.exceptions[i];
    return checks;
}

std::uint64_t estimated(const VeeCounts& counts) {
    return counts.interpolated + counts.register_spread + counts.like_day;
}

std::uint64_t exception_total(const VeeCounts& counts) {
    std::uint64_t sum = 0;
    for (const auto n : counts.exceptions) sum += n;
    return sum;
}

void print_checks(const nlohmann::json& checks, std::string_view indent) {
    for (const auto& [check, count] : checks.items())
        if (count.get<std::uint64_t>() > 0) fmt::print("{}{:<28} {:>10}\n", indent, check, count.get<std::uint64_t>());
}

}  // namespace

CommandRegistration register_vee_command(CLI::App& app) {
    struct Arguments {
        std::string db, period, policy;
        bool json = false;
        bool dry_run = false;
        int utc_offset_minutes = 480;
    };
    auto args = std::make_shared<Arguments>();
    auto* command = app.add_subcommand("vee", "Validate and estimate stored meter data; counts by check and region");
    command->add_option("--db", args->db, "Store: a SQLite file path or a postgresql:// URI")->required();
    command->add_option("--period", args->period, "Month to validate (YYYY-MM); default: every loaded day");
    command->add_option("--policy", args->policy, "Policy file with a [vee] section; default: built-in thresholds");
    command->add_option("--utc-offset", args->utc_offset_minutes,
                        "Minutes east of UTC of the utility's civil days, for interval data (default 480: +08:00)");
    command->add_flag("--dry-run", args->dry_run, "Do not store the estimates");
    command->add_flag("--json", args->json, "One JSON document on stdout");
    return {command, [args]() -> Result<int> {
                GA_ASSIGN_OR_RETURN(const std::optional<Period> period, period_option("--period", args->period));
                GA_ASSIGN_OR_RETURN(const Policy policy, load_policy_option(args->policy));
                GA_ASSIGN_OR_RETURN(const VeeSettings settings, vee_settings_from_policy(policy));
                GA_ASSIGN_OR_RETURN(auto store, Store::open(args->db, StoreOpening::existing_only));
                FrameOptions frame_options;
                frame_options.load_intervals = true;
                frame_options.utc_offset_minutes = args->utc_offset_minutes;
                if (period) {
                    // Intervals over the whole period, also when it lies before the default window.
                    GA_ASSIGN_OR_RETURN(const auto range, store->daily_range());
                    if (range)
                        frame_options.interval_lookback_days =
                            std::max(frame_options.interval_lookback_days, range->second - period->first_day() + 1);
                }
                AuditSessionOptions session_options;
                session_options.frames = frame_options;
                session_options.load_collections = false;
                session_options.load_cases = false;
                GA_ASSIGN_OR_RETURN(const AuditSession session,
                                    AuditSession::load(*store, standard_catalogue(), policy, session_options));
                nlohmann::json regions = nlohmann::json::array();
                VeeCounts total, interval_total;
                std::vector<DailyEstimate> estimates;
                std::vector<IntervalEstimate> interval_estimates;
                std::optional<CivilDate> first_validated, last_validated;
                std::optional<CivilDate> first_interval_day, last_interval_day;
                for (const RegionFrame& frame : session.frames()) {
                    const CivilDate first = period ? period->first_day() : frame.daily.first_day;
                    const CivilDate last = period ? period->last_day() : frame.daily.first_day + (frame.daily.day_count - 1);
                    const RegionVeeResult result = run_region_vee(frame, settings, first, last);
                    total.add(result.counts);
                    interval_total.add(result.interval_counts);
                    collect_estimates(frame, result, estimates);
                    for (const auto& e : result.interval_estimates)
                        interval_estimates.push_back({frame.meters.id[e.meter.value()], e.start, e.kwh,
                                                      std::string(estimate_method_name(e.method))});
                    if (frame.has_intervals()) {
                        const CivilDate from = std::max(first, frame.intervals.first_day);
                        const CivilDate to = std::min(last, frame.intervals.first_day + (frame.intervals.day_count - 1));
                        if (from <= to) {
                            first_interval_day = first_interval_day ? std::min(*first_interval_day, from) : from;
                            last_interval_day = last_interval_day ? std::max(*last_interval_day, to) : to;
                        }
                    }
                    if (result.days > 0) {
                        const CivilDate end = result.first_day + (result.days - 1);
                        first_validated = first_validated ? std::min(*first_validated, result.first_day) : result.first_day;
                        last_validated = last_validated ? std::max(*last_validated, end) : end;
                    }
                    const VeeCounts& interval = result.interval_counts;
                    regions.push_back({{"substation", result.substation_id}, {"meters", result.meters},
                                       {"values", result.counts.values}, {"missing", result.counts.missing},
                                       {"estimated", estimated(result.counts)},
                                       {"left_missing", result.counts.unestimated}, {"rollovers", result.rollovers},
                                       {"exceptions", check_counts(result.counts)},
                                       {"intervals",
                                        {{"meters", result.interval_meters}, {"values", interval.values},
                                         {"missing", interval.missing}, {"interpolated", interval.interpolated},
                                         {"register_spread", interval.register_spread}, {"like_day", interval.like_day},
                                         {"estimated", estimated(interval)}, {"left_missing", interval.unestimated},
                                         {"coarse_intervals", result.coarse_intervals},
                                         {"exceptions", check_counts(interval)}}}});
                }
                std::size_t stored = 0, intervals_stored = 0;
                if (!args->dry_run && first_validated) {
                    GA_ASSIGN_OR_RETURN(stored, store->replace_daily_estimates(*first_validated, *last_validated, estimates));
                }
                if (!args->dry_run && first_interval_day) {
                    // Local midnights of the first day and of the day after the last, in unix seconds.
                    const auto local_midnight = [&](CivilDate day) {
                        return static_cast<std::int64_t>(day.days_since_epoch()) * 86'400 -
                               static_cast<std::int64_t>(args->utc_offset_minutes) * 60;
                    };
                    GA_ASSIGN_OR_RETURN(intervals_stored,
                                        store->replace_interval_estimates(local_midnight(*first_interval_day),
                                                                          local_midnight(*last_interval_day + 1),
                                                                          interval_estimates));
                }
                if (args->json) {
                    fmt::print("{}\n", nlohmann::json{{"regions", regions},
                                                      {"estimates_stored", stored},
                                                      {"interval_estimates_stored", intervals_stored},
                                                      {"utc_offset_minutes", args->utc_offset_minutes}}
                                           .dump(2));
                    return 0;
                }
                for (const auto& region : regions) {
                    fmt::print("{}: {} meters, {} meter-days, {} missing ({} estimated, {} left), {} rollovers\n",
                               region["substation"].get<std::string>(), region["meters"].get<std::size_t>(),
                               region["values"].get<std::uint64_t>(), region["missing"].get<std::uint64_t>(),
                               region["estimated"].get<std::uint64_t>(), region["left_missing"].get<std::uint64_t>(),
                               region["rollovers"].get<std::uint64_t>());
                    print_checks(region["exceptions"], "  ");
                    const auto& interval = region["intervals"];
                    if (interval["meters"].get<std::size_t>() == 0) continue;
                    fmt::print("  intervals: {} meters, {} intervals, {} missing ({} estimated: {} interpolated, {} "
                               "register spread, {} like-day; {} left){}\n",
                               interval["meters"].get<std::size_t>(), interval["values"].get<std::uint64_t>(),
                               interval["missing"].get<std::uint64_t>(), interval["estimated"].get<std::uint64_t>(),
                               interval["interpolated"].get<std::uint64_t>(),
                               interval["register_spread"].get<std::uint64_t>(),
                               interval["like_day"].get<std::uint64_t>(), interval["left_missing"].get<std::uint64_t>(),
                               interval["coarse_intervals"].get<std::uint64_t>() > 0
                                   ? fmt::format(", {} 30/60-minute intervals not validated",
                                                 interval["coarse_intervals"].get<std::uint64_t>())
                                   : std::string());
                    print_checks(interval["exceptions"], "    ");
                }
                if (args->dry_run)
                    fmt::print("dry run: {} daily and {} interval estimates made, none stored\n", estimates.size(),
                               interval_estimates.size());
                else
                    fmt::print("{} daily and {} interval estimates stored beside the raw values (earlier estimates of "
                               "these days replaced)\n",
                               stored, intervals_stored);
                fmt::print("total: {} meter-days validated, {} exceptions; {} intervals validated, {} exceptions, {} "
                           "interval estimates\n",
                           total.values, exception_total(total), interval_total.values, exception_total(interval_total),
                           estimated(interval_total));
                return 0;
            }};
}

}  // namespace gridaudit
